extension FormatPack {
    /// United Arab Emirates (Latin part).
    public static let ae = FormatPack(
        country: "AE", name: "United Arab Emirates (Latin part)",
        formats: [
            PlateFormat(
                id: "ae.code", pattern: "L{1,2} [1-9]D{0,4}",
                description: "emirate code letter(s) and number: A 12345", example: "A12345")
        ],
        counterexamples: ["A0123", "123456"])
}
