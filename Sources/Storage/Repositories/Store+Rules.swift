import Foundation

/// Permit groups and members, watch lists, alert rules and alerts; every query scoped by tenant.
///
/// Every write to what a tenant's access rules are built from (groups, members, watch lists and their entries,
/// alert rules, the tenant's time zone) bumps `tenants.rules_version` in the same transaction, so a cache keyed by
/// the version is right in every process as soon as the write commits.
extension Store {
    // MARK: Rules version

    /// The tenant's rules version: it changes with every write to its rules.
    public func rulesVersion(tenantID: ID<Tenant>) async throws -> Int64 {
        Int64(try await db.first("SELECT rules_version FROM tenants WHERE id = ?", tenantID)?.int("rules_version") ?? 0)
    }

    /// Runs `body` and bumps the tenant's rules version in one transaction.
    func changingRules<T: Sendable>(_ tenantID: ID<Tenant>, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.transaction { tx in
            let result = try await body(tx)
            try await Self.bumpRulesVersion(tx, tenantID: tenantID)
            return result
        }
    }

    static func bumpRulesVersion(_ tx: any SQLDatabase, tenantID: ID<Tenant>) async throws {
        try await tx.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = ?", tenantID)
    }

    // MARK: Groups

    public func createGroup(tenantID: ID<Tenant>, name: String, description: String) async throws -> Group {
        let g = Group(
            id: ID(Identifier.make("grp")), tenantID: tenantID, name: name, description: description, createdAt: WallClock.nowMillis())
        try await db.query(
            "INSERT INTO groups (id, tenant_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)",
            g.id, tenantID, name, description, g.createdAt)
        return g
    }

    public func groups(tenantID: ID<Tenant>) async throws -> [Group] {
        try await db.query("SELECT * FROM groups WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map(Self.group)
    }

    public func group(tenantID: ID<Tenant>, id: ID<Group>) async throws -> Group? {
        try await db.first("SELECT * FROM groups WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.group)
    }

    public func updateGroup(_ g: Group) async throws {
        try await changingRules(g.tenantID) { tx in
            try await tx.query(
                "UPDATE groups SET name = ?, description = ? WHERE tenant_id = ? AND id = ?", g.name, g.description, g.tenantID, g.id)
        }
    }

    public func deleteGroup(tenantID: ID<Tenant>, id: ID<Group>) async throws -> Bool {
        try await changingRules(tenantID) { tx in
            try await tx.query("DELETE FROM members WHERE tenant_id = ? AND group_id = ?", tenantID, id)
            return try await !tx.query("DELETE FROM groups WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
        }
    }

    static func group(_ r: SQLRow) -> Group {
        Group(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), name: r.string("name"), description: r.string("description"),
            createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Members

    /// Adds members in one transaction: all of them or none.
    public func addMembers(_ members: [Member]) async throws {
        guard !members.isEmpty else { return }
        try await db.transaction { tx in
            for tenantID in Set(members.map(\.tenantID)).sorted() { try await Self.bumpRulesVersion(tx, tenantID: tenantID) }
            for m in members {
                try await tx.query(
                    """
                    INSERT INTO members (id, tenant_id, group_id, name, email, permit_id, plate, valid_from, valid_to, days, hours, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, m.id, m.tenantID, m.groupID, m.name, m.email, m.permitID, m.plate, m.validFrom, m.validTo, m.days,
                    m.hours, m.createdAt)
            }
        }
    }

    public func members(tenantID: ID<Tenant>, groupID: ID<Group>) async throws -> [Member] {
        try await db.query("SELECT * FROM members WHERE tenant_id = ? AND group_id = ? ORDER BY created_at, id", tenantID, groupID)
            .map(Self.member)
    }

    /// How many members the tenant has, in every group or in one.
    public func countMembers(tenantID: ID<Tenant>, groupID: ID<Group>?) async throws -> Int {
        if let groupID {
            return try await db.first("SELECT COUNT(*) AS n FROM members WHERE tenant_id = ? AND group_id = ?", tenantID, groupID)?.int("n")
                ?? 0
        }
        return try await db.first("SELECT COUNT(*) AS n FROM members WHERE tenant_id = ?", tenantID)?.int("n") ?? 0
    }

    /// Every member of the tenant with its group's name (for matching).
    public func allMembers(tenantID: ID<Tenant>) async throws -> [(Member, groupName: String)] {
        try await db.query(
            """
            SELECT m.*, g.name AS group_name FROM members m JOIN groups g ON g.id = m.group_id
            WHERE m.tenant_id = ? ORDER BY m.created_at, m.id
            """, tenantID
        ).map { (Self.member($0), $0.string("group_name")) }
    }

    public func deleteMember(tenantID: ID<Tenant>, groupID: ID<Group>, id: ID<Member>) async throws -> Bool {
        try await changingRules(tenantID) { tx in
            try await !tx.query("DELETE FROM members WHERE tenant_id = ? AND group_id = ? AND id = ? RETURNING id", tenantID, groupID, id)
                .isEmpty
        }
    }

    static func member(_ r: SQLRow) -> Member {
        Member(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), groupID: ID(r.string("group_id")), name: r.string("name"),
            email: r.string("email"), permitID: r.string("permit_id"), plate: r.string("plate"),
            validFrom: r.int("valid_from").map(Int64.init), validTo: r.int("valid_to").map(Int64.init),
            days: r.text("days"), hours: r.text("hours"), createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Watch lists

    public func createWatchlist(tenantID: ID<Tenant>, name: String, reason: String) async throws -> Watchlist {
        let w = Watchlist(id: ID(Identifier.make("wl")), tenantID: tenantID, name: name, reason: reason, createdAt: WallClock.nowMillis())
        try await db.query(
            "INSERT INTO watchlists (id, tenant_id, name, reason, created_at) VALUES (?, ?, ?, ?, ?)",
            w.id, tenantID, name, reason, w.createdAt)
        return w
    }

    public func watchlists(tenantID: ID<Tenant>) async throws -> [Watchlist] {
        try await db.query("SELECT * FROM watchlists WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map(Self.watchlist)
    }

    public func watchlist(tenantID: ID<Tenant>, id: ID<Watchlist>) async throws -> Watchlist? {
        try await db.first("SELECT * FROM watchlists WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.watchlist)
    }

    public func deleteWatchlist(tenantID: ID<Tenant>, id: ID<Watchlist>) async throws -> Bool {
        try await changingRules(tenantID) { tx in
            try await tx.query("DELETE FROM watchlist_entries WHERE tenant_id = ? AND list_id = ?", tenantID, id)
            return try await !tx.query("DELETE FROM watchlists WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
        }
    }

    static func watchlist(_ r: SQLRow) -> Watchlist {
        Watchlist(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), name: r.string("name"), reason: r.string("reason"),
            createdAt: Int64(r.int("created_at") ?? 0))
    }

    public func addWatchlistEntry(tenantID: ID<Tenant>, listID: ID<Watchlist>, plate: String, note: String) async throws -> WatchlistEntry {
        let e = WatchlistEntry(
            id: ID(Identifier.make("wle")), tenantID: tenantID, listID: listID, plate: plate, note: note,
            createdAt: WallClock.nowMillis())
        try await changingRules(tenantID) { tx in
            try await tx.query(
                "INSERT INTO watchlist_entries (id, tenant_id, list_id, plate, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                e.id, tenantID, listID, plate, note, e.createdAt)
        }
        return e
    }

    public func watchlistEntries(tenantID: ID<Tenant>, listID: ID<Watchlist>) async throws -> [WatchlistEntry] {
        try await db.query("SELECT * FROM watchlist_entries WHERE tenant_id = ? AND list_id = ? ORDER BY created_at, id", tenantID, listID)
            .map(Self.watchlistEntry)
    }

    /// Every watched plate of the tenant with its list (for matching).
    public func allWatchlistEntries(tenantID: ID<Tenant>) async throws -> [(WatchlistEntry, Watchlist)] {
        try await db.query(
            """
            SELECT e.*, w.name AS list_name, w.reason AS list_reason, w.created_at AS list_created_at
            FROM watchlist_entries e JOIN watchlists w ON w.id = e.list_id WHERE e.tenant_id = ? ORDER BY e.created_at, e.id
            """, tenantID
        ).map { r in
            (
                Self.watchlistEntry(r),
                Watchlist(
                    id: ID(r.string("list_id")), tenantID: tenantID, name: r.string("list_name"),
                    reason: r.string("list_reason"), createdAt: Int64(r.int("list_created_at") ?? 0))
            )
        }
    }

    public func deleteWatchlistEntry(tenantID: ID<Tenant>, listID: ID<Watchlist>, id: ID<WatchlistEntry>) async throws -> Bool {
        try await changingRules(tenantID) { tx in
            try await !tx.query(
                "DELETE FROM watchlist_entries WHERE tenant_id = ? AND list_id = ? AND id = ? RETURNING id",
                tenantID, listID, id
            ).isEmpty
        }
    }

    static func watchlistEntry(_ r: SQLRow) -> WatchlistEntry {
        WatchlistEntry(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), listID: ID(r.string("list_id")), plate: r.string("plate"),
            note: r.string("note"), createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Alert rules

    public func createAlertRule(tenantID: ID<Tenant>, kind: String, cameraID: ID<Camera>?, site: String?) async throws -> AlertRule {
        let a = AlertRule(
            id: ID(Identifier.make("ar")), tenantID: tenantID, kind: kind, cameraID: cameraID, site: site, createdAt: WallClock.nowMillis())
        try await changingRules(tenantID) { tx in
            try await tx.query(
                "INSERT INTO alert_rules (id, tenant_id, kind, camera_id, site, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                a.id, tenantID, kind, cameraID, site, a.createdAt)
        }
        return a
    }

    public func alertRules(tenantID: ID<Tenant>) async throws -> [AlertRule] {
        try await db.query("SELECT * FROM alert_rules WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map { r in
            AlertRule(
                id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), kind: r.string("kind"),
                cameraID: r.text("camera_id").map { ID($0) },
                site: r.text("site"), createdAt: Int64(r.int("created_at") ?? 0))
        }
    }

    public func deleteAlertRule(tenantID: ID<Tenant>, id: ID<AlertRule>) async throws -> Bool {
        try await changingRules(tenantID) { tx in
            try await !tx.query("DELETE FROM alert_rules WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
        }
    }

    // MARK: Alerts

    public func countAlerts(tenantID: ID<Tenant>) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM alerts WHERE tenant_id = ?", tenantID)?.int("n") ?? 0
    }

    /// A tenant's alerts, newest first; `acknowledged` filters, `before` is the last id of the previous page.
    public func alerts(
        tenantID: ID<Tenant>, acknowledged: Bool?, kind: String?, limit: Int, before: (Int64, String)?
    ) async throws -> [Alert] {
        var sql = "SELECT * FROM alerts WHERE tenant_id = ?"
        var binds: [SQLValue] = [tenantID.sqlValue]
        if let acknowledged { sql += acknowledged ? " AND acknowledged_at IS NOT NULL" : " AND acknowledged_at IS NULL" }
        if let kind { sql += " AND kind = ?"; binds.append(kind.sqlValue) }
        if let (t, id) = before {
            sql += " AND created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))"
            binds += [t.sqlValue, t.sqlValue, t.sqlValue, id.sqlValue]
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
        binds.append(limit.sqlValue)
        return try await db.query(sql, binds).map(Self.alert)
    }

    public func alert(tenantID: ID<Tenant>, id: ID<Alert>) async throws -> Alert? {
        try await db.first("SELECT * FROM alerts WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.alert)
    }

    public func acknowledgeAlert(tenantID: ID<Tenant>, id: ID<Alert>, by: String) async throws -> Alert? {
        try await db.query(
            "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE tenant_id = ? AND id = ? AND acknowledged_at IS NULL",
            WallClock.nowMillis(), by, tenantID, id)
        return try await alert(tenantID: tenantID, id: id)
    }

    static func alert(_ r: SQLRow) -> Alert {
        Alert(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), kind: r.string("kind"), plate: r.string("plate"),
            message: r.string("message"), readID: r.text("read_id").map { ID($0) }, passID: r.text("pass_id").map { ID($0) },
            cameraID: r.text("camera_id").map { ID($0) },
            createdAt: Int64(r.int("created_at") ?? 0), acknowledgedAt: r.int("acknowledged_at").map(Int64.init),
            acknowledgedBy: r.text("acknowledged_by"))
    }
}
