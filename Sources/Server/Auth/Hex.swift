/// Lower-case hexadecimal text of bytes (digests, MACs, random secrets).
///
/// One table lookup per digit: `String(format: "%02x")` per byte went through Foundation's formatter, and signing
/// the two image URLs of each of a page's 50 reads made it the largest single cost of a list request (profile in
/// docs/scale.md).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
