import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TestSupport

/// Least privilege for machines (issue 18): API keys with a role, and ingest keys for edge agents.
@Suite("API key roles, on SQLite and PostgreSQL")
struct APIKeyRoleTests {
    func key(_ c: any TestClientProtocol, admin: String, role: String?) async throws -> String {
        var body: [String: Any] = ["name": "k"]
        if let role { body["role"] = role }
        let r = try await c.call(.post, "/v1/api-keys", key: admin, json: body)
        #expect(r.status == .created && r["role"] as? String == (role ?? "admin"))
        return try #require(r["api_key"] as? String)
    }

    @Test(arguments: Engine.available)
    func anIngestKeySendsPassesAndNothingElse(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, admin) = try await s.tenant()
        try await s.test { c in
            let ingest = try await key(c, admin: admin, role: "ingest")
            let pass = PassIngestTests().pass()
            let sent = try await c.call(.post, "/v1/passes", key: ingest, json: pass, headers: ["Idempotency-Key": "edge-1"])
            #expect(sent.status == .created)
            for (method, path) in [
                (HTTPRequest.Method.get, "/v1/passes"), (.get, "/v1/reads"), (.get, "/v1/api-keys"), (.post, "/v1/api-keys"),
                (.post, "/v1/webhooks"), (.get, "/v1/exports/tenant"), (.get, "/v1/users"), (.delete, "/v1/cameras/cam_x"),
            ] {
                let r = try await c.call(method, path, key: ingest, json: method == .post ? [:] : nil)
                #expect(r.status == .forbidden && r.errorCode == "forbidden", "\(method) \(path): \(r.status)")
                #expect(r.errorMessage?.contains("ingest") == true)
            }
            // Its jobs are readable (an unknown id is simply not found).
            #expect(try await c.call(.get, "/v1/jobs/job_nope", key: ingest).status == .notFound)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func viewerAndOperatorKeysActWithTheirRole(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, admin) = try await s.tenant()
        try await s.test { c in
            let viewer = try await key(c, admin: admin, role: "viewer")
            #expect(try await c.call(.get, "/v1/reads", key: viewer).status == .ok)
            #expect(try await c.call(.post, "/v1/groups", key: viewer, json: ["name": "staff"]).status == .forbidden)
            #expect(try await c.call(.post, "/v1/api-keys", key: viewer, json: ["name": "x"]).status == .forbidden)
            let op = try await key(c, admin: admin, role: "operator")
            #expect(try await c.call(.post, "/v1/groups", key: op, json: ["name": "staff"]).status == .created)
            #expect(try await c.call(.get, "/v1/api-keys", key: op).status == .forbidden)
            // Keys made without a role are admin keys, as before.
            let plain = try await key(c, admin: admin, role: nil)
            #expect(try await c.call(.get, "/v1/api-keys", key: plain).status == .ok)
            let bad = try await c.call(.post, "/v1/api-keys", key: admin, json: ["name": "x", "role": "owner"])
            #expect(bad.status == .badRequest && bad.errorMessage?.contains("role") == true)
        }
        await s.close()
    }
}
