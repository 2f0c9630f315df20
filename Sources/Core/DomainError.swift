/// A failure the application reports to whoever asked: what kind of failure it is, a code clients branch on, and a
/// message that names the field and what was expected. The core knows nothing of HTTP; the server's edge turns
/// each kind into a status in one place (`APIError.init(_:)`).
public struct DomainError: Error, Sendable, Equatable {
    /// What went wrong, in the terms of the application rather than of a protocol.
    public enum Kind: Sendable, Equatable {
        /// The input is malformed or out of range (HTTP 400).
        case invalid
        /// The caller may not do this, or the configuration forbids it (403).
        case forbidden
        /// What was named does not exist in the caller's tenant (404).
        case notFound
        /// The input is too large to handle (413).
        case tooLarge
        /// A limit on work was reached; `retryAfterSeconds` says when to try again (429).
        case limitReached
        /// Something failed on our side (500).
        case failed
    }

    public var kind: Kind
    public var code: ErrorCode
    public var message: String
    /// When the same request may succeed again (quotas), in seconds.
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, _ code: ErrorCode, _ message: String, retryAfterSeconds: Int? = nil) {
        self.kind = kind; self.code = code; self.message = message; self.retryAfterSeconds = retryAfterSeconds
    }

    /// Malformed or out-of-range input, `bad_parameter` unless another code says more.
    public static func invalid(_ message: String, code: ErrorCode = .badParameter) -> DomainError {
        DomainError(.invalid, code, message)
    }

    /// `what` does not exist in the caller's tenant.
    public static func notFound(_ what: String) -> DomainError { DomainError(.notFound, .notFound, "\(what) not found") }
}
