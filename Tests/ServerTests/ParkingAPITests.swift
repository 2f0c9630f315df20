import Foundation
import ExportFormats
import Hummingbird
import HummingbirdTesting
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

@Suite("Parking sessions, tariffs and revenue, on SQLite and PostgreSQL")
struct ParkingAPITests {
    /// £2 up to 1 h, £3.50 up to 2 h, then £1.50 per started hour; capped at £12 a day; 10 minutes' grace.
    static var tariff: [String: Any] {
        [
            "currency": "GBP", "grace_minutes": 10, "daily_cap": 1200, "uk_bank_holidays": false,
            "weekday": ["bands": [["up_to_minutes": 60, "price": 200], ["up_to_minutes": 120, "price": 350]], "hourly": 150],
        ]
    }

    func pass(_ plate: String, camera: String, at: String) -> [String: Any] {
        [
            "plate": plate, "confidence": 0.9, "first_seen_at": at, "last_seen_at": at, "camera_id": camera,
            "reads": [["plate": plate, "confidence": 0.9, "box": ["x": 1, "y": 1, "width": 50, "height": 12], "captured_at": at]],
        ]
    }

    /// Passes that are not parking (no camera, or a camera without a site) are walked once: the ledger's cursor
    /// moves past them, so a later round reads only what is new (it once walked them all every 2 seconds).
    @Test(arguments: Engine.available)
    func theLedgerMovesPastPassesThatAreNotParking(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        try await s.store.seed(tenantID: tenant.id, kind: .passes, range: 1...1_234, of: 1_234, days: 1, plates: 100)
        // The seed moves the cursor past its passes (they are history): here the ledger must find them new.
        try await s.store.db.query("DELETE FROM server_settings WHERE name = 'parking_cursor'")
        let service = ParkingService(env: s.env)
        #expect(try await service.runOnce(now: WallClock.nowMillis()) == 0)
        let newest = try #require(try await s.store.db.first("SELECT created_at, id FROM passes ORDER BY created_at DESC, id DESC LIMIT 1"))
        let cursor = try await s.store.parkingCursor()
        #expect(cursor.0 == Int64(newest.int("created_at") ?? 0) && cursor.1 == newest.string("id"))
        #expect(try await s.store.passesForParking(after: cursor, limit: 500).scanned == 0)
        // A parking pass after them is applied.
        try await s.test { c in
            let entry = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "In", "site": "Car park A", "direction": "entry"])["id"]
                    as? String)
            let now = JSONTime.string(WallClock.nowMillis())!
            #expect(
                try await c.call(
                    .post, "/v1/passes", key: key, json: pass("AB12CDE", camera: entry, at: now), headers: ["Idempotency-Key": "p1"]
                ).status == .created)
        }
        #expect(try await service.runOnce(now: WallClock.nowMillis()) == 1)
        await s.close()
    }

    @Test(arguments: Engine.available)
    func entryAndExitPassesBecomePricedSessions(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        try await s.test { c in
            let entry = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "In", "site": "Car park A", "direction": "entry"])["id"]
                    as? String)
            let exit = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Out", "site": "Car park A", "direction": "exit"])["id"]
                    as? String)
            let set = try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "Car park A", "tariff": Self.tariff])
            #expect(set.status == .ok)
            // A permit holder parks free.
            let g = try #require(try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff"])["id"] as? String)
            #expect(
                try await c.call(.post, "/v1/groups/\(g)/members", key: key, json: ["name": "Sam", "plate": "PE12RMT"]).status == .created)
            var n = 0
            func post(_ p: [String: Any]) async throws {
                n += 1
                let r = try await c.call(.post, "/v1/passes", key: key, json: p, headers: ["Idempotency-Key": "k\(n)"])
                #expect(r.status == .created)
            }
            try await post(pass("AB12CDE", camera: entry, at: "2026-11-18T08:00:00.000Z"))
            try await post(pass("PE12RMT", camera: entry, at: "2026-11-18T08:05:00.000Z"))
            try await post(pass("AB12CDE", camera: exit, at: "2026-11-18T10:30:00.000Z"))  // 2.5 h: 350 + 150
            try await post(pass("PE12RMT", camera: exit, at: "2026-11-18T12:00:00.000Z"))
            try await post(pass("XY99ZZZ", camera: exit, at: "2026-11-18T12:10:00.000Z"))  // no entry
            try await post(pass("GH34JKL", camera: entry, at: "2026-11-18T09:00:00.000Z"))
            try await post(pass("GH34JKL", camera: entry, at: "2026-11-18T13:00:00.000Z"))  // entered again: the first missed its exit
            let service = ParkingService(env: s.env)
            #expect(try await service.runOnce(now: JSONTime.parse("2026-11-18T14:00:00.000Z")!) == 7)
            #expect(try await service.runOnce(now: JSONTime.parse("2026-11-18T14:00:00.000Z")!) == 0, "each pass once")
            let sessions = try await c.call(.get, "/v1/sessions?limit=50", key: key).list("sessions")
            func find(_ plate: String, _ status: String) -> [String: Any]? {
                sessions.first { $0["plate"] as? String == plate && $0["status"] as? String == status }
            }
            let ab = try #require(find("AB12CDE", "closed"))
            #expect(ab["charge"] as? Int == 500 && ab["currency"] as? String == "GBP" && ab["minutes"] as? Int == 150)
            let pe = try #require(find("PE12RMT", "closed"))
            #expect(pe["charge"] as? Int == 0 && pe["permit_holder"] as? Bool == true)
            #expect(find("XY99ZZZ", "missed_entry") != nil)
            #expect(find("GH34JKL", "missed_exit") != nil && find("GH34JKL", "open") != nil)
            #expect(sessions.count == 5)
            // Still open after a day: closed as missed_exit by the timeout.
            try await service.runOnce(now: JSONTime.parse("2026-11-19T14:00:01.000Z")!)
            let open = try await c.call(.get, "/v1/sessions?status=open", key: key).list("sessions")
            #expect(open.isEmpty)
            // Revenue per day and site.
            let revenue = try await c.call(.get, "/v1/reports/revenue?from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z", key: key)
            let days = revenue.list("days")
            #expect(
                days.count == 1 && days[0]["total"] as? Int == 500 && days[0]["sessions"] as? Int == 2
                    && days[0]["site"] as? String == "Car park A")
            // Analytics over the day (tenant time zone UTC).
            let summary = try await c.call(.get, "/v1/reports/summary?from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z", key: key)
            #expect(summary["sessions"] as? Int == 5 && summary["permit_holders"] as? Int == 1 && summary["others"] as? Int == 4)
            #expect(summary.list("dwell").first { $0["range"] as? String == "2-4 h" }?["sessions"] as? Int == 2)
            #expect(summary.list("entries_by_hour")[8]["entries"] as? Int == 2)
            let occupancy = summary.list("occupancy")
            #expect(occupancy.count == 24 && occupancy[9]["vehicles"] as? Int == 2 && occupancy[11]["vehicles"] as? Int == 1)
            #expect((summary["repeat_visitors"] as? [String: Any])?["plates"] as? Int == 1, "GH34JKL came twice")
            // Another tenant sees none of it.
            #expect(try await c.call(.get, "/v1/sessions", key: other).list("sessions").isEmpty)
            let id = try #require(ab["id"] as? String)
            #expect(try await c.call(.get, "/v1/sessions/\(id)", key: other).status == .notFound)
            #expect(try await c.call(.get, "/v1/sessions/\(id)", key: key)["plate"] as? String == "AB12CDE")
            #expect(try await c.call(.get, "/v1/sessions?status=nope", key: key).errorCode == "bad_parameter")
        }
        await s.close()
    }

    /// Entries are counted by the tenant's local hour in the database, with the offset each entry had: across the
    /// end of British Summer Time (2026-10-25), 08:00 in London is 07:00Z before and 08:00Z after, both hour 8.
    @Test(arguments: Engine.available)
    func entriesByHourFollowTheTenantsClockAcrossAnOffsetChange(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            #expect(try await c.call(.patch, "/v1/tenant", key: key, json: ["time_zone": "Europe/London"]).status == .ok)
            let entry = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "In", "site": "A", "direction": "entry"])["id"] as? String)
            for (n, (plate, at)) in [
                ("AB12CDE", "2026-10-24T07:00:00.000Z"), ("CD34EFG", "2026-10-26T08:00:00.000Z"),
                ("EF56GHJ", "2026-10-26T13:30:00.000Z"),
            ].enumerated() {
                let r = try await c.call(
                    .post, "/v1/passes", key: key, json: pass(plate, camera: entry, at: at), headers: ["Idempotency-Key": "k\(n)"])
                #expect(r.status == .created)
            }
            #expect(try await ParkingService(env: s.env).runOnce(now: JSONTime.parse("2026-10-26T14:00:00.000Z")!) == 3)
            let summary = try await c.call(.get, "/v1/reports/summary?from=2026-10-23T23:00:00Z&to=2026-10-27T00:00:00Z", key: key)
            let hours = summary.list("entries_by_hour").map { $0["entries"] as? Int ?? -1 }
            #expect(hours.count == 24 && hours[8] == 2 && hours[13] == 1 && hours.reduce(0, +) == 3, "\(hours)")
        }
        await s.close()
    }

    @Test func offsetsAreCutWhereTheZoneChanges() throws {
        let from = try #require(JSONTime.parse("2026-10-01T00:00:00Z")), to = try #require(JSONTime.parse("2026-11-01T00:00:00Z"))
        let london = ParkingController.offsets(try #require(TimeZone(identifier: "Europe/London")), from: from, to: to)
        #expect(london.map(\.milliseconds) == [3_600_000, 0])
        #expect(london.last?.start == JSONTime.parse("2026-10-25T01:00:00Z"))
        let kathmandu = ParkingController.offsets(try #require(TimeZone(identifier: "Asia/Kathmandu")), from: from, to: to)
        #expect(kathmandu.count == 1 && kathmandu[0].milliseconds == 20_700_000)
    }

    @Test(arguments: Engine.available)
    func overstayRaisesOneAlert(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let entry = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "In", "site": "Depot", "direction": "entry"])["id"]
                    as? String)
            #expect(try await c.call(.post, "/v1/overstay-rules", key: key, json: ["site": "Depot", "max_minutes": 60]).status == .created)
            #expect(try await c.call(.post, "/v1/overstay-rules", key: key, json: ["max_minutes": 0]).errorCode == "bad_parameter")
            let r = try await c.call(
                .post, "/v1/passes", key: key, json: pass("AB12CDE", camera: entry, at: "2026-11-18T08:00:00.000Z"),
                headers: ["Idempotency-Key": "e1"])
            #expect(r.status == .created)
            let service = ParkingService(env: s.env)
            try await service.runOnce(now: JSONTime.parse("2026-11-18T08:30:00.000Z")!)
            #expect(try await c.call(.get, "/v1/alerts?kind=overstay", key: key).list("alerts").isEmpty)
            try await service.runOnce(now: JSONTime.parse("2026-11-18T09:30:00.000Z")!)
            try await service.runOnce(now: JSONTime.parse("2026-11-18T10:30:00.000Z")!)
            let alerts = try await c.call(.get, "/v1/alerts?kind=overstay", key: key).list("alerts")
            #expect(alerts.count == 1)
            #expect((alerts.first?["message"] as? String)?.contains("AB12CDE has stayed at Depot for 90 min") == true)
        }
        await s.close()
    }

    @Test func quotesInEveryShape() async throws {
        let s = try await TestServer.make(.sqlite)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            // The original design's shape: a price per started hour in currency units for a duration in hours
            // (a number or a numeric string), or between two dates; priced in that unit and in minor units.
            let seed = try await c.call(
                .post, "/v1/tariffs/quote", key: key, json: ["dayType": "weekday", "duration": "3", "baseRate": 2.5])
            #expect(seed["total"] as? Int == 750 && seed["amount"] as? Double == 7.5 && seed["minutes"] as? Int == 180)
            let started = try await c.call(
                .post, "/v1/tariffs/quote", key: key, json: ["dayType": "weekday", "duration": 2.5, "baseRate": "2.5"])
            #expect(started["amount"] as? Double == 7.5, "every started hour is charged")
            let dates = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: [
                    "dayType": "weekday", "duration": "3", "baseRate": 1, "startDate": "2026-11-18T22:00:00Z",
                    "endDate": "2026-11-19T01:00:00Z",
                ])
            #expect(dates["total"] as? Int == 300 && (dates["lines"] as? [Any])?.count == 2)
            // Valid JSON of the wrong type says which field and what was expected.
            let wrongNumber = try await c.call(.post, "/v1/tariffs/quote", key: key, json: ["duration": "three", "baseRate": 2.5])
            #expect(wrongNumber.errorMessage?.contains("duration") == true, "\(wrongNumber.errorMessage ?? "")")
            let notInteger = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: [
                    "tariff": ["weekday": ["hourly": 2.5]], "entered_at": "2026-11-18T08:00:00Z",
                    "exited_at": "2026-11-18T09:00:00Z",
                ])
            #expect(notInteger.errorMessage?.contains("tariff.weekday.hourly") == true, "\(notInteger.errorMessage ?? "")")
            let notBool = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: ["site": "A", "entered_at": "2026-11-18T08:00:00Z", "exited_at": "2026-11-18T09:00:00Z", "permit_holder": "yes"])
            #expect(
                notBool.errorMessage
                    == "request body is not valid JSON for this endpoint: wrong type at permit_holder: expected true or false")
            let inline = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: [
                    "tariff": Self.tariff, "entered_at": "2026-11-18T08:00:00Z", "exited_at": "2026-11-18T08:09:00Z",
                ])
            #expect(inline["total"] as? Int == 0 && inline["free_reason"] as? String == "grace")
            let permit = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: [
                    "tariff": Self.tariff, "entered_at": "2026-11-18T08:00:00Z", "exited_at": "2026-11-18T18:00:00Z", "permit_holder": true,
                ])
            #expect(permit["free_reason"] as? String == "permit")
            #expect(try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "A", "tariff": Self.tariff]).status == .ok)
            let bySite = try await c.call(
                .post, "/v1/tariffs/quote", key: key,
                json: [
                    "site": "A", "entered_at": "2026-11-18T06:00:00Z", "exited_at": "2026-11-18T22:00:00Z",
                ])
            #expect(bySite["total"] as? Int == 1200)
            #expect(try await c.call(.get, "/v1/tariffs", key: key).list("tariffs").count == 1)
            // Bad input is explained.
            for body: [String: Any] in [
                ["baseRate": -1, "duration": 1], ["baseRate": 1], ["baseRate": 1.5, "duration": 9000], ["baseRate": [1], "duration": 1],
                ["baseRate": 1, "duration": 1, "dayType": "someday"],
                ["tariff": Self.tariff, "entered_at": "2026-11-18T10:00:00Z", "exited_at": "2026-11-18T09:00:00Z"],
                ["site": "nowhere", "entered_at": "2026-11-18T08:00:00Z", "exited_at": "2026-11-18T09:00:00Z"],
            ] {
                let r = try await c.call(.post, "/v1/tariffs/quote", key: key, json: body)
                #expect(r.status == .badRequest || r.status == .notFound, "\(body)")
            }
            let bad = try await c.call(
                .put, "/v1/tariffs", key: key, json: ["site": "A", "tariff": ["currency": "pounds", "weekday": ["hourly": 100]]])
            #expect(bad.errorCode == "bad_tariff")
            // PUT's body is decoded as a typed body: a blank site and a tariff of the wrong shape are named.
            let blank = try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "  ", "tariff": Self.tariff])
            #expect(blank.errorCode == "bad_parameter" && blank.errorMessage?.contains("site") == true, "\(blank.json)")
            let shape = try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "A", "tariff": ["weekday": ["hourly": "free"]]])
            #expect(shape.errorCode == "bad_json" && shape.errorMessage?.contains("hourly") == true, "\(shape.json)")
            #expect(try await c.call(.delete, "/v1/tariffs?site=A", key: key).status == .noContent)
            #expect(try await c.call(.delete, "/v1/tariffs?site=A", key: key).status == .notFound)
        }
        await s.close()
    }
}
