import Foundation

/// A parking stay at a site: an entry pass paired with the next exit pass of the same plate.
public struct ParkingSession: Sendable, Equatable {
    /// `open` (inside), `closed` (entry and exit), `missed_exit` (no exit seen before the timeout or the next
    /// entry), `missed_entry` (an exit with no entry).
    public var id: ID<ParkingSession>
    public var tenantID: ID<Tenant>
    public var site: String
    public var plate: String
    public var status: String
    public var entryPassID: ID<Pass>?
    public var exitPassID: ID<Pass>?
    public var enteredAt: Int64?
    public var exitedAt: Int64?
    public var permit: Bool
    public var groupID: ID<Group>?
    /// Minor units; set when the session closes.
    public var charge: Int?
    public var currency: String?
    public var createdAt: Int64

    /// Its entry, else its exit: what lists are ordered and paged by (``Store/sessionStart``).
    public var startedAt: Int64 { enteredAt ?? exitedAt ?? createdAt }
}

/// The filters of a session list: site, plate (its stored forms: the plate and its pseudonym), status, and the
/// sessions that overlap `from`..`to` (from start to exit; a session with no exit ends where it starts).
public struct SessionFilter: Sendable {
    public var tenantID: ID<Tenant>
    public var site: String?
    public var plate: [String]?
    public var status: String?
    public var from: Int64?
    public var to: Int64?
    /// The longest a session can last (the parking timeout and a margin): with `from`, it bounds the start of the
    /// sessions to look at, so that a time filter is one index range however many sessions are older.
    public var longest: Int64?

    public init(
        tenantID: ID<Tenant>, site: String? = nil, plate: [String]? = nil, status: String? = nil, from: Int64? = nil,
        to: Int64? = nil, longest: Int64? = nil
    ) {
        self.tenantID = tenantID; self.site = site; self.plate = plate; self.status = status
        self.from = from; self.to = to; self.longest = longest
    }

    var sql: (String, [SQLValue]) {
        let start = Store.sessionStart
        var sql = "tenant_id = ?"
        var binds: [SQLValue] = [tenantID.sqlValue]
        if let site { sql += " AND site = ?"; binds.append(.text(site)) }
        if let plate {
            sql += " AND plate IN " + Store.placeholders(plate.count)
            binds += plate.map(SQLValue.text)
        }
        if let status { sql += " AND status = ?"; binds.append(.text(status)) }
        if let from {
            sql += " AND COALESCE(exited_at, entered_at) >= ?"
            binds.append(.int(from))
            if let longest { sql += " AND \(start) >= ?"; binds.append(.int(from - longest)) }
        }
        if let to { sql += " AND \(start) < ?"; binds.append(.int(to)) }
        return (sql, binds)
    }
}

/// A pass as the parking ledger needs it.
public struct ParkingPass: Sendable {
    public var id: ID<Pass>
    public var tenantID: ID<Tenant>
    public var plate: String
    public var direction: String
    public var site: String
    public var time: Int64
    public var createdAt: Int64
    /// The access decision JSON stored with the pass.
    public var decision: String?
}

/// An alert rule on stays longer than `maxMinutes` at a site (or anywhere), for members of a group (or anyone).
public struct OverstayRule: Sendable, Equatable {
    public var id: ID<OverstayRule>
    public var tenantID: ID<Tenant>
    public var site: String?
    public var groupID: ID<Group>?
    public var maxMinutes: Int
    public var createdAt: Int64
}

extension Store {
    // MARK: Tariffs

    public func setTariff(tenantID: ID<Tenant>, site: String, definition: String) async throws {
        let now = WallClock.nowMillis()
        try await db.transaction { tx in
            try await tx.query("DELETE FROM tariffs WHERE tenant_id = ? AND site = ?", tenantID, site)
            try await tx.query(
                "INSERT INTO tariffs (tenant_id, site, definition, updated_at) VALUES (?, ?, ?, ?)",
                tenantID, site, definition, now)
        }
    }

    public func tariff(tenantID: ID<Tenant>, site: String) async throws -> String? {
        try await db.first("SELECT definition FROM tariffs WHERE tenant_id = ? AND site = ?", tenantID, site)?.text("definition")
    }

    /// Every tariff of a tenant: site -> definition JSON.
    public func tariffs(tenantID: ID<Tenant>) async throws -> [(site: String, definition: String)] {
        try await db.query("SELECT site, definition FROM tariffs WHERE tenant_id = ? ORDER BY site", tenantID)
            .map { ($0.string("site"), $0.string("definition")) }
    }

    public func deleteTariff(tenantID: ID<Tenant>, site: String) async throws -> Bool {
        try await !db.query("DELETE FROM tariffs WHERE tenant_id = ? AND site = ? RETURNING site", tenantID, site).isEmpty
    }

    // MARK: Sessions

    /// Up to `limit` passes stored after the ledger's cursor, oldest first: those at a camera with a site (with the
    /// site), and the position of the last pass looked at, so that the cursor also moves past passes that are not
    /// parking (no camera, or a camera without a site): otherwise every round would walk them again.
    public func passesForParking(
        after cursor: (Int64, String), limit: Int
    ) async throws -> (passes: [ParkingPass], last: (Int64, String)?, scanned: Int) {
        let rows = try await db.query(
            """
            SELECT p.id, p.tenant_id, p.plate, p.direction, p.last_seen_at, p.first_seen_at, p.created_at, p.decision, c.site
            FROM passes p LEFT JOIN cameras c ON c.id = p.camera_id AND c.tenant_id = p.tenant_id
            WHERE p.created_at >= ? AND (p.created_at > ? OR (p.created_at = ? AND p.id > ?))
            ORDER BY p.created_at, p.id LIMIT ?
            """, cursor.0, cursor.0, cursor.0, cursor.1, limit)
        let passes = rows.compactMap { r -> ParkingPass? in
            guard let site = r.text("site"), !site.isEmpty else { return nil }
            let direction = r.string("direction")
            return ParkingPass(
                id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), plate: r.string("plate"), direction: direction,
                site: site, time: Int64(r.int(direction == "exit" ? "last_seen_at" : "first_seen_at") ?? 0),
                createdAt: Int64(r.int("created_at") ?? 0), decision: r.text("decision"))
        }
        let last = rows.last.map { (Int64($0.int("created_at") ?? 0), $0.string("id")) }
        return (passes, last, rows.count)
    }

    /// Moves the ledger's cursor forward to `position` (never back), in one transaction.
    public func moveParkingCursor(to position: (Int64, String)) async throws {
        try await db.transaction { tx in
            if tx.dialect == .postgres { try await tx.query("SELECT pg_advisory_xact_lock(7261001) AS locked") }
            if let v = try await tx.first("SELECT value FROM server_settings WHERE name = 'parking_cursor'")?.text("value") {
                let parts = v.split(separator: " ", maxSplits: 1)
                let at = Int64(parts.first ?? "0") ?? 0, id = parts.count > 1 ? String(parts[1]) : ""
                if position.0 < at || (position.0 == at && position.1 <= id) { return }
            }
            try await Self.setParkingCursor(tx, "\(position.0) \(position.1)")
        }
    }

    static func setParkingCursor(_ tx: any SQLDatabase, _ cursor: String) async throws {
        try await tx.query(
            "INSERT INTO server_settings (name, value) VALUES ('parking_cursor', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            cursor)
    }

    /// The ledger's position in the passes table.
    public func parkingCursor() async throws -> (Int64, String) {
        guard let v = try await db.first("SELECT value FROM server_settings WHERE name = 'parking_cursor'")?.text("value") else {
            return (0, "")
        }
        let parts = v.split(separator: " ", maxSplits: 1)
        return (Int64(parts.first ?? "0") ?? 0, parts.count > 1 ? String(parts[1]) : "")
    }

    /// Applies one pass to the sessions and moves the cursor past it, in one transaction. `charge` prices a stay
    /// (entry, exit) for a closing session.
    public func applyParkingPass(
        _ p: ParkingPass, permit: Bool, groupID: ID<Group>?,
        charge: @Sendable (Int64, Int64) -> (Int, String)?
    ) async throws {
        let now = WallClock.nowMillis()
        try await db.transaction { tx in
            // One ledger at a time (several processes on PostgreSQL), and each pass once.
            if tx.dialect == .postgres { try await tx.query("SELECT pg_advisory_xact_lock(7261001) AS locked") }
            if let v = try await tx.first("SELECT value FROM server_settings WHERE name = 'parking_cursor'")?.text("value") {
                let parts = v.split(separator: " ", maxSplits: 1)
                let at = Int64(parts.first ?? "0") ?? 0, id = parts.count > 1 ? String(parts[1]) : ""
                if p.createdAt < at || (p.createdAt == at && p.id.rawValue <= id) { return }
            }
            try await Self.setParkingCursor(tx, "\(p.createdAt) \(p.id)")
            let open = try await tx.first(
                """
                SELECT id, entered_at FROM parking_sessions WHERE tenant_id = ? AND site = ? AND plate = ? AND status = 'open'
                ORDER BY entered_at DESC LIMIT 1
                """, p.tenantID, p.site, p.plate)
            switch p.direction {
            case "entry":
                if let open {
                    try await tx.query(
                        "UPDATE parking_sessions SET status = 'missed_exit', updated_at = ? WHERE id = ?",
                        now, open.string("id"))
                }
                try await tx.query(
                    """
                    INSERT INTO parking_sessions (id, tenant_id, site, plate, status, entry_pass_id, entered_at, permit, group_id,
                      created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)
                    """, Identifier.make("ses"), p.tenantID, p.site, p.plate, p.id, p.time, permit ? 1 : 0, groupID, now, now)
            case "exit":
                if let open, let entered = open.int("entered_at").map(Int64.init), entered <= p.time {
                    let c = charge(entered, p.time)
                    try await tx.query(
                        """
                        UPDATE parking_sessions SET status = 'closed', exit_pass_id = ?, exited_at = ?, charge = ?, currency = ?,
                          updated_at = ? WHERE id = ?
                        """, p.id, p.time, c?.0, c?.1, now, open.string("id"))
                } else {
                    try await tx.query(
                        """
                        INSERT INTO parking_sessions (id, tenant_id, site, plate, status, exit_pass_id, exited_at, permit, group_id,
                          created_at, updated_at) VALUES (?, ?, ?, ?, 'missed_entry', ?, ?, ?, ?, ?, ?)
                        """, Identifier.make("ses"), p.tenantID, p.site, p.plate, p.id, p.time, permit ? 1 : 0, groupID, now, now)
                }
            default:
                break
            }
        }
    }

    /// Open sessions that entered before `before` become `missed_exit`; returns how many.
    @discardableResult
    public func expireSessions(enteredBefore before: Int64) async throws -> Int {
        try await db.query(
            """
            UPDATE parking_sessions SET status = 'missed_exit', updated_at = ? WHERE status = 'open' AND entered_at < ? RETURNING id
            """, WallClock.nowMillis(), before
        ).count
    }

    /// Open sessions not yet alerted for overstaying, entered before `before`.
    public func openSessions(enteredBefore before: Int64, notAlerted: Bool) async throws -> [ParkingSession] {
        try await db.query(
            """
            SELECT * FROM parking_sessions WHERE status = 'open' AND entered_at < ? AND overstay_alerted = ? ORDER BY entered_at LIMIT 1000
            """, before, notAlerted ? 0 : 1
        ).map(Self.session)
    }

    public func markOverstayAlerted(id: ID<ParkingSession>) async throws {
        try await db.query("UPDATE parking_sessions SET overstay_alerted = 1 WHERE id = ?", id)
    }

    /// A session's start as SQL: its entry, else its exit (a missed entry). Sessions are listed by it, newest first,
    /// and the `parking_start` (on PostgreSQL `parking_start_covering`) and `parking_plate` indexes hold it.
    static let sessionStart = "COALESCE(entered_at, exited_at)"

    /// A tenant's sessions, newest first (by start), filtered; `before` is the start and id of the last session of
    /// the previous page.
    public func sessions(_ filter: SessionFilter, limit: Int, before: (Int64, String)?) async throws -> [ParkingSession] {
        let s = sessionsStatement(filter, limit: limit, before: before)
        return try await (s.prepared ? db.preparedQuery(s.sql, s.binds) : db.query(s.sql, s.binds)).map(Self.session)
    }

    /// The statement of ``sessions(_:limit:before:)``, and whether it is kept prepared.
    func sessionsStatement(
        _ filter: SessionFilter, limit: Int, before: (Int64, String)?
    ) -> (sql: String, binds: [SQLValue], prepared: Bool) {
        var (sql, binds) = filter.sql
        // SQLite, without statistics, walks the start index for a plate (to skip the sort): the plate index is the way.
        let hint = db.dialect == .sqlite && filter.plate != nil ? " INDEXED BY parking_plate" : ""
        sql = "SELECT * FROM parking_sessions\(hint) WHERE " + sql
        if let before {
            let start = Self.sessionStart
            sql += " AND \(start) <= ? AND (\(start) < ? OR (\(start) = ? AND id < ?))"
            binds += [.int(before.0), .int(before.0), .int(before.0), .text(before.1)]
        }
        sql += " ORDER BY \(Self.sessionStart) DESC, id DESC" + Self.limitClause(limit)
        // A status or a site can be rare or common, and the best plan with it depends on which (a rare status is found
        // through its own index, a common one by walking the start index): planned every time. A plate or a time
        // range alone has one best plan, kept prepared.
        return (sql, binds, filter.status == nil && filter.site == nil)
    }

    /// How many sessions match `filter`.
    public func countSessions(_ filter: SessionFilter) async throws -> Int {
        let (sql, binds) = filter.sql
        return try await db.query("SELECT COUNT(*) AS n FROM parking_sessions WHERE " + sql, binds).first?.int("n") ?? 0
    }

    public func session(tenantID: ID<Tenant>, id: ID<ParkingSession>) async throws -> ParkingSession? {
        try await db.first("SELECT * FROM parking_sessions WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.session)
    }

    /// Revenue of closed sessions by local day of exit and site: (day, site, currency, sessions, total).
    public func closedSessions(tenantID: ID<Tenant>, exitedFrom from: Int64, to: Int64) async throws -> [ParkingSession] {
        try await db.query(
            """
            SELECT * FROM parking_sessions WHERE tenant_id = ? AND status = 'closed' AND exited_at >= ? AND exited_at < ?
            ORDER BY exited_at
            """, tenantID, from, to
        ).map(Self.session)
    }

    static func session(_ r: SQLRow) -> ParkingSession {
        ParkingSession(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), site: r.string("site"), plate: r.string("plate"),
            status: r.string("status"), entryPassID: r.text("entry_pass_id").map { ID($0) },
            exitPassID: r.text("exit_pass_id").map { ID($0) },
            enteredAt: r.int("entered_at").map(Int64.init), exitedAt: r.int("exited_at").map(Int64.init),
            permit: r.int("permit") == 1, groupID: r.text("group_id").map { ID($0) }, charge: r.int("charge"),
            currency: r.text("currency"), createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Overstay rules

    public func createOverstayRule(tenantID: ID<Tenant>, site: String?, groupID: ID<Group>?, maxMinutes: Int) async throws -> OverstayRule {
        let r = OverstayRule(
            id: ID(Identifier.make("ovr")), tenantID: tenantID, site: site, groupID: groupID, maxMinutes: maxMinutes,
            createdAt: WallClock.nowMillis())
        try await db.query(
            "INSERT INTO overstay_rules (id, tenant_id, site, group_id, max_minutes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            r.id, tenantID, site, groupID, maxMinutes, r.createdAt)
        return r
    }

    public func overstayRules(tenantID: ID<Tenant>? = nil) async throws -> [OverstayRule] {
        let rows =
            if let tenantID {
                try await db.query("SELECT * FROM overstay_rules WHERE tenant_id = ? ORDER BY created_at, id", tenantID)
            } else {
                try await db.query("SELECT * FROM overstay_rules ORDER BY created_at, id")
            }
        return rows.map { r in
            OverstayRule(
                id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), site: r.text("site"),
                groupID: r.text("group_id").map { ID($0) },
                maxMinutes: r.int("max_minutes") ?? 0, createdAt: Int64(r.int("created_at") ?? 0))
        }
    }

    public func deleteOverstayRule(tenantID: ID<Tenant>, id: ID<OverstayRule>) async throws -> Bool {
        try await !db.query("DELETE FROM overstay_rules WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
    }
}

/// What the parking summary is made of, aggregated in the database
/// (``Store/sessionSummary(_:base:step:now:from:to:offsets:)``).
public struct SessionAggregates: Sendable {
    /// Sessions with an entry, by the first and last occupancy bucket they are inside (bucket `k` is
    /// `base + k * step ..< base + (k + 1) * step`); a session inside no bucket has `last < first`.
    public var spans: [(first: Int, last: Int, sessions: Int)] = []
    /// Closed sessions by dwell range (`Store.dwellEdges` in minutes: index 0 under the first edge, the last index
    /// beyond the last edge).
    public var dwell: [Int: Int] = [:]
    /// Entries inside `from..<to` by local hour of the day (0 to 23).
    public var entriesByHour = [Int](repeating: 0, count: 24)
    public var sessions = 0, permitHolders = 0
    /// Distinct plates, those seen more than once, and the ten seen most (most visits first, then by plate).
    public var plates = 0, repeatPlates = 0
    public var top: [(plate: String, visits: Int)] = []
}

extension Store {
    /// Upper edges (minutes) of the dwell-time ranges of the parking summary.
    public static let dwellEdges = [15, 30, 60, 120, 240, 480, 1440]

    /// The parking summary's figures over the sessions `filter` selects (which must have `from`), in two statements
    /// (one grouped pass for occupancy, dwell, entries and permits; one over plates), whatever the number of
    /// sessions. `base` is the first occupancy bucket's start, at or before the earliest start the filter allows; an
    /// open session is inside until `now`. `offsets` are the tenant's UTC offsets over `from..<to`, each from its start
    /// (the first one's start is ignored), so that entries are counted by local hour in the database.
    public func sessionSummary(
        _ filter: SessionFilter, base: Int64, step: Int64, now: Int64, from: Int64, to: Int64,
        offsets: [(start: Int64, milliseconds: Int64)]
    ) async throws -> SessionAggregates {
        let q = Self.sessionSummaryStatements(filter, base: base, step: step, now: now, from: from, to: to, offsets: offsets)
        // The plate statement is sent at once: on PostgreSQL the two run side by side on two connections.
        async let plates = db.query(q.plates, q.binds)
        let rows = try await db.query(q.groups, q.binds)
        var a = SessionAggregates()
        struct Span: Hashable { var first: Int, last: Int }
        var spans: [Span: Int] = [:]
        for r in rows {
            let n = r.int("n") ?? 0
            a.sessions += n
            if r.int("permit") == 1 { a.permitHolders += n }
            if let d = r.int("dwell"), d >= 0 { a.dwell[d, default: 0] += n }
            if let h = r.int("hour"), (0..<24).contains(h) { a.entriesByHour[h] += n }
            if let f = r.int("first_bucket"), let l = r.int("last_bucket"), f >= 0 { spans[Span(first: f, last: l), default: 0] += n }
        }
        a.spans = spans.map { ($0.key.first, $0.key.last, $0.value) }
        let top = try await plates
        a.plates = top.first?.int("plates") ?? 0
        a.repeatPlates = top.first?.int("repeaters") ?? 0
        a.top = top.compactMap { r in (r.int("n") ?? 0) > 1 ? (r.string("plate"), r.int("n") ?? 0) : nil }
        return a
    }

    /// The two statements of ``sessionSummary(_:base:step:now:from:to:offsets:)`` with their binds: one over plates
    /// (repeat visitors), one grouped pass for the rest. Both read only columns that `parking_start_covering` holds,
    /// so that on PostgreSQL a month of a large tenant is one index range read without visiting the table.
    static func sessionSummaryStatements(
        _ filter: SessionFilter, base: Int64, step: Int64, now: Int64, from: Int64, to: Int64,
        offsets: [(start: Int64, milliseconds: Int64)]
    ) -> (plates: String, groups: String, binds: [SQLValue]) {
        let (where_, binds) = filter.sql
        var dwell = "CASE WHEN status = 'closed' AND entered_at IS NOT NULL AND exited_at IS NOT NULL THEN CASE"
        for (i, edge) in Self.dwellEdges.enumerated() { dwell += " WHEN exited_at - entered_at < \(edge * 60_000) THEN \(i)" }
        dwell += " ELSE \(Self.dwellEdges.count) END ELSE -1 END"
        let end = "COALESCE(exited_at, CASE WHEN status = 'open' THEN \(now) ELSE entered_at END)"
        var offset = "\(offsets.first?.milliseconds ?? 0)"
        if offsets.count > 1 {
            offset =
                "CASE" + offsets.dropFirst().reversed().map { " WHEN entered_at >= \($0.start) THEN \($0.milliseconds)" }.joined()
                + " ELSE \(offset) END"
        }
        let plates = """
            SELECT plate, n, COUNT(*) OVER () AS plates, SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) OVER () AS repeaters
            FROM (SELECT plate, COUNT(*) AS n FROM parking_sessions WHERE \(where_) GROUP BY plate) AS v
            ORDER BY n DESC, plate LIMIT 10
            """
        // Entries by local hour (the offset each entry had) rather than by quarter hour since the epoch: a third fewer
        // groups come back over a month, and none needs a calendar in Swift.
        let groups = """
            SELECT CASE WHEN entered_at IS NULL THEN -1 ELSE (entered_at - \(base)) / \(step) END AS first_bucket,
              CASE WHEN entered_at IS NULL THEN -2 ELSE (\(end) - \(base) - 1) / \(step) END AS last_bucket,
              \(dwell) AS dwell,
              CASE WHEN entered_at >= \(from) AND entered_at < \(to) THEN ((entered_at + \(offset)) / 3600000) % 24 ELSE -1 END AS hour,
              permit, COUNT(*) AS n
            FROM parking_sessions WHERE \(where_)
            GROUP BY first_bucket, last_bucket, dwell, hour, permit
            """
        return (plates, groups, binds)
    }
}
