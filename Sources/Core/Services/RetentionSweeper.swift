import Foundation
import Logging
import Media
import Recognition
import ServiceLifecycle
import Storage
import Tracking
import Vision

/// Deletes reads (with their media) and finished jobs (with their uploads) older than each tenant's retention, and
/// pseudonymises the reads of tenants that asked for it (``PrivacyRequests/pseudonymise(tenant:now:)``).
public struct RetentionSweeper: Service {
    package let env: ServerEnvironment

    public init(env: ServerEnvironment) { self.env = env }

    public func run() async throws {
        let interval = Duration.seconds(env.configuration.retention.intervalSeconds)
        await PollLoop.run(logger: env.logger, failure: "retention sweep failed", errorDelay: interval) {
            let started = ContinuousClock.now
            let n = try await sweep(now: WallClock.nowMillis())
            if n > 0 {
                let seconds = (ContinuousClock.now - started) / .milliseconds(1) / 1000
                env.logger.info("retention sweep", metadata: ["deleted_reads": "\(n)", "seconds": "\(seconds)"])
            }
            return interval
        }
    }

    /// One pass over every tenant; returns the number of reads deleted.
    @discardableResult
    public func sweep(now: Int64) async throws -> Int {
        // Erasures interrupted between their transaction and their media deletion are finished first.
        await env.finishMediaDeletions()
        var deleted = 0
        // SQLite has one connection: a smaller batch keeps readers waiting less behind each (a batch of 500 reads
        // took about a second at ten million reads, with every index updated at random).
        let batchSize = env.store.db.dialect == .sqlite ? 100 : 500
        for tenant in try await env.store.tenants() {
            let cutoff = now - Int64(tenant.retentionDays) * 86_400_000
            deleted += try await inBatches(of: batchSize) {
                let batch = try await env.store.deleteReads(tenantID: tenant.id, capturedBefore: cutoff, limit: batchSize)
                await env.deleteMedia(of: batch)
                return batch.count
            }
            _ = try await inBatches(of: batchSize) {
                let passes = try await env.store.deletePasses(tenantID: tenant.id, lastSeenBefore: cutoff, limit: batchSize)
                await env.deleteMedia(of: passes)
                return passes.count
            }
            while true {
                let jobs = try await env.store.deleteFinishedJobs(tenantID: tenant.id, createdBefore: cutoff)
                for j in jobs { try? await env.media.delete(j.mediaKey) }
                if jobs.count < 500 { break }
            }
            // Events (with their finished deliveries) and alerts age out with the reads they describe.
            try await env.store.deleteEvents(tenantID: tenant.id, createdBefore: cutoff)
            let pseudonymised = try await env.privacy.pseudonymise(tenant: tenant, now: now)
            if pseudonymised > 0 {
                env.logger.info("pseudonymised reads", metadata: ["tenant": "\(tenant.id)", "reads": "\(pseudonymised)"])
            }
        }
        try await env.store.deleteExpiredSessions(now: now)
        // "Who looked" entries name plates: they are kept for their own period, not for ever.
        try await env.store.deleteAuditEntries(
            action: "privacy.lookup", before: now - Int64(env.configuration.retention.lookupAuditDays) * 86_400_000)
        return deleted
    }

    /// Runs `deleteBatch` until it deletes fewer than `size` rows, and returns how many it deleted. After each full
    /// batch it waits `retention.pausePercent` of the time the batch took: deleting a day of a large tenant is
    /// thousands of batches, each a burst of index updates and file deletions, and run back to back they took a core
    /// from the requests being served for the whole sweep (docs/scale.md, session 18).
    private func inBatches(of size: Int, _ deleteBatch: () async throws -> Int) async throws -> Int {
        let percent = env.configuration.retention.pausePercent
        var deleted = 0
        while true {
            try Task.checkCancellation()
            let started = ContinuousClock.now
            let n = try await deleteBatch()
            deleted += n
            if n < size { return deleted }
            if percent > 0 { try await Task.sleep(for: (ContinuousClock.now - started) * percent / 100) }
        }
    }
}
