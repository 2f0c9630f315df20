import Foundation
import Hummingbird
import Storage

/// The request context: the tenant and key that authenticated the request, when one did.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` from a valid `Authorization: Bearer` key.
    public var tenant: Tenant?
    public var apiKeyID: String?

    public init(source: Source) { coreContext = .init(source: source) }

    /// Uploads are read by the recognition controllers with their own configurable limit.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The authenticated tenant, or 401.
    public func requireTenant() throws -> Tenant {
        guard let tenant else { throw APIError.unauthorized }
        return tenant
    }
}

/// Authenticates `Authorization: Bearer KEY`: the key's SHA-256 is looked up among live keys and compared in
/// constant time. A request without the header goes on unauthenticated (handlers that need a tenant answer
/// 401); a wrong, malformed or revoked key is answered 401 at once.
struct AuthMiddleware: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIError.unauthorized }
        let key = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard APIKeys.isWellFormed(key) else { throw APIError.unauthorized }
        let hash = APIKeys.hash(key)
        guard let found = try await store.liveKey(hash: hash), APIKeys.constantTimeEqual(found.hash, hash),
              let tenant = try await store.tenant(found.key.tenantID) else {
            throw APIError.unauthorized
        }
        var context = context
        context.tenant = tenant
        context.apiKeyID = found.key.id
        return try await next(request, context)
    }
}
