import Foundation

/// One named schema change. `{C}` in the SQL becomes `COLLATE "C"` on PostgreSQL (byte order, so that plate
/// prefix ranges use the index), nothing on SQLite (already byte order); `{SERIAL}` an increasing integer key.
public struct Migration: Sendable {
    public var name: String
    public var statements: [String]
    /// Statements for one engine only, run after `statements` (schema changes SQLite can only make by rebuilding
    /// a table).
    public var sqlite: [String] = []
    public var postgres: [String] = []

    func statements(for dialect: SQLDialect) -> [String] {
        statements + (dialect == .postgres ? postgres : sqlite)
    }
}

/// The named migrations, applied in order by `microanpr migrate` and checked by `serve` at start.
public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            name: "0001_tenants_keys_cameras",
            statements: [
                """
                CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, plan TEXT NOT NULL,
                  retention_days BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  name TEXT NOT NULL, prefix TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL,
                  revoked_at BIGINT, last_used_at BIGINT)
                """,
                "CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at)",
                """
                CREATE TABLE cameras (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  name TEXT NOT NULL, site TEXT NOT NULL, direction TEXT NOT NULL, country TEXT,
                  created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX cameras_tenant ON cameras (tenant_id, created_at)",
                "CREATE TABLE server_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE usage (tenant_id TEXT NOT NULL REFERENCES tenants(id), month TEXT NOT NULL,
                  plate_reads BIGINT NOT NULL, PRIMARY KEY (tenant_id, month))
                """,
            ]),
        Migration(
            name: "0002_reads_jobs",
            statements: [
                """
                CREATE TABLE jobs (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  status TEXT NOT NULL, progress BIGINT NOT NULL, kind TEXT NOT NULL, filename TEXT NOT NULL,
                  media_key TEXT NOT NULL, camera_id TEXT, country TEXT, webhook_url TEXT,
                  attempts BIGINT NOT NULL, max_attempts BIGINT NOT NULL, worker TEXT, heartbeat_at BIGINT,
                  frames_total BIGINT NOT NULL, frames_done BIGINT NOT NULL, reads_count BIGINT NOT NULL,
                  error TEXT, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT)
                """,
                "CREATE INDEX jobs_queue ON jobs (status, created_at)",
                "CREATE INDEX jobs_tenant ON jobs (tenant_id, created_at)",
                """
                CREATE TABLE reads (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  plate TEXT {C} NOT NULL, display TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL,
                  format TEXT NOT NULL, country TEXT, box_x DOUBLE PRECISION NOT NULL, box_y DOUBLE PRECISION NOT NULL,
                  box_w DOUBLE PRECISION NOT NULL, box_h DOUBLE PRECISION NOT NULL, camera_id TEXT, job_id TEXT,
                  frame_time_ms BIGINT, captured_at BIGINT NOT NULL, created_at BIGINT NOT NULL,
                  crop_key TEXT, frame_key TEXT)
                """,
                "CREATE INDEX reads_tenant_time ON reads (tenant_id, captured_at, id)",
                "CREATE INDEX reads_tenant_plate ON reads (tenant_id, plate, captured_at)",
                "CREATE INDEX reads_tenant_camera ON reads (tenant_id, camera_id, captured_at)",
                "CREATE INDEX reads_job ON reads (job_id)",
            ]),
        Migration(
            name: "0003_passes",
            statements: [
                """
                CREATE TABLE passes (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  plate TEXT {C} NOT NULL, display TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, format TEXT NOT NULL,
                  country TEXT, direction TEXT NOT NULL, movement TEXT NOT NULL, camera_id TEXT, job_id TEXT,
                  first_seen_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, first_seen_s DOUBLE PRECISION,
                  last_seen_s DOUBLE PRECISION, frames BIGINT NOT NULL, box_x DOUBLE PRECISION NOT NULL,
                  box_y DOUBLE PRECISION NOT NULL, box_w DOUBLE PRECISION NOT NULL, box_h DOUBLE PRECISION NOT NULL,
                  crop_key TEXT, frame_key TEXT, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX passes_tenant_time ON passes (tenant_id, first_seen_at, id)",
                "CREATE INDEX passes_tenant_plate ON passes (tenant_id, plate, first_seen_at)",
                "CREATE INDEX passes_job ON passes (job_id)",
                "ALTER TABLE reads ADD COLUMN pass_id TEXT",
                "CREATE INDEX reads_pass ON reads (pass_id)",
            ]),
        Migration(
            name: "0004_camera_sources",
            statements: [
                "ALTER TABLE cameras ADD COLUMN source_url TEXT",
                "ALTER TABLE cameras ADD COLUMN enabled BIGINT NOT NULL DEFAULT 1",
                "ALTER TABLE cameras ADD COLUMN runner TEXT",
                "ALTER TABLE cameras ADD COLUMN runner_heartbeat BIGINT",
                "ALTER TABLE cameras ADD COLUMN status TEXT",
            ]),
        Migration(
            name: "0005_pass_ingest",
            statements: [
                "ALTER TABLE passes ADD COLUMN idempotency_key TEXT",
                "CREATE UNIQUE INDEX passes_idempotency ON passes (tenant_id, idempotency_key)",
            ]),
        Migration(
            name: "0006_groups_lists_events_webhooks",
            statements: [
                "ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC'",
                "ALTER TABLE cameras ADD COLUMN unknown_access TEXT NOT NULL DEFAULT 'deny'",
                "ALTER TABLE reads ADD COLUMN decision TEXT",
                "ALTER TABLE passes ADD COLUMN decision TEXT",
                """
                CREATE TABLE groups (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  name TEXT NOT NULL, description TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX groups_tenant ON groups (tenant_id, created_at)",
                """
                CREATE TABLE members (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE, name TEXT NOT NULL, email TEXT NOT NULL,
                  permit_id TEXT NOT NULL, plate TEXT {C} NOT NULL, valid_from BIGINT, valid_to BIGINT, days TEXT,
                  hours TEXT, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX members_group ON members (tenant_id, group_id, created_at)",
                "CREATE INDEX members_plate ON members (tenant_id, plate)",
                """
                CREATE TABLE watchlists (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  name TEXT NOT NULL, reason TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE watchlist_entries (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  list_id TEXT NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE, plate TEXT {C} NOT NULL,
                  note TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX watchlist_entries_list ON watchlist_entries (tenant_id, list_id, created_at)",
                """
                CREATE TABLE alert_rules (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  kind TEXT NOT NULL, camera_id TEXT, site TEXT, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE alerts (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  kind TEXT NOT NULL, plate TEXT NOT NULL, message TEXT NOT NULL, read_id TEXT, pass_id TEXT,
                  camera_id TEXT, detail TEXT NOT NULL, created_at BIGINT NOT NULL, acknowledged_at BIGINT,
                  acknowledged_by TEXT)
                """,
                "CREATE INDEX alerts_tenant ON alerts (tenant_id, created_at, id)",
                """
                CREATE TABLE events (id {SERIAL}, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  type TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX events_tenant ON events (tenant_id, id)",
                """
                CREATE TABLE webhooks (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, enabled BIGINT NOT NULL,
                  consecutive_failures BIGINT NOT NULL, disabled_reason TEXT, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE, event_id BIGINT NOT NULL,
                  event_type TEXT NOT NULL, status TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL,
                  locked_until BIGINT, last_status BIGINT, last_error TEXT, last_response_ms BIGINT,
                  created_at BIGINT NOT NULL, delivered_at BIGINT)
                """,
                "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)",
                "CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (tenant_id, webhook_id, created_at)",
                """
                CREATE TABLE webhook_attempts (delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
                  attempt BIGINT NOT NULL, at BIGINT NOT NULL, status BIGINT, response_ms BIGINT NOT NULL, error TEXT,
                  PRIMARY KEY (delivery_id, attempt))
                """,
            ]),
        Migration(
            name: "0007_users_sessions_audit",
            statements: [
                """
                CREATE TABLE users (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT,
                  invite_hash TEXT UNIQUE, invite_expires_at BIGINT, failed_logins BIGINT NOT NULL DEFAULT 0,
                  locked_until BIGINT, created_at BIGINT NOT NULL, last_login_at BIGINT)
                """,
                "CREATE INDEX users_tenant ON users (tenant_id, created_at)",
                """
                CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  tenant_id TEXT NOT NULL, csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
                  last_seen_at BIGINT NOT NULL)
                """,
                "CREATE INDEX sessions_user ON sessions (user_id)",
                """
                CREATE TABLE audit_log (id {SERIAL}, tenant_id TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                  target TEXT, detail TEXT, ip TEXT, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX audit_tenant ON audit_log (tenant_id, id)",
            ]),
        Migration(
            name: "0008_parking",
            statements: [
                """
                CREATE TABLE tariffs (tenant_id TEXT NOT NULL REFERENCES tenants(id), site TEXT NOT NULL, definition TEXT NOT NULL,
                  updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, site))
                """,
                """
                CREATE TABLE parking_sessions (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), site TEXT NOT NULL,
                  plate TEXT {C} NOT NULL, status TEXT NOT NULL, entry_pass_id TEXT, exit_pass_id TEXT, entered_at BIGINT,
                  exited_at BIGINT, permit BIGINT NOT NULL DEFAULT 0, group_id TEXT, charge BIGINT, currency TEXT,
                  overstay_alerted BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX parking_open ON parking_sessions (tenant_id, site, plate, status)",
                "CREATE INDEX parking_status ON parking_sessions (status, entered_at)",
                "CREATE INDEX parking_time ON parking_sessions (tenant_id, created_at, id)",
                "CREATE INDEX passes_created ON passes (created_at, id)",
                """
                CREATE TABLE overstay_rules (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), site TEXT,
                  group_id TEXT, max_minutes BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
            ]),
        Migration(
            name: "0009_export_jobs",
            statements: [
                """
                CREATE TABLE export_jobs (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), dataset TEXT NOT NULL,
                  format TEXT NOT NULL, query TEXT NOT NULL, status TEXT NOT NULL, progress BIGINT NOT NULL DEFAULT 0,
                  rows_done BIGINT NOT NULL DEFAULT 0, rows_total BIGINT, bytes BIGINT, error TEXT, worker TEXT, heartbeat_at BIGINT,
                  attempts BIGINT NOT NULL DEFAULT 0, created_by TEXT, created_at BIGINT NOT NULL, started_at BIGINT,
                  finished_at BIGINT, expires_at BIGINT)
                """,
                "CREATE INDEX export_jobs_queue ON export_jobs (status, created_at)",
                "CREATE INDEX export_jobs_tenant ON export_jobs (tenant_id, created_at)",
            ]),
        // Operators' corrections of read plates: who, when, the old and new text. They change the read (search,
        // lists, exports) and become training data (`microanpr training-export`).
        Migration(
            name: "0010_read_corrections",
            statements: [
                """
                CREATE TABLE read_corrections (id {SERIAL}, tenant_id TEXT NOT NULL REFERENCES tenants(id), read_id TEXT NOT NULL,
                  old_plate TEXT NOT NULL, new_plate TEXT NOT NULL, actor TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX read_corrections_tenant ON read_corrections (tenant_id, id)",
                "CREATE INDEX read_corrections_read ON read_corrections (read_id)",
            ]),
        Migration(
            name: "0011_rules_version",
            statements: [
                // Bumped with every write to a tenant's access rules: the rules cache is keyed by it.
                "ALTER TABLE tenants ADD COLUMN rules_version BIGINT NOT NULL DEFAULT 0"
            ]),
        Migration(
            name: "0012_api_key_roles",
            statements: [
                // Least privilege for machines: keys made before this act as admin, as they did.
                "ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'"
            ]),
        Migration(
            name: "0013_job_webhook_secrets",
            statements: [
                // A random secret per tenant, made (and rotated) on request; NULL: the one derived from the server's.
                "ALTER TABLE tenants ADD COLUMN job_webhook_secret TEXT"
            ]),
        Migration(
            // An email is unique within a tenant, not across tenants: inviting an address another tenant uses
            // must not tell the inviter so (sign-in asks which organisation when one address has several).
            name: "0014_user_email_per_tenant",
            statements: [],
            sqlite: [
                // SQLite cannot drop a column's UNIQUE: the table is rebuilt. Dropping it cascades to sessions,
                // which are kept aside and put back.
                """
                CREATE TABLE users_rebuilt (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id),
                  email TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, password_hash TEXT,
                  invite_hash TEXT UNIQUE, invite_expires_at BIGINT, failed_logins BIGINT NOT NULL DEFAULT 0,
                  locked_until BIGINT, created_at BIGINT NOT NULL, last_login_at BIGINT, UNIQUE (tenant_id, email))
                """,
                """
                INSERT INTO users_rebuilt (id, tenant_id, email, name, role, password_hash, invite_hash, invite_expires_at,
                  failed_logins, locked_until, created_at, last_login_at)
                SELECT id, tenant_id, email, name, role, password_hash, invite_hash, invite_expires_at,
                  failed_logins, locked_until, created_at, last_login_at FROM users
                """,
                "CREATE TABLE sessions_kept AS SELECT * FROM sessions",
                "DROP TABLE users",
                "ALTER TABLE users_rebuilt RENAME TO users",
                "INSERT INTO sessions SELECT * FROM sessions_kept",
                "DROP TABLE sessions_kept",
                "CREATE INDEX users_tenant ON users (tenant_id, created_at)",
                "CREATE INDEX users_email ON users (email)",
            ],
            postgres: [
                "ALTER TABLE users DROP CONSTRAINT users_email_key",
                "ALTER TABLE users ADD CONSTRAINT users_tenant_email UNIQUE (tenant_id, email)",
                "CREATE INDEX users_email ON users (email)",
            ]),
        Migration(
            // Media files an erasure must still delete, written in the erasure's transaction (a crash between the
            // commit and the deletion leaves them here, and the sweeper finishes the job).
            name: "0015_media_deletions",
            statements: [
                "CREATE TABLE media_deletions (media_key TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, created_at BIGINT NOT NULL)"
            ]),
        Migration(
            // Per tenant, the age in hours after which reads of plates on no list and in no open parking session
            // have their plate replaced by a keyed hash (NULL: never).
            name: "0016_pseudonymise_after_hours",
            statements: ["ALTER TABLE tenants ADD COLUMN pseudonymise_after_hours BIGINT"]),
        Migration(
            // Indexes for tens of millions of reads (issue 24): each list filter has one that leads with the tenant,
            // matches the filter, then the list's order (time, id), so that a page is a short index range and no
            // sort; the plate index also covers the plate-prefix search (it reads ids from the index only).
            // Sessions are listed by their start (entry, else exit), which their time filter bounds.
            name: "0017_list_indexes",
            statements: [
                "DROP INDEX reads_tenant_plate",
                "CREATE INDEX reads_tenant_plate ON reads (tenant_id, plate, captured_at, id)",
                "DROP INDEX reads_tenant_camera",
                "CREATE INDEX reads_tenant_camera ON reads (tenant_id, camera_id, captured_at, id)",
                "DROP INDEX reads_job",
                "CREATE INDEX reads_tenant_job ON reads (tenant_id, job_id, captured_at, id)",
                // A two-character prefix matches too many plates for the plate index (each at its own times): these
                // give its newest reads in time order directly.
                "CREATE INDEX reads_tenant_prefix2 ON reads (tenant_id, (substr(plate, 1, 2)), captured_at, id)",
                "CREATE INDEX passes_tenant_prefix2 ON passes (tenant_id, (substr(plate, 1, 2)), first_seen_at, id)",
                "DROP INDEX passes_tenant_plate",
                "CREATE INDEX passes_tenant_plate ON passes (tenant_id, plate, first_seen_at, id)",
                "DROP INDEX passes_job",
                "CREATE INDEX passes_tenant_job ON passes (tenant_id, job_id, first_seen_at, id)",
                "CREATE INDEX passes_tenant_camera ON passes (tenant_id, camera_id, first_seen_at, id)",
                "DROP INDEX parking_time",
                "CREATE INDEX parking_start ON parking_sessions (tenant_id, (COALESCE(entered_at, exited_at)), id)",
                "CREATE INDEX parking_plate ON parking_sessions (tenant_id, plate, (COALESCE(entered_at, exited_at)), id)",
                // Retention deletes a tenant's events by age.
                "CREATE INDEX events_tenant_time ON events (tenant_id, created_at)",
            ]),
        Migration(
            // The overview's open alerts, newest first, without walking the acknowledged ones.
            name: "0018_open_alerts",
            statements: ["CREATE INDEX alerts_open ON alerts (tenant_id, created_at, id) WHERE acknowledged_at IS NULL"]),
        Migration(
            // Webhook deliveries are leased like jobs, export jobs and cameras (a holder and its heartbeat) instead of
            // until a time (`Lease` in Store+WorkQueue.swift). A lease taken before the upgrade is simply free again.
            name: "0019_delivery_leases",
            statements: [
                "ALTER TABLE webhook_deliveries ADD COLUMN worker TEXT",
                "ALTER TABLE webhook_deliveries ADD COLUMN heartbeat_at BIGINT",
                "ALTER TABLE webhook_deliveries DROP COLUMN locked_until",
            ]),
        Migration(
            // A four-character prefix (a UK plate's memory tag and age identifier, "AB12") matches a few hundred reads
            // of a large tenant, spread over many plates: through the plate index each search read and sorted all of
            // them, then looked up the newest 51 by id. These give them in time order, like the two-character ones.
            // PostgreSQL only (`Store.prefixIndexes`).
            name: "0020_prefix4_indexes",
            statements: [],
            postgres: [
                "CREATE INDEX reads_tenant_prefix4 ON reads (tenant_id, (substr(plate, 1, 4)), captured_at, id)",
                "CREATE INDEX passes_tenant_prefix4 ON passes (tenant_id, (substr(plate, 1, 4)), first_seen_at, id)",
            ]),
        Migration(
            // The parking summary reads a month of a tenant's sessions (166,000 in the scale benchmark): through
            // `parking_start` PostgreSQL chose to scan the whole table and filter it. With the columns the summary
            // reads kept in the index itself, the month is one index range read without visiting the table (an
            // index-only scan: the summary 240-270 -> 145-160 ms on 500,000 sessions); the sessions' time lists use it
            // as they used `parking_start`, which it replaces. Created before the old one is dropped, so that lists
            // keep an index while it is built. PostgreSQL only: SQLite has no INCLUDE, and its one writer would pay
            // for the wider keys on every session stored.
            name: "0021_parking_summary_index",
            statements: [],
            postgres: [
                """
                CREATE INDEX parking_start_covering ON parking_sessions (tenant_id, (COALESCE(entered_at, exited_at)), id)
                  INCLUDE (site, plate, entered_at, exited_at, status, permit)
                """,
                "DROP INDEX parking_start",
            ]),
        Migration(
            // Smaller list indexes (issue 24): a large tenant's lists stall when their indexes no longer fit in
            // memory beside the table (docs/scale.md, runs P3-P5), and the read's text id at the end of each key was
            // a third of every entry. The time, camera, job and prefix indexes now end with the time: PostgreSQL
            // orders reads of equal times by id in an incremental sort of those few rows (the plans in
            // docs/scale.md). The plate indexes keep the id: the ids-first prefix search reads it from them alone.
            // Job ids are unique, so the job index leads with the job and holds only reads of a job (the tenant is
            // still in every query's WHERE). Each is built under a temporary name, the old one dropped, and the new
            // one renamed to the old name, which the docs and the plans in them use. The migration holds the tables
            // locked until it commits (the service is stopped for upgrades). PostgreSQL only: SQLite appends its
            // rowid to every index anyway and is measured as it is (docs/scale.md).
            name: "0022_slim_list_indexes",
            statements: [],
            postgres: slimIndexes(table: "reads", time: "captured_at") + slimIndexes(table: "passes", time: "first_seen_at")),
        Migration(
            // When an upload was recorded (`recorded_at` on /v1/upload): footage uploaded after the fact is placed at
            // its own time, not the upload's. Null: the upload's time, as before.
            name: "0023_job_recorded_at",
            statements: ["ALTER TABLE jobs ADD COLUMN recorded_at BIGINT"]),
        Migration(
            // A one-character prefix ("plates starting with G") had no index of its own: it walked the tenant's time
            // index and read each row to test its plate, which suits a letter many plates start with and reads the
            // whole tenant for one few do, so the best plan depended on the letter and the page was planned on every
            // request. With these, every prefix length up to two and four is one index range in time order, and its
            // page keeps one prepared plan (docs/scale.md, session 46). Slim like 0022's: they end with the time.
            // Built in 5.5 s at a million reads (writes to the two tables wait meanwhile, reads do not).
            // PostgreSQL only (`Store.prefixIndexes`).
            name: "0024_prefix1_indexes",
            statements: [],
            postgres: [
                "CREATE INDEX reads_tenant_prefix1 ON reads (tenant_id, (substr(plate, 1, 1)), captured_at)",
                "CREATE INDEX passes_tenant_prefix1 ON passes (tenant_id, (substr(plate, 1, 1)), first_seen_at)",
            ]),
    ]

    /// The statements of `0022_slim_list_indexes` for one table.
    static func slimIndexes(table: String, time: String) -> [String] {
        let keys = [
            ("\(table)_tenant_time", "(tenant_id, \(time))"),
            ("\(table)_tenant_camera", "(tenant_id, camera_id, \(time))"),
            ("\(table)_tenant_prefix2", "(tenant_id, (substr(plate, 1, 2)), \(time))"),
            ("\(table)_tenant_prefix4", "(tenant_id, (substr(plate, 1, 4)), \(time))"),
        ]
        return keys.flatMap { name, key in
            [
                "CREATE INDEX \(name)_slim ON \(table) \(key)",
                "DROP INDEX \(name)",
                "ALTER INDEX \(name)_slim RENAME TO \(name)",
            ]
        } + [
            "CREATE INDEX \(table)_job ON \(table) (job_id, \(time)) WHERE job_id IS NOT NULL",
            "DROP INDEX \(table)_tenant_job",
        ]
    }

    static func sql(_ statement: String, _ dialect: SQLDialect) -> String {
        statement.replacingOccurrences(of: "{C}", with: dialect == .postgres ? "COLLATE \"C\"" : "")
            .replacingOccurrences(
                of: "{SERIAL}", with: dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT")
    }

    /// Applies every migration not yet applied (or those up to and including `last`, to test an upgrade), each in
    /// its own transaction. Returns the names applied.
    @discardableResult
    public static func apply(to db: any SQLDatabase, through last: String? = nil) async throws -> [String] {
        try await db.query("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        var applied: [String] = []
        let end = last.flatMap { l in all.firstIndex { $0.name == l } }.map { $0 + 1 } ?? all.count
        for m in all[..<end] {
            let done = try await db.transaction { tx -> Bool in
                // Serialise concurrent migrators on PostgreSQL.
                if tx.dialect == .postgres { try await tx.query("LOCK TABLE schema_migrations IN EXCLUSIVE MODE") }
                if try await tx.first("SELECT name FROM schema_migrations WHERE name = ?", m.name) != nil { return false }
                for s in m.statements(for: tx.dialect) { try await tx.query(sql(s, tx.dialect)) }
                try await tx.query("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", m.name, WallClock.nowMillis())
                return true
            }
            if done { applied.append(m.name) }
        }
        return applied
    }

    /// Names of migrations not yet applied (the server refuses to start while any are pending).
    public static func pending(in db: any SQLDatabase) async throws -> [String] {
        let rows: [SQLRow]
        do {
            rows = try await db.query("SELECT name FROM schema_migrations")
        } catch {
            return all.map(\.name)
        }
        let done = Set(rows.map { $0.string("name") })
        return all.map(\.name).filter { !done.contains($0) }
    }
}
