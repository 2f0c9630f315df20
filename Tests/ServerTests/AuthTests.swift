import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

/// A signed-in browser as the tests see it: the session cookie and the CSRF token.
struct Browser: Sendable {
    var cookie: String
    var csrf: String
    /// Headers of a cookie-authenticated request, with the CSRF token unless told otherwise.
    func headers(csrf withToken: Bool = true, extra: [String: String] = [:]) -> [String: String] {
        var h = ["Cookie": cookie]
        if withToken { h["X-CSRF-Token"] = csrf }
        return h.merging(extra) { _, new in new }
    }
}

extension TestClientProtocol {
    func signIn(_ email: String, _ password: String) async throws -> (Reply, Browser?) {
        let r = try await call(.post, "/v1/session", json: ["email": email, "password": password])
        guard r.status == .ok, let setCookie = r.headers[.setCookie], let csrf = r["csrf_token"] as? String else { return (r, nil) }
        return (r, Browser(cookie: String(setCookie.split(separator: ";")[0]), csrf: csrf))
    }
}

@Suite("Users, sessions, roles and the audit log, on SQLite and PostgreSQL")
struct AuthTests {
    static let password = "a long enough password"

    /// A server with cheap password hashes (the cost is a setting; the default is tested by the CLI test).
    func server(_ engine: Engine, _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        try await TestServer.make(engine, models: true) { c in
            c.signIn.passwordCost = 12; configure(&c)
        }
    }

    func addUser(_ s: TestServer, tenant: Tenant, email: String, role: Role) async throws {
        let hash = try await PasswordHasher(logN: 12).hash(Self.password)
        _ = try await s.store.createUser(tenantID: tenant.id, email: email, name: email, role: role, passwordHash: hash)
    }

    @Test(arguments: Engine.available)
    func signInUsesAnHttpOnlyCookieAndCSRFToken(engine: Engine) async throws {
        let s = try await server(engine)
        let (tenant, _) = try await s.tenant()
        try await addUser(s, tenant: tenant, email: "Owner@Example.com", role: .owner)
        try await s.test { c in
            #expect(try await c.signIn("owner@example.com", "wrong password!!").0.errorCode == "invalid_credentials")
            #expect(try await c.signIn("nobody@example.com", Self.password).0.errorCode == "invalid_credentials")
            let (reply, signedIn) = try await c.signIn("OWNER@example.com", Self.password)
            let b = try #require(signedIn)
            let cookie = try #require(reply.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(cookie.contains("Secure"), "Secure by default (MICROANPR_SECURE_COOKIES=0 opts out)")
            #expect((reply["user"] as? [String: Any])?["role"] as? String == "owner")
            // The session answers who is signed in; the cookie alone reads.
            let me = try await c.call(.get, "/v1/session", headers: b.headers(csrf: false))
            #expect(me["csrf_token"] as? String == b.csrf)
            #expect(try await c.call(.get, "/v1/reads", headers: b.headers(csrf: false)).status == .ok)
            // Changing anything needs the CSRF token, and a foreign Origin is refused.
            let noToken = try await c.call(.post, "/v1/groups", json: ["name": "A"], headers: b.headers(csrf: false))
            #expect(noToken.status == .forbidden && noToken.errorCode == "csrf_failed")
            let wrongToken = try await c.call(.post, "/v1/groups", json: ["name": "A"], headers: ["Cookie": b.cookie, "X-CSRF-Token": "x"])
            #expect(wrongToken.errorCode == "csrf_failed")
            let foreign = try await c.call(
                .post, "/v1/groups", json: ["name": "A"], headers: b.headers(extra: ["Origin": "https://evil.example"]))
            #expect(foreign.errorCode == "bad_origin")
            #expect(try await c.call(.post, "/v1/groups", json: ["name": "A"], headers: b.headers()).status == .created)
            // Signing out ends the session for good.
            #expect(try await c.call(.delete, "/v1/session", headers: b.headers()).status == .noContent)
            #expect(try await c.call(.get, "/v1/session", headers: b.headers(csrf: false)).status == .unauthorized)
            #expect(try await c.call(.get, "/v1/reads", headers: b.headers(csrf: false)).status == .unauthorized)
        }
        await s.close()
    }

    @Test func cookiesAreSecureByDefaultAndOnlyAnOptOutDropsIt() async throws {
        for secure in [true, false] {
            let s = try await server(.sqlite) { if !secure { $0.signIn.secureCookies = false } }
            let (tenant, _) = try await s.tenant()
            try await addUser(s, tenant: tenant, email: "o@example.com", role: .owner)
            try await s.test { c in
                let cookie = try await c.signIn("o@example.com", Self.password).0.headers[.setCookie] ?? ""
                #expect(cookie.contains("Secure") == secure && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            }
            await s.close()
        }
    }

    @Test func aSessionEndsAtItsAbsoluteLifetimeHoweverActive() async throws {
        let s = try await server(.sqlite) { $0.signIn.sessionMaxHours = 1 }
        let (tenant, _) = try await s.tenant()
        try await addUser(s, tenant: tenant, email: "o@example.com", role: .owner)
        try await s.test { c in
            let (signIn, browser) = try await c.signIn("o@example.com", Self.password)
            let b = try #require(browser, "signed in: \(signIn.status)")
            #expect(try await c.call(.get, "/v1/session", headers: b.headers()).status == .ok)
            // Signed in 61 minutes ago and active all along (its idle expiry is still ahead): over.
            try await s.store.db.query("UPDATE sessions SET created_at = created_at - 3660000")
            #expect(try await c.call(.get, "/v1/session", headers: b.headers()).status == .unauthorized)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func wrongPasswordsSlowSignInsDownButNeverLockTheOwnerOut(engine: Engine) async throws {
        let s = try await server(engine) {
            $0.signIn.maxFailures = 3; $0.signIn.slowdownSeconds = 0.4; $0.signIn.attemptsPerMinute = 100
        }
        let (tenant, key) = try await s.tenant()
        try await addUser(s, tenant: tenant, email: "o@example.com", role: .owner)
        try await s.test { c in
            // A stranger guessing: every answer is the same 401, and from the third failure on they come slower.
            for _ in 0..<3 { #expect(try await c.signIn("o@example.com", "not the password").0.errorCode == "invalid_credentials") }
            let start = ContinuousClock.now
            let r = try await c.signIn("o@example.com", "still not it").0
            let slowed = ContinuousClock.now - start
            #expect(r.status == .unauthorized && r.errorCode == "invalid_credentials")
            #expect(slowed >= .milliseconds(350))
            let users = try await c.call(.get, "/v1/users", key: key).list("users")
            #expect(users.first?["status"] as? String == "throttled")
            // The owner still gets in (after the delay): a stranger cannot lock the account.
            #expect(try await c.signIn("o@example.com", Self.password).0.status == .ok)
            let actions = try await c.call(.get, "/v1/audit", key: key).list("entries").compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "signin.failed" }.count == 4)
            #expect(actions.contains("signin.slowed"))
        }
        await s.close()
    }

    /// An email is unique within a tenant: inviting an address another tenant uses is not refused (a 409 would
    /// tell the inviter that address has an account elsewhere); sign-in finds the account by its password and
    /// asks which organisation only someone who knows the password of several.
    @Test(arguments: Engine.available)
    func oneEmailInTwoTenantsDisclosesNothingAndSignsInByPassword(engine: Engine) async throws {
        let s = try await server(engine)
        let (a, keyA) = try await s.tenant("Alpha")
        let (b, keyB) = try await s.tenant("Beta")
        try await addUser(s, tenant: a, email: "shared@example.com", role: .admin)
        try await s.test { c in
            let invite = try await c.call(.post, "/v1/users", key: keyB, json: ["email": "Shared@example.com", "role": "viewer"])
            #expect(invite.status == .created, "another tenant's address is invited like any other")
            let again = try await c.call(.post, "/v1/users", key: keyB, json: ["email": "shared@example.com", "role": "viewer"])
            #expect(again.errorCode == "email_taken", "within one tenant an address is still unique")
            #expect(
                try await c.call(.post, "/v1/users", key: keyA, json: ["email": "shared@example.com", "role": "viewer"]).status == .conflict
            )
            let token = try #require(invite["invite_token"] as? String)
            let other = "another long password"
            #expect(try await c.call(.post, "/v1/invitations/accept", json: ["token": token, "password": other]).status == .ok)
            // Each password opens its own tenant.
            let (ra, _) = try await c.signIn("shared@example.com", Self.password)
            #expect(ra.status == .ok && (ra["user"] as? [String: Any])?["role"] as? String == "admin")
            let (rb, browserB) = try await c.signIn("shared@example.com", other)
            let bB = try #require(browserB)
            let me = try await c.call(.get, "/v1/users", headers: bB.headers(csrf: false))
            #expect(me.status == .forbidden, "the viewer of Beta, not the admin of Alpha")
            #expect(rb.status == .ok)
            #expect(try await c.signIn("shared@example.com", "neither password!!").0.errorCode == "invalid_credentials")
            // The same password in both: the answer names the two organisations, and `tenant` chooses.
            let user = try #require(try await s.store.user(tenantID: b.id, email: "shared@example.com"))
            try await s.store.setPassword(userID: user.id, hash: try await PasswordHasher(logN: 12).hash(Self.password))
            let ambiguous = try await c.call(.post, "/v1/session", json: ["email": "shared@example.com", "password": Self.password])
            #expect(ambiguous.status == .conflict && ambiguous.errorCode == "tenant_required")
            let choices = ((ambiguous["error"] as? [String: Any])?["tenants"] as? [[String: Any]]) ?? []
            #expect(Set(choices.compactMap { $0["name"] as? String }) == ["Alpha", "Beta"])
            let chosen = try await c.call(
                .post, "/v1/session", json: ["email": "shared@example.com", "password": Self.password, "tenant": b.id.rawValue])
            #expect(chosen.status == .ok)
            #expect((chosen["user"] as? [String: Any])?["role"] as? String == "viewer")
            let wrongChoice = try await c.call(
                .post, "/v1/session", json: ["email": "shared@example.com", "password": "neither password!!", "tenant": b.id.rawValue])
            #expect(wrongChoice.errorCode == "invalid_credentials")
        }
        await s.close()
    }

    @Test func unknownEmailsAreSlowedDownLikeKnownOnes() async throws {
        // The delay must not tell which emails have accounts.
        let s = try await server(.sqlite) {
            $0.signIn.maxFailures = 2; $0.signIn.slowdownSeconds = 0.4; $0.signIn.attemptsPerMinute = 100
        }
        try await s.test { c in
            for _ in 0..<2 { #expect(try await c.signIn("nobody@example.com", "x").0.errorCode == "invalid_credentials") }
            let start = ContinuousClock.now
            let r = try await c.signIn("nobody@example.com", "x").0
            let slowed = ContinuousClock.now - start
            #expect(r.errorCode == "invalid_credentials")
            #expect(slowed >= .milliseconds(350))
        }
        await s.close()
    }

    @Test func signInAttemptsAreLimitedPerAddress() async throws {
        let s = try await server(.sqlite) { $0.signIn.attemptsPerMinute = 2 }
        try await s.test { c in
            for _ in 0..<2 { #expect(try await c.signIn("x@example.com", "whatever password").0.status == .unauthorized) }
            let third = try await c.signIn("x@example.com", "whatever password").0
            #expect(third.status == .tooManyRequests && third.errorCode == "too_many_attempts")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func rolesLimitWhatUsersCanDo(engine: Engine) async throws {
        let s = try await server(engine)
        let (tenant, key) = try await s.tenant()
        try await addUser(s, tenant: tenant, email: "owner@example.com", role: .owner)
        try await s.test { c in
            // Invitations (an API key acts as admin): accepted once, with a password of a sane length.
            var browsers: [String: Browser] = [:]
            for role in ["viewer", "operator", "admin"] {
                let invite = try await c.call(.post, "/v1/users", key: key, json: ["email": "\(role)@example.com", "role": role])
                #expect(invite.status == .created)
                let token = try #require(invite["invite_token"] as? String)
                #expect((invite["invite_url"] as? String)?.hasSuffix("/#/accept?token=\(token)") == true)
                let weak = try await c.call(.post, "/v1/invitations/accept", json: ["token": token, "password": "short"])
                #expect(weak.errorCode == "weak_password")
                let accepted = try await c.call(.post, "/v1/invitations/accept", json: ["token": token, "password": Self.password])
                #expect(accepted.status == .ok)
                let again = try await c.call(.post, "/v1/invitations/accept", json: ["token": token, "password": Self.password])
                #expect(again.status == .notFound)
                browsers[role] = try #require(try await c.signIn("\(role)@example.com", Self.password).1)
            }
            let duplicate = try await c.call(.post, "/v1/users", key: key, json: ["email": "viewer@example.com", "role": "viewer"])
            #expect(duplicate.status == .conflict)
            let viewer = try #require(browsers["viewer"]), op = try #require(browsers["operator"]), admin = try #require(browsers["admin"])
            // Viewer: reads everything ordinary, changes nothing, sees no keys, users or webhooks.
            #expect(try await c.call(.get, "/v1/reads", headers: viewer.headers()).status == .ok)
            #expect(try await c.call(.get, "/v1/groups", headers: viewer.headers()).status == .ok)
            let refused = try await c.call(.post, "/v1/groups", json: ["name": "G"], headers: viewer.headers())
            #expect(refused.status == .forbidden && refused.errorCode == "forbidden")
            for path in ["/v1/api-keys", "/v1/users", "/v1/webhooks", "/v1/audit", "/v1/tenant"] {
                #expect(try await c.call(.get, path, headers: viewer.headers()).status == .forbidden, "\(path)")
            }
            #expect(
                try await c.call(
                    .post, "/v1/recognise", body: Data([1, 2, 3]), contentType: "image/jpeg",
                    headers: viewer.headers()
                ).status == .forbidden)
            // Operator: groups, members and alerts; not cameras, webhooks or users.
            let group = try await c.call(.post, "/v1/groups", json: ["name": "Staff"], headers: op.headers())
            #expect(group.status == .created)
            #expect(try await c.call(.post, "/v1/cameras", json: ["name": "Gate"], headers: op.headers()).status == .forbidden)
            #expect(
                try await c.call(.post, "/v1/users", json: ["email": "x@example.com", "role": "viewer"], headers: op.headers()).status
                    == .forbidden)
            // Correcting a read's plate is the operator's (a viewer may not; the read does not exist: 404 for the operator).
            #expect(
                try await c.call(.post, "/v1/reads/rd_none/correction", json: ["plate": "AB12CDE"], headers: viewer.headers()).status
                    == .forbidden)
            #expect(
                try await c.call(.post, "/v1/reads/rd_none/correction", json: ["plate": "AB12CDE"], headers: op.headers()).status
                    == .notFound)
            // Admin: cameras and users, but never the owner role.
            #expect(try await c.call(.post, "/v1/cameras", json: ["name": "Gate"], headers: admin.headers()).status == .created)
            let users = try await c.call(.get, "/v1/users", headers: admin.headers()).list("users")
            let ownerID = try #require(users.first { $0["role"] as? String == "owner" }?["id"] as? String)
            let viewerID = try #require(users.first { $0["role"] as? String == "viewer" }?["id"] as? String)
            #expect(
                try await c.call(.patch, "/v1/users/\(ownerID)", json: ["role": "viewer"], headers: admin.headers()).status == .forbidden)
            #expect(
                try await c.call(.post, "/v1/users", json: ["email": "o2@example.com", "role": "owner"], headers: admin.headers()).status
                    == .forbidden)
            #expect(try await c.call(.patch, "/v1/users/\(viewerID)", key: key, json: ["role": "owner"]).status == .forbidden)
            let promoted = try await c.call(.patch, "/v1/users/\(viewerID)", json: ["role": "operator"], headers: admin.headers())
            #expect(promoted["role"] as? String == "operator")
            // The new role holds at once for the open session.
            #expect(try await c.call(.post, "/v1/groups", json: ["name": "Visitors"], headers: viewer.headers()).status == .created)
            // The last owner stays an owner.
            let owner = try #require(try await c.signIn("owner@example.com", Self.password).1)
            let demote = try await c.call(.patch, "/v1/users/\(ownerID)", json: ["role": "admin"], headers: owner.headers())
            #expect(demote.status == .conflict && demote.errorCode == "last_owner")
            #expect(try await c.call(.delete, "/v1/users/\(ownerID)", headers: owner.headers()).errorCode == "last_owner")
            // Removing a user ends their sessions; it is audited with the role change.
            #expect(try await c.call(.delete, "/v1/users/\(viewerID)", headers: owner.headers()).status == .noContent)
            #expect(try await c.call(.get, "/v1/reads", headers: viewer.headers()).status == .unauthorized)
            let audit = try await c.call(.get, "/v1/audit", headers: owner.headers()).list("entries")
            let actions = audit.compactMap { $0["action"] as? String }
            for a in ["user.invite", "invitation.accept", "signin", "user.role_change", "users.delete"] {
                #expect(actions.contains(a), "\(a)")
            }
            #expect(
                audit.contains {
                    $0["action"] as? String == "user.role_change" && $0["detail"] as? String == "viewer -> operator"
                        && $0["actor"] as? String == "user:admin@example.com"
                })
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func usersAndAuditAreKeptPerTenant(engine: Engine) async throws {
        let s = try await server(engine)
        let (a, keyA) = try await s.tenant("a")
        let (b, keyB) = try await s.tenant("b")
        try await addUser(s, tenant: a, email: "a@example.com", role: .owner)
        try await addUser(s, tenant: b, email: "b@example.com", role: .owner)
        try await s.test { c in
            let ua = try #require(try await c.signIn("a@example.com", Self.password).1)
            _ = try await c.call(.post, "/v1/groups", key: keyB, json: ["name": "B only"])
            #expect(try await c.call(.get, "/v1/groups", headers: ua.headers()).list("groups").isEmpty)
            let usersB = try await c.call(.get, "/v1/users", key: keyB).list("users")
            #expect(usersB.count == 1 && usersB[0]["email"] as? String == "b@example.com")
            let bID = try #require(usersB[0]["id"] as? String)
            #expect(try await c.call(.patch, "/v1/users/\(bID)", json: ["role": "viewer"], headers: ua.headers()).status == .notFound)
            #expect(try await c.call(.delete, "/v1/users/\(bID)", key: keyA).status == .notFound)
            let auditA = try await c.call(.get, "/v1/audit", key: keyA).list("entries")
            #expect(!auditA.contains { ($0["actor"] as? String)?.contains("b@example.com") == true })
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func changingThePasswordSignsOutOtherSessions(engine: Engine) async throws {
        let s = try await server(engine)
        let (tenant, _) = try await s.tenant()
        try await addUser(s, tenant: tenant, email: "o@example.com", role: .owner)
        try await s.test { c in
            let here = try #require(try await c.signIn("o@example.com", Self.password).1)
            let elsewhere = try #require(try await c.signIn("o@example.com", Self.password).1)
            let wrong = try await c.call(
                .post, "/v1/session/password", json: ["current_password": "nope nope nope", "new_password": "another long password"],
                headers: here.headers())
            #expect(wrong.errorCode == "wrong_password")
            #expect(
                try await c.call(
                    .post, "/v1/session/password", json: ["current_password": Self.password, "new_password": "another long password"],
                    headers: here.headers()
                ).status == .noContent)
            #expect(try await c.call(.get, "/v1/session", headers: here.headers()).status == .ok)
            #expect(try await c.call(.get, "/v1/session", headers: elsewhere.headers()).status == .unauthorized)
            #expect(try await c.signIn("o@example.com", Self.password).0.status == .unauthorized)
            #expect(try await c.signIn("o@example.com", "another long password").0.status == .ok)
        }
        await s.close()
    }

    @Test func everyDocumentedRouteHasAPermission() throws {
        // Open routes are only sign-in, invitations and the signed image links; everything else needs a role.
        let open = ["/v1/session", "/v1/session/password", "/v1/invitations/accept", "/v1/reads/{id}/image", "/v1/passes/{id}/image"]
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        let paths = try #require(object?["paths"] as? [String: [String: Any]])
        for (path, operations) in paths where path.hasPrefix("/v1/") {
            for method in operations.keys {
                let m = HTTPRequest.Method(rawValue: method.uppercased())!
                let role = Permissions.required(method: m, path: path)
                #expect((role == nil) == open.contains(path), "\(method) \(path): \(role.map(\.rawValue) ?? "open")")
            }
        }
    }

    @Test func dashboardIsServedWithAStrictContentSecurityPolicy() async throws {
        let s = try await server(.sqlite)
        try await s.test { c in
            let page = try await c.call(.get, "/")
            #expect(page.status == .ok)
            #expect(String(decoding: page.body, as: UTF8.self).contains("/ui/app.js"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let js = try await c.call(.get, "/ui/app.js")
            #expect(js.headers[.contentType]?.hasPrefix("text/javascript") == true)
            let etag = try #require(js.headers[.eTag])
            #expect(try await c.call(.get, "/ui/app.js", headers: ["If-None-Match": etag]).status == .notModified)
            #expect(try await c.call(.get, "/ui/../Package.swift").status == .notFound)
            #expect(try await c.call(.get, "/ui/nope.js").status == .notFound)
        }
        await s.close()
    }

    @Test func malformedStreamAndAlertParametersAreRefused() async throws {
        let s = try await server(.sqlite)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let resume = try await c.call(.get, "/v1/stream", key: key, headers: ["Last-Event-ID": "abc"])
            #expect(resume.errorCode == "bad_parameter")
            let types = try await c.call(.get, "/v1/stream?types=nope", key: key)
            #expect(types.errorCode == "bad_parameter")
            for (q, code) in [
                ("acknowledged=maybe", "bad_parameter"), ("kind=nope", "bad_parameter"), ("cursor=garbage", "bad_cursor"),
                ("limit=0", "bad_parameter"),
            ] {
                let r = try await c.call(.get, "/v1/alerts?\(q)", key: key)
                #expect(r.status == .badRequest && r.errorCode == code, "\(q)")
            }
        }
        await s.close()
    }
}
