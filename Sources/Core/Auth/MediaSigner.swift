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

    /// The secret that signs a tenant's webhooks, derived from the server secret.
    package func webhookSecret(tenantID: ID<Tenant>) -> String { "whsec_" + signature("webhook:\(tenantID)") }

    /// The signature of both image links of read or pass `id` until `expires` (epoch seconds): one per stored object,
    /// not one per image. Every representation that carries one of its links carries the other (API, events,
    /// webhooks, exports), so signing the kind too granted nothing more and cost a page of 50 reads 50 more HMACs
    /// (a profile of a list with links: 16% of the server's CPU in the links, 7% in HMAC; docs/scale.md). The
    /// `image:` prefix keeps these messages apart from the signer's other uses (webhook secrets, plate hashes).
    package func imageSignature(id: String, expires: Int64) -> String { signature("image:\(id):\(expires)") }

    package func isValid(readID: String, kind: String, expires: Int64, signature sig: String, now: Int64) -> Bool {
        guard expires >= now else { return false }
        // Links signed per kind (before 2026-12-03) stay valid for the rest of their lifetime.
        return APIKeys.constantTimeEqual(imageSignature(id: readID, expires: expires), sig)
            || APIKeys.constantTimeEqual(signature("\(readID):\(kind):\(expires)"), sig)
    }
}
