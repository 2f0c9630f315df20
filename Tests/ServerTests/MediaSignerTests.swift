import Crypto
import Foundation
@testable import Core
import Media
import Testing

@Suite struct MediaSignerTests {
    /// The signer keeps its HMAC with the key absorbed and signs from copies of it: every signature, from many tasks
    /// at once, is the one-shot HMAC-SHA256 of the message (image URLs and webhook secrets must not change with it).
    @Test func signaturesAreTheOneShotHMACFromEveryTask() async {
        let secret = "a server secret, longer than some and shorter than a SHA-256 block"
        let signer = MediaSigner(secret: secret)
        func expected(_ message: String) -> String {
            Hex.string(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8))))
        }
        let messages = ["", "rd_1:crop:1800000000", String(repeating: "x", count: 200), "webhook:ten_abc", "é:ü:\u{1F697}"]
        for m in messages { #expect(signer.signature(m) == expected(m), "\(m)") }
        #expect(signer.signature("a") != signer.signature("b"))
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let m = "rd_\(i):frame:\(1_800_000_000 + i)"
                    return (0..<50).allSatisfy { _ in signer.signature(m) == expected(m) }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
        let query = signer.query(readID: "rd_1", kind: "crop", expires: 1_800_000_000)
        #expect(
            signer.isValid(
                readID: "rd_1", kind: "crop", expires: 1_800_000_000, signature: String(query.split(separator: "=").last!), now: 0))
    }
}
