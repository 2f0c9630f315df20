extension FormatPack {
    /// Belgium.
    public static let be = FormatPack(
        country: "BE", name: "Belgium",
        formats: [
            PlateFormat(
                id: "be.current", pattern: "[1-9]-LLL-DDD",
                description: "since 2010: 1-ABC-123", example: "1ABC123"),
            PlateFormat(
                id: "be.old", pattern: "LLL-DDD",
                description: "1973-2010: ABC-123", example: "ABC123"),
            PlateFormat(
                id: "be.old", pattern: "DDD-LLL",
                description: "1973-2010: 123-ABC", example: "123ABC"),
        ],
        counterexamples: ["0ABC123", "AB123", "1AB1234"])
}
