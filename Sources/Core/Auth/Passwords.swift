import _CryptoExtras
import Crypto
import Foundation
import NIOCore
import NIOPosix

/// Password hashing with scrypt (memory-hard): `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`. Hashing runs on
/// a thread pool of its own, so that it never stalls an event loop, and a burst of sign-ins (each hash takes tens of
/// milliseconds and 32 MiB) queues behind itself, not in front of database queries and file writes.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's CPU/memory cost N; with r = 8 and p = 3, 15 uses 32 MiB per hash (OWASP's equivalent of
    /// N = 2^17, p = 1).
    public var logN: Int
    public var blockSize = 8
    public var parallelism = 3

    public init(logN: Int = 15) { self.logN = logN }

    /// Shortest and longest password accepted when one is set.
    public static let lengths = 10...256

    public func hash(_ password: String) async throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var g = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = g.next() }
        let (n, r, p) = (logN, blockSize, parallelism)
        let key = try await Self.derive(password, salt: salt, logN: n, r: r, p: p)
        return "scrypt$\(n)$\(r)$\(p)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Checks a password against a stored hash in constant time; false for a malformed hash.
    public func verify(_ password: String, against stored: String) async -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
            (10...20).contains(n), (1...16).contains(r), (1...16).contains(p),
            let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]), expected.count == 32,
            let key = try? await Self.derive(password, salt: [UInt8](salt), logN: n, r: r, p: p)
        else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(key, expected) { diff |= a ^ b }
        return diff == 0
    }

    /// Spends the time of one verification, so that an unknown email answers as slowly as a wrong password.
    public func burn(_ password: String) async {
        _ = try? await Self.derive(password, salt: [UInt8](repeating: 0, count: 16), logN: logN, r: blockSize, p: parallelism)
    }

    /// Process-wide, as many threads as cores; never shut down.
    package static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()

    package static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) async throws -> Data {
        try await pool.runIfActive {
            let key = try KDF.Scrypt.deriveKey(
                from: Array(password.utf8), salt: salt, outputByteCount: 32,
                rounds: 1 << logN, blockSize: r, parallelism: p)
            return key.withUnsafeBytes { Data($0) }
        }
    }
}
