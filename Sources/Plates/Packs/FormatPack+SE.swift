extension FormatPack {
    /// Sweden.
    public static let se = FormatPack(
        country: "SE", name: "Sweden",
        formats: [
            PlateFormat(
                id: "se.standard", pattern: "[L^IQVW]{3} DD[0-9A-HJ-NPR-UX-Z]",
                description: "ABC 123 or, since 2019, ABC 12D (no I Q V W; last letter not O)", example: "ABC123")
        ],
        counterexamples: ["ABI123", "ABC12O", "AB1234"])
}
