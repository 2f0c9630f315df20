import Crypto
import Foundation
import Media
import Storage

/// Signs short-lived image URLs with HMAC-SHA256 so that `<img src>` works without a header.
public struct MediaSigner: Sendable {
    package let secret: Data

    public init(secret: String) { self.secret = Data(secret.utf8) }

    package func signature(_ message: String) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: secret)))
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
