import Foundation

/// What a backup needs from the database: a consistent copy (SQLite) and the media keys its rows refer to.
extension Store {
    /// Writes a consistent copy of an SQLite database to `path` (`VACUUM INTO`: one read transaction, so writers
    /// carry on meanwhile and the copy is the database as of its start). PostgreSQL is copied with `pg_dump`.
    public func snapshotSQLite(to path: String) async throws {
        guard db.dialect == .sqlite else { throw StorageError("a PostgreSQL database is backed up with pg_dump") }
        try await db.query("VACUUM INTO '\(path.replacingOccurrences(of: "'", with: "''"))'")
    }

    /// Every media key the rows refer to (reads' and passes' crops and frames, jobs' uploads), each once.
    public func mediaKeys() async throws -> [String] {
        var keys = Set<String>()
        for (table, columns) in [("reads", ["crop_key", "frame_key"]), ("passes", ["crop_key", "frame_key"]), ("jobs", ["media_key"])] {
            for column in columns {
                for row in try await db.query("SELECT DISTINCT \(column) AS k FROM \(table) WHERE \(column) IS NOT NULL") {
                    if let k = row.text("k"), !k.isEmpty { keys.insert(k) }
                }
            }
        }
        return keys.sorted()
    }

    /// Whether the database holds anything (a restore goes only into an empty one).
    public func isEmpty() async throws -> Bool {
        let table =
            db.dialect == .postgres
            ? try await db.first("SELECT to_regclass('public.schema_migrations')::text AS t")?.text("t")
            : try await db.first("SELECT name AS t FROM sqlite_master WHERE type = 'table' LIMIT 1")?.text("t")
        return table == nil
    }
}
