import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

/// Splits a SQL script into statements at semicolons outside string literals.
func statements(_ script: String) -> [String] {
    var out: [String] = [], current = "", quoted = false
    for c in script {
        if c == "'" { quoted.toggle() }
        if c == ";" && !quoted {
            let s = current.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty { out.append(s) }
            current = ""
        } else {
            current.append(c)
        }
    }
    return out
}

@Suite("Tenant SQL dump, loaded into empty SQLite and PostgreSQL databases")
struct DumpTests {
    @Test(arguments: Engine.available)
    func dumpRoundTripsIntoBothEngines(source: Engine) async throws {
        let s = try await TestServer.make(source)
        let (tenant, key) = try await s.tenant("dumped")
        let (_, otherKey) = try await s.tenant("other")
        let dumps: [(Engine, String)] = try await s.test { c in
            let cam = try #require(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Gate's \"north\"", "site": "A", "direction": "entry"])[
                    "id"] as? String)
            let g = try #require(
                try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff", "description": "multi\nline; with 'quotes'"])["id"]
                    as? String)
            _ = try await c.call(.post, "/v1/groups/\(g)/members", key: key, json: ["name": "O'Brien", "plate": "AB12CDE"])
            _ = try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "A", "tariff": ["weekday": ["hourly": 150]]])
            let pass: [String: Any] = [
                "plate": "AB12CDE", "confidence": 0.875, "first_seen_at": "2026-11-18T08:00:00.000Z",
                "last_seen_at": "2026-11-18T08:00:02.500Z", "camera_id": cam,
                "reads": [
                    [
                        "plate": "AB12CDE", "confidence": 0.875, "box": ["x": 1.5, "y": 2, "width": 40, "height": 10],
                        "captured_at": "2026-11-18T08:00:01.000Z",
                    ]
                ],
            ]
            #expect(try await c.call(.post, "/v1/passes", key: key, json: pass, headers: ["Idempotency-Key": "d1"]).status == .created)
            _ = try await c.call(.post, "/v1/groups", key: otherKey, json: ["name": "Not in the dump"])
            var out: [(Engine, String)] = []
            for target in Engine.available {
                let r = try await c.call(.get, "/v1/exports/tenant?format=sql&dialect=\(target.rawValue)", key: key)
                #expect(r.status == .ok && r.headers[.contentType] == "application/sql; charset=utf-8")
                out.append((target, String(decoding: r.body, as: UTF8.self)))
            }
            #expect(try await c.call(.get, "/v1/exports/tenant?dialect=oracle", key: key).errorCode == "bad_parameter")
            return out
        }
        let original = try await s.store.reads(tenantID: tenant.id, ReadQuery()).reads
        await s.close()
        for (target, script) in dumps {
            #expect(
                !script.contains("Not in the dump") && !script.contains("INSERT INTO api_keys") && !script.contains("INSERT INTO sessions"))
            let url = try await freshDatabaseURL(target)
            let store = try await Store.open(url: url)
            for statement in statements(script) { _ = try await store.db.query(statement, []) }
            #expect(try await Migrations.pending(in: store.db).isEmpty, "a complete MicroANPR schema")
            #expect(try await store.tenant(tenant.id)?.name == "dumped")
            #expect(try await store.tenants().count == 1)
            let loaded = try await store.reads(tenantID: tenant.id, ReadQuery()).reads
            #expect(loaded.map(\.id) == original.map(\.id) && loaded.map(\.confidence) == original.map(\.confidence))
            #expect(loaded.first?.box.x == 1.5)
            let groups = try await store.groups(tenantID: tenant.id)
            #expect(groups.first?.description == "multi\nline; with 'quotes'")
            #expect(try await store.members(tenantID: tenant.id, groupID: groups[0].id).first?.name == "O'Brien")
            #expect(try await store.cameras(tenantID: tenant.id).first?.name == "Gate's \"north\"")
            #expect(try await store.tariff(tenantID: tenant.id, site: "A") != nil)
            #expect(try await store.events(tenantID: tenant.id, after: 0).count >= 1)
            // New audit rows get fresh ids after the loaded ones (PostgreSQL's sequence was moved).
            try await store.audit(tenantID: tenant.id, actor: "test", action: "after.load")
            #expect(try await store.auditLog(tenantID: tenant.id, before: nil, limit: 1).first?.action == "after.load")
            await store.close()
        }
    }
}
