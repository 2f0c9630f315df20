import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TestSupport

@Suite("Pass ingest (edge agents), on SQLite and PostgreSQL")
struct PassIngestTests {
    func pass(plate: String = "BD51SMR", camera: String? = nil, confidence: Double = 0.8) -> [String: Any] {
        var p: [String: Any] = [
            "plate": plate, "display": "BD51 SMR", "confidence": confidence, "format": "gb.current", "country": "GB",
            "movement": "approaching", "first_seen_at": "2026-11-22T08:00:00.000Z", "last_seen_at": "2026-11-22T08:00:04.500Z",
            "reads": (0..<3).map { i -> [String: Any] in
                [
                    "plate": plate, "confidence": 0.7, "box": ["x": 10 + i, "y": 20, "width": 100, "height": 25],
                    "captured_at": "2026-11-22T08:00:0\(i * 2).000Z",
                ]
            },
        ]
        if let camera { p["camera_id"] = camera }
        return p
    }

    @Test(arguments: Engine.available)
    func aPassIsStoredOncePerIdempotencyKey(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        try await s.test { c in
            let cam = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Exit", "direction": "exit"])
            let cameraID = try #require(cam["id"] as? String)
            let first = try await c.call(.post, "/v1/passes", key: key, json: pass(camera: cameraID), headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == .created)
            #expect(first["plate"] as? String == "BD51SMR")
            #expect(first["direction"] as? String == "exit")
            #expect(first["frames"] as? Int == 3)
            #expect(first["first_seen_at"] as? String == "2026-11-22T08:00:00.000Z")
            #expect(first["last_seen_at"] as? String == "2026-11-22T08:00:04.500Z")
            // A retry after a lost response answers the stored pass.
            let again = try await c.call(.post, "/v1/passes", key: key, json: pass(camera: cameraID), headers: ["Idempotency-Key": "k-1"])
            #expect(again.status == .ok)
            #expect(again["id"] as? String == first["id"] as? String)
            #expect(try await c.call(.get, "/v1/passes", key: key).list("passes").count == 1)
            // The same key for another pass is a conflict, and a bad body is refused even with a known key.
            let reused = try await c.call(
                .post, "/v1/passes", key: key, json: pass(plate: "AB12CDE", camera: cameraID),
                headers: ["Idempotency-Key": "k-1"])
            #expect(reused.status == .conflict)
            #expect(reused.errorCode == "idempotency_key_reused")
            #expect(
                try await c.call(
                    .post, "/v1/passes", key: key, json: pass(camera: cameraID, confidence: 3),
                    headers: ["Idempotency-Key": "k-1"]
                ).errorCode == "bad_pass")
            let id = try #require(first["id"] as? String)
            #expect(try await c.call(.get, "/v1/reads?pass_id=\(id)", key: key).list("reads").count == 3)
            #expect(try await c.call(.get, "/v1/usage", key: key)["plate_reads"] as? Int == 1)
            // Keys are per tenant, and so are cameras.
            #expect(try await c.call(.post, "/v1/passes", key: other, json: pass(), headers: ["Idempotency-Key": "k-1"]).status == .created)
            #expect(try await c.call(.get, "/v1/passes", key: other).list("passes").count == 1)
            let foreign = try await c.call(
                .post, "/v1/passes", key: other, json: pass(camera: cameraID), headers: ["Idempotency-Key": "k-2"])
            #expect(foreign.status == .notFound)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func multipartCarriesTheCropAndFrame(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        let jpeg = try Photos.carpark()
        try await s.test { c in
            let boundary = "b-\(UUID().uuidString)"
            var body = Data()
            func part(_ name: String, _ type: String, _ data: Data) {
                body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
                body += data + Data("\r\n".utf8)
            }
            part("pass", "application/json", try JSONSerialization.data(withJSONObject: pass()))
            part("crop", "image/jpeg", jpeg)
            part("frame", "image/jpeg", jpeg)
            body += Data("--\(boundary)--\r\n".utf8)
            let r = try await c.call(
                .post, "/v1/passes", key: key, body: body, contentType: "multipart/form-data; boundary=\(boundary)",
                headers: ["Idempotency-Key": "edge-1"])
            #expect(r.status == .created)
            let crop = try #require(r["crop_url"] as? String)
            let image = try await c.call(.get, crop)
            #expect(image.status == .ok)
            #expect(image.body == jpeg)
            // Bytes that are no image are refused and nothing is stored.
            var bad = Data()
            bad += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"pass\"\r\n\r\n".utf8)
            bad += try JSONSerialization.data(withJSONObject: pass()) + Data("\r\n".utf8)
            bad += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"crop\"\r\n\r\nnot a jpeg\r\n--\(boundary)--\r\n".utf8)
            let refused = try await c.call(
                .post, "/v1/passes", key: key, body: bad, contentType: "multipart/form-data; boundary=\(boundary)",
                headers: ["Idempotency-Key": "edge-2"])
            #expect(refused.status.code >= 400 && refused.status.code < 500)
            #expect(try await c.call(.get, "/v1/passes", key: key).list("passes").count == 1)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func badPassesAreRefusedWithReasons(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let noKey = try await c.call(.post, "/v1/passes", key: key, json: pass())
            #expect(noKey.errorCode == "missing_idempotency_key")
            #expect(
                try await c.call(.post, "/v1/passes", key: key, json: pass(), headers: ["Idempotency-Key": "a b"]).errorCode
                    == "bad_idempotency_key")
            func refused(_ p: [String: Any]) async throws -> String? {
                try await c.call(.post, "/v1/passes", key: key, json: p, headers: ["Idempotency-Key": UUID().uuidString]).errorCode
            }
            #expect(try await refused(pass(confidence: 2)) == "bad_pass")
            #expect(try await refused(pass(plate: "gl19 tnj")) == "bad_pass")
            var noReads = pass(); noReads["reads"] = [Any]()
            #expect(try await refused(noReads) == "bad_pass")
            var backwards = pass(); backwards["last_seen_at"] = "2026-11-21T08:00:00Z"
            #expect(try await refused(backwards) == "bad_pass")
            var badBest = pass(); badBest["best_read"] = 7
            #expect(try await refused(badBest) == "bad_pass")
            var noTime = pass(); noTime["first_seen_at"] = NSNull()
            #expect(try await refused(noTime) == "bad_json")
            // The body is the document's PassInput (generated into APIContract): a wrong time or movement names its field.
            var badTime = pass();
            badTime["reads"] = [
                ["plate": "BD51SMR", "confidence": 0.7, "box": ["x": 1, "y": 1, "width": 9, "height": 3], "captured_at": "noon"]
            ]
            let time = try await c.call(.post, "/v1/passes", key: key, json: badTime, headers: ["Idempotency-Key": "t-1"])
            #expect(time.errorCode == "bad_json")
            #expect(time.errorMessage?.contains("reads[0].captured_at") == true, "\(time.errorMessage ?? "")")
            #expect(time.errorMessage?.contains("RFC 3339") == true)
            var badMovement = pass(); badMovement["movement"] = "sideways"
            let movement = try await c.call(.post, "/v1/passes", key: key, json: badMovement, headers: ["Idempotency-Key": "t-2"])
            // A value outside the document's enum: the values it takes (docs/api.md).
            #expect(movement.errorCode == "bad_parameter")
            #expect(movement.errorMessage?.hasPrefix("movement must be one of") == true, "\(movement.errorMessage ?? "")")
            #expect(
                try await c.call(
                    .post, "/v1/passes", key: key, body: Data("x".utf8), contentType: "text/plain",
                    headers: ["Idempotency-Key": "t"]
                ).status == .unsupportedMediaType)
            #expect(try await c.call(.get, "/v1/passes", key: key).list("passes").isEmpty)
        }
        await s.close()
    }
}
