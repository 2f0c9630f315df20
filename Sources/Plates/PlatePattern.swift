import Foundation

/// A plate format written as a small pattern language, parsed once.
///
/// A pattern is a sequence of items, each optionally followed by `{n}` or `{m,n}`:
/// - `L` any letter, `D` any digit, `A` any letter or digit;
/// - `[...]` a class of characters and ranges, e.g. `[A-HJ-NP-Y]` or `[012567]`;
/// - `[L^IQZ]` letters except I, Q and Z; `[D^0]` digits except 0;
/// - a space or `-` is not matched: it is where the display form puts a separator.
///
/// Example, GB current format: `[L^IJQTUXZ][L^IQZ][012567]D [L^IQ]{3}` (AB12 CDE).
public struct PlatePattern: Sendable, Equatable {
    /// One position class repeated between `min` and `max` times.
    public struct Item: Sendable, Equatable {
        public var set: SymbolSet
        public var min: Int
        public var max: Int
        /// Separator shown before this item in the display form ("" for none).
        public var separator: String
    }

    public let source: String
    public let items: [Item]

    /// Shortest and longest plate the pattern accepts.
    public var lengthRange: ClosedRange<Int> { items.reduce(0) { $0 + $1.min }...items.reduce(0) { $0 + $1.max } }

    public init(_ source: String) throws(PlateFormatError) {
        self.source = source
        var items: [Item] = []
        var chars = Array(source)
        var i = 0
        var pendingSeparator = ""
        func bad(_ why: String) -> PlateFormatError { .invalidPattern(source, why) }
        while i < chars.count {
            let c = chars[i]
            var set = SymbolSet(bits: 0)
            switch c {
            case " ", "-":
                pendingSeparator += String(c); i += 1; continue
            case "L": set = .letters; i += 1
            case "D": set = .digits; i += 1
            case "A": set = .all; i += 1
            case "[":
                guard let close = chars[i...].firstIndex(of: "]") else { throw bad("unclosed [") }
                let body = Array(chars[(i + 1)..<close])
                i = close + 1
                if body.count >= 2, body[1] == "^", body[0] == "L" || body[0] == "D" {
                    set = body[0] == "L" ? .letters : .digits
                    for ch in body.dropFirst(2) {
                        guard let s = Symbol.index(of: ch) else { throw bad("bad character \(ch)") }
                        set.remove(s)
                    }
                } else {
                    var j = 0
                    while j < body.count {
                        guard let a = Symbol.index(of: body[j]), body[j].isUppercase || body[j].isNumber else {
                            throw bad("bad character \(body[j])")
                        }
                        if j + 2 < body.count, body[j + 1] == "-" {
                            guard let b = Symbol.index(of: body[j + 2]), b >= a else { throw bad("bad range") }
                            for s in a...b { set.insert(s) }
                            j += 3
                        } else {
                            set.insert(a); j += 1
                        }
                    }
                }
            default:
                guard let s = Symbol.index(of: c), c.isUppercase || c.isNumber else { throw bad("unexpected \(c)") }
                set.insert(s); i += 1
            }
            if set.isEmpty { throw bad("empty class") }
            var lo = 1, hi = 1
            if i < chars.count, chars[i] == "{" {
                guard let close = chars[i...].firstIndex(of: "}") else { throw bad("unclosed {") }
                let parts = String(chars[(i + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), let a = Int(parts[0]), let b = Int(parts.last!), a >= 0, b >= a, b > 0
                else { throw bad("bad repeat") }
                lo = a; hi = b; i = close + 1
            }
            items.append(Item(set: set, min: lo, max: hi, separator: items.isEmpty ? "" : pendingSeparator))
            pendingSeparator = ""
        }
        if items.isEmpty { throw bad("empty pattern") }
        chars = []
        self.items = items
    }

    /// The pattern as a linear automaton: one step per possible character, optional steps marked.
    var steps: [(set: SymbolSet, optional: Bool)] {
        items.flatMap { item in
            (0..<item.max).map { (item.set, $0 >= item.min) }
        }
    }

    /// How the characters of `symbols` split over the items, if the pattern accepts them.
    func assignment(_ symbols: [Int]) -> [Int]? {
        // Depth-first over item repeat counts; patterns are short.
        func go(_ item: Int, _ pos: Int) -> [Int]? {
            if item == items.count { return pos == symbols.count ? [] : nil }
            let it = items[item]
            var n = 0
            while n < it.min {
                guard pos + n < symbols.count, it.set.contains(symbols[pos + n]) else { return nil }
                n += 1
            }
            var counts: [Int] = []
            while true {
                if let rest = go(item + 1, pos + n) { counts = [n] + rest; return counts }
                guard n < it.max, pos + n < symbols.count, it.set.contains(symbols[pos + n]) else { return nil }
                n += 1
            }
        }
        return go(0, 0)
    }

    /// The natural log of how many plates the pattern accepts: how specific it is. A plate that fits a
    /// tight format is stronger evidence for that format's country than one fitting a loose format.
    public var logLanguageSize: Double {
        items.reduce(0) { total, item in
            let k = Double(item.set.members.count)
            let count = (item.min...item.max).reduce(0.0) { $0 + pow(k, Double($1)) }
            return total + log(count)
        }
    }

    /// Whether the pattern accepts `text` (upper-case letters and digits, no separators).
    public func matches(_ text: String) -> Bool {
        guard let s = Symbol.indices(of: text) else { return false }
        return assignment(s) != nil
    }

    /// The display form of an accepted `text`, with the pattern's separators; nil if not accepted.
    public func display(_ text: String) -> String? {
        guard let s = Symbol.indices(of: text), let counts = assignment(s) else { return nil }
        var out = ""
        var pos = 0
        for (item, n) in zip(items, counts) where n > 0 {
            out += (out.isEmpty ? "" : item.separator) + Symbol.string(Array(s[pos..<(pos + n)]))
            pos += n
        }
        return out
    }

    /// A random plate the pattern accepts (for tests and benchmarks).
    public func sample(using rng: inout some RandomNumberGenerator) -> String {
        var out: [Int] = []
        for item in items {
            let members = item.set.members
            for _ in 0..<Int.random(in: item.min...item.max, using: &rng) {
                out.append(members.randomElement(using: &rng)!)
            }
        }
        return Symbol.string(out)
    }
}

/// A problem with a format pack or pattern.
public enum PlateFormatError: Error, Equatable, CustomStringConvertible {
    case invalidPattern(String, String)
    case unknownCountry(String)
    case invalidPack(String)

    public var description: String {
        switch self {
        case .invalidPattern(let p, let why): "invalid plate pattern \"\(p)\": \(why)"
        case .unknownCountry(let c): "unknown country \"\(c)\""
        case .invalidPack(let why): "invalid format pack: \(why)"
        }
    }
}
