import Foundation

/// Synthetic data for benchmarks, made inside the database (`INSERT ... SELECT` over a number series), so that
/// millions of rows take minutes, not hours.
extension Store {
    /// What ``seed(tenantID:kind:range:of:days:plates:)`` makes.
    public enum SeedKind: String, Sendable, CaseIterable {
        case reads, passes, sessions
    }

    /// Inserts rows `range` (1-based) of `total` synthetic rows of `kind` for a tenant, spread evenly over the
    /// `days` before now, oldest first. Plates are GB-style, drawn from `plates` distinct ones (row `n` shows plate
    /// `n % plates`, the same plate for the same `n` on both engines, see ``seedPlate(_:plates:)``); reads
    /// belong to jobs of 1,000 reads (`job_<tenant>_<n / 1000>`), four cameras `cam_0`...`cam_3`. With `imageKeys`,
    /// reads and passes name a crop and a frame as stored ones do, with no file behind them (benchmarks of list pages,
    /// which sign their image links; a page shown in a browser would ask for files that are not there). Seeded passes
    /// are history: the parking ledger's cursor moves past them (it would otherwise walk them all once).
    public func seed(
        tenantID: ID<Tenant>, kind: SeedKind, range: ClosedRange<Int>, of total: Int, days: Int, plates: Int, imageKeys: Bool = false
    ) async throws {
        let now = WallClock.nowMillis()
        let span = Int64(days) * 86_400_000
        let start = now - span
        let postgres = db.dialect == .postgres
        let series =
            postgres
            ? "generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS g(n)"
            : "(WITH RECURSIVE s(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM s WHERE n < ?) SELECT n FROM s) AS g"
        // A multiplicative hash spreads consecutive plate numbers over the alphabet.
        let k = "(((n % \(plates)) * 2654435761) % 4294967296)"
        func letter(_ div: Int) -> String {
            postgres ? "chr(CAST(65 + (\(k) / \(div)) % 26 AS INTEGER))" : "char(65 + (\(k) / \(div)) % 26)"
        }
        let plate = [letter(1), letter(26), "CAST(10 + (\(k) / 676) % 80 AS TEXT)", letter(54_080), letter(1_406_080), letter(36_558_080)]
            .joined(separator: " || ")
        let at = "(\(start) + n * \(span) / \(max(total, 1)))"
        // The tenant id names the rows, so that several tenants' seeds never collide.
        let tag = String(tenantID.rawValue.suffix(12))
        // A stored read or pass has a crop and a frame, so with `imageKeys` a seeded row is listed as a real one is (two
        // signed image URLs); the keys name no file. Each key binds the tenant id and the tag.
        let imageBinds: [SQLValue] = imageKeys ? [tenantID.sqlValue, .text(tag), tenantID.sqlValue, .text(tag)] : []
        func images(_ prefix: String) -> String {
            guard imageKeys else { return "NULL, NULL" }
            return ["crops", "frames"].map { "CAST(? AS TEXT) || '/\($0)/seed/\(prefix)_' || ? || '_' || CAST(n AS TEXT) || '.jpg'" }
                .joined(separator: ", ")
        }
        // Each statement binds the tag and the tenant id first, then `binds`, then the series' bounds.
        let sql: String, binds: [SQLValue]
        switch kind {
        case .reads:
            sql = """
                INSERT INTO reads (id, tenant_id, plate, display, confidence, format, country, box_x, box_y, box_w, box_h,
                  camera_id, job_id, captured_at, created_at, crop_key, frame_key)
                SELECT 'rd_' || ? || '_' || CAST(n AS TEXT), ?, \(plate), \(plate), 0.5 + (n % 50) / 100.0, 'gb.current', 'GB',
                  10, 20, 120, 30, 'cam_' || CAST(n % 4 AS TEXT), 'job_' || ? || '_' || CAST(n / 1000 AS TEXT), \(at), \(at),
                  \(images("rd"))
                FROM \(series)
                """
            binds = [.text(tag)] + imageBinds
        case .passes:
            sql = """
                INSERT INTO passes (id, tenant_id, plate, display, confidence, format, country, direction, movement, camera_id,
                  first_seen_at, last_seen_at, frames, box_x, box_y, box_w, box_h, created_at, crop_key, frame_key)
                SELECT 'ps_' || ? || '_' || CAST(n AS TEXT), ?, \(plate), \(plate), 0.5 + (n % 50) / 100.0, 'gb.current', 'GB',
                  CASE WHEN n % 2 = 0 THEN 'entry' ELSE 'exit' END, 'approaching', 'cam_' || CAST(n % 4 AS TEXT),
                  \(at), \(at) + 4000, 6, 10, 20, 120, 30, \(at), \(images("ps"))
                FROM \(series)
                """
            binds = imageBinds
        case .sessions:
            sql = """
                INSERT INTO parking_sessions (id, tenant_id, site, plate, status, entered_at, exited_at, permit, charge, currency,
                  created_at, updated_at)
                SELECT 'pk_' || ? || '_' || CAST(n AS TEXT), ?, 'Main', \(plate),
                  CASE WHEN n > \(total - total / 100) THEN 'open' ELSE 'closed' END, \(at),
                  CASE WHEN n > \(total - total / 100) THEN NULL ELSE \(at) + (5 + n % 480) * 60000 END,
                  CASE WHEN n % 5 = 0 THEN 1 ELSE 0 END, CASE WHEN n > \(total - total / 100) THEN NULL ELSE 100 * (n % 10) END,
                  'GBP', \(at), \(at)
                FROM \(series)
                """
            binds = []
        }
        try await db.query(
            sql, [.text(tag), tenantID.sqlValue] + binds + [.int(Int64(range.lowerBound)), .int(Int64(range.upperBound))])
        // Seeded passes are history (their sessions are seeded too): the parking ledger starts after them.
        if kind == .passes, let newest = try await db.first("SELECT created_at, id FROM passes ORDER BY created_at DESC, id DESC LIMIT 1") {
            try await moveParkingCursor(to: (Int64(newest.int("created_at") ?? 0), newest.string("id")))
        }
    }

    /// The plate ``seed(tenantID:kind:range:of:days:plates:)`` gives row `n` (benchmarks use it to ask for plates
    /// that exist).
    public static func seedPlate(_ n: Int, plates: Int) -> String {
        let k = Int64((n % plates)) * 2_654_435_761 % 4_294_967_296
        func letter(_ div: Int64) -> Character { Character(UnicodeScalar(UInt8(65 + (k / div) % 26))) }
        return "\(letter(1))\(letter(26))\(10 + (k / 676) % 80)\(letter(54_080))\(letter(1_406_080))\(letter(36_558_080))"
    }
}
