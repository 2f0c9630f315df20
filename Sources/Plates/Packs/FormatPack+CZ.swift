extension FormatPack {
    /// Czechia.
    public static let cz = FormatPack(
        country: "CZ", name: "Czechia",
        formats: [
            PlateFormat(
                id: "cz.standard", pattern: "[1-9][L^GOQW][0-9A-FHJ-NPR-VX-Z] DDDD",
                description: "region letter in the second place: 1A2 3456", example: "1A23456")
        ],
        counterexamples: ["1O23456", "0A23456", "1A2345"])
}
