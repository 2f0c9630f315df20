extension FormatPack {
    /// France.
    public static let fr = FormatPack(
        country: "FR", name: "France",
        formats: [
            PlateFormat(
                id: "fr.siv", pattern: "[L^IOU]{2}-DDD-[L^IOU]{2}",
                description: "SIV since 2009: AB-123-CD (no I, O, U)", example: "AB123CD"),
            PlateFormat(
                id: "fr.fni", pattern: "[1-9]D{0,3} L{2,3} D[0-9AB]",
                description: "FNI before 2009: 1234 AB 75", example: "1234AB75"),
        ],
        counterexamples: ["AI123CD", "AB123OU", "AB12CD"])
}
