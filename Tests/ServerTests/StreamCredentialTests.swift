import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

/// An open event stream lives no longer than the credential it was opened with (issue 18).
@Suite("Event streams end with their credential", .serialized)
struct StreamCredentialTests {
    @Test func signOutRoleChangeAndKeyRevocationEndOpenStreams() async throws {
        let s = try await TestServer.make(.sqlite) {
            $0.events.heartbeatSeconds = 0.2; $0.signIn.passwordCost = 12; $0.signIn.secureCookies = false
        }
        let (tenant, admin) = try await s.tenant()
        try await AuthTests().addUser(s, tenant: tenant, email: "v@example.com", role: .viewer)
        // AsyncHTTPClient's test client (`http`), as this test waits on its streams between requests.
        // This test's sign-ins once passed their deadline under full-suite load: SQLite and password hashing shared
        // NIO's two blocking threads. Each database has a thread of its own now, and hashing a pool of its own. On a
        // slower CPU a request still passed the client's fixed 15 s deadline when the whole suite started at once,
        // so `make test` runs this test on its own, after the others.
        try await s.http { c in
            let port = try #require(c.port)
            // Signing out ends the stream of that session.
            let (_, b1) = try await c.signIn("v@example.com", AuthTests.password)
            let browser = try #require(b1)
            let stream = try SSEClient(port: port, path: "/v1/stream", headers: ["Cookie": browser.cookie])
            #expect(await stream.responseStatus(timeout: 10) == 200)
            #expect(await !stream.closedByServer(within: 0.6), "the stream stays open while the session lives")
            #expect(try await c.call(.delete, "/v1/session", headers: browser.headers()).status == .noContent)
            #expect(await stream.closedByServer(within: 5))

            // A role change ends the user's streams (they reopen with the new role).
            let (_, b2) = try await c.signIn("v@example.com", AuthTests.password)
            let again = try #require(b2)
            let second = try SSEClient(port: port, path: "/v1/stream", headers: ["Cookie": again.cookie])
            #expect(await second.responseStatus(timeout: 10) == 200)
            let users = try await c.call(.get, "/v1/users", key: admin).list("users")
            let id = try #require(users.first { $0["email"] as? String == "v@example.com" }?["id"] as? String)
            #expect(try await c.call(.patch, "/v1/users/\(id)", key: admin, json: ["role": "operator"]).status == .ok)
            #expect(await second.closedByServer(within: 5))

            // Revoking a key ends the streams opened with it.
            let made = try await c.call(.post, "/v1/api-keys", key: admin, json: ["name": "screen", "role": "viewer"])
            let key = try #require(made["api_key"] as? String), keyID = try #require(made["id"] as? String)
            let third = try SSEClient(port: port, path: "/v1/stream", headers: ["Authorization": "Bearer \(key)"])
            #expect(await third.responseStatus(timeout: 10) == 200)
            #expect(try await c.call(.delete, "/v1/api-keys/\(keyID)", key: admin).status == .noContent)
            #expect(await third.closedByServer(within: 5))
        }
        await s.close()
    }
}
