@testable import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

/// Every resource reachable by id answers another tenant 404 (never its data, never a change): issue 18.
@Suite("Cross-tenant access by id, on SQLite and PostgreSQL")
struct CrossTenantTests {
    @Test(arguments: Engine.available)
    func anotherTenantsIdsAreNotFound(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) {
            $0.webhooks.allowPrivate = true; $0.jobs.workers = 0
        }
        let (_, a) = try await s.tenant("a", plan: .pro)
        let (_, b) = try await s.tenant("b", plan: .pro)
        try await s.test { c in
            func id(_ r: Reply, _ what: String) throws -> String { try #require(r["id"] as? String, "\(what): \(r.status) \(r.json)") }
            let camera = try id(try await c.call(.post, "/v1/cameras", key: a, json: ["name": "Gate"]), "camera")
            let group = try id(try await c.call(.post, "/v1/groups", key: a, json: ["name": "Staff"]), "group")
            let member = try id(
                try await c.call(.post, "/v1/groups/\(group)/members", key: a, json: ["name": "Ann", "plate": "CX64PKW"]), "member")
            let list = try id(try await c.call(.post, "/v1/watchlists", key: a, json: ["name": "Ban", "reason": "banned"]), "watchlist")
            let entry = try id(try await c.call(.post, "/v1/watchlists/\(list)/entries", key: a, json: ["plate": "BD51SMR"]), "entry")
            let rule = try id(try await c.call(.post, "/v1/alert-rules", key: a, json: ["kind": "unknown_plate"]), "alert rule")
            let overstay = try id(try await c.call(.post, "/v1/overstay-rules", key: a, json: ["max_minutes": 60]), "overstay rule")
            let hook = try id(try await c.call(.post, "/v1/webhooks", key: a, json: ["url": "http://127.0.0.1:9/hook"]), "webhook")
            let key = try id(try await c.call(.post, "/v1/api-keys", key: a, json: ["name": "k"]), "api key")
            let invited = try await c.call(.post, "/v1/users", key: a, json: ["email": "x@example.com", "role": "viewer"])
            let user = try #require((invited["user"] as? [String: Any])?["id"] as? String, "user: \(invited.status)")
            let export = try id(
                try await c.call(.post, "/v1/export-jobs", key: a, json: ["dataset": "reads", "format": "csv"]), "export job")
            let job = try #require(
                try await c.upload("/v1/upload", key: a, file: try Photos.carpark())["job_id"] as? String, "upload job")
            // A pass of a watch-listed plate: a pass, its reads, an event (so a delivery) and an alert.
            let sent = try await c.call(
                .post, "/v1/passes", key: a, json: PassIngestTests().pass(plate: "BD51SMR", camera: camera),
                headers: ["Idempotency-Key": "x-1"])
            let pass = try id(sent, "pass")
            let read = try #require(
                (try await c.call(.get, "/v1/reads?pass_id=\(pass)", key: a).list("reads")).first?["id"] as? String, "read")
            let alert = try #require(try await c.call(.get, "/v1/alerts", key: a).list("alerts").first?["id"] as? String, "alert")
            let delivery = try #require(
                try await c.call(.get, "/v1/webhooks/\(hook)/deliveries", key: a).list("deliveries").first?["id"] as? String, "delivery")

            let probes: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/v1/cameras/\(camera)", nil), (.patch, "/v1/cameras/\(camera)", ["name": "x"]),
                (.get, "/v1/cameras/\(camera)/status", nil), (.delete, "/v1/cameras/\(camera)", nil),
                (.get, "/v1/groups/\(group)", nil), (.patch, "/v1/groups/\(group)", ["name": "x"]), (.delete, "/v1/groups/\(group)", nil),
                (.get, "/v1/groups/\(group)/members", nil), (.post, "/v1/groups/\(group)/members", ["name": "B", "plate": "AB12CDE"]),
                (.get, "/v1/groups/\(group)/members/export", nil), (.delete, "/v1/groups/\(group)/members/\(member)", nil),
                (.get, "/v1/watchlists/\(list)", nil), (.delete, "/v1/watchlists/\(list)", nil),
                (.get, "/v1/watchlists/\(list)/entries", nil), (.post, "/v1/watchlists/\(list)/entries", ["plate": "AB12CDE"]),
                (.delete, "/v1/watchlists/\(list)/entries/\(entry)", nil),
                (.delete, "/v1/alert-rules/\(rule)", nil), (.delete, "/v1/overstay-rules/\(overstay)", nil),
                (.get, "/v1/alerts/\(alert)", nil), (.post, "/v1/alerts/\(alert)/acknowledge", [:]),
                (.get, "/v1/webhooks/\(hook)", nil), (.patch, "/v1/webhooks/\(hook)", ["enabled": false]),
                (.get, "/v1/webhooks/\(hook)/deliveries", nil), (.get, "/v1/webhooks/\(hook)/deliveries/\(delivery)", nil),
                (.post, "/v1/webhooks/\(hook)/deliveries/\(delivery)/redeliver", [:]), (.delete, "/v1/webhooks/\(hook)", nil),
                (.delete, "/v1/api-keys/\(key)", nil), (.patch, "/v1/users/\(user)", ["role": "admin"]),
                (.delete, "/v1/users/\(user)", nil),
                (.get, "/v1/export-jobs/\(export)", nil), (.get, "/v1/export-jobs/\(export)/download", nil),
                (.delete, "/v1/export-jobs/\(export)", nil), (.get, "/v1/jobs/\(job)", nil),
                (.get, "/v1/passes/\(pass)", nil), (.get, "/v1/reads/\(read)", nil),
                (.post, "/v1/reads/\(read)/correction", ["plate": "AB12CDE"]),
            ]
            for (method, path, body) in probes {
                let r = try await c.call(method, path, key: b, json: body)
                #expect(r.status == .notFound, "\(method) \(path) by another tenant: \(r.status)")
            }
            // Nothing of tenant A changed.
            #expect(try await c.call(.get, "/v1/cameras/\(camera)", key: a)["name"] as? String == "Gate")
            #expect(try await c.call(.get, "/v1/groups/\(group)/members", key: a).list("members").count == 1)
            #expect(try await c.call(.get, "/v1/watchlists/\(list)/entries", key: a).list("entries").count == 1)
            #expect(try await c.call(.get, "/v1/webhooks/\(hook)", key: a)["enabled"] as? Bool == true)
            #expect(try await c.call(.get, "/v1/reads/\(read)", key: a)["plate"] as? String == "BD51SMR")
            #expect(try await c.call(.get, "/v1/export-jobs/\(export)", key: a).status == .ok)
            // Lists hold only the tenant's own rows.
            #expect(try await c.call(.get, "/v1/passes", key: b).list("passes").isEmpty)
            #expect(try await c.call(.get, "/v1/alerts", key: b).list("alerts").isEmpty)
        }
        await s.close()
    }
}
