import Foundation

/// Who holds a row of work and when it last said it was alive: one lease rule for upload jobs, export jobs, webhook
/// deliveries and live cameras. A holder renews its lease with heartbeats; a row whose holder went silent before
/// `staleBefore` (a crash, a lost network) is free to take over, so no work stays stuck with a dead process and
/// none is done twice while its holder lives. Taking, renewing and releasing are the same statements for every
/// table; what differs is only which rows are waiting (``WorkQueue`` for the jobs' status-driven queues).
struct Lease: Sendable {
    /// The table and its columns (constants of this module, never user input).
    let table: String
    let holder: String
    let heartbeat: String

    static let jobs = Lease(table: "jobs", holder: "worker", heartbeat: "heartbeat_at")
    static let exportJobs = Lease(table: "export_jobs", holder: "worker", heartbeat: "heartbeat_at")
    static let deliveries = Lease(table: "webhook_deliveries", holder: "worker", heartbeat: "heartbeat_at")
    static let cameras = Lease(table: "cameras", holder: "runner", heartbeat: "runner_heartbeat")

    /// SQL: nobody holds the row, or its holder's last heartbeat is before the `?` (staleBefore).
    var isFree: String { "(\(holder) IS NULL OR \(heartbeat) < ?)" }
    /// SQL assignments taking the row: `?` holder, `?` now.
    var take: String { "\(holder) = ?, \(heartbeat) = ?" }
}

/// A table of work rows that workers claim and keep alive with heartbeats (upload jobs, export jobs): one claim,
/// takeover and give-back policy for both, on the ``Lease`` rule.
struct WorkQueue: Sendable {
    let lease: Lease
    var table: String { lease.table }
    /// The status of a row a worker holds (`processing`, `running`).
    let running: String
    /// SQL for how many attempts a row gets: a column or a number.
    let maxAttempts: String
    /// SQL assignments made when a row is taken, with one `?` for the time of the claim (its start time; progress
    /// to reset).
    let onClaim: String

    static let jobs = WorkQueue(
        lease: .jobs, running: "processing", maxAttempts: "max_attempts",
        onClaim: "started_at = COALESCE(started_at, ?)")
    static let exportJobs = WorkQueue(
        lease: .exportJobs, running: "running", maxAttempts: "\(Store.exportMaxAttempts)",
        onClaim: "started_at = ?, progress = 0, rows_done = 0")
}

extension Store {
    /// Takes the oldest queued row of `queue`, or one whose worker stopped sending heartbeats before
    /// `staleBefore`, for `worker`. On PostgreSQL concurrent workers never take the same row
    /// (`FOR UPDATE SKIP LOCKED`); SQLite has one writer. Rows interrupted their maximum number of times are
    /// failed instead.
    func claim(_ queue: WorkQueue, worker: String, staleBefore: Int64) async throws -> SQLRow? {
        let now = WallClock.nowMillis()
        let (table, running, max, lease) = (queue.table, queue.running, queue.maxAttempts, queue.lease)
        try await db.query(
            """
            UPDATE \(table) SET status = 'failed', finished_at = ?, error = 'interrupted ' || attempts || ' times; not retried'
            WHERE status = '\(running)' AND \(lease.heartbeat) < ? AND attempts >= \(max)
            """, now, staleBefore)
        let lock = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        // A running row always has a holder, so `isFree` is its heartbeat going stale.
        return try await db.first(
            """
            UPDATE \(table) SET status = '\(running)', \(lease.take), attempts = attempts + 1, \(queue.onClaim), error = NULL
            WHERE id = (SELECT id FROM \(table)
                        WHERE status = 'queued' OR (status = '\(running)' AND \(lease.isFree) AND attempts < \(max))
                        ORDER BY created_at, id LIMIT 1\(lock))
            RETURNING *
            """, worker, now, now, staleBefore)
    }

    /// Puts a row of `queue` held by `worker` back in the queue at a graceful shutdown, without counting the attempt.
    func giveBack<Entity>(_ queue: WorkQueue, id: ID<Entity>, worker: String) async throws {
        try await db.query(
            """
            UPDATE \(queue.table) SET status = 'queued', \(queue.lease.holder) = NULL, attempts = attempts - 1
            WHERE id = ? AND \(queue.lease.holder) = ? AND status = '\(queue.running)'
            """, id, worker)
    }

    /// Takes row `id` of `lease`'s table for `holder` (or keeps it: the holder's own lease is renewed) unless another
    /// holder's lease is alive; returns whether `holder` has it.
    func takeLease<Entity>(_ lease: Lease, id: ID<Entity>, holder: String, staleBefore: Int64) async throws -> Bool {
        try await !db.query(
            """
            UPDATE \(lease.table) SET \(lease.take)
            WHERE id = ? AND (\(lease.holder) = ? OR \(lease.isFree)) RETURNING id
            """, holder, WallClock.nowMillis(), id, holder, staleBefore
        ).isEmpty
    }

    /// A heartbeat of `holder` on row `id` (with `assignments` made at once); false when the lease was lost.
    func renewLease<Entity>(
        _ lease: Lease, id: ID<Entity>, holder: String, assignments: String = "", _ arguments: [SQLValue] = []
    ) async throws -> Bool {
        let extra = assignments.isEmpty ? "" : ", " + assignments
        return try await !db.query(
            "UPDATE \(lease.table) SET \(lease.heartbeat) = ?\(extra) WHERE id = ? AND \(lease.holder) = ? RETURNING id",
            [.int(WallClock.nowMillis())] + arguments + [id.sqlValue, .text(holder)]
        ).isEmpty
    }

    /// Gives row `id` up at once (a graceful shutdown), when `holder` still has it.
    func releaseLease<Entity>(_ lease: Lease, id: ID<Entity>, holder: String) async throws {
        try await db.query("UPDATE \(lease.table) SET \(lease.holder) = NULL WHERE id = ? AND \(lease.holder) = ?", id, holder)
    }
}
