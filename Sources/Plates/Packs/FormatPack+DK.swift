extension FormatPack {
    /// Denmark.
    public static let dk = FormatPack(
        country: "DK", name: "Denmark",
        formats: [
            PlateFormat(
                id: "dk.standard", pattern: "LL DD DDD",
                description: "AB 12 345", example: "AB12345")
        ],
        counterexamples: ["A12345", "AB1234"])
}
