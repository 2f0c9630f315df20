import Foundation

/// One registration format of a country.
public struct PlateFormat: Codable, Sendable, Equatable {
    /// Stable identifier, `country.name`, e.g. `gb.current`.
    public var id: String
    /// The pattern, see ``PlatePattern``.
    public var pattern: String
    /// A human description of the format.
    public var description: String
    /// A valid example (checked when the pack loads).
    public var example: String
    /// Literal codes standing for `<code>` in the pattern (county or canton codes, ...), if any.
    public var codes: [String]?
    /// Share of the country's plates in this format (0...1); formats without one share the rest equally.
    public var prior: Double?

    public init(
        id: String, pattern: String, description: String, example: String, codes: [String]? = nil,
        prior: Double? = nil
    ) {
        self.id = id; self.pattern = pattern; self.description = description; self.example = example
        self.codes = codes; self.prior = prior
    }

    /// The pattern sources, with `<code>` replaced by each code (letters and digits taken literally).
    public var expandedPatterns: [String] {
        guard let codes, pattern.contains("<code>") else { return [pattern] }
        return codes.map { code in pattern.replacingOccurrences(of: "<code>", with: code.map { "[\($0)]" }.joined()) }
    }
}

/// The formats of one country: data, so that more countries can be added as packs (JSON of this shape).
public struct FormatPack: Codable, Sendable, Equatable {
    /// ISO 3166 alpha-2 country code, upper case, e.g. `GB`.
    public var country: String
    public var name: String
    public var formats: [PlateFormat]
    /// Strings that look close but are not plates of this country (checked when the pack loads).
    public var counterexamples: [String]
    /// Whether a plate of this country that fits none of its formats (a vanity plate) is written with digit 0
    /// for the round glyph: where letter O and digit 0 look the same on the plate and registries treat them as
    /// one character, the reader cannot tell them apart and one spelling must be chosen. Nil means false.
    public var freeFormZeroForO: Bool?

    public init(
        country: String, name: String, formats: [PlateFormat], counterexamples: [String] = [],
        freeFormZeroForO: Bool? = nil
    ) {
        self.country = country; self.name = name; self.formats = formats; self.counterexamples = counterexamples
        self.freeFormZeroForO = freeFormZeroForO
    }

    /// Parses every pattern, checks every example against the patterns of its format id and every
    /// counterexample against all formats; returns one entry per (expanded) pattern.
    public func validated() throws(PlateFormatError) -> [(PlateFormat, PlatePattern)] {
        var out: [(PlateFormat, PlatePattern)] = []
        for f in formats {
            for source in f.expandedPatterns {
                let p = try PlatePattern(source)
                guard p.lengthRange.upperBound <= CTCBeamDecoder.maxPlateLength else {
                    throw .invalidPack("\(f.id): plates longer than \(CTCBeamDecoder.maxPlateLength) characters")
                }
                out.append((f, p))
            }
        }
        for f in formats where !out.contains(where: { $0.0.id == f.id && $0.1.matches(f.example) }) {
            throw .invalidPack("\(f.id): example \(f.example) does not match")
        }
        for c in counterexamples where out.contains(where: { $0.1.matches(c) }) {
            throw .invalidPack("\(country): counterexample \(c) matches a format")
        }
        return out
    }

    /// Loads a pack from JSON.
    public static func load(json data: Data) throws -> FormatPack {
        let pack = try JSONDecoder().decode(FormatPack.self, from: data)
        _ = try pack.validated()
        return pack
    }
}

extension FormatPack {
    /// The packs shipped with MicroANPR, by lower-case country code.
    public static let builtIn: [String: FormatPack] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.country.lowercased(), $0) })

    /// Every built-in pack, in priority order for naming a country when a plate fits several.
    public static let all: [FormatPack] = [
        .gb, .ie, .fr, .de, .nl, .be, .es, .it, .pt, .pl, .cz, .sk, .at, .ch, .dk, .se, .no, .fi, .ua, .us, .br, .ae, .sa,
    ]

    /// Looks up a built-in pack by country code (case-insensitive).
    public static func named(_ code: String) throws(PlateFormatError) -> FormatPack {
        guard let pack = builtIn[code.lowercased()] else { throw .unknownCountry(code) }
        return pack
    }
}
