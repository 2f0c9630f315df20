extension FormatPack {
    /// Ireland: year (two digits for 1987-2012, three from 2013 with the half-year 1 or 2), county code,
    /// serial number (no leading zero): 131-D-36617, 08-KY-1234.
    public static let ie: FormatPack = {
        let years = ["[8][7-9]", "[9]D", "[0]D", "[1][0-2]", "[1][3-9][12]", "[2]D[12]"]
        let single = ["C", "D", "G", "L", "T", "W"]
        let double = [
            "CE", "CN", "CW", "DL", "KE", "KK", "KY", "LD", "LH", "LM", "LS", "MH", "MN", "MO", "OY", "RN",
            "SO", "WH", "WX", "WW", "LK", "TN", "TS", "WD",
        ]
        let formats = years.flatMap { year in
            [
                PlateFormat(
                    id: "ie.current", pattern: "\(year)-<code>-[1-9]D{0,5}",
                    description: "year, one-letter county code, serial: 131-D-12345", example: "131D12345", codes: single),
                PlateFormat(
                    id: "ie.current", pattern: "\(year)-<code>-[1-9]D{0,4}",
                    description: "year, two-letter county code, serial: 08-KY-1234", example: "08KY1234", codes: double),
            ]
        }
        return FormatPack(
            country: "IE", name: "Ireland", formats: formats,
            counterexamples: ["131X12345", "1D1234", "131DD0123", "75D123", "133D123", "86D123"])
    }()
}
