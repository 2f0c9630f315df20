extension FormatPack {
    /// Norway.
    public static let no = FormatPack(
        country: "NO", name: "Norway",
        formats: [
            PlateFormat(
                id: "no.standard", pattern: "[L^IMOQ]{2} [1-9]D{4}",
                description: "two letters, five digits: AB 12345", example: "AB12345")
        ],
        counterexamples: ["AB01234", "AI12345", "AB1234"])
}
