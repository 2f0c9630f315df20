extension FormatPack {
    /// Germany.
    public static let de = FormatPack(
        country: "DE", name: "Germany",
        formats: [
            PlateFormat(
                id: "de.standard", pattern: "L{1,3} L{1,2} [1-9]D{0,3}[EH]{0,1}",
                description: "district, letters, number (E electric, H historic): B AB 1234", example: "BAB1234")
        ],
        counterexamples: ["AB01234", "B12345", "ABCDEF1"])
}
