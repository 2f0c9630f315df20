extension FormatPack {
    /// Austria.
    public static let at = FormatPack(
        country: "AT", name: "Austria",
        formats: [
            PlateFormat(
                id: "at.standard", pattern: "L{1,2} [1-9]D{0,4} L{1,3}",
                description: "district, digits, letters: W 12345 A", example: "W12345A"),
            PlateFormat(
                id: "at.standard", pattern: "L{1,2} L{1,3} [1-9]D{0,4}",
                description: "district, letters, digits: L AB 123", example: "LAB123"),
        ],
        counterexamples: ["W0123A", "123ABC"])
}
