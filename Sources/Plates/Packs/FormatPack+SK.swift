extension FormatPack {
    /// Slovakia.
    public static let sk = FormatPack(
        country: "SK", name: "Slovakia",
        formats: [
            PlateFormat(
                id: "sk.standard", pattern: "L{2}-DDD[L^Q]{2}",
                description: "district and serial: BA-123AB", example: "BA123AB"),
            PlateFormat(
                id: "sk.2023", pattern: "L{2}DDD[L^Q]{2}",
                description: "since 2023, no district: AB123CD", example: "AB123CD"),
        ],
        counterexamples: ["B123AB", "BA12AB"])
}
