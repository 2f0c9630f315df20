import Foundation

/// Position after the last read of a page (newest first: captured_at then id, both descending).
/// The one page cursor of every listing (reads, passes, parking sessions, alerts): the time and id of the last
/// row of a page, newest first, as an opaque URL-safe token.
public struct PageCursor: Sendable, Equatable {
    public var time: Int64
    public var id: String
    public init(time: Int64, id: String) { self.time = time; self.id = id }
    /// The position after a row with a typed id.
    public init<Entity>(time: Int64, id: ID<Entity>) { self.init(time: time, id: id.rawValue) }

    /// URL-safe opaque form: `time:id` in unpadded base64url. By hand: Foundation's base64 and three
    /// `replacingOccurrences` cost a list request more than writing one of its reads (docs/scale.md).
    public var token: String {
        let bytes = Array("\(time):\(id)".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var v = UInt32(bytes[i]) << 16
            if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
            if n > 2 { v |= UInt32(bytes[i + 2]) }
            for k in 0...n { out.append(Self.alphabet[Int(v >> UInt32(18 - 6 * k)) & 63]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// A token's position; nil for anything that is not one. Padding and the standard alphabet's `+` and `/` are
    /// accepted too.
    public init?(token: String) {
        var bytes: [UInt8] = []
        var v: UInt32 = 0, bits = 0
        for c in token.utf8 {
            let d: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"), UInt8(ascii: "+"): d = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): d = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            v = v << 6 | UInt32(d)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(bits)))
            }
        }
        // A length that leaves 6 bits over (1 character in 4) is no base64.
        guard bits < 6, let s = String(validating: bytes, as: UTF8.self), let colon = s.firstIndex(of: ":"),
            let t = Int64(s[..<colon])
        else { return nil }
        let id = String(s[s.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        time = t
        self.id = id
    }
}
