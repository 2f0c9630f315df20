import Core
import APIContract
import Foundation
import Hummingbird
import Storage

/// Dashboard sign-in: `POST /v1/session` (email + password: sets the session cookie), `GET /v1/session` (who is
/// signed in, with the CSRF token), `DELETE /v1/session` (sign out), `POST /v1/session/password` and
/// `POST /v1/invitations/accept` (set the first password of an invited user, signed in at once).
struct SessionController {
    let store: Store
    let audit: AuditLog
    let signIn: ServerConfiguration.SignIn
    let loginLimiter: LoginLimiter
    let passwords: PasswordHasher

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.post("session", use: signIn)
        group.get("session", use: current)
        group.delete("session", use: signOut)
        group.post("session/password", use: changePassword)
        group.post("invitations/accept", use: acceptInvitation)
    }

    /// `tenant` (a tenant id) is needed only when one email has accounts with the same password in several tenants.
    @Sendable func signIn(_ request: Request, context: AppContext) async throws -> EditedResponse<SessionJSON> {
        guard let wait = await loginLimiter.admit(context.clientIP ?? "unknown") else {
            return try await checkedSignIn(request, context: context)
        }
        var e = APIError(.tooManyRequests, .tooManyAttempts, "too many sign-in attempts from this address; wait \(wait) s")
        e.headers[.retryAfter] = "\(wait)"
        throw e
    }

    private func checkedSignIn(_ request: Request, context: AppContext) async throws -> EditedResponse<SessionJSON> {
        let body = try await decodeJSON(Components.Schemas.SignInInput.self, from: request)
        let email = body.email.trimmingCharacters(in: .whitespaces)
        // Every failure answers the same, whether the email has an account or not, and whether it is slowed down.
        let invalid = APIError(.unauthorized, .invalidCredentials, "wrong email or password")
        let wait = await loginLimiter.delay(for: email)
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        // An email is unique within a tenant only: the account is the one whose password this is.
        let accounts = try await store.users(email: email).filter {
            $0.passwordHash != nil && (body.tenant == nil || $0.tenantID.rawValue == body.tenant)
        }
        guard !accounts.isEmpty else {
            await passwords.burn(body.password)
            _ = await loginLimiter.failed(email)
            throw invalid
        }
        var matched: [User] = []
        for user in accounts where await passwords.verify(body.password, against: user.passwordHash ?? "") {
            matched.append(user)
        }
        guard let user = matched.first else {
            for user in accounts {
                // The database keeps the count for the users page ("throttled"); nothing is ever locked.
                _ = try await store.recordFailedLogin(
                    userID: user.id, maxFailures: signIn.maxFailures,
                    lockMillis: Int64(signIn.lockMinutes * 60_000))
                var context = context
                context.user = user
                await audit(context, tenantID: user.tenantID, action: "signin.failed")
            }
            if await loginLimiter.failed(email) {
                for user in accounts {
                    var context = context
                    context.user = user
                    await audit(context, tenantID: user.tenantID, action: "signin.slowed")
                }
            }
            throw invalid
        }
        if matched.count > 1 {
            var names: [APIError.TenantChoice] = []
            for u in matched {
                names.append(.init(id: u.tenantID.rawValue, name: (try? await store.tenant(u.tenantID))?.name ?? u.tenantID.rawValue))
            }
            var e = APIError(
                .conflict, .tenantRequired, "this email and password open several organisations: send tenant (one of error.tenants)")
            e.tenants = names
            throw e
        }
        var context = context
        context.user = user
        await loginLimiter.succeeded(email)
        try await store.recordLogin(userID: user.id)
        await audit(context, tenantID: user.tenantID, action: "signin")
        return try await startSession(for: user)
    }

    /// Creates a session for a user and answers with its cookie and CSRF token.
    private func startSession(for user: User) async throws -> EditedResponse<SessionJSON> {
        let token = APIKeys.randomToken()
        let now = WallClock.nowMillis()
        let session = UserSession(
            idHash: APIKeys.hash(token), userID: user.id, tenantID: user.tenantID,
            csrfToken: APIKeys.randomToken(), expiresAt: now + signIn.sessionLifetimeMillis, lastSeenAt: now)
        try await store.createSession(session)
        var headers = HTTPFields()
        headers[.setCookie] = cookie(token, maxAge: Int(signIn.sessionIdleMinutes * 60)).description
        headers[.cacheControl] = "no-store"
        return EditedResponse(headers: headers, response: SessionJSON(user: UserJSON(user), csrfToken: session.csrfToken))
    }

    private func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: AuthMiddleware.cookieName, value: value, maxAge: maxAge, path: "/",
            secure: signIn.secureCookies, httpOnly: true, sameSite: .strict)
    }

    @Sendable func current(_ request: Request, context: AppContext) async throws -> SessionJSON {
        guard let user = context.user, let session = context.session else {
            throw APIError(.unauthorized, .notSignedIn, "no dashboard session (API keys have none)")
        }
        return SessionJSON(user: UserJSON(user), csrfToken: session.csrfToken)
    }

    @Sendable func signOut(_ request: Request, context: AppContext) async throws -> Response {
        if let session = context.session {
            try await store.deleteSession(idHash: session.idHash)
            await audit(context, tenantID: session.tenantID, action: "signout")
        }
        var response = Response(status: .noContent)
        response.setCookie(cookie("", maxAge: 0))
        return response
    }

    @Sendable func changePassword(_ request: Request, context: AppContext) async throws -> Response {
        guard let user = context.user, let session = context.session, let hash = user.passwordHash else {
            throw APIError(.unauthorized, .notSignedIn, "sign in to change your password")
        }
        let body = try await decodeJSON(Components.Schemas.PasswordChange.self, from: request)
        guard await passwords.verify(body.currentPassword, against: hash) else {
            await audit(context, tenantID: user.tenantID, action: "password.change_failed")
            throw APIError(.badRequest, .wrongPassword, "the current password is wrong")
        }
        try Self.checkStrength(body.newPassword, email: user.email)
        try await store.setPassword(userID: user.id, hash: try await passwords.hash(body.newPassword))
        try await store.deleteSessions(userID: user.id, keeping: session.idHash)
        await audit(context, tenantID: user.tenantID, action: "password.change")
        return Response(status: .noContent)
    }

    @Sendable func acceptInvitation(_ request: Request, context: AppContext) async throws -> EditedResponse<SessionJSON> {
        let body = try await decodeJSON(Components.Schemas.InvitationAcceptance.self, from: request)
        guard let user = try await store.invitedUser(inviteHash: APIKeys.hash(body.token)) else {
            throw APIError(.notFound, .invitationNotFound, "this invitation link is unknown, used or expired")
        }
        try Self.checkStrength(body.password, email: user.email)
        try await store.setPassword(userID: user.id, hash: try await passwords.hash(body.password))
        if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty, name.count <= 200 {
            try await store.setName(userID: user.id, name: name)
        }
        var context = context
        context.user = user
        await audit(context, tenantID: user.tenantID, action: "invitation.accept")
        let fresh = try found(try await store.user(tenantID: user.tenantID, id: user.id), "user")
        return try await startSession(for: fresh)
    }

    /// Length limits, and not the email itself.
    static func checkStrength(_ password: String, email: String) throws {
        guard PasswordHasher.lengths.contains(password.count) else {
            throw APIError.badRequest(
                "a password must be \(PasswordHasher.lengths.lowerBound) to \(PasswordHasher.lengths.upperBound) characters",
                code: .weakPassword)
        }
        guard password.lowercased() != email.lowercased() else {
            throw APIError.badRequest("a password must not be the email address", code: .weakPassword)
        }
    }
}
