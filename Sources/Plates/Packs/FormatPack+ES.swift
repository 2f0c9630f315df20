extension FormatPack {
    /// Spain.
    public static let es = FormatPack(
        country: "ES", name: "Spain",
        formats: [
            PlateFormat(
                id: "es.current", pattern: "DDDD [BCDFGHJKLMNPRSTVWXYZ]{3}",
                description: "since 2000: 1234 BCD (consonants, no Q)", example: "1234BCD"),
            PlateFormat(
                id: "es.provincial", pattern: "L{1,2}-DDDD-L{1,2}",
                description: "provincial before 2000: M-1234-AB", example: "M1234AB"),
        ],
        counterexamples: ["1234AEI", "1234QBC", "123BCD"])
}
