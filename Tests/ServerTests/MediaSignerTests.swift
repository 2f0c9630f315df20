import Crypto
import Foundation
@testable import Core
import Media
import Storage
import Testing

@Suite struct MediaSignerTests {
    /// The signer keeps its HMAC with the key absorbed and signs from copies of it: every signature, from many tasks
    /// at once, is the one-shot HMAC-SHA256 of the message (image URLs and webhook secrets must not change with it).
    @Test func signaturesAreTheOneShotHMACFromEveryTask() async throws {
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
        // Keys of every length RFC 2104 treats apart (empty, under a block, one block, longer and hashed first), and
        // the image signature fed in parts: each the one-shot HMAC of the whole message.
        for length in [0, 1, 63, 64, 65, 200] {
            let key = String((0..<length).map { Character(UnicodeScalar(UInt8(33 + $0 % 90))) })
            let s = MediaSigner(secret: key)
            func hmac(_ m: String) -> String {
                Hex.string(HMAC<SHA256>.authenticationCode(for: Data(m.utf8), using: SymmetricKey(data: Data(key.utf8))))
            }
            #expect(s.signature("rd_1:crop:1800000000") == hmac("rd_1:crop:1800000000"), "key of \(length) bytes")
            #expect(s.imageSignature(id: "rd_7", expires: 1_800_000_123) == hmac("image:rd_7:1800000123"), "key of \(length) bytes")
        }
        // One signature serves both links of a read; links signed per kind before keep working until they expire.
        let links = ImageLinks(signer: signer, lifetimeSeconds: 300).urls("reads", id: "rd_1", frameKey: "f.jpg", cropKey: "c.jpg")
        let frame = try #require(links.frame), crop = try #require(links.crop)
        func parts(_ url: String) -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: url.split(separator: "?")[1].split(separator: "&").map {
                    let kv = $0.split(separator: "=", maxSplits: 1); return (String(kv[0]), String(kv[1]))
                })
        }
        #expect(frame.hasPrefix("/v1/reads/rd_1/image?kind=frame&") && crop.hasPrefix("/v1/reads/rd_1/image?kind=crop&"))
        let f = parts(frame), c = parts(crop)
        let expires = try #require(f["expires"].flatMap { Int64($0) })
        let now = WallClock.nowMillis() / 1000
        #expect((now + 299...now + 301).contains(expires) && c["expires"] == f["expires"])
        #expect(f["signature"] == c["signature"] && f["signature"] == expected("image:rd_1:\(expires)"))
        for kind in ["crop", "frame"] {
            #expect(signer.isValid(readID: "rd_1", kind: kind, expires: expires, signature: f["signature"]!, now: now))
        }
        #expect(!signer.isValid(readID: "rd_2", kind: "crop", expires: expires, signature: f["signature"]!, now: now))
        #expect(!signer.isValid(readID: "rd_1", kind: "crop", expires: expires + 1, signature: f["signature"]!, now: now))
        #expect(!signer.isValid(readID: "rd_1", kind: "crop", expires: expires, signature: f["signature"]!, now: expires + 1))
        let perKind = expected("rd_1:crop:\(expires)")
        #expect(signer.isValid(readID: "rd_1", kind: "crop", expires: expires, signature: perKind, now: now))
        #expect(!signer.isValid(readID: "rd_1", kind: "frame", expires: expires, signature: perKind, now: now))
        #expect(ImageLinks(signer: signer, lifetimeSeconds: 300).urls("reads", id: "rd_1", frameKey: nil, cropKey: nil) == (nil, nil))
    }
}
