import Foundation

/// A table of work rows that workers claim and keep alive with heartbeats (upload jobs, export jobs): one claim,
/// takeover and give-back policy for both.
struct WorkQueue: Sendable {
    /// The table (a constant of this module, never user input).
    let table: String
    /// The status of a row a worker holds (`processing`, `running`).
    let running: String
    /// SQL for how many attempts a row gets: a column or a number.
    let maxAttempts: String
    /// SQL assignments made when a row is taken, with one `?` for the time of the claim (its start time; progress
    /// to reset).
    let onClaim: String

    static let jobs = WorkQueue(
        table: "jobs", running: "processing", maxAttempts: "max_attempts",
        onClaim: "started_at = COALESCE(started_at, ?)")
    static let exportJobs = WorkQueue(
        table: "export_jobs", running: "running", maxAttempts: "\(Store.exportMaxAttempts)",
        onClaim: "started_at = ?, progress = 0, rows_done = 0")
}

extension Store {
    /// Takes the oldest queued row of `queue`, or one whose worker stopped sending heartbeats before
    /// `staleBefore`, for `worker`. On PostgreSQL concurrent workers never take the same row
    /// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer. Rows interrupted their maximum number of times are
    /// failed instead.
    func claim(_ queue: WorkQueue, worker: String, staleBefore: Int64) async throws -> SQLRow? {
        let now = WallClock.nowMillis()
        let (table, running, max) = (queue.table, queue.running, queue.maxAttempts)
        try await db.query(
            """
            UPDATE \(table) SET status = 'failed', finished_at = ?, error = 'interrupted ' || attempts || ' times; not retried'
            WHERE status = '\(running)' AND heartbeat_at < ? AND attempts >= \(max)
            """, now, staleBefore)
        let lock = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await db.first(
            """
            UPDATE \(table) SET status = '\(running)', worker = ?, attempts = attempts + 1, heartbeat_at = ?, \(queue.onClaim),
              error = NULL
            WHERE id = (SELECT id FROM \(table)
                        WHERE status = 'queued' OR (status = '\(running)' AND heartbeat_at < ? AND attempts < \(max))
                        ORDER BY created_at, id LIMIT 1\(lock))
            RETURNING *
            """, worker, now, now, staleBefore)
    }

    /// Puts a row of `queue` held by `worker` back in the queue at a graceful shutdown, without counting the attempt.
    func giveBack(_ queue: WorkQueue, id: String, worker: String) async throws {
        try await db.query(
            """
            UPDATE \(queue.table) SET status = 'queued', worker = NULL, attempts = attempts - 1
            WHERE id = ? AND worker = ? AND status = '\(queue.running)'
            """, id, worker)
    }
}
