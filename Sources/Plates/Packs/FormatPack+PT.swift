extension FormatPack {
    /// Portugal.
    public static let pt = FormatPack(
        country: "PT", name: "Portugal",
        formats: [
            PlateFormat(
                id: "pt.2020", pattern: "LL-DD-LL",
                description: "since 2020: AA-00-AA", example: "AB12CD"),
            PlateFormat(
                id: "pt.2005", pattern: "DD-DD-LL",
                description: "2005-2020: 00-00-AA", example: "1234AB"),
            PlateFormat(
                id: "pt.1992", pattern: "DD-LL-DD",
                description: "1992-2005: 00-AA-00", example: "12AB34"),
            PlateFormat(
                id: "pt.1937", pattern: "LL-DD-DD",
                description: "1937-1992: AA-00-00", example: "AB1234"),
        ],
        counterexamples: ["ABC123", "1A2345"])
}
