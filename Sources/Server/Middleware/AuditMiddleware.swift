import Foundation
import Hummingbird
import NIOCore
import Storage

/// Records every successful deletion in the audit log (other audited actions are written by their handlers).
struct AuditMiddleware: RouterMiddleware {
    let env: ServerEnvironment

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .delete, response.status.code < 300, let tenant = context.tenant,
            !request.uri.path.hasPrefix("/v1/session")
        {
            let segments = request.uri.path.split(separator: "/").dropFirst()
            let resource = segments.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: ".")
            await env.audit(context, tenantID: tenant.id, action: "\(resource).delete", target: request.uri.path)
        }
        return response
    }
}
