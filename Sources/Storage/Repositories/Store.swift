import Foundation

/// The repository layer: every query of the product, written once for SQLite and PostgreSQL. Every method
/// that touches tenant data takes the tenant id and scopes its SQL by it.
public struct Store: Sendable {
    public let db: any SQLDatabase
    /// On SQLite, the number of a tenant's rows starting with a one-character plate prefix under which its pages are
    /// found in the plate index (sorting at most this many entries) rather than by walking the time index, which reads
    /// about 51 x (the tenant's rows / those that start with it) rows a page (`Store.page`, docs/scale.md).
    var fewRows = 1_000
    /// The one-character prefixes found to start at least `fewRows` rows, remembered for a few minutes.
    let commonPrefixes = CommonPrefixes()

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Opens the database at `url` and checks it answers.
    public static func open(url: String) async throws -> Store {
        let store = Store(try await DatabaseFactory.open(url: url))
        do {
            // A pool keeps retrying an unreachable server; give up on the first ping after 10 s.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.ping() }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw StorageError("database \(DatabaseFactory.redacted(url)) did not answer within 10 s")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await store.close()
            throw error as? StorageError ?? StorageError("cannot reach database \(DatabaseFactory.redacted(url)): \(error)")
        }
        return store
    }

    public func ping() async throws { try await db.query("SELECT 1 AS ok") }

    public func close() async { await db.close() }

    /// A server-wide setting, created with `make()` by the first process that asks (all processes on one
    /// database then agree on it).
    public func setting(_ name: String, orCreate make: @Sendable () -> String) async throws -> String {
        try await db.query("INSERT INTO server_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, make())
        guard let v = try await db.first("SELECT value FROM server_settings WHERE name = ?", name)?.text("value") else {
            throw StorageError("setting \(name) missing")
        }
        return v
    }

    // MARK: Tenants

    public func createTenant(name: String, plan: Plan, retentionDays: Int = 90) async throws -> Tenant {
        let t = Tenant(
            id: ID(Identifier.make("ten")), name: name, plan: plan, retentionDays: retentionDays,
            createdAt: WallClock.nowMillis())
        try await db.query(
            "INSERT INTO tenants (id, name, plan, retention_days, created_at) VALUES (?, ?, ?, ?, ?)",
            t.id, t.name, t.plan.rawValue, t.retentionDays, t.createdAt)
        return t
    }

    public func tenant(_ id: ID<Tenant>) async throws -> Tenant? {
        try await db.first("SELECT * FROM tenants WHERE id = ?", id).map { Self.tenant($0) }
    }

    public func tenants() async throws -> [Tenant] {
        try await db.query("SELECT * FROM tenants ORDER BY created_at").map { Self.tenant($0) }
    }

    public func updateTenant(_ id: ID<Tenant>, retentionDays: Int?, plan: Plan?, timeZone: String? = nil) async throws {
        // One statement: every change or none. The time zone is part of the access rules (permit days and
        // hours), so changing it moves the rules version on.
        try await db.query(
            """
            UPDATE tenants SET time_zone = COALESCE(?, time_zone), retention_days = COALESCE(?, retention_days),
              plan = COALESCE(?, plan), rules_version = rules_version + CASE WHEN CAST(? AS TEXT) IS NULL THEN 0 ELSE 1 END
            WHERE id = ?
            """,
            timeZone, retentionDays, plan?.rawValue, timeZone, id)
    }

    /// Turns pseudonymisation on (`hours`) or off (nil) for a tenant.
    public func setPseudonymiseAfterHours(_ id: ID<Tenant>, hours: Int?) async throws {
        try await db.query(
            "UPDATE tenants SET pseudonymise_after_hours = ? WHERE id = ?", hours.map { SQLValue.int(Int64($0)) } ?? .null, id)
    }

    /// A tenant from its columns, named `prefix` + the column's name (a join aliases them so).
    static func tenant(_ r: SQLRow, prefix p: String = "") -> Tenant {
        Tenant(
            id: ID(r.string(p + "id")), name: r.string(p + "name"), plan: Plan(rawValue: r.string(p + "plan")) ?? .starter,
            retentionDays: r.int(p + "retention_days") ?? 90, createdAt: Int64(r.int(p + "created_at") ?? 0),
            timeZone: r.text(p + "time_zone") ?? "UTC", pseudonymiseAfterHours: r.int(p + "pseudonymise_after_hours"))
    }

    /// The tenant's own job-webhook secret; nil until one was made.
    public func jobWebhookSecret(tenantID: ID<Tenant>) async throws -> String? {
        try await db.first("SELECT job_webhook_secret FROM tenants WHERE id = ?", tenantID)?.text("job_webhook_secret")
    }

    public func setJobWebhookSecret(tenantID: ID<Tenant>, secret: String) async throws {
        try await db.query("UPDATE tenants SET job_webhook_secret = ? WHERE id = ?", secret, tenantID)
    }

    // MARK: API keys

    public func createKey(tenantID: ID<Tenant>, name: String, prefix: String, hash: String, role: String = "admin") async throws -> APIKey {
        let k = APIKey(
            id: ID(Identifier.make("key")), tenantID: tenantID, name: name, prefix: prefix, role: role,
            createdAt: WallClock.nowMillis(), revokedAt: nil, lastUsedAt: nil)
        try await db.query(
            "INSERT INTO api_keys (id, tenant_id, name, prefix, hash, created_at, role) VALUES (?, ?, ?, ?, ?, ?, ?)",
            k.id, tenantID, name, prefix, hash, k.createdAt, role)
        return k
    }

    public func keys(tenantID: ID<Tenant>) async throws -> [APIKey] {
        try await db.query("SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map { Self.key($0) }
    }

    /// Whether the key is live (not revoked).
    public func isLiveKey(id: ID<APIKey>) async throws -> Bool {
        try await db.first("SELECT id FROM api_keys WHERE id = ? AND revoked_at IS NULL", id) != nil
    }

    /// Revokes a key of the tenant; false when it has no such live key.
    public func revokeKey(tenantID: ID<Tenant>, id: ID<APIKey>) async throws -> Bool {
        try await !db.query(
            "UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL RETURNING id",
            WallClock.nowMillis(), tenantID, id
        ).isEmpty
    }

    /// The live key with this hash, its stored hash (for a constant-time comparison by the caller) and its tenant,
    /// in one query: every request with a key makes it.
    public func liveKey(hash: String) async throws -> (key: APIKey, hash: String, tenant: Tenant)? {
        guard
            let r = try await db.first(
                """
                SELECT t.*, k.id AS key_id, k.tenant_id AS key_tenant_id, k.name AS key_name, k.prefix AS key_prefix,
                  k.role AS key_role, k.created_at AS key_created_at, k.revoked_at AS key_revoked_at,
                  k.last_used_at AS key_last_used_at, k.hash AS key_hash
                FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.hash = ? AND k.revoked_at IS NULL
                """, hash)
        else { return nil }
        return (Self.key(r, prefix: "key_"), r.string("key_hash"), Self.tenant(r))
    }

    /// A key from its columns, named `prefix` + the column's name (a join aliases them so).
    static func key(_ r: SQLRow, prefix p: String = "") -> APIKey {
        APIKey(
            id: ID(r.string(p + "id")), tenantID: ID(r.string(p + "tenant_id")), name: r.string(p + "name"), prefix: r.string(p + "prefix"),
            role: r.text(p + "role") ?? "admin", createdAt: Int64(r.int(p + "created_at") ?? 0),
            revokedAt: r.int(p + "revoked_at").map(Int64.init), lastUsedAt: r.int(p + "last_used_at").map(Int64.init))
    }

    // MARK: Cameras

    public func createCamera(
        tenantID: ID<Tenant>, name: String, site: String, direction: Camera.Direction,
        country: String?, sourceURL: String? = nil, enabled: Bool = true,
        unknownAccess: String = "deny"
    ) async throws -> Camera {
        let c = Camera(
            id: ID(Identifier.make("cam")), tenantID: tenantID, name: name, site: site, direction: direction,
            country: country, createdAt: WallClock.nowMillis(), sourceURL: sourceURL, enabled: enabled,
            unknownAccess: unknownAccess)
        try await db.query(
            """
            INSERT INTO cameras (id, tenant_id, name, site, direction, country, created_at, source_url, enabled, unknown_access)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, c.id, tenantID, name, site, direction.rawValue, country, c.createdAt, sourceURL, enabled ? 1 : 0, unknownAccess)
        return c
    }

    /// Enabled cameras with a live source, of every tenant (for the camera supervisor).
    public func liveCameras() async throws -> [Camera] {
        try await db.query("SELECT * FROM cameras WHERE source_url IS NOT NULL AND enabled = 1 ORDER BY created_at, id").map(Self.camera)
    }

    /// Takes (or keeps) the right to run a camera's source for `runner` (``Lease``); false while another live
    /// runner has it.
    public func claimCamera(id: ID<Camera>, runner: String, staleBefore: Int64) async throws -> Bool {
        try await takeLease(.cameras, id: id, holder: runner, staleBefore: staleBefore)
    }

    /// Records a running camera's status (JSON) with a heartbeat; false when the runner lost the camera.
    public func reportCamera(id: ID<Camera>, runner: String, status: String) async throws -> Bool {
        try await renewLease(.cameras, id: id, holder: runner, assignments: "status = ?", [.text(status)])
    }

    public func releaseCamera(id: ID<Camera>, runner: String) async throws {
        try await releaseLease(.cameras, id: id, holder: runner)
    }

    /// The last status a runner reported and when (epoch ms), for a tenant's camera.
    public func cameraStatus(tenantID: ID<Tenant>, id: ID<Camera>) async throws -> (status: String?, heartbeat: Int64?)? {
        guard let r = try await db.first("SELECT status, runner_heartbeat FROM cameras WHERE tenant_id = ? AND id = ?", tenantID, id)
        else { return nil }
        return (r.text("status"), r.int("runner_heartbeat").map(Int64.init))
    }

    public func cameras(tenantID: ID<Tenant>) async throws -> [Camera] {
        try await db.query("SELECT * FROM cameras WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map(Self.camera)
    }

    public func camera(tenantID: ID<Tenant>, id: ID<Camera>) async throws -> Camera? {
        try await db.first("SELECT * FROM cameras WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.camera)
    }

    public func updateCamera(_ c: Camera) async throws {
        try await db.query(
            """
            UPDATE cameras SET name = ?, site = ?, direction = ?, country = ?, source_url = ?, enabled = ?, unknown_access = ?
            WHERE tenant_id = ? AND id = ?
            """, c.name, c.site, c.direction.rawValue, c.country, c.sourceURL, c.enabled ? 1 : 0, c.unknownAccess, c.tenantID, c.id)
    }

    public func deleteCamera(tenantID: ID<Tenant>, id: ID<Camera>) async throws -> Bool {
        try await !db.query("DELETE FROM cameras WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
    }

    static func camera(_ r: SQLRow) -> Camera {
        Camera(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), name: r.string("name"), site: r.string("site"),
            direction: Camera.Direction(rawValue: r.string("direction")) ?? .both, country: r.text("country"),
            createdAt: Int64(r.int("created_at") ?? 0), sourceURL: r.text("source_url"), enabled: (r.int("enabled") ?? 1) != 0,
            unknownAccess: r.text("unknown_access") ?? "deny")
    }

    // MARK: Usage

    /// The month key (UTC, `YYYY-MM`) for a time in epoch milliseconds.
    public static func month(_ millis: Int64 = WallClock.nowMillis()) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(millis) / 1000))
        return String(format: "%04d-%02d", c.year ?? 1970, c.month ?? 1)
    }

    public func usage(tenantID: ID<Tenant>, month: String = Store.month()) async throws -> Int {
        try await db.first("SELECT plate_reads FROM usage WHERE tenant_id = ? AND month = ?", tenantID, month)?
            .int("plate_reads") ?? 0
    }

    public func addUsage(tenantID: ID<Tenant>, reads: Int, month: String = Store.month()) async throws {
        try await Self.addUsage(tenantID: tenantID, reads: reads, month: month, in: db)
    }

    /// Counts `reads` plate reads to the tenant's month in `db` (a transaction, when part of one).
    static func addUsage(tenantID: ID<Tenant>, reads: Int, month: String = Store.month(), in db: any SQLDatabase) async throws {
        guard reads > 0 else { return }
        try await db.query(
            """
            INSERT INTO usage (tenant_id, month, plate_reads) VALUES (?, ?, ?)
            ON CONFLICT (tenant_id, month) DO UPDATE SET plate_reads = usage.plate_reads + excluded.plate_reads
            """, tenantID, month, reads)
    }
}
