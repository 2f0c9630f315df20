import Foundation

/// Per-time-step probabilities of a CTC reader restricted to the plate alphabet:
/// column 0 is the blank, column 1 + i is ``Symbol`` i. Rows sum to 1.
public struct CTCMatrix: Sendable {
    public let steps: Int
    /// Row-major `steps x 37` probabilities.
    public let probabilities: [Float]
    public static let columns = Symbol.count + 1

    public init(steps: Int, probabilities: [Float]) {
        precondition(probabilities.count == steps * Self.columns)
        self.steps = steps; self.probabilities = probabilities
    }

    @inline(__always) public func p(_ t: Int, _ column: Int) -> Float { probabilities[t * Self.columns + column] }

    /// The matrix of a reader's raw output over its own alphabet: each alphabet entry that is a letter or
    /// digit (case-folded) adds to its symbol, the blank column stays, everything else is dropped, and rows
    /// are renormalised.
    public static func restricting(
        _ values: [Float], steps: Int, classes: Int, blank: Int,
        symbolOfClass: [Int?]
    ) -> CTCMatrix {
        var out = [Float](repeating: 0, count: steps * columns)
        for t in 0..<steps {
            let row = t * classes
            var sum: Float = 0
            for c in 0..<classes {
                let v = values[row + c]
                if c == blank {
                    out[t * columns] += v; sum += v
                } else if let s = symbolOfClass[c] {
                    out[t * columns + 1 + s] += v; sum += v
                }
            }
            if sum > 0 { for k in 0..<columns { out[t * columns + k] /= sum } } else { out[t * columns] = 1 }
        }
        return CTCMatrix(steps: steps, probabilities: out)
    }

    /// log P(text) under CTC: the sum over every alignment of `symbols` (forward algorithm).
    public func logProbability(of symbols: [Int]) -> Double {
        let n = 2 * symbols.count + 1  // blank, s0, blank, s1, ..., blank
        guard steps > 0, symbols.count <= steps else { return -.infinity }
        func label(_ i: Int) -> Int { i % 2 == 0 ? 0 : symbols[i / 2] + 1 }
        var alpha = [Double](repeating: -.infinity, count: n)
        alpha[0] = log(Double(p(0, 0)))
        if n > 1 { alpha[1] = log(Double(p(0, label(1)))) }
        var next = alpha
        for t in 1..<steps {
            for i in 0..<n {
                var a = alpha[i]
                if i >= 1 { a = logAdd(a, alpha[i - 1]) }
                if i >= 2, i % 2 == 1, label(i) != label(i - 2) { a = logAdd(a, alpha[i - 2]) }
                next[i] = a + log(Double(p(t, label(i))))
            }
            swap(&alpha, &next)
        }
        return n > 1 ? logAdd(alpha[n - 1], alpha[n - 2]) : alpha[0]
    }

    /// Several readings in order (the lines of a two-line plate, top first) as one, with a blank step
    /// between them so that a character ending one line and starting the next stay two characters.
    public static func joined(_ parts: [CTCMatrix]) -> CTCMatrix {
        var probs: [Float] = []
        var steps = 0
        for (i, m) in parts.enumerated() {
            if i > 0 {
                probs.append(1)
                probs.append(contentsOf: [Float](repeating: 0, count: columns - 1))
                steps += 1
            }
            probs += m.probabilities
            steps += m.steps
        }
        return CTCMatrix(steps: steps, probabilities: probs)
    }

    /// Greedy (best path) decoding, for comparison.
    public var greedy: String {
        var out: [Int] = []
        var last = 0
        for t in 0..<steps {
            var best = 0
            for k in 1..<Self.columns where p(t, k) > p(t, best) { best = k }
            if best != 0 && best != last { out.append(best - 1) }
            last = best
        }
        return Symbol.string(out)
    }
}

/// A decoded string with its log-probability under the reader (summed over all CTC alignments in the beam).
public struct ScoredText: Sendable, Equatable {
    public var text: String
    public var logProbability: Double
}

/// CTC prefix beam search over the 36 plate symbols, optionally constrained by a ``FormatAutomaton`` so that
/// only strings some format accepts survive (an `I` where a format needs a digit is never extended).
public struct CTCBeamDecoder: Sendable {
    public var beamWidth: Int
    /// Symbols below this probability at a step are not tried there (constrained search) ...
    public var minSymbolProbability: Float
    /// ... and in the unconstrained search.
    public var freeMinSymbolProbability: Float = 1e-3
    /// Longest string the unconstrained search produces.
    public var maxLength: Int

    /// Steps whose blank probability is at least this only extend existing prefixes with the blank.
    public var blankSkip: Float

    public init(beamWidth: Int = 24, minSymbolProbability: Float = 1e-6, maxLength: Int = 10, blankSkip: Float = 0.9995) {
        self.beamWidth = beamWidth; self.minSymbolProbability = minSymbolProbability; self.maxLength = maxLength
        self.blankSkip = blankSkip
    }

    private struct Beam {
        var blank: Double  // log P(prefix, ending in blank)
        var symbol: Double  // log P(prefix, ending in its last symbol)
        var state: Int
        var total: Double { logAdd(blank, symbol) }
    }

    /// Prefixes are packed 6 bits per symbol (symbol + 1), so at most 10 symbols fit a key.
    static let keyCapacity = 10
    /// The longest plate the decoder can return.
    public static let maxPlateLength = keyCapacity

    @inline(__always) private static func last(_ key: UInt64) -> Int? { key == 0 ? nil : Int(key & 63) - 1 }
    @inline(__always) private static func length(_ key: UInt64) -> Int { (64 - key.leadingZeroBitCount + 5) / 6 }

    private static func symbols(_ key: UInt64) -> [Int] {
        var out: [Int] = []
        var k = key
        while k != 0 { out.append(Int(k & 63) - 1); k >>= 6 }
        return out.reversed()
    }

    /// The best strings, most probable first. With an automaton only complete valid plates are returned.
    public func decode(_ m: CTCMatrix, automaton: FormatAutomaton? = nil, top: Int = 5) -> [ScoredText] {
        var beams: [UInt64: Beam] = [0: Beam(blank: 0, symbol: -.infinity, state: automaton?.start ?? 0)]
        let minP = automaton == nil ? freeMinSymbolProbability : minSymbolProbability
        let limit = min(maxLength, Self.keyCapacity)
        var candidates: [(Int, Double)] = []
        candidates.reserveCapacity(Symbol.count)
        var next: [UInt64: Beam] = [:]
        for t in 0..<m.steps {
            let pBlank = log(Double(m.p(t, 0)))
            candidates.removeAll(keepingCapacity: true)
            if m.p(t, 0) < blankSkip {
                for s in 0..<Symbol.count where m.p(t, s + 1) >= minP { candidates.append((s, log(Double(m.p(t, s + 1))))) }
            }
            next.removeAll(keepingCapacity: true)
            // In key order: a dictionary's order changes from process to process, and with it the order in which
            // a prefix's paths are summed (the last bits of its probability) and which of tied prefixes are kept.
            for (key, beam) in beams.sorted(by: { $0.key < $1.key }) {
                // Stay on the same prefix: a blank, or the last symbol repeated without a blank between.
                var staySymbol = -Double.infinity
                let last = Self.last(key)
                if let last, m.p(t, last + 1) > 0 { staySymbol = beam.symbol + log(Double(m.p(t, last + 1))) }
                Self.add(&next, key, state: beam.state, blank: beam.total + pBlank, symbol: staySymbol)
                if candidates.isEmpty || Self.length(key) >= limit { continue }
                for (s, lp) in candidates {
                    var state = 0
                    if let automaton {
                        guard let n = automaton.next(beam.state, s) else { continue }
                        state = n
                    }
                    // A repeated symbol only starts a new character after a blank.
                    let from = last == s ? beam.blank : beam.total
                    if from == -.infinity { continue }
                    Self.add(&next, key << 6 | UInt64(s + 1), state: state, blank: -.infinity, symbol: from + lp)
                }
            }
            if next.count > beamWidth {
                let kept = next.sorted(by: Self.moreProbable).prefix(beamWidth)
                beams = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
            } else {
                swap(&beams, &next)
            }
        }
        return
            beams
            .filter { $0.key != 0 && (automaton?.isAccepting($0.value.state) ?? true) }
            .sorted(by: Self.moreProbable)
            .prefix(top)
            .map { ScoredText(text: Symbol.string(Self.symbols($0.key)), logProbability: $0.value.total) }
    }

    /// The more probable prefix first; of equally probable ones, the smaller key, so that ties are kept and ranked
    /// the same way on every run.
    private static func moreProbable(_ a: (key: UInt64, value: Beam), _ b: (key: UInt64, value: Beam)) -> Bool {
        let (x, y) = (a.value.total, b.value.total)
        return x > y || (x == y && a.key < b.key)
    }

    @inline(__always) private static func add(_ beams: inout [UInt64: Beam], _ key: UInt64, state: Int, blank: Double, symbol: Double) {
        if var b = beams[key] {
            b.blank = logAdd(b.blank, blank); b.symbol = logAdd(b.symbol, symbol)
            beams[key] = b
        } else {
            beams[key] = Beam(blank: blank, symbol: symbol, state: state)
        }
    }
}

@inline(__always) func logAdd(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    return max(a, b) + log1p(exp(-abs(a - b)))
}
