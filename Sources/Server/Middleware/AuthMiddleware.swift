import Core
import Foundation
import Hummingbird
import NIOCore
import Storage

/// Authenticates a request and enforces ``Permissions``.
///
/// - `Authorization: Bearer KEY`: the key's SHA-256 is looked up among live keys and compared in constant time;
///   a wrong, malformed or revoked key is answered 401 at once. A key acts with its role (admin, operator,
///   viewer), or, as an `ingest` key, may only send images, videos and passes and read its jobs.
/// - Otherwise the `manpr_session` cookie: a live session's user and role. A state-changing request must carry the
///   session's CSRF token in `X-CSRF-Token`, and an `Origin` header, when sent, must be this server's.
/// A request with neither goes on unauthenticated (handlers that need a tenant answer 401).
struct AuthMiddleware: RouterMiddleware {
    let env: ServerEnvironment
    static let cookieName = "manpr_session"

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        let unsafe = ![.get, .head, .options].contains(request.method)
        if unsafe, let origin = request.headers[.origin], !Self.sameOrigin(origin, host: request.head.authority) {
            throw APIError(.forbidden, .badOrigin, "cross-site request refused (Origin \(origin))")
        }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
            let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
            guard APIKeys.isWellFormed(key) else { throw APIError.unauthorized }
            let hash = APIKeys.hash(key)
            guard let found = try await env.apiKeys.key(hash: hash, load: env.store.liveKey), APIKeys.constantTimeEqual(found.hash, hash)
            else {
                throw APIError.unauthorized
            }
            context.tenant = found.tenant
            context.apiKeyID = found.key.id.rawValue
            if found.key.role == "ingest" {
                guard Permissions.ingestAllows(method: request.method, path: request.uri.path) else {
                    throw APIError(
                        .forbidden, .forbidden,
                        "this is an ingest key: it may only POST /v1/recognise, /v1/upload and /v1/passes and GET /v1/jobs/{id}")
                }
                context.role = .operator
            } else {
                context.role = Role(rawValue: found.key.role).map { min($0, .admin) } ?? .viewer
            }
        } else if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            let hash = APIKeys.hash(token)
            let now = WallClock.nowMillis()
            if let (session, user, tenant) = try await env.store.liveSession(idHash: hash, signIn: env.configuration.signIn, now: now) {
                if unsafe {
                    guard let sent = request.headers[.csrfToken], APIKeys.constantTimeEqual(sent, session.csrfToken) else {
                        throw APIError(.forbidden, .csrfFailed, "missing or wrong X-CSRF-Token header")
                    }
                }
                if now - session.lastSeenAt > 60_000 {
                    try await env.store.touchSession(idHash: hash, expiresAt: now + env.configuration.signIn.sessionLifetimeMillis)
                }
                context.tenant = tenant
                context.user = user
                context.session = session
                context.role = user.role
            }
        }
        if let role = context.role, let needed = Permissions.required(method: request.method, path: request.uri.path),
            role < needed
        {
            throw APIError(.forbidden, .forbidden, "your role (\(role.rawValue)) cannot do this; it needs \(needed.rawValue)")
        }
        return try await next(request, context)
    }

    /// Whether an `Origin` header names the host the request was sent to.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let h = url.host else { return false }
        let port = url.port.map { ":\($0)" } ?? ""
        let defaultPort = url.scheme == "https" ? ":443" : ":80"
        return host == h + port || host == h || (port.isEmpty && host == h + defaultPort)
            || (port == defaultPort && host == h)
    }
}
