import Core
import Foundation
import Hummingbird
import NIOCore
import Storage

/// Records every successful deletion in the audit log, and every look at a plate's data ("who looked": a search,
/// list or export filtered by plate, a read or pass opened by id); other audited actions are written by their
/// handlers.
struct AuditMiddleware: RouterMiddleware {
    let audit: AuditLog

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .delete, response.status.code < 300, let tenant = context.tenant,
            !request.uri.path.hasPrefix("/v1/session")
        {
            let segments = request.uri.path.split(separator: "/").dropFirst()
            let resource = segments.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: ".")
            await audit(context, tenantID: tenant.id, action: "\(resource).delete", target: request.uri.path)
        }
        if request.method == .get, response.status.code < 300, let tenant = context.tenant, let target = Self.lookup(request) {
            await audit(context, tenantID: tenant.id, action: "privacy.lookup", target: target, detail: request.uri.description)
        }
        return response
    }

    /// The plate (or the read or pass) a GET looks at, when it names one.
    static func lookup(_ request: Request) -> String? {
        let segments = request.uri.path.split(separator: "/").map(String.init)  // ["v1", resource, ...]
        guard segments.count >= 2, ["reads", "passes", "sessions", "exports", "alerts"].contains(segments[1]) else { return nil }
        let q = request.uri.queryParameters
        if let plate = q["plate"] ?? q["plate_prefix"], !plate.isEmpty { return "plate:\(plate)" }
        if segments.count == 3, ["reads", "passes"].contains(segments[1]) { return "\(segments[1]):\(segments[2])" }
        return nil
    }
}
