/// Lower-case hexadecimal text of bytes (digests, MACs, random secrets): S3 request signing here, API key hashes,
/// signed image links and webhook signatures in the server.
///
/// One table lookup per digit: `String(format: "%02x")` per byte went through Foundation's formatter, and signing
/// the two image URLs of each of a page's 50 reads took 7.6% of a list request's CPU in a profile
/// (docs/scale.md).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
