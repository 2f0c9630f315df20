extension FormatPack {
    /// Ukraine.
    public static let ua = FormatPack(
        country: "UA", name: "Ukraine",
        formats: [
            PlateFormat(
                id: "ua.current", pattern: "[ABCEHIKMOPTX]{2} DDDD [ABCEHIKMOPTX]{2}",
                description: "region, number, series in Cyrillic letters that look Latin: AA 1234 BB", example: "AA1234BK"),
            PlateFormat(
                id: "ua.short", pattern: "D{4,5} [ABCEHIKMOPTX]{2}",
                description: "motorcycles, trailers (two lines): 1234 AB", example: "12345AB"),
        ],
        counterexamples: ["AD1234BB", "AA123BB"])
}
