import Foundation

/// A SQL dump of one tenant's own data: the schema (every migration, for the chosen engine) and an INSERT per
/// row, which loads into an empty SQLite or PostgreSQL database (`sqlite3 db < dump.sql`, `psql -f dump.sql`)
/// and gives a MicroANPR database holding that tenant. Credentials stay out: API keys, sessions and users'
/// password and invitation hashes (users must reset their passwords); so do server settings.
extension Store {
    /// Tables in load order (parents before children), the column rows are paged by and its first value.
    static let dumpTables: [(name: String, key: String?, start: SQLValue)] = [
        ("tenants", nil, .null), ("cameras", "id", .text("")), ("usage", nil, .null), ("jobs", "id", .text("")),
        ("reads", "id", .text("")), ("passes", "id", .text("")), ("groups", "id", .text("")), ("members", "id", .text("")),
        ("watchlists", "id", .text("")), ("watchlist_entries", "id", .text("")), ("alert_rules", "id", .text("")),
        ("alerts", "id", .text("")), ("events", "id", .int(-1)), ("webhooks", "id", .text("")),
        ("webhook_deliveries", "id", .text("")), ("webhook_attempts", nil, .null), ("users", "id", .text("")),
        ("audit_log", "id", .int(-1)), ("tariffs", nil, .null), ("parking_sessions", "id", .text("")),
        ("overstay_rules", "id", .text("")),
    ]

    /// Writes the dump for `dialect` in chunks (one page of rows each), so memory stays flat.
    public func dump(tenantID: ID<Tenant>, for dialect: SQLDialect, emit: (String) async throws -> Void) async throws {
        try await emit(
            "-- MicroANPR dump of tenant \(tenantID) for \(dialect == .postgres ? "PostgreSQL" : "SQLite"), "
                + "\(ISO8601DateFormatter().string(from: Date()))\nBEGIN;\n")
        var schema = "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL);\n"
        for m in Migrations.all {
            for s in m.statements { schema += Migrations.sql(s, dialect) + ";\n" }
            schema +=
                "INSERT INTO schema_migrations (name, applied_at) VALUES (\(Self.literal(.text(m.name))), \(WallClock.nowMillis()));\n"
        }
        try await emit(schema)
        for (table, key, start) in Self.dumpTables {
            let filter =
                switch table {
                case "tenants": "id = ?"
                case "webhook_attempts": "delivery_id IN (SELECT id FROM webhook_deliveries WHERE tenant_id = ?)"
                default: "tenant_id = ?"
                }
            guard let key else {
                let rows = try await db.query("SELECT * FROM \(table) WHERE \(filter)", [tenantID.sqlValue])
                if !rows.isEmpty { try await emit(rows.map { Self.insert(table, $0) }.joined()) }
                continue
            }
            var last = start
            while true {
                let rows = try await db.query(
                    "SELECT * FROM \(table) WHERE \(filter) AND \(key) > ? ORDER BY \(key) LIMIT 1000",
                    [tenantID.sqlValue, last])
                guard let tail = rows.last else { break }
                try await emit(rows.map { Self.insert(table, $0) }.joined())
                last = tail.values[key] ?? .null
                if rows.count < 1000 { break }
            }
        }
        var end = ""
        if dialect == .postgres {
            // Explicit ids were inserted: move the sequences past them.
            for t in ["events", "audit_log"] {
                end += "SELECT setval(pg_get_serial_sequence('\(t)', 'id'), COALESCE((SELECT MAX(id) FROM \(t)), 0) + 1, false);\n"
            }
        }
        try await emit(end + "COMMIT;\n")
    }

    static func insert(_ table: String, _ row: SQLRow) -> String {
        var values = row.values
        if table == "users" { values["password_hash"] = .null; values["invite_hash"] = .null; values["invite_expires_at"] = .null }
        let columns = values.keys.sorted()
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
            + columns.map { literal(values[$0] ?? .null) }.joined(separator: ", ") + ");\n"
    }

    /// A SQL literal both engines read the same way (standard strings: quotes doubled, no backslash escapes).
    static func literal(_ v: SQLValue) -> String {
        switch v {
        case .null: "NULL"
        case .int(let i): String(i)
        case .double(let d): d.isFinite ? "\(d)" : "NULL"
        case .text(let s): "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}
