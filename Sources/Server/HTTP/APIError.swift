import Core
import Foundation
import Logging
import Hummingbird

/// An error answered to API clients as `{"error": {"code", "message"}}` with its HTTP status.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: ErrorCode
    public var message: String
    public var headers: HTTPFields = [:]
    /// The organisations to choose from (`tenant_required` at sign-in only: shown to whoever knows the password).
    public var tenants: [TenantChoice]? = nil

    public struct TenantChoice: Encodable, Sendable { public var id: String; public var name: String }

    public init(_ status: HTTPResponse.Status, _ code: ErrorCode, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    /// The one place where the core's errors become HTTP statuses.
    public init(_ error: DomainError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .invalid: .badRequest
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .tooLarge: .contentTooLarge
            case .limitReached: .tooManyRequests
            case .failed: .internalServerError
            }
        self.init(status, error.code, error.message)
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.json(status: status, code: code, message: message, headers: headers, tenants: tenants)
    }

    static func json(
        status: HTTPResponse.Status, code: ErrorCode, message: String, headers: HTTPFields = [:], tenants: [TenantChoice]? = nil
    ) -> Response {
        struct Body: Encodable {
            struct E: Encodable { var code: String; var message: String; var tenants: [TenantChoice]? }
            var error: E
        }
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code.rawValue, message: message, tenants: tenants)))) ?? Data()
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, .notFound, "\(what) not found") }
    static func badRequest(_ message: String, code: ErrorCode = .badRequest) -> APIError { APIError(.badRequest, code, message) }
    static var unauthorized: APIError {
        var e = APIError(.unauthorized, .unauthorized, "sign in, or send a valid API key: Authorization: Bearer KEY")
        e.headers[.wwwAuthenticate] = "Bearer"
        return e
    }
}

/// `value`, or a 404 naming `what` when the tenant has no such thing.
func found<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw APIError.notFound(what) }
    return value
}
