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
    /// Probability in 0...1 that the text is right, under the reader and a prior for valid formats.
    public var confidence: Double
    /// Alternatives, best first (the first is the reading itself).
    public var candidates: [Candidate]

    public struct Candidate: Sendable, Equatable, Codable {
        public var text: String
        public var confidence: Double
    }
}

/// Turns a reader's CTC probabilities into the most probable plate that a format in force accepts, falling
/// back to the best unconstrained string (format `unknown`) when every valid plate is far less likely.
public struct PlateInterpreter: Sendable {
    public let automaton: FormatAutomaton
    public var decoder: CTCBeamDecoder
    /// How many nats less likely than the best unconstrained string a valid plate may be and still win.
    public var fallbackMargin: Double
    /// Prior probability that a plate follows one of the formats in force.
    public var validPrior: Double
    /// Alternatives returned.
    public var topK: Int

    public init(packs: [FormatPack], decoder: CTCBeamDecoder = CTCBeamDecoder(), fallbackMargin: Double = 8,
                validPrior: Double = 0.95, topK: Int = 5) throws(PlateFormatError) {
        automaton = try FormatAutomaton(packs: packs)
        self.decoder = decoder
        self.fallbackMargin = fallbackMargin
        self.validPrior = validPrior
        self.topK = topK
    }

    /// The best reading of `matrix`, or nil when nothing at all was read.
    public func interpret(_ matrix: CTCMatrix) -> PlateReading? {
        let valid = decoder.decode(matrix, automaton: automaton, top: topK)
        let free = decoder.decode(matrix, automaton: nil, top: topK)
        // Posterior over the hypotheses in the beams: valid ones weighted by the prior, the rest by 1 - prior.
        let invalid = free.filter { automaton.match($0.text) == nil }
        let weighted = valid.map { ($0, log(validPrior) + $0.logProbability) }
            + invalid.map { ($0, log(1 - validPrior) + $0.logProbability) }
        guard !weighted.isEmpty else { return nil }
        let norm = weighted.map(\.1).reduce(-Double.infinity, logAdd)
        func confidence(_ w: Double) -> Double { min(1, max(0, exp(w - norm))) }

        let bestFree = free.first
        let chosen: ScoredText
        if let v = valid.first, v.logProbability >= (bestFree?.logProbability ?? -.infinity) - fallbackMargin {
            chosen = v
        } else if let f = bestFree {
            chosen = f
        } else {
            return nil
        }
        let entry = automaton.match(chosen.text)
        let ranked = weighted.sorted { $0.1 > $1.1 }
        var candidates = [PlateReading.Candidate]()
        let chosenWeight = ranked.first { $0.0.text == chosen.text }?.1 ?? chosen.logProbability
        candidates.append(.init(text: chosen.text, confidence: confidence(chosenWeight)))
        for (s, w) in ranked where s.text != chosen.text && candidates.count < topK {
            candidates.append(.init(text: s.text, confidence: confidence(w)))
        }
        return PlateReading(
            text: chosen.text,
            display: entry?.pattern.display(chosen.text) ?? chosen.text,
            format: entry?.format.id ?? "unknown",
            country: entry?.country,
            confidence: candidates[0].confidence,
            candidates: candidates)
    }
}
