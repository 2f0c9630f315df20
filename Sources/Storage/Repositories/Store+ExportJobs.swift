import Foundation

/// A background export: a dataset written to a file by a worker, with progress, downloaded when done.
public struct ExportJob: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case queued, running, done, failed }
    public var id: ID<ExportJob>
    public var tenantID: ID<Tenant>
    /// reads, passes, sessions, members or alerts.
    public var dataset: String
    /// csv, xlsx or jsonl.
    public var format: String
    /// The filters, as the query string of `GET /v1/exports/{dataset}`.
    public var query: String
    public var status: Status
    public var progress: Int
    public var rowsDone: Int
    public var rowsTotal: Int?
    public var bytes: Int?
    public var error: String?
    public var worker: String?
    public var attempts: Int
    /// Who asked for it (the audit actor).
    public var createdBy: String?
    public var createdAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
    /// When the file is deleted.
    public var expiresAt: Int64?

    public init(
        id: ID<ExportJob>, tenantID: ID<Tenant>, dataset: String, format: String, query: String, status: Status = .queued,
        progress: Int = 0, rowsDone: Int = 0, rowsTotal: Int? = nil, bytes: Int? = nil, error: String? = nil,
        worker: String? = nil, attempts: Int = 0, createdBy: String?, createdAt: Int64, startedAt: Int64? = nil,
        finishedAt: Int64? = nil, expiresAt: Int64? = nil
    ) {
        self.id = id; self.tenantID = tenantID; self.dataset = dataset; self.format = format; self.query = query
        self.status = status; self.progress = progress; self.rowsDone = rowsDone; self.rowsTotal = rowsTotal
        self.bytes = bytes; self.error = error; self.worker = worker; self.attempts = attempts; self.createdBy = createdBy
        self.createdAt = createdAt; self.startedAt = startedAt; self.finishedAt = finishedAt; self.expiresAt = expiresAt
    }
}

extension Store {
    /// Attempts after which an export interrupted by dying workers is failed.
    static let exportMaxAttempts = 3

    public func insertExportJob(_ e: ExportJob) async throws {
        try await db.query(
            """
            INSERT INTO export_jobs (id, tenant_id, dataset, format, query, status, progress, rows_done, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, e.id, e.tenantID, e.dataset, e.format, e.query, e.status.rawValue, e.progress, e.rowsDone, e.createdBy, e.createdAt)
    }

    public func exportJob(tenantID: ID<Tenant>, id: ID<ExportJob>) async throws -> ExportJob? {
        try await db.first("SELECT * FROM export_jobs WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.exportJob)
    }

    /// A tenant's exports, newest first.
    public func exportJobs(tenantID: ID<Tenant>, limit: Int = 50) async throws -> [ExportJob] {
        try await db.query(
            "SELECT * FROM export_jobs WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            tenantID, max(1, min(limit, 500))
        ).map(Self.exportJob)
    }

    /// Takes the oldest queued export, or one whose worker stopped sending heartbeats before `staleBefore`; exports
    /// interrupted too often are failed instead. On PostgreSQL concurrent workers never take the same one.
    public func claimExportJob(worker: String, staleBefore: Int64) async throws -> ExportJob? {
        try await claim(.exportJobs, worker: worker, staleBefore: staleBefore).map(Self.exportJob)
    }

    /// Records progress (and a heartbeat) of an export still held by `worker`; false when it was taken over or deleted.
    public func updateExportJob(id: ID<ExportJob>, worker: String, rowsDone: Int, rowsTotal: Int, progress: Int) async throws -> Bool {
        try await !db.query(
            """
            UPDATE export_jobs SET rows_done = ?, rows_total = ?, progress = ?, heartbeat_at = ?
            WHERE id = ? AND worker = ? AND status = 'running' RETURNING id
            """, rowsDone, rowsTotal, progress, WallClock.nowMillis(), id, worker
        ).isEmpty
    }

    /// Ends an export held by `worker`: done (with its size and expiry) or failed.
    public func finishExportJob(
        id: ID<ExportJob>, worker: String, status: ExportJob.Status, rowsDone: Int, bytes: Int?,
        error: String?, expiresAt: Int64?
    ) async throws -> Bool {
        try await !db.query(
            """
            UPDATE export_jobs SET status = ?, rows_done = ?, bytes = ?, error = ?, expires_at = ?, finished_at = ?, heartbeat_at = ?,
              progress = CASE WHEN ? = 'done' THEN 100 ELSE progress END
            WHERE id = ? AND worker = ? AND status = 'running' RETURNING id
            """, status.rawValue, rowsDone, bytes, error, expiresAt, WallClock.nowMillis(), WallClock.nowMillis(), status.rawValue,
            id, worker
        ).isEmpty
    }

    /// Puts an export back in the queue at a graceful shutdown, without counting the attempt.
    public func returnExportJob(id: ID<ExportJob>, worker: String) async throws {
        try await giveBack(.exportJobs, id: id, worker: worker)
    }

    /// Deletes one export (its file is the caller's); false when the tenant has no such export.
    public func deleteExportJob(tenantID: ID<Tenant>, id: ID<ExportJob>) async throws -> Bool {
        try await !db.query("DELETE FROM export_jobs WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
    }

    /// Deletes finished exports whose file expired before `before`, and failed ones that ended before `failedBefore`;
    /// returns them.
    public func deleteExpiredExportJobs(before: Int64, failedBefore: Int64, limit: Int = 500) async throws -> [ExportJob] {
        try await db.transaction { tx in
            let rows = try await tx.query(
                """
                SELECT * FROM export_jobs WHERE (status = 'done' AND expires_at < ?) OR (status = 'failed' AND finished_at < ?) LIMIT ?
                """, before, failedBefore, limit
            ).map(Self.exportJob)
            for e in rows { try await tx.query("DELETE FROM export_jobs WHERE id = ?", e.id) }
            return rows
        }
    }

    static func exportJob(_ r: SQLRow) -> ExportJob {
        ExportJob(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), dataset: r.string("dataset"), format: r.string("format"),
            query: r.string("query"), status: ExportJob.Status(rawValue: r.string("status")) ?? .failed,
            progress: r.int("progress") ?? 0, rowsDone: r.int("rows_done") ?? 0, rowsTotal: r.int("rows_total"),
            bytes: r.int("bytes"), error: r.text("error"), worker: r.text("worker"), attempts: r.int("attempts") ?? 0,
            createdBy: r.text("created_by"), createdAt: Int64(r.int("created_at") ?? 0),
            startedAt: r.int("started_at").map(Int64.init), finishedAt: r.int("finished_at").map(Int64.init),
            expiresAt: r.int("expires_at").map(Int64.init))
    }
}
