import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

@Suite("Read corrections, on SQLite and PostgreSQL")
struct CorrectionTests {
    /// A pass with three reads of one plate, as an edge agent sends it.
    func pass(_ plate: String) -> [String: Any] {
        [
            "plate": plate, "confidence": 0.8, "first_seen_at": "2026-11-22T08:00:00Z", "last_seen_at": "2026-11-22T08:00:04Z",
            "reads": [
                [
                    "plate": plate, "confidence": 0.7, "box": ["x": 10, "y": 20, "width": 100, "height": 25],
                    "captured_at": "2026-11-22T08:00:01Z",
                ]
            ],
        ]
    }

    @Test(arguments: Engine.available)
    func aCorrectionChangesTheReadIsKeptAndAudited(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        try await s.test { c in
            let stored = try await c.call(.post, "/v1/passes", key: key, json: pass("BD51SMH"), headers: ["Idempotency-Key": "c-1"])
            #expect(stored.status == .created, "\(stored.errorMessage ?? "")")
            let read = try #require(try await c.call(.get, "/v1/reads", key: key).list("reads").first)
            let id = try #require(read["id"] as? String)
            // Bad text, a number and another tenant's key are refused; the read is unchanged.
            let bad = try await c.call(.post, "/v1/reads/\(id)/correction", key: key, json: ["plate": "BD51*SMR"])
            #expect(bad.status == .badRequest && bad.errorCode == "bad_parameter")
            #expect(try await c.call(.post, "/v1/reads/\(id)/correction", key: key, json: ["plate": 7]).status == .badRequest)
            #expect(try await c.call(.post, "/v1/reads/\(id)/correction", key: other, json: ["plate": "BD51SMR"]).status == .notFound)
            #expect(try await c.call(.get, "/v1/reads/\(id)", key: key)["plate"] as? String == "BD51SMH")
            // The correction: spaces dropped, upper-cased; search finds the new text and not the old.
            let fixed = try await c.call(.post, "/v1/reads/\(id)/correction", key: key, json: ["plate": "bd51 smr"])
            #expect(fixed.status == .ok)
            #expect(fixed["plate"] as? String == "BD51SMR" && fixed["format"] as? String == "corrected")
            #expect(try await c.call(.get, "/v1/reads?plate=BD51SMR", key: key).list("reads").map { $0["id"] as? String } == [id])
            #expect(try await c.call(.get, "/v1/reads?plate=BD51SMH", key: key).list("reads").isEmpty)
            let audit = try await c.call(.get, "/v1/audit", key: key).list("entries")
            #expect(audit.contains { $0["action"] as? String == "read.correct" && $0["target"] as? String == id })
        }
        let kept = try await s.store.corrections(tenantID: tenant.id)
        #expect(kept.count == 1)
        #expect(kept.first.map { [$0.oldPlate, $0.newPlate] } == ["BD51SMH", "BD51SMR"])
        #expect(kept.first?.actor.hasPrefix("key:") == true)
        await s.close()
    }
}
