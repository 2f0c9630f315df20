import Crypto
import Foundation
import Media
import Storage

/// Signs short-lived image URLs with HMAC-SHA256 so that `<img src>` works without a header.
public struct MediaSigner: Sendable {
    /// HMAC-SHA256 (RFC 2104) kept as its two SHA-256 states with the key already absorbed (key XOR ipad, key XOR
    /// opad): each signature starts from copies of them instead of hashing the key again (two of a short message's four
    /// SHA-256 blocks; a page of 50 reads signs 50 objects). Not `HMAC<SHA256>`: its `update(data:)` takes any
    /// `DataProtocol` and, called once per link, looked up generic metadata and walked the bytes' regions for more CPU
    /// than the hashing itself (a profile of a list: 5.3% of the server's CPU in signing, 0.5% in SHA-256; docs/scale.md).
    /// Copies share nothing mutable (each state is copied on write), so one value serves every thread.
    nonisolated(unsafe) private let inner: SHA256
    nonisolated(unsafe) private let outer: SHA256

    public init(secret: String) {
        // A key longer than the hash's block is hashed first; a shorter one is padded with zeros (RFC 2104, 2).
        let blockSize = SHA256.blockByteCount
        var key = Array(secret.utf8)
        if key.count > blockSize { key = Array(SHA256.hash(data: key)) }
        key += [UInt8](repeating: 0, count: blockSize - key.count)
        var inner = SHA256(), outer = SHA256()
        inner.update(data: key.map { $0 ^ 0x36 })
        outer.update(data: key.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The MAC, in lower-case hex, of the message that `message` feeds to the hash.
    private func mac(_ message: (inout SHA256) -> Void) -> String {
        var h = inner
        message(&h)
        var o = outer
        h.finalize().withUnsafeBytes { o.update(bufferPointer: $0) }
        return Hex.string(o.finalize())
    }

    package func signature(_ message: String) -> String { mac { $0.absorb(message) } }

    /// The secret that signs a tenant's webhooks, derived from the server secret.
    package func webhookSecret(tenantID: ID<Tenant>) -> String { "whsec_" + signature("webhook:\(tenantID)") }

    /// The signature of both image links of read or pass `id` until `expires` (epoch seconds): one per stored object,
    /// not one per image. Every representation that carries one of its links carries the other (API, events,
    /// webhooks, exports), so signing the kind too granted nothing more and cost a page of 50 reads 50 more HMACs
    /// (a profile of a list with links: 16% of the server's CPU in the links, 7% in HMAC; docs/scale.md). The
    /// `image:` prefix keeps these messages apart from the signer's other uses (webhook secrets, plate hashes).
    package func imageSignature(id: String, expires: Int64) -> String {
        mac {
            $0.absorb("image:")
            $0.absorb(id)
            $0.absorb(":")
            $0.absorb(String(expires))
        }
    }

    package func isValid(readID: String, kind: String, expires: Int64, signature sig: String, now: Int64) -> Bool {
        guard expires >= now else { return false }
        // Links signed per kind (before 2026-12-03) stay valid for the rest of their lifetime.
        return APIKeys.constantTimeEqual(imageSignature(id: readID, expires: expires), sig)
            || APIKeys.constantTimeEqual(signature("\(readID):\(kind):\(expires)"), sig)
    }
}

extension SHA256 {
    /// Hashes `text`'s UTF-8 bytes next.
    fileprivate mutating func absorb(_ text: String) {
        var text = text
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
}
