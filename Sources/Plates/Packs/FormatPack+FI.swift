extension FormatPack {
    /// Finland.
    public static let fi = FormatPack(
        country: "FI", name: "Finland",
        formats: [
            PlateFormat(
                id: "fi.standard", pattern: "L{2,3}-[1-9]D{0,2}",
                description: "ABC-123", example: "ABC123")
        ],
        counterexamples: ["ABC012", "ABCD123"])
}
