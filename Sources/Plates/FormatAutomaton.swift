import Foundation

/// The union of several plate patterns compiled to a deterministic automaton over the 36 symbols, so that a
/// decoder can extend a partial plate one character at a time and know at once whether it can still become a
/// valid plate. Immutable once built.
public struct FormatAutomaton: Sendable {
    /// A compiled format: its pack entry and pattern.
    public struct Entry: Sendable {
        public let country: String
        public let format: PlateFormat
        public let pattern: PlatePattern
        /// log P(a plate is exactly this string | this pattern) + log P(pattern): the country's prior (equal
        /// across packs), the format's prior within its country (shared by its expanded patterns), and a
        /// uniform draw from the pattern's language.
        public let logWeight: Double
        /// log P(format): the country's prior (equal across packs) and the format's within its country.
        public let logPrior: Double
    }

    public let entries: [Entry]
    /// transitions[state * 36 + symbol] = next state, or -1.
    private let transitions: [Int32]
    /// For each state, the entries (in priority order) that accept there; empty if not accepting.
    private let accepting: [[Int]]
    /// The start state.
    public let start: Int = 0

    /// Compiles the formats of `packs`, earlier packs and formats taking priority when naming a match.
    public init(packs: [FormatPack]) throws(PlateFormatError) {
        var entries: [Entry] = []
        for pack in packs {
            let compiled = try pack.validated()
            let explicit = pack.formats.compactMap(\.prior).reduce(0, +)
            let unset = pack.formats.filter { $0.prior == nil }.count
            // A format's prior is shared by the patterns its `<code>` list expands into.
            let siblings = Dictionary(compiled.map { ("\($0.0.id)\u{0}\($0.0.pattern)", 1) }, uniquingKeysWith: +)
            for (f, p) in compiled {
                // Formats without a prior share what the others leave, equally.
                let prior = f.prior ?? max(1e-6, (1 - min(explicit, 1))) / Double(max(unset, 1))
                let logPrior = -log(Double(packs.count)) + log(prior)
                let w = logPrior - log(Double(siblings["\(f.id)\u{0}\(f.pattern)"] ?? 1)) - p.logLanguageSize
                entries.append(Entry(country: pack.country, format: f, pattern: p, logWeight: w, logPrior: logPrior))
            }
        }
        self.entries = entries
        // NFA: for entry e, nodes for positions 0...steps.count; position k means k steps consumed.
        let steps = entries.map { $0.pattern.steps }
        var starts: [Int] = []
        var finals: [Int] = []
        var node: [(entry: Int, position: Int)] = []
        for (e, s) in steps.enumerated() {
            starts.append(node.count)
            for k in 0...s.count { node.append((e, k)) }
            finals.append(node.count - 1)
        }
        /// The step leaving node `n`, if any.
        func step(_ n: Int) -> (set: SymbolSet, optional: Bool)? {
            let (e, k) = node[n]
            return k < steps[e].count ? steps[e][k] : nil
        }
        func closure(_ set: Set<Int>) -> Set<Int> {
            var out = set
            var stack = Array(set)
            while let n = stack.popLast() {
                if step(n)?.optional == true, out.insert(n + 1).inserted { stack.append(n + 1) }
            }
            return out
        }
        var ids: [Set<Int>: Int] = [:]
        var states: [Set<Int>] = []
        let initial = closure(Set(starts))
        ids[initial] = 0; states.append(initial)
        var table: [Int32] = []
        var acc: [[Int]] = []
        var i = 0
        while i < states.count {
            let set = states[i]
            acc.append((0..<entries.count).filter { set.contains(finals[$0]) })
            for sym in 0..<Symbol.count {
                var next = Set<Int>()
                for n in set where step(n)?.set.contains(sym) == true { next.insert(n + 1) }
                if next.isEmpty { table.append(-1); continue }
                let c = closure(next)
                if let id = ids[c] {
                    table.append(Int32(id))
                } else {
                    ids[c] = states.count; table.append(Int32(states.count)); states.append(c)
                }
            }
            i += 1
        }
        transitions = table
        accepting = acc
    }

    /// Number of states.
    public var stateCount: Int { accepting.count }

    /// The state after reading `symbol` in `state`, or nil if no format allows it.
    @inline(__always) public func next(_ state: Int, _ symbol: Int) -> Int? {
        let n = transitions[state * Symbol.count + symbol]
        return n < 0 ? nil : Int(n)
    }

    /// Whether a plate may end in `state`.
    public func isAccepting(_ state: Int) -> Bool { !accepting[state].isEmpty }

    /// The first format (in priority order) that accepts the whole `text`, or nil.
    public func match(_ text: String) -> Entry? { matches(text).first }

    /// Every format that accepts the whole `text`, in priority order.
    public func matches(_ text: String) -> [Entry] {
        guard let symbols = Symbol.indices(of: text) else { return [] }
        var s = start
        for sym in symbols {
            guard let n = next(s, sym) else { return [] }
            s = n
        }
        return accepting[s].map { entries[$0] }
    }

    /// The countries of the packs compiled in, in priority order.
    public var countries: [String] {
        var out: [String] = []
        for e in entries where !out.contains(e.country) { out.append(e.country) }
        return out
    }
}
