import Core
import Foundation
import Logging
import Hummingbird

/// Turns every error into the JSON error shape: the core's errors by their kind (``APIError/init(_:)``),
/// Hummingbird's own errors keep their status, anything else is logged and answered 500 without details.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return try e.response(from: request, context: context)
        } catch let e as DomainError {
            return try APIError(e).response(from: request, context: context)
        } catch let e as HTTPError {
            let code: ErrorCode =
                switch e.status {
                case .notFound: .notFound
                case .contentTooLarge: .payloadTooLarge
                case .methodNotAllowed: .methodNotAllowed
                case .unsupportedMediaType: .unsupportedMediaType
                default: e.status.code < 500 ? .badRequest : .internalError
                }
            if e.status == .notFound, let allowed = RouteTable.shared.methods(for: request.uri.path),
                !allowed.contains(request.method.rawValue)
            {
                return APIError.json(
                    status: .methodNotAllowed, code: .methodNotAllowed,
                    message: "\(request.method) is not allowed on \(request.uri.path)",
                    headers: [.allow: allowed.sorted().joined(separator: ", ")])
            }
            let message =
                e.status == .notFound
                ? "no route for \(request.method) \(request.uri.path)"
                : e.body ?? e.status.reasonPhrase
            return APIError.json(status: e.status, code: code, message: message, headers: e.headers)
        } catch let e as any HTTPResponseError {
            return APIError.json(
                status: e.status, code: e.status.code < 500 ? .badRequest : .internalError,
                message: e.status.reasonPhrase)
        } catch is DecodingError {
            return APIError.json(status: .badRequest, code: .badJson, message: "request body is not valid JSON for this endpoint")
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError.json(status: .internalServerError, code: .internalError, message: "internal error")
        }
    }
}
