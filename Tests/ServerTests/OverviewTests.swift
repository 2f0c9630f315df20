import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Server
import Storage
import Testing
import TestSupport

/// `GET /v1/overview`: every figure against what was seeded, for the tenant and for one site.
@Suite("Overview, on SQLite and PostgreSQL")
struct OverviewTests {
    @Test(arguments: Engine.available)
    func figuresMatchTheSeededTenant(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        let (other, _) = try await s.tenant("other")
        let north = try await s.store.createCamera(tenantID: tenant.id, name: "North gate", site: "North", direction: .entry, country: "GB")
        let south = try await s.store.createCamera(
            tenantID: tenant.id, name: "South gate", site: "South", direction: .both, country: "GB", sourceURL: "rtsp://camera.example/1")
        let now = WallClock.nowMillis()
        // The tenant's days are UTC here: today began at the last UTC midnight.
        let midnight = now - now % 86_400_000
        let elapsed = now - midnight
        let weekAgo = midnight - 7 * 86_400_000
        var n = 0
        func session(_ tenantID: ID<Tenant>, site: String, status: String, entered: Int64?, exited: Int64?, charge: Int? = nil) async throws
        {
            n += 1
            try await s.store.db.query(
                """
                INSERT INTO parking_sessions (id, tenant_id, site, plate, status, entered_at, exited_at, permit, charge, currency,
                  created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                """, "ses_t\(n)", tenantID, site, "AB\(n)CDE", status, entered, exited, charge, charge == nil ? nil : "GBP",
                entered ?? exited ?? now, now)
        }
        // Today: two inside at North, one in and out at South (charged 350), one exit with no entry at North.
        try await session(tenant.id, site: "North", status: "open", entered: midnight + elapsed / 4, exited: nil)
        try await session(tenant.id, site: "North", status: "open", entered: midnight + elapsed / 3, exited: nil)
        try await session(
            tenant.id, site: "South", status: "closed", entered: midnight + elapsed / 5, exited: midnight + elapsed / 2, charge: 350)
        try await session(tenant.id, site: "North", status: "missed_entry", entered: nil, exited: midnight + elapsed / 2)
        // The same weekday last week, before this time of day: one entry and exit at South; after it: one more entry.
        try await session(
            tenant.id, site: "South", status: "closed", entered: weekAgo + elapsed / 4, exited: weekAgo + elapsed / 2, charge: 200)
        try await session(
            tenant.id, site: "South", status: "closed", entered: weekAgo + elapsed + 60_000, exited: weekAgo + elapsed + 120_000,
            charge: 100)
        // Another tenant's vehicle inside is not counted.
        try await session(other.id, site: "North", status: "open", entered: midnight + elapsed / 4, exited: nil)
        // Reads: three in the last hour (two at North), one two hours ago.
        func read(_ camera: ID<Camera>?, at t: Int64) -> PlateRead {
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: "AB12CDE", display: "AB12 CDE", confidence: 0.9,
                format: "gb.current",
                country: "GB", box: (1, 2, 30, 10), cameraID: camera, jobID: nil, frameTimeMillis: nil, capturedAt: t, createdAt: t,
                cropKey: nil, frameKey: nil)
        }
        try await s.store.insertReads([
            read(north.id, at: now - 60_000), read(north.id, at: now - 30_000), read(south.id, at: now - 120_000),
            read(south.id, at: now - 7_200_000),
        ])
        // Alerts: two open (one at North), one acknowledged.
        for (id, camera, acknowledged) in [("al_1", north.id, false), ("al_2", south.id, false), ("al_3", north.id, true)] {
            try await s.store.db.query(
                """
                INSERT INTO alerts (id, tenant_id, kind, plate, message, camera_id, detail, created_at, acknowledged_at)
                VALUES (?, ?, 'unknown_plate', 'AB12CDE', 'AB12CDE is in no group', ?, '{}', ?, ?)
                """, id, tenant.id, camera, now - 1000, acknowledged ? now : nil)
        }
        try await s.test { c in
            let all = try await c.call(.get, "/v1/overview", key: key)
            #expect(all.status == .ok)
            #expect(all["vehicles_on_site"] as? Int == 2)
            #expect((all["entries"] as? [String: Int]) == ["today": 3, "same_weekday_last_week": 1])
            #expect((all["exits"] as? [String: Int]) == ["today": 2, "same_weekday_last_week": 1])
            #expect((all["revenue_today"] as? [[String: Any]])?.first?["total"] as? Int == 350)
            #expect((all["revenue_same_weekday_last_week"] as? [[String: Any]])?.first?["total"] as? Int == 200)
            let alerts = try #require(all["open_alerts"] as? [String: Any])
            #expect(alerts["count"] as? Int == 2 && (alerts["newest"] as? [Any])?.count == 2)
            #expect(all["reads_last_hour"] as? Int == 3)
            #expect((all["sites"] as? [String]) == ["North", "South"])
            // Cameras in the order they were made (both in the same millisecond here: sorted by name for the check).
            let cameras = all.list("cameras").sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
            #expect(cameras.map { $0["name"] as? String } == ["North gate", "South gate"])
            // The live camera has no runner reporting: offline, a problem; the upload camera is idle.
            #expect(cameras.map { $0["state"] as? String } == ["idle", "offline"] && all["cameras_with_problem"] as? Int == 1)
            let lastRead = try #require(cameras.first?["last_read"] as? [String: Any])  // North gate's
            #expect(lastRead["plate"] as? String == "AB12CDE")

            let northOnly = try await c.call(.get, "/v1/overview?site=North", key: key)
            #expect(northOnly["vehicles_on_site"] as? Int == 2)
            #expect((northOnly["entries"] as? [String: Int]) == ["today": 2, "same_weekday_last_week": 0])
            #expect((northOnly["exits"] as? [String: Int]) == ["today": 1, "same_weekday_last_week": 0])
            #expect((northOnly["open_alerts"] as? [String: Any])?["count"] as? Int == 1)
            #expect(northOnly["reads_last_hour"] as? Int == 2 && northOnly.list("cameras").count == 1)

            #expect(try await c.call(.get, "/v1/overview").status == .unauthorized)
            let long = String(repeating: "x", count: 201)
            #expect(try await c.call(.get, "/v1/overview?site=\(long)", key: key).errorCode == "bad_parameter")
        }
        await s.close()
    }
}
