import Foundation

extension Store {
    public func insertJob(_ j: Job) async throws {
        try await db.query(
            """
            INSERT INTO jobs (id, tenant_id, status, progress, kind, filename, media_key, camera_id, country, webhook_url,
              attempts, max_attempts, frames_total, frames_done, reads_count, created_at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, j.id, j.tenantID, j.status.rawValue, j.progress, j.kind.rawValue, j.filename, j.mediaKey, j.cameraID,
            j.country, j.webhookURL, j.attempts, j.maxAttempts, j.framesTotal, j.framesDone, j.readsCount, j.createdAt,
            j.recordedAt)
    }

    public func job(tenantID: ID<Tenant>, id: ID<Job>) async throws -> Job? {
        try await db.first("SELECT * FROM jobs WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.job)
    }

    public func jobs(tenantID: ID<Tenant>, limit: Int = 50) async throws -> [Job] {
        try await db.query(
            "SELECT * FROM jobs WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            tenantID, max(1, min(limit, 500))
        ).map(Self.job)
    }

    /// Takes the oldest queued job, or one whose worker stopped sending heartbeats before `staleBefore`, for
    /// `worker` (see ``claim(_:worker:staleBefore:)``); jobs interrupted `max_attempts` times are failed instead.
    public func claimJob(worker: String, staleBefore: Int64) async throws -> Job? {
        try await claim(.jobs, worker: worker, staleBefore: staleBefore).map(Self.job)
    }

    /// Records progress (and a heartbeat) of a job still held by `worker`; false when the job was taken over.
    public func updateJob(
        id: ID<Job>, worker: String, progress: Int, framesDone: Int, framesTotal: Int,
        reads: Int
    ) async throws -> Bool {
        try await !db.query(
            """
            UPDATE jobs SET progress = ?, frames_done = ?, frames_total = ?, reads_count = ?, heartbeat_at = ?
            WHERE id = ? AND worker = ? AND status = 'processing' RETURNING id
            """, progress, framesDone, framesTotal, reads, WallClock.nowMillis(), id, worker
        ).isEmpty
    }

    /// Ends a job held by `worker` as done or failed.
    public func finishJob(id: ID<Job>, worker: String, status: Job.Status, error: String?, reads: Int) async throws -> Bool {
        try await !db.query(
            """
            UPDATE jobs SET status = ?, error = ?, reads_count = ?, progress = CASE WHEN ? = 'done' THEN 100 ELSE progress END,
              finished_at = ?, heartbeat_at = ?
            WHERE id = ? AND worker = ? AND status = 'processing' RETURNING id
            """, status.rawValue, error, reads, status.rawValue, WallClock.nowMillis(), WallClock.nowMillis(), id, worker
        ).isEmpty
    }

    /// Puts a job back in the queue at a graceful shutdown, without counting the attempt.
    public func returnJob(id: ID<Job>, worker: String) async throws {
        try await giveBack(.jobs, id: id, worker: worker)
    }

    /// Puts every job left `processing` back in the queue (SQLite has a single server process, so at its start
    /// any such job was interrupted).
    @discardableResult
    public func requeueInterruptedJobs() async throws -> Int {
        try await db.query("UPDATE jobs SET status = 'queued' WHERE status = 'processing' AND attempts < max_attempts RETURNING id").count
    }

    /// Finished jobs of a tenant created before `before` (their upload media can go).
    public func deleteFinishedJobs(tenantID: ID<Tenant>, createdBefore before: Int64, limit: Int = 500) async throws -> [Job] {
        try await db.transaction { tx in
            let rows = try await tx.query(
                "SELECT * FROM jobs WHERE tenant_id = ? AND created_at < ? AND status IN ('done', 'failed') LIMIT ?",
                tenantID, before, limit
            ).map(Self.job)
            for j in rows { try await tx.query("DELETE FROM jobs WHERE tenant_id = ? AND id = ?", tenantID, j.id) }
            return rows
        }
    }

    static func job(_ r: SQLRow) -> Job {
        Job(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), status: Job.Status(rawValue: r.string("status")) ?? .failed,
            progress: r.int("progress") ?? 0, kind: Job.Kind(rawValue: r.string("kind")) ?? .image,
            filename: r.string("filename"), mediaKey: r.string("media_key"), cameraID: r.text("camera_id").map { ID($0) },
            country: r.text("country"), webhookURL: r.text("webhook_url"), attempts: r.int("attempts") ?? 0,
            maxAttempts: r.int("max_attempts") ?? 3, worker: r.text("worker"), framesTotal: r.int("frames_total") ?? 0,
            framesDone: r.int("frames_done") ?? 0, readsCount: r.int("reads_count") ?? 0, error: r.text("error"),
            createdAt: Int64(r.int("created_at") ?? 0), startedAt: r.int("started_at").map(Int64.init),
            finishedAt: r.int("finished_at").map(Int64.init), recordedAt: r.int("recorded_at").map(Int64.init))
    }
}
