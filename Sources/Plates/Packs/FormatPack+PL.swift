extension FormatPack {
    /// Poland.
    public static let pl = FormatPack(
        country: "PL", name: "Poland",
        formats: [
            PlateFormat(
                id: "pl.standard", pattern: "L{2} [1-9][0-9ACE-HJ-NPR-Y]{3,4}",
                description: "two-letter area, five or four alphanumerics (no B D I O Z): WA 12345", example: "WA12345"),
            PlateFormat(
                id: "pl.standard", pattern: "L{3} [0-9ACE-HJ-NPR-Y]{4,5}",
                description: "three-letter area, four or five alphanumerics: KRA 1234A", example: "KRA1234A"),
        ],
        counterexamples: ["W123", "WA0I234"])
}
