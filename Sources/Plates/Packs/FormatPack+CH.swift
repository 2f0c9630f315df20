extension FormatPack {
    /// Switzerland.
    public static let ch = FormatPack(
        country: "CH", name: "Switzerland",
        formats: [
            PlateFormat(
                id: "ch.standard", pattern: "<code> [1-9]D{0,5}",
                description: "canton and number: ZH 123456", example: "ZH123456",
                codes: [
                    "AG", "AI", "AR", "BE", "BL", "BS", "FR", "GE", "GL", "GR", "JU", "LU", "NE", "NW", "OW", "SG", "SH", "SO", "SZ", "TG",
                    "TI", "UR", "VD", "VS", "ZG", "ZH",
                ])
        ],
        counterexamples: ["XX123456", "ZH0123", "ZH1234567"])
}
