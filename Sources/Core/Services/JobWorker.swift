import Foundation
import ExportFormats
import Logging
import Media
import Recognition
import ServiceLifecycle
import Storage
import Tracking
import Vision

/// Takes jobs from the durable queue in the database and processes them; several run per process and
/// several processes may share one PostgreSQL database (a job is claimed by exactly one worker). A worker
/// stopped by a graceful shutdown puts its job back in the queue; one that dies stops sending heartbeats and
/// its job is taken over after `jobStaleSeconds`, up to `jobMaxAttempts` attempts.
public struct JobWorker: Service {
    package let env: ServerEnvironment
    public let name: String
    package let pollInterval: Duration

    public init(env: ServerEnvironment, name: String, pollInterval: Duration = .milliseconds(300)) {
        self.env = env; self.name = name; self.pollInterval = pollInterval
    }

    public func run() async throws {
        await PollLoop.run(logger: env.logger, failure: "job worker error", metadata: ["worker": "\(name)"]) {
            try await runOnce() == nil ? pollInterval : .zero
        }
    }

    /// Claims and processes one job; nil when the queue was empty.
    @discardableResult
    public func runOnce() async throws -> Job? {
        let stale = WallClock.nowMillis() - Int64(env.configuration.jobs.staleSeconds * 1000)
        guard let job = try await env.store.claimJob(worker: name, staleBefore: stale) else { return nil }
        env.logger.info("job started", metadata: ["job": "\(job.id)", "attempt": "\(job.attempts)", "worker": "\(name)"])
        await env.publishJob(job)
        // Reads and passes left by an interrupted attempt are replaced, never duplicated.
        await env.deleteMedia(of: try await env.store.deleteReads(jobID: job.id, tenantID: job.tenantID))
        await env.deleteMedia(of: try await env.store.deletePasses(jobID: job.id, tenantID: job.tenantID))
        var reads = 0
        do {
            reads = try await process(job)
            _ = try await env.store.finishJob(id: job.id, worker: name, status: .done, error: nil, reads: reads)
            try await env.store.addUsage(tenantID: job.tenantID, reads: reads)
        } catch is CancellationError {
            try await env.store.returnJob(id: job.id, worker: name)
            env.logger.info("job returned to the queue at shutdown", metadata: ["job": "\(job.id)"])
            throw CancellationError()
        } catch JobError.lostClaim {
            env.logger.warning("job taken over by another worker", metadata: ["job": "\(job.id)"])
            return job
        } catch {
            let message =
                switch error {
                case let e as RecognitionError: e.message
                case let e as VisionError: e.message
                case let e as JobError: e.message
                default: "processing failed"
                }
            env.logger.error("job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            _ = try await env.store.finishJob(id: job.id, worker: name, status: .failed, error: message, reads: reads)
        }
        if let done = try await env.store.job(tenantID: job.tenantID, id: job.id) {
            await env.publishJob(done)
            if let url = job.webhookURL { notify(url: url, job: done) }
        }
        return job
    }

    package enum JobError: Error {
        case lostClaim
        case input(String)
        var message: String {
            switch self {
            case .lostClaim: "job taken over"
            case .input(let m): m
            }
        }
    }

    private func process(_ job: Job) async throws -> Int {
        guard let tenant = try await env.store.tenant(job.tenantID) else { throw JobError.input("tenant gone") }
        var camera: Camera?
        if let id = job.cameraID { camera = try await env.store.camera(tenantID: tenant.id, id: id) }
        switch job.kind {
        case .image:
            guard let data = try await env.media.get(job.mediaKey) else { throw JobError.input("uploaded file missing") }
            let bytes = [UInt8](data)
            let mix = await env.countryMixes.mix(tenant: tenant.id, camera: job.cameraID)
            let result = try await env.recognizer.recognise(bytes, country: job.country, withCrops: true, mix: mix)
            env.metrics.recognised(result)
            let ext = (job.filename as NSString).pathExtension.lowercased()
            let stored = try await env.storeReads(
                result, frame: { (bytes, ext.isEmpty ? "jpg" : ext) }, tenant: tenant,
                camera: camera, jobID: job.id, frameMillis: nil, capturedAt: job.recordedAt ?? job.createdAt)
            return stored.count
        case .video:
            return try await processVideo(job, tenant: tenant, camera: camera)
        }
    }

    /// Tracks plates through the video and stores one pass per vehicle (best crop and frame in the media
    /// store) with its reads linked to it. Usage counts one plate read per pass.
    private func processVideo(_ job: Job, tenant: Tenant, camera: Camera?) async throws -> Int {
        var temporary: URL?
        defer { if let t = temporary { try? FileManager.default.removeItem(at: t) } }
        let path: String
        if let local = env.media as? LocalMediaStore {
            path = try local.path(job.mediaKey)
        } else {
            guard let data = try await env.media.get(job.mediaKey) else { throw JobError.input("uploaded file missing") }
            let ext = (job.filename as NSString).pathExtension
            let t = FileManager.default.temporaryDirectory.appendingPathComponent("microanpr-\(job.id).\(ext.isEmpty ? "mp4" : ext)")
            try data.write(to: t)
            temporary = t
            path = t.path
        }
        var options = VideoOptions()
        options.stride = max(1, env.configuration.recognition.videoStride)
        options.idleStride = options.stride * 4
        options.maxSeconds = env.configuration.recognition.maxVideoSeconds
        options.country = job.country
        options.countryMix = await env.countryMixes.mix(tenant: tenant.id, camera: job.cameraID)
        let store = env.store, name = self.name, id = job.id
        let clock = ProgressClock()
        let result = try await env.recognizer.recogniseVideo(path: path, options: options) { done, total in
            guard clock.due() else { return }
            let progress = total > 0 ? min(99, done * 100 / total) : 0
            guard
                try await store.updateJob(
                    id: id, worker: name, progress: progress, framesDone: done,
                    framesTotal: max(total, done), reads: 0)
            else { throw JobError.lostClaim }
            // A job.updated event every 10 percent.
            if clock.step(progress / 10), let j = try await store.job(tenantID: job.tenantID, id: id) { await env.publishJob(j) }
        }
        if result.framesDecoded == 0 { throw JobError.input("the video has no decodable frames") }
        try await env.storePasses(
            result.passes, tenant: tenant, camera: camera, jobID: job.id, origin: job.recordedAt ?? job.createdAt)
        _ = try await env.store.updateJob(
            id: job.id, worker: name, progress: 99, framesDone: result.framesDecoded,
            framesTotal: result.framesDecoded, reads: result.passes.count)
        return result.passes.count
    }

    private func notify(url: String, job: Job) {
        struct Payload: Encodable { var event: String; var timestamp: String; var data: JobJSON }
        let payload = Payload(event: "job.updated", timestamp: JSONTime.string(WallClock.nowMillis()) ?? "", data: JobJSON(job))
        guard let body = try? JSONEncoder().encode(payload) else { return }
        let derived = env.signer.webhookSecret(tenantID: job.tenantID)
        let store = env.store
        let policy = env.webhookPolicy
        let logger = env.logger
        Task {
            // The tenant's own random secret once it made one; until then the one derived from the server's.
            let secret = ((try? await store.jobWebhookSecret(tenantID: job.tenantID)) ?? nil) ?? derived
            let status = await WebhookTarget.deliver(url: url, body: body, secret: secret, policy: policy)
            logger.info("job webhook", metadata: ["job": "\(job.id)", "status": "\(status)"])
        }
    }
}

/// Throttles progress updates (and heartbeats) to two a second.
package final class ProgressClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = DispatchTime(uptimeNanoseconds: 0)
    private var lastStep = 0
    /// True when `step` is past the last one seen.
    package func step(_ step: Int) -> Bool {
        lock.withLock {
            guard step > lastStep else { return false }
            lastStep = step
            return true
        }
    }
    package func due() -> Bool {
        lock.withLock {
            let now = DispatchTime.now()
            guard now.uptimeNanoseconds - last.uptimeNanoseconds > 500_000_000 else { return false }
            last = now
            return true
        }
    }
}
