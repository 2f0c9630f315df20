import Foundation
import Synchronization

/// The mix of countries one camera (or one batch of images) sees, learnt from its own confident reads, so that
/// `auto` weighs each country by how often it appears there instead of equally: a car park in Leeds sees GB
/// plates, and a GB plate misread into another country's format is then corrected as it would be with `gb`.
///
/// P(country) = (count + `pseudoCount`) / (total + `pseudoCount` x K) over the K countries in force: with no
/// reads yet every country has 1/K (what `auto` assumes without a mix). Only reads the reader and the grammar
/// are both sure of count (confidence and country confidence at least `minConfidence`); counts are halved when
/// they reach `window`, so the mix follows a site whose traffic changes.
public final class CountryMix: Sendable {
    /// Added to every country's count. Small (0.1), because most sites see mostly one country: a new source
    /// leans on its country after three sure reads (more likely than all 22 others together) where one read
    /// added per country took 21, while a country it has not seen yet keeps a share. Chosen on validation
    /// data read in short runs, as a new camera reads (docs/benchmarks.md, session 39).
    public let pseudoCount: Double
    /// A read counts when its confidence and its country confidence are both at least this.
    public let minConfidence: Double
    /// The counts are halved when their total reaches this.
    public let window: Double
    /// Whether reads count at all; a mix that does not learn keeps every country equally likely.
    public let learns: Bool
    private let counts = Mutex([String: Double]())

    public init(pseudoCount: Double = 0.1, minConfidence: Double = 0.9, window: Double = 200, learns: Bool = true) {
        self.pseudoCount = max(pseudoCount, 1e-3); self.minConfidence = minConfidence; self.window = max(window, 2)
        self.learns = learns
    }

    /// P(country) for each of `countries`; nil while no read has counted (the packs' equal share then).
    public func prior(over countries: [String]) -> [String: Double]? {
        let c = counts.withLock { $0 }
        let total = countries.reduce(0) { $0 + (c[$1] ?? 0) }
        guard total > 0 else { return nil }
        let denominator = total + pseudoCount * Double(countries.count)
        return Dictionary(uniqueKeysWithValues: countries.map { ($0, ((c[$0] ?? 0) + pseudoCount) / denominator) })
    }

    /// Counts `reading` when it is sure enough, in a known country.
    public func observe(_ reading: PlateReading) {
        guard learns, let country = reading.country, reading.confidence >= minConfidence,
            reading.countryConfidence ?? 0 >= minConfidence
        else { return }
        add([country: 1])
    }

    /// Adds reads counted elsewhere (a camera's stored reads, when a process starts), within the window.
    public func add(_ more: [String: Int]) {
        guard learns else { return }
        counts.withLock { c in
            for (country, n) in more where n > 0 { c[country, default: 0] += Double(n) }
            while c.values.reduce(0, +) >= window { c = c.mapValues { $0 / 2 } }
        }
    }

    /// A mix with this one's settings and counts so far, learning on its own from here (a video's frames are
    /// each read with the mix as it stood a fixed number of frames before).
    public func copy() -> CountryMix {
        let twin = CountryMix(pseudoCount: pseudoCount, minConfidence: minConfidence, window: window, learns: learns)
        let now = observed
        twin.counts.withLock { $0 = now }
        return twin
    }

    /// The counts so far, by country.
    public var observed: [String: Double] { counts.withLock { $0 } }
}
