@testable import Core
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport
import NIOFoundationEssentialsCompat

/// Groups and members, watch lists, alerts, access decisions, the SSE stream and durable webhooks.
@Suite("Events, on SQLite and PostgreSQL", .serialized)
struct EventsTests {
    /// The car-park photo reads LR64HDU.
    let photoPlate = "LR64HDU"

    @Test(arguments: Engine.available)
    func groupsMembersAndCSVImportAllOrNothing(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        try await s.test { c in
            let g = try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff"])
            #expect(g.status == .created)
            let gid = try #require(g["id"] as? String)
            let m = try await c.call(
                .post, "/v1/groups/\(gid)/members", key: key,
                json: ["name": "Ann", "email": "ann@example.com", "permit_id": "P-1", "plate": "ab12 cde"])
            #expect(m.status == .created)
            #expect(m["plate"] as? String == "AB12CDE")
            #expect(
                try await c.call(.post, "/v1/groups/\(gid)/members", key: key, json: ["name": "X", "plate": "A"]).errorCode == "bad_member")
            #expect(
                try await c.call(
                    .post, "/v1/groups/\(gid)/members", key: key,
                    json: ["name": "X", "plate": "XX11XXX", "hours": "25:00-26:00"]
                ).errorCode == "bad_member")
            // A file with one bad row imports nothing and reports the row.
            let bad = "name,email,permit_id,plate,days,hours\r\nBob,bob@example.com,P-2,BB22BBB,mon,07:00-19:00\r\nEve,eve,P-3,?,,\r\n"
            let refused = try await c.call(
                .post, "/v1/groups/\(gid)/members/import", key: key, body: Data(bad.utf8), contentType: "text/csv")
            #expect(refused.status == .unprocessableContent)
            let rows = ((refused["error"] as? [String: Any])?["rows"] as? [[String: Any]]) ?? []
            #expect(rows.count == 1 && rows.first?["row"] as? Int == 3)
            #expect(try await c.call(.get, "/v1/groups/\(gid)/members", key: key).list("members").count == 1)
            let good = "name,plate,permit_id,days,hours\nBob,BB22 BBB,P-2,\"mon,tue\",07:00-19:00\n\"Cy, Jr\",CC33CCC,P-3,,\n"
            let imported = try await c.call(
                .post, "/v1/groups/\(gid)/members/import", key: key, body: Data(good.utf8), contentType: "text/csv")
            #expect(imported["imported"] as? Int == 2)
            // As Excel saves it where the decimal mark is a comma: a byte-order mark and semicolons.
            let excel = [0xEF, 0xBB, 0xBF] + Array("name;plate;permit_id\r\nZoë;DD44 DDD;P-4\r\n".utf8)
            let fromExcel = try await c.call(
                .post, "/v1/groups/\(gid)/members/import", key: key, body: Data(excel), contentType: "text/csv")
            #expect(fromExcel["imported"] as? Int == 1, "\(fromExcel.json)")
            #expect(
                try await c.call(.get, "/v1/groups/\(gid)/members", key: key).list("members").contains { $0["name"] as? String == "Zoë" })
            let export = try await c.call(.get, "/v1/groups/\(gid)/members/export", key: key)
            let text = String(decoding: export.body, as: UTF8.self)
            #expect(text.hasPrefix("name,email,permit_id,plate,valid_from,valid_to,days,hours\r\n"))
            #expect(text.contains("\"Cy, Jr\",,P-3,CC33CCC") && text.contains("Bob,,P-2,BB22BBB,,,\"mon,tue\",07:00-19:00"))
            // 405 names the methods of the most specific documented path.
            let options = try await c.call(.options, "/v1/groups/\(gid)/members/export", key: key)
            #expect(options.status == .methodNotAllowed && options.headers[.allow] == "GET")
            #expect(try await c.call(.options, "/v1/groups/\(gid)/members/mem_x", key: key).headers[.allow] == "DELETE")
            // Another tenant sees none of it.
            #expect(try await c.call(.get, "/v1/groups/\(gid)", key: other).status == .notFound)
            #expect(try await c.call(.get, "/v1/groups/\(gid)/members", key: other).status == .notFound)
            #expect(try await c.call(.get, "/v1/groups", key: other).list("groups").isEmpty)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func readsCarryTheMatchTheAccessDecisionAndAlerts(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant(plan: .pro)
        let photo = try Photos.carpark()
        try await s.test { c in
            let cam = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Gate", "site": "north"])
            let camID = try #require(cam["id"] as? String)
            #expect(cam["unknown_access"] as? String == "deny")
            func read() async throws -> [String: Any] {
                let r = try await c.upload("/v1/recognise?camera_id=\(camID)", key: key, file: photo)
                return try #require(r.list("reads").first { $0["plate"] as? String == photoPlate })
            }
            // Unknown: denied at this camera; an unknown-plate rule for the site raises an alert.
            #expect(
                try await c.call(.post, "/v1/alert-rules", key: key, json: ["kind": "unknown_plate", "site": "north"]).status == .created)
            let unknown = try await read()
            #expect((unknown["access"] as? [String: Any])?["decision"] as? String == "deny")
            #expect((unknown["access"] as? [String: Any])?["reason"] as? String == "unknown_plate")
            #expect(try await c.call(.get, "/v1/alerts?kind=unknown_plate", key: key).list("alerts").count == 1)
            // A member with a plate one character off: fuzzy match, allowed.
            let gid = try #require(try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff"])["id"] as? String)
            #expect(
                try await c.call(
                    .post, "/v1/groups/\(gid)/members", key: key,
                    json: ["name": "Ann", "email": "a@x.io", "permit_id": "P-9", "plate": "LR64HDV"]
                ).status == .created)
            let fuzzy = try await read()
            let match = try #require(fuzzy["group_match"] as? [String: Any])
            #expect(match["match"] as? String == "fuzzy" && match["permit_id"] as? String == "P-9" && match["group"] as? String == "Staff")
            #expect((fuzzy["access"] as? [String: Any])?["decision"] as? String == "allow")
            // Stored with the read.
            let stored = try await c.call(.get, "/v1/reads/\(try #require(fuzzy["id"] as? String))", key: key)
            #expect((stored["group_match"] as? [String: Any])?["member"] as? String == "Ann")
            // On a stolen list: denied whatever the permit, with an alert that can be acknowledged.
            let wl = try #require(
                try await c.call(.post, "/v1/watchlists", key: key, json: ["name": "Police", "reason": "stolen"])["id"] as? String)
            #expect(
                try await c.call(.post, "/v1/watchlists/\(wl)/entries", key: key, json: ["plate": photoPlate, "note": "ref 123"]).status
                    == .created)
            let stolen = try await read()
            #expect((stolen["access"] as? [String: Any])?["reason"] as? String == "watchlist_stolen")
            #expect((stolen["watchlist"] as? [String: Any])?["list"] as? String == "Police")
            let alerts = try await c.call(.get, "/v1/alerts?kind=watchlist&acknowledged=false", key: key).list("alerts")
            #expect(alerts.count == 1)
            let alertID = try #require(alerts.first?["id"] as? String)
            #expect(try await c.call(.post, "/v1/alerts/\(alertID)/acknowledge", key: key)["acknowledged"] as? Bool == true)
            #expect(try await c.call(.get, "/v1/alerts?kind=watchlist&acknowledged=false", key: key).list("alerts").isEmpty)
            // The decision is also made for reads that are not stored.
            let unstored = try await c.upload("/v1/recognise?store=false&camera_id=\(camID)", key: key, file: photo)
            #expect((unstored.list("reads").first?["access"] as? [String: Any])?["decision"] as? String == "deny")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func streamSendsEventsAndResumesWithoutGaps(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) {
            $0.events.heartbeatSeconds = 0.5; $0.http.publicURL = "https://anpr.example.com"
        }
        let (_, key) = try await s.tenant(plan: .pro)
        let photo = try Photos.carpark()
        try await s.live { c, port in
            #expect(try await c.call(.get, "/v1/stream", key: nil).status == .unauthorized)
            let sse = try SSEClient(port: port, path: "/v1/stream", headers: ["Authorization": "Bearer \(key)"])
            #expect(await sse.responseStatus(timeout: 10) == 200)
            _ = try await c.upload("/v1/recognise", key: key, file: photo)
            let first = try #require(await sse.next(timeout: 10))
            #expect(first.event == "plate.detected")
            let payload = first.json
            #expect(payload["event"] as? String == "plate.detected" && payload["id"] as? Int == Int(first.id ?? ""))
            let data = try #require(payload["data"] as? [String: Any])
            #expect(data["plate"] as? String == photoPlate)
            #expect(data.keys.contains("group_match") && data.keys.contains("image_url") && data.keys.contains("camera_id"))
            #expect((data["image_url"] as? String)?.hasPrefix("https://anpr.example.com/v1/reads/") == true)
            sse.disconnect()
            // Two more reads while disconnected, then resume from the first id.
            _ = try await c.upload("/v1/recognise", key: key, file: photo)
            _ = try await c.upload("/v1/recognise", key: key, file: photo)
            let resumed = try SSEClient(
                port: port, path: "/v1/stream", headers: ["Authorization": "Bearer \(key)", "Last-Event-ID": first.id ?? "0"])
            var ids: [Int] = []
            while ids.count < 2, let e = await resumed.next(timeout: 10) { ids.append(Int(e.id ?? "") ?? 0) }
            let firstID = Int(first.id ?? "") ?? 0
            #expect(ids == [firstID + 1, firstID + 2])
            // Live after the replay, and filtered by type.
            let alertsOnly = try SSEClient(port: port, path: "/v1/stream?types=alert.raised", headers: ["Authorization": "Bearer \(key)"])
            _ = await alertsOnly.responseStatus(timeout: 10)
            let wl = try #require(
                try await c.call(.post, "/v1/watchlists", key: key, json: ["name": "Ban", "reason": "banned"])["id"] as? String)
            _ = try await c.call(.post, "/v1/watchlists/\(wl)/entries", key: key, json: ["plate": photoPlate])
            _ = try await c.upload("/v1/recognise", key: key, file: photo)
            let live = try #require(await resumed.next(timeout: 10))
            #expect(Int(live.id ?? "") == firstID + 3 && live.event == "plate.detected")
            let alert = try #require(await alertsOnly.next(timeout: 10))
            #expect(alert.event == "alert.raised")
            #expect(((alert.json["data"] as? [String: Any])?["alert"] as? [String: Any])?["kind"] as? String == "watchlist")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func webhooksAreRefusedForPrivateTargetsUnlessAllowed(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let r = try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "http://127.0.0.1:9/hook"])
            #expect(r.status == .forbidden && r.errorCode == "webhook_target_forbidden")
            #expect(try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "http://10.1.2.3/hook"]).status == .forbidden)
            #expect(try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "ftp://example.com"]).errorCode == "bad_webhook_url")
            #expect(try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "https://\u{00CF}"]).errorCode == "bad_webhook_url")
            #expect(
                try await c.call(
                    .post, "/v1/webhooks", key: key,
                    json: ["url": "https://example.com/h", "events": ["nope"]]
                ).errorCode == "bad_parameter")
        }
        await s.close()
    }
}

/// A local receiver that fails a share of requests and checks every signature.
final class FlakyReceiver: @unchecked Sendable {
    let lock = NSLock()
    var received: [Int: Int] = [:]  // event id -> deliveries accepted
    var requests = 0
    var badSignatures = 0
    let failEvery: (Int) -> Bool
    let secret: @Sendable () -> String
    var task: Task<Void, any Error>?
    var port = 0

    init(secret: @escaping @Sendable () -> String, fail: @escaping (Int) -> Bool) { self.secret = secret; failEvery = fail }

    func start() async throws {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let ts = request.headers[.init("X-MicroANPR-Timestamp")!] ?? ""
            let sig = request.headers[.init("X-MicroANPR-Signature")!] ?? ""
            let mac = HMAC<SHA256>.authenticationCode(
                for: Data((ts + ".").utf8) + body, using: SymmetricKey(data: Data(self.secret().utf8)))
            let expected = "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined()
            let id = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["id"] as? Int ?? -1
            let fail: Bool = self.lock.withLock {
                self.requests += 1
                if sig != expected { self.badSignatures += 1 }
                if self.failEvery(self.requests) { return true }
                self.received[id, default: 0] += 1
                return false
            }
            return Response(status: fail ? .internalServerError : .ok)
        }
        let portBox = PortBox()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.set(channel.localAddress?.port ?? 0) })
        task = Task { try await app.runService() }
        for _ in 0..<200 where portBox.get() == 0 { try await Task.sleep(for: .milliseconds(20)) }
        port = portBox.get()
    }

    func stop() { task?.cancel() }
    var url: String { "http://127.0.0.1:\(port)/hook" }
    var snapshot: (received: [Int: Int], requests: Int, badSignatures: Int) { lock.withLock { (received, requests, badSignatures) } }
}

final class PortBox: @unchecked Sendable {
    let lock = NSLock()
    var port = 0
    func set(_ p: Int) { lock.withLock { port = p } }
    func get() -> Int { lock.withLock { port } }
}

final class SecretBox: @unchecked Sendable {
    let lock = NSLock()
    var value = ""
    func set(_ v: String) { lock.withLock { value = v } }
    func get() -> String { lock.withLock { value } }
}

@Suite("Webhooks", .serialized)
struct WebhookTests {
    func configure(_ c: inout ServerConfiguration) {
        c.webhooks.allowPrivate = true
        c.webhooks.retryBaseSeconds = 0.05
        c.webhooks.timeoutSeconds = 1
        c.jobs.workers = 0
    }

    @Test(arguments: Engine.available)
    func everyEventIsDeliveredSignedDespiteAFlakyReceiver(engine: Engine) async throws {
        let secret = SecretBox()
        // Fails 3 requests in 10.
        let receiver = FlakyReceiver(secret: secret.get) { $0 % 10 < 3 }
        try await receiver.start()
        defer { receiver.stop() }
        let s = try await TestServer.make(engine, models: true) { c in
            configure(&c)
            // Long enough that a busy machine's slow 200 is not taken for a failure and sent again (at least once).
            c.webhooks.timeoutSeconds = 10
        }
        let (tenant, key) = try await s.tenant(plan: .pro)
        try await s.live { c, _ in
            let hook = try await c.call(
                .post, "/v1/webhooks", key: key, json: ["url": receiver.url, "events": ["plate.detected", "job.updated"]])
            #expect(hook.status == .created)
            secret.set(try #require(hook["secret"] as? String))
            let hookID = try #require(hook["id"] as? String)
            #expect(try await c.call(.get, "/v1/webhooks/\(hookID)", key: key)["secret"] == nil, "the secret is shown once")
            // 60 events stored, one of them by a real read; alert.raised is not subscribed.
            for i in 0..<59 {
                try await s.store.recordEvents(
                    tenantID: tenant.id,
                    [
                        NewEvent(
                            type: i % 2 == 0 ? "plate.detected" : "job.updated",
                            payload: #"{"event":"plate.detected","data":{}}"#)
                    ])
            }
            try await s.store.recordEvents(tenantID: tenant.id, [NewEvent(type: "alert.raised", payload: #"{"event":"alert.raised"}"#)])
            _ = try await c.upload("/v1/recognise", key: key, file: try Photos.carpark())
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, receiver.snapshot.received.count < 60 { try await Task.sleep(for: .milliseconds(100)) }
            let snap = receiver.snapshot
            #expect(snap.received.count == 60, "every subscribed event delivered")
            #expect(snap.received.values.allSatisfy { $0 == 1 }, "accepted once each")
            #expect(snap.badSignatures == 0)
            #expect(snap.requests > 60, "some requests failed and were retried")
            // The receiver answers 200 before the sender records the delivery, so the last status may lag the
            // receiver by a moment: wait for it rather than read it once.
            var deliveries: [[String: Any]] = []
            let recorded = Date().addingTimeInterval(20)
            repeat {
                deliveries = try await c.call(.get, "/v1/webhooks/\(hookID)/deliveries?limit=500", key: key).list("deliveries")
                if deliveries.count == 60 && deliveries.allSatisfy({ $0["status"] as? String == "delivered" }) { break }
                try await Task.sleep(for: .milliseconds(100))
            } while Date() < recorded
            #expect(deliveries.count == 60 && deliveries.allSatisfy { $0["status"] as? String == "delivered" })
            let retried = try #require(deliveries.first { ($0["attempts"] as? Int ?? 0) > 1 })
            let detail = try await c.call(.get, "/v1/webhooks/\(hookID)/deliveries/\(try #require(retried["id"] as? String))", key: key)
            let log = (detail["log"] as? [[String: Any]]) ?? []
            #expect(log.first?["status"] as? Int == 500 && log.last?["status"] as? Int == 200)
            // Manual redelivery sends it again.
            let before = receiver.snapshot.requests
            #expect(
                try await c.call(.post, "/v1/webhooks/\(hookID)/deliveries/\(try #require(retried["id"] as? String))/redeliver", key: key)
                    .status == .accepted)
            let until = Date().addingTimeInterval(20)
            while Date() < until, receiver.snapshot.requests == before { try await Task.sleep(for: .milliseconds(100)) }
            #expect(receiver.snapshot.requests > before)
        }
        await s.close()
    }

    @Test func theOutboxSurvivesARestartAndFailingHooksAreDisabled() async throws {
        let secret = SecretBox()
        let dir = try TestPaths.temporaryDirectory()
        func server(_ extra: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
            try await TestServer.make(.sqlite, models: true) { c in
                configure(&c)
                c.storage.dataDirectory = dir.path
                c.storage.databaseURL = dir.appendingPathComponent("db.sqlite").path
                extra(&c)
            }
        }
        // First process: the receiver is down (nothing listens on the port); events wait in the outbox.
        let down = freeLoopbackPort()
        let first = try await server { $0.webhooks.retryBaseSeconds = 0.2 }
        let (tenant, key) = try await first.tenant(plan: .pro)
        let hookID: String = try await first.test { c in
            let hook = try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "http://127.0.0.1:\(down)/hook"])
            secret.set(try #require(hook["secret"] as? String))
            return try #require(hook["id"] as? String)
        }
        for _ in 0..<5 {
            try await first.store.recordEvents(
                tenantID: tenant.id, [NewEvent(type: "plate.detected", payload: #"{"event":"plate.detected"}"#)])
        }
        try await first.live { _, _ in try await Task.sleep(for: .seconds(1)) }
        await first.close()
        // The receiver comes up on that port; a new process delivers everything.
        let receiver = FlakyReceiver(secret: secret.get) { _ in false }
        try await receiver.start()
        defer { receiver.stop() }
        let second = try await server()
        try await second.test { c in
            _ = try await c.call(.patch, "/v1/webhooks/\(hookID)", key: key, json: ["url": receiver.url])
        }
        try await second.live { _, _ in
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, receiver.snapshot.received.count < 5 { try await Task.sleep(for: .milliseconds(100)) }
        }
        let state = try await second.store.deliveries(tenantID: tenant.id, webhookID: ID(hookID), limit: 10)
            .map { "\($0.status) attempts=\($0.attempts) next=\($0.nextAttemptAt - WallClock.nowMillis()) err=\($0.lastError ?? "")" }
        #expect(receiver.snapshot.received.count == 5, "\(state)")
        await second.close()
        // A hook that always fails is disabled after the configured run, with an alert.
        let third = try await server {
            $0.webhooks.maxFailures = 3; $0.webhooks.retryBaseSeconds = 0.01
        }
        try await third.live { c, _ in
            let bad = try await c.call(.post, "/v1/webhooks", key: key, json: ["url": "http://127.0.0.1:\(freeLoopbackPort())/x"])
            let badID = try #require(bad["id"] as? String)
            try await third.store.recordEvents(
                tenantID: tenant.id, [NewEvent(type: "plate.detected", payload: #"{"event":"plate.detected"}"#)])
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, try await c.call(.get, "/v1/webhooks/\(badID)", key: key)["enabled"] as? Bool != false {
                try await Task.sleep(for: .milliseconds(100))
            }
            let hook = try await c.call(.get, "/v1/webhooks/\(badID)", key: key)
            #expect(hook["enabled"] as? Bool == false && (hook["disabled_reason"] as? String)?.contains("3 failed") == true)
            #expect(try await c.call(.get, "/v1/alerts?kind=webhook_disabled", key: key).list("alerts").count == 1)
        }
        await third.close()
    }
}
