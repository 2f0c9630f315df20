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

    public init(id: String, pattern: String, description: String, example: String) {
        self.id = id; self.pattern = pattern; self.description = description; self.example = example
    }
}

/// The formats of one country: data, so that more countries can be added as packs (JSON of this shape).
public struct FormatPack: Codable, Sendable, Equatable {
    /// ISO 3166 alpha-2 country code, upper case, e.g. `GB`.
    public var country: String
    public var name: String
    public var formats: [PlateFormat]

    public init(country: String, name: String, formats: [PlateFormat]) {
        self.country = country; self.name = name; self.formats = formats
    }

    /// Parses every pattern and checks every example against its own pattern.
    public func validated() throws(PlateFormatError) -> [(PlateFormat, PlatePattern)] {
        var out: [(PlateFormat, PlatePattern)] = []
        for f in formats {
            let p = try PlatePattern(f.pattern)
            guard p.matches(f.example) else { throw .invalidPack("\(f.id): example \(f.example) does not match") }
            out.append((f, p))
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
    public static let builtIn: [String: FormatPack] = ["gb": .gb]

    /// Looks up a built-in pack by country code (case-insensitive).
    public static func named(_ code: String) throws(PlateFormatError) -> FormatPack {
        guard let pack = builtIn[code.lowercased()] else { throw .unknownCountry(code) }
        return pack
    }

    /// Great Britain and Northern Ireland, after the DVLA's rules (INF104 and the DVLA number-plate guide):
    /// which letters may stand where, which age identifiers exist, no leading zero in serial numbers.
    public static let gb = FormatPack(
        country: "GB", name: "United Kingdom",
        formats: [
            // 2001-: two-letter memory tag (first letter a region: not I J Q T U X Z; second not I Q Z),
            // two-digit age identifier (March: 02-29, September: 51-79), three random letters (not I Q).
            PlateFormat(id: "gb.current", pattern: "[L^IJQTUXZ][L^IQZ][012567]D [L^IQ]{3}",
                        description: "current format, AB12 CDE", example: "GL19TNJ"),
            // 1983-2001: year letter (not I O Q U Z), serial 1-999, three letters (not I Q Z).
            PlateFormat(id: "gb.prefix", pattern: "[L^IOQUZ][1-9]D{0,2} [L^IQZ]{3}",
                        description: "prefix format, A123 BCD", example: "A123BCD"),
            // 1963-1983: three letters, serial 1-999, year letter suffix.
            PlateFormat(id: "gb.suffix", pattern: "[L^IQZ]{3} [1-9]D{0,2}[L^IOQUZ]",
                        description: "suffix format, ABC 123D", example: "ABC123D"),
            // Dateless: 1-4 digits and 1-3 letters, either order (no I Q Z in GB letters).
            PlateFormat(id: "gb.dateless", pattern: "[1-9]D{0,3} [L^IQZ]{1,3}",
                        description: "dateless, digits first, 1 ABC", example: "10FY"),
            PlateFormat(id: "gb.dateless", pattern: "[L^IQZ]{1,3} [1-9]D{0,3}",
                        description: "dateless, letters first, ABC 1", example: "ABC1"),
            // Northern Ireland: a letter and a two-letter county code holding I or Z, then 1-4 digits
            // (also the code alone with 1-4 digits on older plates).
            PlateFormat(id: "gb.ni", pattern: "[L^IQZ][A-HJ-NP-Y]Z [1-9]D{0,3}",
                        description: "Northern Ireland, ABZ 1234", example: "ABZ1234"),
            PlateFormat(id: "gb.ni", pattern: "[L^IQZ]I[ABGJLW] [1-9]D{0,3}",
                        description: "Northern Ireland, AIB 1234", example: "KIB1234"),
            PlateFormat(id: "gb.ni", pattern: "[L^IQZ][JOUX]I [1-9]D{0,3}",
                        description: "Northern Ireland, AOI 1234", example: "LOI123"),
            PlateFormat(id: "gb.ni", pattern: "[A-HJ-NP-Y]Z [1-9]D{0,3}",
                        description: "Northern Ireland, older, AZ 1234", example: "AZ1234"),
        ])
}
