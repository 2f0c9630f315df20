import Foundation

/// A plate string as read, under the formats in force.
public struct PlateReading: Sendable, Equatable, Codable {
    /// Upper-case letters and digits, no separators.
    public var text: String
    /// The display form with the format's separators (the text itself for format `unknown`).
    public var display: String
    /// The format id (`gb.current`, ...) or `unknown`.
    public var format: String
    /// The country of the format, or nil for `unknown`.
    public var country: String?
    /// With several packs in force: how likely the plate is of `country` (0...1), from the probability mass
    /// of the valid candidates each country's formats accept. 1 with a single pack; nil for `unknown`.
    public var countryConfidence: Double?
    /// Probability in 0...1 that the text is right, under the reader and a prior for valid formats.
    public var confidence: Double
    /// Alternatives, best first (the first is the reading itself).
    public var candidates: [Candidate]

    public struct Candidate: Sendable, Equatable, Codable {
        public var text: String
        public var confidence: Double
        public init(text: String, confidence: Double) { self.text = text; self.confidence = confidence }
    }

    public init(
        text: String, display: String, format: String, country: String?, countryConfidence: Double? = nil,
        confidence: Double, candidates: [Candidate]
    ) {
        self.text = text; self.display = display; self.format = format; self.country = country
        self.countryConfidence = countryConfidence ?? (country == nil ? nil : 1)
        self.confidence = confidence; self.candidates = candidates
    }
}

extension PlateReading {
    /// The longest run of digits a registration can hold: Israel's 8-digit plates are the longest all-digit series
    /// in use; the formats of the packs hold at most 6 in a row (Irish, Swiss and US serials).
    public static let longestDigitRun = 8

    /// Whether the reading can be a registration at all. One in no format with a longer run of digits than any
    /// registration holds is text burnt into the picture: a camera's date and time overlay
    /// (`2014-06-18 10:19:20` reads as `2014011012` or longer). A reading in a format always can.
    public var couldBeRegistration: Bool {
        guard format == "unknown" else { return true }
        var run = 0
        for c in text {
            run = c.isASCII && c.isNumber ? run + 1 : 0
            if run > Self.longestDigitRun { return false }
        }
        return true
    }
}

/// Turns a reader's CTC probabilities into the most probable plate that a format in force accepts, falling
/// back to the best unconstrained string (format `unknown`) when every valid plate is far less likely.
public struct PlateInterpreter: Sendable {
    public let automaton: FormatAutomaton
    public var decoder: CTCBeamDecoder
    /// How many nats less likely than the best unconstrained string a valid plate may be and still win...
    public var fallbackMargin: Double
    /// ... plus this much for each position where the two differ by a confusable pair (O/0, I/1, B/8, ...) ...
    public var confusableAllowance: Double
    /// ... plus this much for each position where they differ otherwise (same length only).
    public var substitutionAllowance: Double
    /// A valid plate longer than the unconstrained read (it adds characters the reader hardly sees) may be only
    /// this many nats less likely: a format must not conjure up characters from a plate's border or state name
    /// (a 4-digit plate read as `SU4280`). A shorter one keeps `fallbackMargin`.
    public var lengthChangeMargin: Double
    /// Groups of characters a reader confuses on plates; a substitution inside a group is cheap.
    public var confusables: [String]
    /// Alternatives returned.
    public var topK: Int
    /// How much of log P(format) (its country's and its own prior) counts against the margin: a rare format,
    /// or one of many countries in force, needs the reader to see it more clearly before it may correct a read.
    public var priorWeight: Double
    /// The k-th differing position adds its allowance divided by k^decay: one or two confusions are what a
    /// format corrects; a plate that needs many is more likely another plate than a misread one.
    public var allowanceDecay: Double
    /// Whether unknown-format reads are written with 0 for O: the one pack in force says so
    /// (``FormatPack/freeFormZeroForO``). With several packs an unknown read has no country to follow.
    public let freeFormZeroForO: Bool
    /// P(country) for the packs in force, learnt by a ``CountryMix``; nil: every pack equally likely.
    public var countryPrior: [String: Double]?
    /// The countries of the packs in force, in priority order (``FormatAutomaton/countries``, listed once).
    public let countries: [String]
    /// The formats of the country a source mostly shows: their most probable strings are candidates too (with
    /// many packs in force, the constrained search's few places can all go to other countries' strings).
    public var proposer: FormatAutomaton?

    public static let defaultConfusables = ["0ODQU", "1IJLT", "7T", "2Z", "5S", "6G", "8B", "4A"]

    public init(
        packs: [FormatPack], decoder: CTCBeamDecoder = CTCBeamDecoder(), fallbackMargin: Double = 5,
        confusableAllowance: Double = 6, substitutionAllowance: Double = 2, lengthChangeMargin: Double = 2,
        priorWeight: Double = 1, allowanceDecay: Double = 2,
        confusables: [String] = PlateInterpreter.defaultConfusables,
        topK: Int = 5
    ) throws(PlateFormatError) {
        automaton = try FormatAutomaton(packs: packs)
        countries = automaton.countries
        freeFormZeroForO = packs.count == 1 && packs[0].freeFormZeroForO == true
        self.decoder = decoder
        self.fallbackMargin = fallbackMargin
        self.confusableAllowance = confusableAllowance
        self.substitutionAllowance = substitutionAllowance
        self.lengthChangeMargin = lengthChangeMargin
        self.priorWeight = priorWeight
        self.allowanceDecay = allowanceDecay
        self.confusables = confusables
        self.topK = topK
    }

    /// The best reading of `matrix`, or nil when nothing at all was read.
    public func interpret(_ matrix: CTCMatrix) -> PlateReading? { interpret([matrix]) }

    /// The best reading of one plate seen by several readers (or crops): each string's score is the sum of
    /// its CTC log-probabilities under every matrix (a product of experts), over the candidates any of them
    /// proposes.
    ///
    /// Confidence: among valid plates, each candidate's share of the valid probability mass, times the
    /// belief `q` that the plate is in a format at all, a logistic of how far the best valid plate stands
    /// inside its allowed margin from the best unconstrained read; unconstrained candidates share `1 - q`.
    public func interpret(_ matrices: [CTCMatrix]) -> PlateReading? {
        guard !matrices.isEmpty else { return nil }
        // A learnt country prior replaces the packs' equal share (log 1/K) in every entry's weights.
        let uniform = -log(Double(max(1, countries.count)))
        func shift(_ e: FormatAutomaton.Entry) -> Double {
            guard let countryPrior, let p = countryPrior[e.country] else { return 0 }
            return log(max(p, 1e-9)) - uniform
        }
        var texts: [String] = []
        for m in matrices {
            let proposed = proposer.map { decoder.decode(m, automaton: $0, top: topK) } ?? []
            for c in decoder.decode(m, automaton: automaton, top: topK) + proposed + decoder.decode(m, automaton: nil, top: topK)
            where !texts.contains(c.text) {
                texts.append(c.text)
            }
        }
        let ranked = texts.map { t in
            let s = Symbol.indices(of: t)!
            return ScoredText(text: t, logProbability: matrices.reduce(0) { $0 + $1.logProbability(of: s) })
        }.filter { $0.logProbability > -.infinity }.sorted { $0.logProbability > $1.logProbability }
        guard let bestFree = ranked.first else { return nil }
        // Valid candidates are ranked by reader probability times the grammar's probability of the string
        // (format priors, and how specific the format is), so that a plate fitting a tight, common format
        // beats a reader's guess that only fits a loose one.
        struct Valid { var text: ScoredText; var entries: [FormatAutomaton.Entry]; var score: Double }
        var valid: [Valid] = []
        var invalid: [ScoredText] = []
        for t in ranked {
            let entries = automaton.matches(t.text)
            if entries.isEmpty { invalid.append(t); continue }
            let grammar = entries.map { $0.logWeight + shift($0) }.reduce(-Double.infinity, logAdd)
            valid.append(Valid(text: t, entries: entries, score: t.logProbability + grammar))
        }
        valid.sort { $0.score > $1.score }
        let scale = Double(matrices.count)
        var q = 0.0
        if let v = valid.first {
            // The prior weighs against correcting the reader, not against the reader's own best read.
            let prior = v.text.text == bestFree.text ? 0 : v.entries.map { $0.logPrior + shift($0) }.max() ?? 0
            let slack =
                v.text.logProbability - bestFree.logProbability
                + scale * (allowedMargin(v.text.text, bestFree.text) + priorWeight * prior)
            q = 1 / (1 + exp(-slack))
        }
        let validMass = valid.map(\.score).reduce(-Double.infinity, logAdd)
        let freeMass = invalid.map(\.logProbability).reduce(-Double.infinity, logAdd)
        var scored = valid.map { PlateReading.Candidate(text: $0.text.text, confidence: q * exp($0.score - validMass)) }
        scored += invalid.map { PlateReading.Candidate(text: $0.text, confidence: (1 - q) * exp($0.logProbability - freeMass)) }
        scored.sort { $0.confidence > $1.confidence }
        let chosen = (q >= 0.5 ? valid.first?.text : invalid.first) ?? bestFree
        var candidates = scored.filter { $0.text == chosen.text }.prefix(1).map { $0 }
        if candidates.isEmpty { candidates = [.init(text: chosen.text, confidence: 0)] }
        candidates += scored.filter { $0.text != chosen.text }.prefix(topK - 1)
        // Country: P(country | read) ~ sum over valid candidates and the country's patterns accepting them of
        // P_reader(text) * P(text, pattern); the chosen plate's format comes from the likeliest such country.
        var logMass: [String: Double] = [:]
        for v in valid {
            for e in v.entries {
                logMass[e.country] = logAdd(logMass[e.country] ?? -.infinity, v.text.logProbability + e.logWeight + shift(e))
            }
        }
        let total = logMass.values.reduce(-Double.infinity, logAdd)
        let mass = logMass.mapValues { exp($0 - total) }
        let entries = automaton.matches(chosen.text)
        let entry = entries.max { (mass[$0.country] ?? 0) < (mass[$1.country] ?? 0) }.flatMap { best in
            entries.filter { $0.country == best.country }.max { $0.logWeight < $1.logWeight }
        }
        if entry == nil, freeFormZeroForO {
            // One spelling for the round glyph on a free-form plate; formatted alternatives keep theirs.
            var seen = Set<String>()
            candidates = candidates.map { c in
                automaton.matches(c.text).isEmpty
                    ? .init(
                        text: c.text.replacingOccurrences(of: "O", with: "0"),
                        confidence: c.confidence) : c
            }.filter { seen.insert($0.text).inserted }
            let text = candidates[0].text
            return PlateReading(
                text: text, display: text, format: "unknown", country: nil, countryConfidence: nil,
                confidence: min(1, max(0, candidates[0].confidence)),
                candidates: candidates.map { .init(text: $0.text, confidence: min(1, max(0, $0.confidence))) })
        }
        return PlateReading(
            text: chosen.text,
            display: entry?.pattern.display(chosen.text) ?? chosen.text,
            format: entry?.format.id ?? "unknown",
            country: entry?.country,
            countryConfidence: entry.map { min(1, max(0, mass[$0.country] ?? 0)) },
            confidence: min(1, max(0, candidates[0].confidence)),
            candidates: candidates.map { .init(text: $0.text, confidence: min(1, max(0, $0.confidence))) })
    }

    /// How much less likely a valid plate may be than the unconstrained best read `free` and still be chosen.
    public func allowedMargin(_ valid: String, _ free: String?) -> Double {
        guard let free else { return fallbackMargin }
        if free.count != valid.count { return valid.count > free.count ? lengthChangeMargin : fallbackMargin }
        var margin = fallbackMargin
        var k = 0.0
        for (a, b) in zip(valid, free) where a != b {
            let confusable = confusables.contains { $0.contains(a) && $0.contains(b) }
            k += 1
            margin += (confusable ? confusableAllowance : substitutionAllowance) / pow(k, allowanceDecay)
        }
        return margin
    }
}
