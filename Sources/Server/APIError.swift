import Foundation
import Logging
import Hummingbird

/// An error answered to API clients as `{"error": {"code", "message"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.json(status: status, code: code, message: message, headers: headers)
    }

    static func json(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        struct Body: Encodable { struct E: Encodable { var code: String; var message: String }; var error: E }
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data()
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) not found") }
    static func badRequest(_ message: String, code: String = "bad_request") -> APIError { APIError(.badRequest, code, message) }
    static var unauthorized: APIError {
        var e = APIError(.unauthorized, "unauthorized", "sign in, or send a valid API key: Authorization: Bearer KEY")
        e.headers[.wwwAuthenticate] = "Bearer"
        return e
    }
}

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

/// The documented paths and their methods, read from the OpenAPI document, to answer 405 with `Allow`.
struct RouteTable: Sendable {
    static let shared = RouteTable(json: OpenAPIDocument.json)
    let routes: [(segments: [String], methods: Set<String>)]

    init(json: String) {
        let doc = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let paths = doc?["paths"] as? [String: [String: Any]] ?? [:]
        routes = paths.map { path, ops in
            (path.split(separator: "/").map(String.init), Set(ops.keys.map { $0.uppercased() }))
        }
    }

    /// The methods of the documented path matching `path` (`{param}` matches one segment), nil if none. As in
    /// the router, a literal segment wins over a parameter (`members/export` is not `members/{member_id}`).
    func methods(for path: String) -> Set<String>? {
        let parts = path.split(separator: "/").map(String.init)
        return routes.filter { r in
            r.segments.count == parts.count && zip(r.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.max { a, b in
            a.segments.filter { !$0.hasPrefix("{") }.count < b.segments.filter { !$0.hasPrefix("{") }.count
        }?.methods
    }
}

/// Adds `Server-Timing: app;dur=MS` (time until the handler answered) so that browsers and clients see the
/// server's share of a request.
struct ServerTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let d = ContinuousClock.now - start
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        response.headers[.serverTiming] = "app;dur=\((ms * 10).rounded() / 10)"
        return response
    }
}

extension HTTPFields.Element.Name {
    static var serverTiming: Self { Self("Server-Timing")! }
}
