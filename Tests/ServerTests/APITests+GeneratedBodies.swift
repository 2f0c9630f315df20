@testable import Core
import APIContract
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

extension APITests {
    /// Bodies decoded as types generated from the document (docs/architecture.md): the shape is the document's
    /// (`bad_json` naming the field), the rules the document cannot say stay the controller's (`bad_parameter`).
    /// The good bodies are sent as the generated types too.
    @Test(arguments: Engine.available)
    func generatedBodiesAnswerShapeAndRuleErrorsApart(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let missing = try await c.call(.post, "/v1/groups", key: key, json: ["description": "no name"])
            #expect(
                missing.errorCode == "bad_json" && missing.errorMessage?.contains("missing field name") == true,
                "\(missing.errorMessage ?? "")")
            let wrongType = try await c.call(.patch, "/v1/tenant", key: key, json: ["retention_days": "thirty"])
            #expect(wrongType.errorCode == "bad_json" && wrongType.errorMessage?.contains("retention_days") == true)
            let blank = try await c.call(.post, "/v1/groups", key: key, json: ["name": "   "])
            #expect(blank.errorCode == "bad_parameter" && blank.errorMessage?.contains("name") == true)
            let group = try await c.call(
                .post, "/v1/groups", key: key, sending: Components.Schemas.GroupCreate(name: "Staff", description: "cars of staff"))
            #expect(group.status == .created && group["description"] as? String == "cars of staff")
            let id = try #require(group["id"] as? String)
            let renamed = try await c.call(.patch, "/v1/groups/\(id)", key: key, sending: Components.Schemas.GroupInput(name: "Staff 2"))
            #expect(renamed["name"] as? String == "Staff 2" && renamed["description"] as? String == "cars of staff")
            let zone = try await c.call(.patch, "/v1/tenant", key: key, json: ["time_zone": "Mars/Olympus"])
            #expect(zone.errorCode == "bad_parameter")
            #expect(try await c.call(.post, "/v1/overstay-rules", key: key, json: ["site": "Depot"]).errorCode == "bad_json")
            let rule = try await c.call(.post, "/v1/alert-rules", key: key, json: ["kind": "unknown_plate", "site": "Depot"])
            #expect(rule.status == .created, "\(rule.errorMessage ?? "")")
            #expect(try await c.call(.post, "/v1/alert-rules", key: key, json: ["kind": "other"]).errorCode == "bad_parameter")
            // A value outside the document's enum is a rule broken: answered with the values it takes.
            let reason = try await c.call(.post, "/v1/watchlists", key: key, json: ["name": "Lost", "reason": "lost"])
            #expect(reason.errorCode == "bad_parameter" && reason.errorMessage == "reason must be one of stolen, banned, vip, other")
            let events = try await c.call(
                .post, "/v1/webhooks", key: key, json: ["url": "https://example.com/hook", "events": ["pass.completed", "nope"]])
            #expect(events.errorCode == "bad_parameter" && events.errorMessage?.hasPrefix("events takes only *, plate.detected") == true)
            let role = try await c.call(.post, "/v1/users", key: key, json: ["email": "a@example.com", "role": "god"])
            #expect(role.errorCode == "bad_parameter" && role.errorMessage?.hasPrefix("role must be one of viewer") == true)
            #expect(try await c.call(.post, "/v1/api-keys", key: key, json: ["role": 5]).errorCode == "bad_json")
            let list = try await c.call(
                .post, "/v1/watchlists", key: key, sending: Components.Schemas.WatchlistInput(name: "Stolen cars", reason: .stolen))
            #expect(list.status == .created && list["reason"] as? String == "stolen")
            let ingest = try await c.call(
                .post, "/v1/api-keys", key: key, sending: Components.Schemas.APIKeyInput(name: "gate", role: .ingest))
            #expect(ingest.status == .created && ingest["role"] as? String == "ingest")
            // A member: the document's MemberInput, then the rules a CSV row is checked by too.
            let member = try await c.call(
                .post, "/v1/groups/\(id)/members", key: key,
                sending: Components.Schemas.MemberInput(
                    name: "Ann", plate: "ab12 cde", validFrom: Date(timeIntervalSince1970: 1_767_225_600), days: "mon,tue"))
            #expect(member.status == .created && member["plate"] as? String == "AB12CDE", "\(member.errorMessage ?? "")")
            #expect(member["valid_from"] as? String == "2026-01-01T00:00:00.000Z")
            let when = try await c.call(
                .post, "/v1/groups/\(id)/members", key: key, json: ["name": "Bo", "plate": "AB12CDF", "valid_to": "soon"])
            #expect(when.errorCode == "bad_json" && when.errorMessage?.contains("valid_to") == true, "\(when.errorMessage ?? "")")
            let order = try await c.call(
                .post, "/v1/groups/\(id)/members", key: key,
                json: ["name": "Cy", "plate": "AB12CDG", "valid_from": "2026-02-01T00:00:00Z", "valid_to": "2026-01-01T00:00:00Z"])
            #expect(order.errorCode == "bad_member" && order.errorMessage == "valid_to must be after valid_from")
        }
        await s.close()
    }
}
