import Core
import Foundation
import Hummingbird
import NIOCore
import Storage

/// The request context: who made the request (an API key or a signed-in user) and with which role.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` from a valid API key or session cookie.
    public var tenant: Tenant?
    public var apiKeyID: String?
    /// The signed-in dashboard user and their session, when the request came with the session cookie.
    public var user: User?
    public var session: UserSession?
    /// API keys act as admin.
    public var role: Role?
    /// The client's address (for the audit log and sign-in limits).
    public var clientIP: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientIP = source.channel.remoteAddress?.ipAddress
    }

    /// JSON answers write times with milliseconds (``APIJSONEncoder``).
    public var responseEncoder: JSONEncoder { APIJSONEncoder.make() }

    /// Uploads are read by the recognition controllers with their own configurable limit.
    public var maxUploadSize: Int { 1024 * 1024 }

    /// The authenticated tenant, or 401.
    public func requireTenant() throws -> Tenant {
        guard let tenant else { throw APIError.unauthorized }
        return tenant
    }

    /// The `{id}` of the request's path as the id of the entity the route is about.
    func requireID<Entity>(_ kind: Entity.Type = Entity.self) throws -> ID<Entity> {
        ID(try parameters.require("id"))
    }

    /// Who did it, for the audit log: `user:<email>` or `key:<id>`.
    public var actor: String {
        if let user { return "user:\(user.email)" }
        if let apiKeyID { return "key:\(apiKeyID)" }
        return "anonymous"
    }
}

extension AuditLog {
    /// Writes an audit log line for a request: who made it and from where.
    func callAsFunction(_ context: AppContext, tenantID: ID<Tenant>, action: String, target: String? = nil, detail: String? = nil) async {
        await record(actor: context.actor, ip: context.clientIP, tenantID: tenantID, action: action, target: target, detail: detail)
    }
}
