import Foundation
import Logging
import Hummingbird

/// Turns every error into the JSON error shape: Hummingbird's own errors keep their status, anything else
/// is logged and answered 500 without details.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as APIError {
            return try e.response(from: request, context: context)
        } catch let e as HTTPError {
            let code = switch e.status {
            case .notFound: "not_found"
            case .contentTooLarge: "payload_too_large"
            case .methodNotAllowed: "method_not_allowed"
            case .unsupportedMediaType: "unsupported_media_type"
            default: e.status.code < 500 ? "bad_request" : "internal_error"
            }
            if e.status == .notFound, let allowed = RouteTable.shared.methods(for: request.uri.path),
               !allowed.contains(request.method.rawValue) {
                return APIError.json(status: .methodNotAllowed, code: "method_not_allowed",
                                     message: "\(request.method) is not allowed on \(request.uri.path)",
                                     headers: [.allow: allowed.sorted().joined(separator: ", ")])
            }
            let message = e.status == .notFound ? "no route for \(request.method) \(request.uri.path)"
                : e.body ?? e.status.reasonPhrase
            return APIError.json(status: e.status, code: code, message: message, headers: e.headers)
        } catch let e as any HTTPResponseError {
            return APIError.json(status: e.status, code: e.status.code < 500 ? "bad_request" : "internal_error",
                                 message: e.status.reasonPhrase)
        } catch is DecodingError {
            return APIError.json(status: .badRequest, code: "bad_json", message: "request body is not valid JSON for this endpoint")
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return APIError.json(status: .internalServerError, code: "internal_error", message: "internal error")
        }
    }
}
