extension FormatPack {
    /// Brazil.
    public static let br = FormatPack(
        country: "BR", name: "Brazil",
        formats: [
            PlateFormat(
                id: "br.old", pattern: "LLL-DDDD",
                description: "before 2018: ABC-1234", example: "ABC1234"),
            PlateFormat(
                id: "br.mercosur", pattern: "LLLDLDD",
                description: "Mercosur since 2018: ABC1D23", example: "ABC1D23"),
        ],
        counterexamples: ["AB1234", "ABC12D3"])
}
