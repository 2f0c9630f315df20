extension FormatPack {
    /// Italy.
    public static let it = FormatPack(
        country: "IT", name: "Italy",
        formats: [
            PlateFormat(
                id: "it.current", pattern: "[A-HJ-NPR-TV-Z]{2} DDD [A-HJ-NPR-TV-Z]{2}",
                description: "since 1994: AB 123 CD (no I, O, Q, U)", example: "AB123CD")
        ],
        counterexamples: ["AI123CD", "AB123QD", "AB12CD"])
}
