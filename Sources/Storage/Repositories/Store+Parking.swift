import Foundation

/// A parking stay at a site: an entry pass paired with the next exit pass of the same plate.
public struct ParkingSession: Sendable, Equatable {
    /// `open` (inside), `closed` (entry and exit), `missed_exit` (no exit seen before the timeout or the next
    /// entry), `missed_entry` (an exit with no entry).
    public var id: String
    public var tenantID: String
    public var site: String
    public var plate: String
    public var status: String
    public var entryPassID: String?
    public var exitPassID: String?
    public var enteredAt: Int64?
    public var exitedAt: Int64?
    public var permit: Bool
    public var groupID: String?
    /// Minor units; set when the session closes.
    public var charge: Int?
    public var currency: String?
    public var createdAt: Int64
}

/// A pass as the parking ledger needs it.
public struct ParkingPass: Sendable {
    public var id: String
    public var tenantID: String
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
    public var id: String
    public var tenantID: String
    public var site: String?
    public var groupID: String?
    public var maxMinutes: Int
    public var createdAt: Int64
}

extension Store {
    // MARK: Tariffs

    public func setTariff(tenantID: String, site: String, definition: String) async throws {
        let now = WallClock.nowMillis()
        try await db.transaction { tx in
            try await tx.query("DELETE FROM tariffs WHERE tenant_id = ? AND site = ?", tenantID, site)
            try await tx.query(
                "INSERT INTO tariffs (tenant_id, site, definition, updated_at) VALUES (?, ?, ?, ?)",
                tenantID, site, definition, now)
        }
    }

    public func tariff(tenantID: String, site: String) async throws -> String? {
        try await db.first("SELECT definition FROM tariffs WHERE tenant_id = ? AND site = ?", tenantID, site)?.text("definition")
    }

    /// Every tariff of a tenant: site -> definition JSON.
    public func tariffs(tenantID: String) async throws -> [(site: String, definition: String)] {
        try await db.query("SELECT site, definition FROM tariffs WHERE tenant_id = ? ORDER BY site", tenantID)
            .map { ($0.string("site"), $0.string("definition")) }
    }

    public func deleteTariff(tenantID: String, site: String) async throws -> Bool {
        try await !db.query("DELETE FROM tariffs WHERE tenant_id = ? AND site = ? RETURNING site", tenantID, site).isEmpty
    }

    // MARK: Sessions

    /// Passes stored after the ledger's cursor, oldest first, with their camera's site; only entry and exit
    /// passes at cameras with a site.
    public func passesForParking(after cursor: (Int64, String), limit: Int) async throws -> [ParkingPass] {
        try await db.query(
            """
            SELECT p.id, p.tenant_id, p.plate, p.direction, p.last_seen_at, p.first_seen_at, p.created_at, p.decision, c.site
            FROM passes p JOIN cameras c ON c.id = p.camera_id AND c.tenant_id = p.tenant_id
            WHERE p.created_at >= ? AND (p.created_at > ? OR (p.created_at = ? AND p.id > ?)) AND c.site <> ''
            ORDER BY p.created_at, p.id LIMIT ?
            """, cursor.0, cursor.0, cursor.0, cursor.1, limit
        ).map { r in
            let direction = r.string("direction")
            return ParkingPass(
                id: r.string("id"), tenantID: r.string("tenant_id"), plate: r.string("plate"), direction: direction,
                site: r.string("site"),
                time: Int64(r.int(direction == "exit" ? "last_seen_at" : "first_seen_at") ?? 0),
                createdAt: Int64(r.int("created_at") ?? 0), decision: r.text("decision"))
        }
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
        _ p: ParkingPass, permit: Bool, groupID: String?,
        charge: @Sendable (Int64, Int64) -> (Int, String)?
    ) async throws {
        let now = WallClock.nowMillis()
        try await db.transaction { tx in
            // One ledger at a time (several processes on PostgreSQL), and each pass once.
            if tx.dialect == .postgres { try await tx.query("SELECT pg_advisory_xact_lock(7261001) AS locked") }
            if let v = try await tx.first("SELECT value FROM server_settings WHERE name = 'parking_cursor'")?.text("value") {
                let parts = v.split(separator: " ", maxSplits: 1)
                let at = Int64(parts.first ?? "0") ?? 0, id = parts.count > 1 ? String(parts[1]) : ""
                if p.createdAt < at || (p.createdAt == at && p.id <= id) { return }
            }
            let cursor = "\(p.createdAt) \(p.id)"
            if tx.dialect == .postgres {
                try await tx.query(
                    """
                    INSERT INTO server_settings (name, value) VALUES ('parking_cursor', ?)
                    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
                    """, cursor)
            } else {
                try await tx.query("INSERT OR REPLACE INTO server_settings (name, value) VALUES ('parking_cursor', ?)", cursor)
            }
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

    public func markOverstayAlerted(id: String) async throws {
        try await db.query("UPDATE parking_sessions SET overstay_alerted = 1 WHERE id = ?", id)
    }

    /// A tenant's sessions, newest first, filtered (`plate`: the stored forms of one plate, its pseudonym too).
    public func sessions(
        tenantID: String, site: String?, plate: [String]?, status: String?, from: Int64?, to: Int64?,
        limit: Int, before: (Int64, String)?
    ) async throws -> [ParkingSession] {
        var (sql, binds) = Self.sessionFilter(tenantID: tenantID, site: site, plate: plate, status: status, from: from, to: to)
        sql = "SELECT * FROM parking_sessions WHERE " + sql
        if let before {
            sql += " AND created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))"
            binds += [.int(before.0), .int(before.0), .int(before.0), .text(before.1)]
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT ?"
        binds.append(.int(Int64(limit)))
        return try await db.query(sql, binds).map(Self.session)
    }

    /// How many sessions match the filters of ``sessions(tenantID:site:plate:status:from:to:limit:before:)``.
    public func countSessions(
        tenantID: String, site: String?, plate: [String]?, status: String?, from: Int64?, to: Int64?
    ) async throws -> Int {
        let (sql, binds) = Self.sessionFilter(tenantID: tenantID, site: site, plate: plate, status: status, from: from, to: to)
        return try await db.query("SELECT COUNT(*) AS n FROM parking_sessions WHERE " + sql, binds).first?.int("n") ?? 0
    }

    static func sessionFilter(
        tenantID: String, site: String?, plate: [String]?, status: String?, from: Int64?, to: Int64?
    ) -> (String, [SQLValue]) {
        var sql = "tenant_id = ?"
        var binds: [SQLValue] = [.text(tenantID)]
        if let site { sql += " AND site = ?"; binds.append(.text(site)) }
        if let plate {
            sql += " AND plate IN (" + plate.map { _ in "?" }.joined(separator: ", ") + ")"
            binds += plate.map(SQLValue.text)
        }
        if let status { sql += " AND status = ?"; binds.append(.text(status)) }
        if let from { sql += " AND COALESCE(exited_at, entered_at) >= ?"; binds.append(.int(from)) }
        if let to { sql += " AND COALESCE(entered_at, exited_at) < ?"; binds.append(.int(to)) }
        return (sql, binds)
    }

    public func session(tenantID: String, id: String) async throws -> ParkingSession? {
        try await db.first("SELECT * FROM parking_sessions WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.session)
    }

    /// Revenue of closed sessions by local day of exit and site: (day, site, currency, sessions, total).
    public func closedSessions(tenantID: String, exitedFrom from: Int64, to: Int64) async throws -> [ParkingSession] {
        try await db.query(
            """
            SELECT * FROM parking_sessions WHERE tenant_id = ? AND status = 'closed' AND exited_at >= ? AND exited_at < ?
            ORDER BY exited_at
            """, tenantID, from, to
        ).map(Self.session)
    }

    static func session(_ r: SQLRow) -> ParkingSession {
        ParkingSession(
            id: r.string("id"), tenantID: r.string("tenant_id"), site: r.string("site"), plate: r.string("plate"),
            status: r.string("status"), entryPassID: r.text("entry_pass_id"), exitPassID: r.text("exit_pass_id"),
            enteredAt: r.int("entered_at").map(Int64.init), exitedAt: r.int("exited_at").map(Int64.init),
            permit: r.int("permit") == 1, groupID: r.text("group_id"), charge: r.int("charge"),
            currency: r.text("currency"), createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Overstay rules

    public func createOverstayRule(tenantID: String, site: String?, groupID: String?, maxMinutes: Int) async throws -> OverstayRule {
        let r = OverstayRule(
            id: Identifier.make("ovr"), tenantID: tenantID, site: site, groupID: groupID, maxMinutes: maxMinutes,
            createdAt: WallClock.nowMillis())
        try await db.query(
            "INSERT INTO overstay_rules (id, tenant_id, site, group_id, max_minutes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            r.id, tenantID, site, groupID, maxMinutes, r.createdAt)
        return r
    }

    public func overstayRules(tenantID: String? = nil) async throws -> [OverstayRule] {
        let rows =
            if let tenantID {
                try await db.query("SELECT * FROM overstay_rules WHERE tenant_id = ? ORDER BY created_at, id", tenantID)
            } else {
                try await db.query("SELECT * FROM overstay_rules ORDER BY created_at, id")
            }
        return rows.map { r in
            OverstayRule(
                id: r.string("id"), tenantID: r.string("tenant_id"), site: r.text("site"), groupID: r.text("group_id"),
                maxMinutes: r.int("max_minutes") ?? 0, createdAt: Int64(r.int("created_at") ?? 0))
        }
    }

    public func deleteOverstayRule(tenantID: String, id: String) async throws -> Bool {
        try await !db.query("DELETE FROM overstay_rules WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
    }
}
