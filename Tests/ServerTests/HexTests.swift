import Crypto
import Foundation
import Media
import Testing

@testable import Server

@Suite struct HexTests {
    @Test func digestsAndMACsReadAsTheirPublishedHex() {
        // FIPS 180-2's example of SHA-256 and RFC 4231's test case 2 of HMAC-SHA-256.
        #expect(Hex.string(SHA256.hash(data: Data("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("what do ya want for nothing?".utf8), using: SymmetricKey(data: Data("Jefe".utf8)))
        #expect(Hex.string(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Hex.string([0x00, 0x0f, 0xf0, 0xff]) == "000ff0ff")
        #expect(Hex.string([UInt8]()) == "")
    }
}
