import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Media
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

/// A tenant's `pseudonymise_after_hours`: old reads of plates on no list and in no open session get a keyed hash.
@Suite("Pseudonymised plates, on SQLite and PostgreSQL")
struct PseudonymisationTests {
    @Test(arguments: Engine.available)
    func oldReadsOfUnlistedPlatesAreHashedAndStillFound(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        let now = WallClock.nowMillis()
        let old = now - 48 * 3_600_000, recent = now - 3_600_000
        let p = "\(tenant.id)/pseudonym-test"
        func read(_ plate: String, _ display: String, at t: Int64, _ n: Int, frame: Int? = nil) -> PlateRead {
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: plate, display: display, confidence: 0.9, format: "gb.current",
                country: "GB", box: (1, 2, 30, 10), cameraID: "cam1", jobID: nil, frameTimeMillis: nil, capturedAt: t, createdAt: t,
                cropKey: "\(p)/crop-\(n).jpg", frameKey: "\(p)/frame-\(frame ?? n).jpg")
        }
        let visitor = [read("AB12CDE", "AB12 CDE", at: old, 1), read("AB12CDE", "AB12 CDE", at: recent, 2)]
        let staff = read("GY12UBL", "GY12 UBL", at: old, 3, frame: 1)  // shares the visitor's old frame
        let parked = read("XY34ZZZ", "XY34 ZZZ", at: old, 4)
        for n in 1...4 {
            for kind in ["crop", "frame"] {
                try await s.env.media.put("\(p)/\(kind)-\(n).jpg", data: Data([0xFF, 0xD8, 0xFF, 0xD9]), contentType: "image/jpeg")
            }
        }
        try await s.store.insertReads(visitor + [staff, parked])
        try await s.store.db.query(
            """
            INSERT INTO parking_sessions (id, tenant_id, site, plate, status, entered_at, permit, created_at, updated_at)
            VALUES ('ps_open', ?, 'Main', 'XY34ZZZ', 'open', ?, 0, ?, ?), ('ps_done', ?, 'Main', 'AB12CDE', 'closed', ?, 0, ?, ?)
            """, tenant.id, old, old, old, tenant.id, old, old, old)
        try await s.store.db.query(
            "INSERT INTO alerts (id, tenant_id, kind, plate, message, detail, created_at) VALUES ('al_1', ?, 'unknown_plate', 'AB12CDE', 'AB12CDE is in no group (camera cam1)', '{}', ?)",
            tenant.id, old)
        let payload =
            #"{"read":{"plate":"AB12CDE","display":"AB12 CDE","id":"\#(visitor[0].id)"},"alert":{"message":"AB12CDE is in no group"}}"#
        try await s.store.db.query(
            "INSERT INTO events (tenant_id, type, payload, created_at) VALUES (?, 'read.created', ?, ?)", tenant.id, payload, old)

        try await s.test { c in
            let group = try #require(try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff"])["id"] as? String)
            #expect(
                try await c.call(.post, "/v1/groups/\(group)/members", key: key, json: ["name": "Ann", "plate": "GY12UBL"]).status
                    == .created)
            for bad in [-1, 87_601] {
                let r = try await c.call(.patch, "/v1/tenant", key: key, json: ["pseudonymise_after_hours": bad])
                #expect(r.status == .badRequest && r.errorMessage?.contains("pseudonymise_after_hours") == true)
            }
            // Off by default: a sweep changes nothing.
            #expect(
                try await c.call(.get, "/v1/tenant", key: key)["tenant"].flatMap {
                    ($0 as? [String: Any])?["pseudonymise_after_hours"] as? Int
                } == 0)
            try await RetentionSweeper(env: s.env).sweep(now: now)
            #expect(try await c.call(.get, "/v1/reads?plate_prefix=AB", key: key).list("reads").count == 2)

            #expect(try await c.call(.patch, "/v1/tenant", key: key, json: ["pseudonymise_after_hours": 24]).status == .ok)
            try await RetentionSweeper(env: s.env).sweep(now: now)

            // The old read of the unlisted plate carries its pseudonym and no images; the recent one is untouched.
            let pseudonym = s.env.privacy.pseudonym("AB12CDE", tenantID: tenant.id)
            #expect(pseudonym.hasPrefix("~") && pseudonym.count == 25)
            let found = try await c.call(.get, "/v1/reads?plate=AB12%20CDE", key: key).list("reads")
            #expect(Set(found.compactMap { $0["plate"] as? String }) == ["AB12CDE", pseudonym])
            let hashed = try #require(found.first { $0["plate"] as? String == pseudonym })
            #expect(hashed["display"] as? String == pseudonym && hashed["crop_url"] == nil && hashed["image_url"] == nil)
            #expect(try await c.call(.get, "/v1/reads?plate_prefix=AB", key: key).list("reads").count == 1)
            // Listed plates and plates in an open session keep their text.
            for plate in ["GY12UBL", "XY34ZZZ"] {
                #expect(try await c.call(.get, "/v1/reads?plate=\(plate)", key: key).list("reads").first?["plate"] as? String == plate)
            }
            // Statistics still count every read.
            #expect(try await c.call(.get, "/v1/reads?camera_id=cam1&limit=50", key: key).list("reads").count == 4)
            // The closed session is found by the plate; its alert and event no longer name it.
            let sessions = try await c.call(.get, "/v1/sessions?plate=AB12CDE", key: key).list("sessions")
            #expect(sessions.map { $0["plate"] as? String } == [pseudonym])
            let alert = try #require(try await s.store.db.first("SELECT plate, message FROM alerts WHERE id = 'al_1'"))
            #expect(alert.string("plate") == pseudonym && alert.string("message") == "\(pseudonym) is in no group (camera cam1)")
            let event = try #require(try await s.store.db.first("SELECT payload FROM events WHERE tenant_id = ?", tenant.id)).string(
                "payload")
            #expect(
                !event.contains("AB12CDE") && !event.contains("AB12 CDE") && event.contains(pseudonym)
                    && event.contains(visitor[0].id.rawValue))
        }
        // The old crop goes; the old frame stays (the listed plate's read shows it); the recent read's files stay.
        #expect(try await s.env.media.get("\(p)/crop-1.jpg") == nil)
        for k in ["frame-1", "crop-2", "frame-2", "crop-3", "crop-4", "frame-4"] {
            #expect(try await s.env.media.get("\(p)/\(k).jpg") != nil, "\(k)")
        }
        #expect(try await s.store.pendingMediaDeletions().isEmpty)
        // A second sweep has nothing left to do.
        let again = try #require(try await s.store.tenant(tenant.id))
        #expect(try await s.env.privacy.pseudonymise(tenant: again, now: now) == 0)
        // Subject access and erasure reach the pseudonymised rows too.
        let records = try await s.store.subjectRecords(
            tenantID: tenant.id, plates: ["AB12CDE", s.env.privacy.pseudonym("AB12CDE", tenantID: tenant.id)])
        #expect(records.first { $0.section == "reads" }?.rows.count == 2)
        let erased = try await s.env.privacy.erase(
            tenantID: tenant.id, plate: "AB12CDE", typed: "AB12CDE", reason: "test", includeLists: false, actor: "test", ip: nil)
        #expect(erased.reads == 2 && erased.parking_sessions == 1 && erased.alerts == 1 && erased.events == 1)
        await s.close()
    }
}
