import Foundation

/// A day's parking at a glance: entries (by entry time), exits and revenue (by exit time).
public struct ParkingDay: Sendable, Equatable {
    public var entries = 0, exits = 0
    /// Charges of the sessions closed in the day, by currency (minor units).
    public var revenue: [String: Int] = [:]
    public init() {}
}

/// The queries of the dashboard's overview: each one index range, whatever the tenant's size.
extension Store {
    /// Sessions open now (at `site`, or anywhere).
    public func openSessionCount(tenantID: ID<Tenant>, site: String?) async throws -> Int {
        var sql = "SELECT COUNT(*) AS n FROM parking_sessions WHERE status = 'open' AND tenant_id = ?"
        var binds: [SQLValue] = [tenantID.sqlValue]
        if let site { sql += " AND site = ?"; binds.append(.text(site)) }
        return try await db.query(sql, binds).first?.int("n") ?? 0
    }

    /// Entries, exits and revenue in `from..<to` (at `site`, or anywhere); `longest` bounds how long before `from`
    /// a session that exits in the range can have started.
    public func parkingDay(tenantID: ID<Tenant>, site: String?, from: Int64, to: Int64, longest: Int64) async throws -> ParkingDay {
        let start = Self.sessionStart
        var filter = "tenant_id = ? AND \(start) >= ? AND \(start) < ?"
        var binds: [SQLValue] = [tenantID.sqlValue, .int(from - longest), .int(to)]
        if let site { filter += " AND site = ?"; binds.append(.text(site)) }
        let rows = try await db.query(
            """
            SELECT COALESCE(currency, '') AS currency,
              SUM(CASE WHEN entered_at >= ? AND entered_at < ? THEN 1 ELSE 0 END) AS entries,
              SUM(CASE WHEN exited_at >= ? AND exited_at < ? THEN 1 ELSE 0 END) AS exits,
              CAST(SUM(CASE WHEN status = 'closed' AND exited_at >= ? AND exited_at < ? THEN COALESCE(charge, 0) ELSE 0 END) AS BIGINT)
                AS revenue
            FROM parking_sessions WHERE \(filter) GROUP BY COALESCE(currency, '')
            """, [.int(from), .int(to), .int(from), .int(to), .int(from), .int(to)] + binds)
        var day = ParkingDay()
        for r in rows {
            day.entries += r.int("entries") ?? 0
            day.exits += r.int("exits") ?? 0
            let currency = r.string("currency"), total = r.int("revenue") ?? 0
            if !currency.isEmpty && total > 0 { day.revenue[currency, default: 0] += total }
        }
        return day
    }

    /// `(column IN (...))` for a list of cameras (nil: no condition; empty: nothing matches).
    static func cameraCondition(_ cameraIDs: [ID<Camera>]?, column: String = "camera_id") -> (String, [SQLValue]) {
        guard let cameraIDs else { return ("", []) }
        guard !cameraIDs.isEmpty else { return (" AND 1 = 0", []) }
        return (" AND \(column) IN \(placeholders(cameraIDs.count))", cameraIDs.map(\.sqlValue))
    }

    /// Unacknowledged alerts (of these cameras), newest first, and how many there are up to `cap`.
    public func openAlerts(
        tenantID: ID<Tenant>, cameraIDs: [ID<Camera>]?, limit: Int, cap: Int
    ) async throws -> (alerts: [Alert], count: Int) {
        let (cameras, binds) = Self.cameraCondition(cameraIDs)
        let filter = "tenant_id = ? AND acknowledged_at IS NULL" + cameras
        let alerts = try await db.query(
            "SELECT * FROM alerts WHERE \(filter) ORDER BY created_at DESC, id DESC LIMIT ?",
            [tenantID.sqlValue] + binds + [.int(Int64(limit))]
        ).map(Self.alert)
        let count =
            try await db.query(
                "SELECT COUNT(*) AS n FROM (SELECT 1 AS x FROM alerts WHERE \(filter) LIMIT ?) AS open_alerts",
                [tenantID.sqlValue] + binds + [.int(Int64(cap))]
            ).first?.int("n") ?? 0
        return (alerts, count)
    }

    /// Reads captured since `since` (by these cameras).
    public func countReads(tenantID: ID<Tenant>, since: Int64, cameraIDs: [ID<Camera>]?) async throws -> Int {
        let (cameras, binds) = Self.cameraCondition(cameraIDs)
        return try await db.query(
            "SELECT COUNT(*) AS n FROM reads WHERE tenant_id = ? AND captured_at >= ?" + cameras, [tenantID.sqlValue, .int(since)] + binds
        ).first?.int("n") ?? 0
    }

    /// The newest read of a camera.
    public func latestRead(tenantID: ID<Tenant>, cameraID: ID<Camera>) async throws -> PlateRead? {
        try await db.first(
            "SELECT * FROM reads WHERE tenant_id = ? AND camera_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1", tenantID, cameraID
        ).map(Self.read)
    }

    /// Every camera's last reported status and runner heartbeat, by camera id.
    public func cameraStatuses(tenantID: ID<Tenant>) async throws -> [ID<Camera>: (status: String?, heartbeat: Int64?)] {
        var out: [ID<Camera>: (status: String?, heartbeat: Int64?)] = [:]
        for r in try await db.query("SELECT id, status, runner_heartbeat FROM cameras WHERE tenant_id = ?", tenantID) {
            out[ID(r.string("id"))] = (r.text("status"), r.int("runner_heartbeat").map(Int64.init))
        }
        return out
    }
}
