/// The 36 plate symbols: digits `0`-`9` (indices 0-9) then letters `A`-`Z` (indices 10-35).
public enum Symbol {
    /// Number of symbols.
    public static let count = 36

    /// The symbol index of an ASCII digit or letter (case-insensitive), or nil.
    public static func index(of c: Character) -> Int? {
        guard let a = c.asciiValue else { return nil }
        switch a {
        case 48...57: return Int(a - 48)
        case 65...90: return Int(a - 65) + 10
        case 97...122: return Int(a - 97) + 10
        default: return nil
        }
    }

    /// The upper-case character of a symbol index.
    public static func character(_ i: Int) -> Character {
        Character(Unicode.Scalar(UInt8(i < 10 ? 48 + i : 55 + i)))
    }

    /// The symbol indices of a string, or nil if it holds anything but digits and letters.
    public static func indices(of text: String) -> [Int]? {
        var out: [Int] = []
        for c in text {
            guard let i = index(of: c) else { return nil }
            out.append(i)
        }
        return out
    }

    /// The string of symbol indices.
    public static func string(_ indices: [Int]) -> String { String(indices.map(character)) }

    /// Whether a symbol is a digit.
    public static func isDigit(_ i: Int) -> Bool { i < 10 }
}

/// A set of symbols, as a bit mask.
public struct SymbolSet: Hashable, Sendable {
    public var bits: UInt64
    public init(bits: UInt64) { self.bits = bits }
    public static let digits = SymbolSet(bits: (1 << 10) - 1)
    public static let letters = SymbolSet(bits: ((1 << 36) - 1) & ~((1 << 10) - 1))
    public static let all = SymbolSet(bits: (1 << 36) - 1)
    public func contains(_ i: Int) -> Bool { bits & (1 << UInt64(i)) != 0 }
    public mutating func insert(_ i: Int) { bits |= 1 << UInt64(i) }
    public mutating func remove(_ i: Int) { bits &= ~(1 << UInt64(i)) }
    public var members: [Int] { (0..<Symbol.count).filter(contains) }
    public var isEmpty: Bool { bits == 0 }
}
