extension FormatPack {
    /// Saudi Arabia (Latin part).
    public static let sa = FormatPack(
        country: "SA", name: "Saudi Arabia (Latin part)",
        formats: [
            PlateFormat(
                id: "sa.standard", pattern: "[1-9]D{0,3} [ABDEGHJKLNRSTUVXZ]{3}",
                description: "number and three letters: 1234 ABD", example: "1234ABD")
        ],
        counterexamples: ["1234ABC", "12345ABD"])
}
