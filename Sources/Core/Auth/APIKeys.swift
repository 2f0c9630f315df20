import Crypto
import Foundation
import Media
import Storage

/// API key material: `manpr_` + 40 random base62 characters. Only the SHA-256 of a key is stored (keys are
/// long random strings, so a fast hash is safe), with a display prefix.
public enum APIKeys {
    package static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func generate() -> String {
        var g = SystemRandomNumberGenerator()
        // 62 divides into 2^64 unevenly by a negligible amount (bias < 2^-57).
        return "manpr_" + String((0..<40).map { _ in alphabet[Int(g.next() % 62)] })
    }

    /// A random URL-safe token (256 bits) for sessions, CSRF and invitations.
    public static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func isWellFormed(_ key: String) -> Bool {
        key.count == 46 && key.hasPrefix("manpr_") && key.dropFirst(6).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    public static func hash(_ key: String) -> String {
        Hex.string(SHA256.hash(data: Data(key.utf8)))
    }

    /// The part shown in listings.
    public static func prefix(_ key: String) -> String { String(key.prefix(12)) }

    /// Compares two strings in time that depends only on their length.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// Creates a tenant with its first key; returns both (the key in clear, shown once).
    public static func createTenant(store: Store, name: String, plan: Plan) async throws -> (Tenant, String) {
        let tenant = try await store.createTenant(name: name, plan: plan)
        let key = generate()
        _ = try await store.createKey(tenantID: tenant.id, name: "default", prefix: prefix(key), hash: hash(key))
        return (tenant, key)
    }
}
