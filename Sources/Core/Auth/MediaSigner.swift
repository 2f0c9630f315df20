import Crypto
import Foundation
import Media
import Storage

/// Signs short-lived image URLs with HMAC-SHA256 so that `<img src>` works without a header.
public struct MediaSigner: Sendable {
    /// The HMAC with the key already absorbed: each signature starts from a copy of it instead of hashing the key
    /// again (two of a short message's four SHA-256 blocks; a page of 50 reads signs 100 image URLs). Copies share
    /// nothing mutable (the hash state is copied on write), so one value serves every thread.
    nonisolated(unsafe) private let keyed: HMAC<SHA256>

    public init(secret: String) { keyed = HMAC(key: SymmetricKey(data: Data(secret.utf8))) }

    package func signature(_ message: String) -> String {
        var hmac = keyed
        var message = message
        message.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return Hex.string(hmac.finalize())
    }

    /// The query string granting `kind` of read `id` until `expires` (epoch seconds).
    package func query(readID: String, kind: String, expires: Int64) -> String {
        "kind=\(kind)&expires=\(expires)&signature=\(signature("\(readID):\(kind):\(expires)"))"
    }

    /// The secret that signs a tenant's webhooks, derived from the server secret.
    package func webhookSecret(tenantID: ID<Tenant>) -> String { "whsec_" + signature("webhook:\(tenantID)") }

    package func isValid(readID: String, kind: String, expires: Int64, signature sig: String, now: Int64) -> Bool {
        expires >= now && APIKeys.constantTimeEqual(signature("\(readID):\(kind):\(expires)"), sig)
    }
}
