import Foundation

/// Lower-case hexadecimal text of bytes (digests, MACs, random secrets): S3 request signing here, API key hashes,
/// signed image links and webhook signatures in the server.
///
/// One table lookup per digit: `String(format: "%02x")` per byte went through Foundation's formatter, and signing
/// the two image URLs of each of a page's 50 reads took 7.6% of a list request's CPU in a profile
/// (docs/scale.md).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Written straight into the string's storage from the bytes' own buffer: iterating a digest or MAC as a generic
    /// sequence went through an iterator per byte and took a tenth of a list request's CPU (its 100 signed image
    /// URLs; session 17, docs/scale.md).
    public static func string(_ bytes: some ContiguousBytes) -> String {
        bytes.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                for (i, b) in raw.enumerated() {
                    out[2 * i] = digits[Int(b >> 4)]
                    out[2 * i + 1] = digits[Int(b & 0x0f)]
                }
                return raw.count * 2
            }
        }
    }
}
