import Foundation

/// JSON text of a `[String: Any]` / `[Any]` tree (strings, integers, doubles, booleans, `NSNull`, nil), with keys
/// sorted by their UTF-8 bytes. Foundation's `JSONSerialization` with sorted keys compares keys with the locale
/// and bridges every dictionary to `NSDictionary`: three quarters of a 50-session list request's CPU.
public enum JSONText {
    /// The JSON text of `value`; a value of another type is written as its description, as a string.
    public static func data(_ value: Any) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out)
        return Data(out)
    }

    static func write(_ value: Any, into out: inout [UInt8]) {
        // An NSNumber object (from JSONSerialization) first: cast as Int, its booleans would be written 0 and 1.
        if type(of: value) is NSNumber.Type, let n = value as? NSNumber {
            number(n, into: &out)
            return
        }
        switch value {
        case let s as String: string(s, into: &out)
        case let b as Bool where type(of: value) == Bool.self: out.append(contentsOf: (b ? "true" : "false").utf8)
        case let i as Int: out.append(contentsOf: String(i).utf8)
        case let i as Int64: out.append(contentsOf: String(i).utf8)
        case let i as Int32: out.append(contentsOf: String(i).utf8)
        case let d as Double: number(d, into: &out)
        case let o as [String: Any]:
            out.append(UInt8(ascii: "{"))
            for (n, key) in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                string(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(o[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case let a as [Any]:
            out.append(UInt8(ascii: "["))
            for (n, element) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case is NSNull: out.append(contentsOf: "null".utf8)
        case let n as NSNumber: number(n, into: &out)
        default:
            if case Optional<Any>.none = value as Any? { out.append(contentsOf: "null".utf8); return }
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let inner = mirror.children.first?.value { write(inner, into: &out) } else { out.append(contentsOf: "null".utf8) }
            } else {
                string(String(describing: value), into: &out)
            }
        }
    }

    /// Booleans parsed by JSONSerialization are NSNumbers of type "c" (char) or "B".
    static func number(_ n: NSNumber, into out: inout [UInt8]) {
        let type = String(cString: n.objCType)
        if type == "c" || type == "B" {
            out.append(contentsOf: (n.boolValue ? "true" : "false").utf8)
        } else if type == "d" || type == "f" {
            number(n.doubleValue, into: &out)
        } else {
            out.append(contentsOf: n.stringValue.utf8)
        }
    }

    /// Writes `d` as a JSON number: an integral value without a fraction, a value that is not finite as `null`.
    public static func number(_ d: Double, into out: inout [UInt8]) {
        guard d.isFinite else { out.append(contentsOf: "null".utf8); return }
        if d == d.rounded(), abs(d) < 1e15 { integer(Int64(d), into: &out) } else { out.append(contentsOf: String(d).utf8) }
    }

    /// Writes `v`'s decimal digits (a box's coordinates, counts: no string made for them).
    public static func integer(_ v: Int64, into out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var rest = v.magnitude
        var divisor: UInt64 = 1
        while divisor <= rest / 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: 48 + rest / divisor)); rest %= divisor; divisor /= 10
        }
    }

    /// Whether `s` holds a byte that a JSON string must escape (a control character, `"` or `\\`).
    public static func needsEscape(_ s: String) -> Bool { s.utf8.contains(where: isEscaped) }

    /// Whether a JSON string must escape this byte.
    private static func isEscaped(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

    /// Writes `s` as a JSON string, escaped. Most strings (ids, plates, times, signed image URLs) need no escape and are
    /// copied in one go: byte by byte, this was a tenth of a list page's CPU (session 17, docs/scale.md).
    public static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            if !bytes.contains(where: isEscaped) {
                out.append(contentsOf: bytes)
                return
            }
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): out += [92, 34]
                case UInt8(ascii: "\\"): out += [92, 92]
                case 0x0A: out += [92, UInt8(ascii: "n")]
                case 0x0D: out += [92, UInt8(ascii: "r")]
                case 0x09: out += [92, UInt8(ascii: "t")]
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
