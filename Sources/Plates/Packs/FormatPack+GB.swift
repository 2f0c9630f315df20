extension FormatPack {
    /// Great Britain and Northern Ireland, after the DVLA's rules (INF104 and the DVLA number-plate guide):
    /// which letters may stand where, which age identifiers exist, no leading zero in serial numbers.
    public static let gb = FormatPack(
        country: "GB", name: "United Kingdom",
        formats: [
            // 2001-: two-letter memory tag (first letter a region: not I J Q T U X Z; second not I Q Z),
            // two-digit age identifier (March: 02-29, September: 51-79), three random letters (not I Q).
            PlateFormat(
                id: "gb.current", pattern: "[L^IJQTUXZ][L^IQZ][012567]D [L^IQ]{3}",
                description: "current format, AB12 CDE", example: "BD51SMR", prior: 0.85),
            // 1983-2001: year letter (not I O Q U Z), serial 1-999, three letters (not I Q Z).
            PlateFormat(
                id: "gb.prefix", pattern: "[L^IOQUZ][1-9]D{0,2} [L^IQZ]{3}",
                description: "prefix format, A123 BCD", example: "A123BCD", prior: 0.06),
            // 1963-1983: three letters, serial 1-999, year letter suffix.
            PlateFormat(
                id: "gb.suffix", pattern: "[L^IQZ]{3} [1-9]D{0,2}[L^IOQUZ]",
                description: "suffix format, ABC 123D", example: "ABC123D", prior: 0.01),
            // Priors: the share of GB plates on the road in each format (current format dominant).
            // Dateless: 1-4 digits and 1-3 letters, either order (no I Q Z in GB letters).
            PlateFormat(
                id: "gb.dateless", pattern: "[1-9]D{0,3} [L^IQZ]{1,3}",
                description: "dateless, digits first, 1 ABC", example: "7XY", prior: 0.02),
            PlateFormat(
                id: "gb.dateless", pattern: "[L^IQZ]{1,3} [1-9]D{0,3}",
                description: "dateless, letters first, ABC 1", example: "ABC1", prior: 0.02),
            // Northern Ireland: a letter and a two-letter county code holding I or Z, then 1-4 digits
            // (also the code alone with 1-4 digits on older plates).
            PlateFormat(
                id: "gb.ni", pattern: "[L^IQZ][A-HJ-NP-Y]Z [1-9]D{0,3}",
                description: "Northern Ireland, ABZ 1234", example: "ABZ1234", prior: 0.01),
            PlateFormat(
                id: "gb.ni", pattern: "[L^IQZ]I[ABGJLW] [1-9]D{0,3}",
                description: "Northern Ireland, AIB 1234", example: "KIB1234", prior: 0.01),
            PlateFormat(
                id: "gb.ni", pattern: "[L^IQZ][JOUX]I [1-9]D{0,3}",
                description: "Northern Ireland, AOI 1234", example: "LOI123", prior: 0.01),
            PlateFormat(
                id: "gb.ni", pattern: "[A-HJ-NP-Y]Z [1-9]D{0,3}",
                description: "Northern Ireland, older, AZ 1234", example: "AZ1234", prior: 0.01),
        ],
        counterexamples: ["BD5ISMR", "IB51SMR", "AB39CDE", "AB12CDI", "A012BCD", "O123ABC", "ABC123O", "12345AB"])
}
