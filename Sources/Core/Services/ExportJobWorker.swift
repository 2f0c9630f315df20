import Foundation
import ExportFormats
import NIOCore
import Logging
import Media
import NIOPosix
import ServiceLifecycle
import Storage
import Synchronization

/// Runs queued export jobs one at a time: counts the rows, writes the file page by page (memory stays flat) under
/// the export folder with progress and heartbeats in the database, then keeps it `exportTTLHours`. An export whose
/// worker dies is taken over after `jobStaleSeconds` and written again from the start; a graceful shutdown puts
/// it back in the queue; deleting it stops it at its next page. Expired files are swept every 10 minutes.
package struct ExportJobWorker: Service {
    package let env: ServerEnvironment
    /// Turns a job's dataset and query into rows (the HTTP edge's export code).
    package let exports: any ExportWriting
    package let name: String

    package init(env: ServerEnvironment, exports: any ExportWriting, name: String) {
        self.env = env; self.exports = exports; self.name = name
    }

    package func run() async throws {
        let lastSweep = Mutex(ContinuousClock.now - .seconds(3600))
        await PollLoop.run(logger: env.logger, failure: "export worker error", metadata: ["worker": "\(name)"]) {
            // Expired files are swept every 10 minutes between jobs.
            if ContinuousClock.now - lastSweep.withLock({ $0 }) > .seconds(600) {
                try await sweep(now: WallClock.nowMillis())
                lastSweep.withLock { $0 = .now }
            }
            return try await runOnce() == nil ? .seconds(1) : .zero
        }
    }

    package struct LostClaim: Error {}

    /// Where an export is written on this machine while it runs (then it goes to the media store).
    package static func partFile(_ job: ExportJob, in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(job.tenantID.rawValue).appendingPathComponent("\(job.id).\(job.format).part")
            .path
    }

    /// The finished file's key in the media store (the shared folder or S3), so that any process serves it.
    package static func mediaKey(_ job: ExportJob) -> String { "\(job.tenantID)/exports/\(job.id).\(job.format)" }

    package static func removeFiles(_ job: ExportJob, directory: String, media: any MediaStore, logger: Logger) async {
        try? FileManager.default.removeItem(atPath: partFile(job, in: directory))
        do {
            try await media.delete(mediaKey(job))
        } catch {
            logger.warning("export file not deleted", metadata: ["export": "\(job.id)", "error": "\(error)"])
        }
    }

    private func removeFiles(_ job: ExportJob) async {
        await Self.removeFiles(job, directory: env.configuration.resolvedExportDirectory, media: env.media, logger: env.logger)
    }

    /// Claims and writes one export; nil when none was waiting.
    @discardableResult
    package func runOnce() async throws -> ExportJob? {
        let stale = WallClock.nowMillis() - Int64(env.configuration.jobs.staleSeconds * 1000)
        guard let job = try await env.store.claimExportJob(worker: name, staleBefore: stale) else { return nil }
        let directory = env.configuration.resolvedExportDirectory
        let part = Self.partFile(job, in: directory)
        // The file is written aside and put into the media store when whole; whatever stops the export leaves no part behind.
        defer { try? FileManager.default.removeItem(atPath: part) }
        env.logger.info("export started", metadata: ["export": "\(job.id)", "dataset": "\(job.dataset)", "format": "\(job.format)"])
        do {
            guard let tenant = try await env.store.tenant(job.tenantID) else { throw DomainError.notFound("tenant") }
            let rows = try exports.export(dataset: job.dataset, format: job.format, query: job.query, tenant: tenant)
            let total = try await rows.count()
            guard try await env.store.updateExportJob(id: job.id, worker: name, rowsDone: 0, rowsTotal: total, progress: 0) else {
                throw LostClaim()
            }
            try FileManager.default.createDirectory(atPath: (part as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let file = try ExportFile(path: part)
            var done = 0
            var lastUpdate = ContinuousClock.now
            do {
                try await rows.write(
                    { try await file.write($0) },
                    { n in
                        done = n
                        guard ContinuousClock.now - lastUpdate >= .milliseconds(500) else { return }
                        lastUpdate = .now
                        // Rows added while the export runs can take it past the count: it never claims 100% before the end.
                        let progress = min(99, total > 0 ? n * 100 / total : 0)
                        guard
                            try await env.store.updateExportJob(
                                id: job.id, worker: name, rowsDone: n, rowsTotal: max(total, n),
                                progress: progress)
                        else { throw LostClaim() }
                    })
                try await file.close()
            } catch {
                try? await file.close()
                throw error
            }
            let bytes = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) ?? nil
            try await env.media.putFile(Self.mediaKey(job), from: part, contentType: "application/octet-stream")
            let expires = WallClock.nowMillis() + Int64(env.configuration.exports.ttlHours * 3_600_000)
            if try await !env.store.finishExportJob(
                id: job.id, worker: name, status: .done, rowsDone: done, bytes: bytes, error: nil,
                expiresAt: expires)
            {
                await removeFiles(job)  // deleted (or taken over) meanwhile
            }
            env.logger.info("export done", metadata: ["export": "\(job.id)", "rows": "\(done)", "bytes": "\(bytes ?? 0)"])
        } catch is CancellationError {
            try await env.store.returnExportJob(id: job.id, worker: name)
            throw CancellationError()
        } catch is LostClaim {
            env.logger.info("export deleted or taken over while running", metadata: ["export": "\(job.id)"])
        } catch {
            let message = (error as? DomainError)?.message ?? "the export failed"
            env.logger.error("export failed", metadata: ["export": "\(job.id)", "error": "\(error)"])
            _ = try await env.store.finishExportJob(
                id: job.id, worker: name, status: .failed, rowsDone: 0, bytes: nil, error: message,
                expiresAt: nil)
        }
        return job
    }

    /// Deletes expired exports and their files, and failed exports once they are as old as a file is kept.
    package func sweep(now: Int64) async throws {
        while true {
            let expired = try await env.store.deleteExpiredExportJobs(
                before: now, failedBefore: now - Int64(env.configuration.exports.ttlHours * 3_600_000))
            for job in expired { await removeFiles(job) }
            if expired.count < 500 { return }
        }
    }
}

/// An export file being written: chunks are gathered to 1 MiB and written off the async executors.
package final class ExportFile: @unchecked Sendable {
    package let handle: FileHandle
    package var pending = Data()

    package init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw DomainError(.failed, .exportFailed, "cannot create the export file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    package func write(_ buffer: ByteBuffer) async throws {
        pending.append(contentsOf: buffer.readableBytesView)
        if pending.count >= 1 << 20 { try await flush() }
    }

    package func flush() async throws {
        guard !pending.isEmpty else { return }
        let (data, handle) = (pending, handle)
        pending = Data()
        try await NIOThreadPool.singleton.runIfActive { try handle.write(contentsOf: data) }
    }

    package func close() async throws {
        try await flush()
        try handle.close()
    }
}
