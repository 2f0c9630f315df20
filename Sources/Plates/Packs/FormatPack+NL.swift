extension FormatPack {
    /// Netherlands.
    public static let nl = FormatPack(
        country: "NL", name: "Netherlands",
        formats: [
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]{2}-DD-DD",
                description: "sidecode 1: XX-99-99", example: "XX9999"),
            PlateFormat(
                id: "nl.sidecode", pattern: "DD-DD-[BDFGHJKLNPRSTVXZ]{2}",
                description: "sidecode 2: 99-99-XX", example: "9999XX"),
            PlateFormat(
                id: "nl.sidecode", pattern: "DD-[BDFGHJKLNPRSTVXZ]{2}-DD",
                description: "sidecode 3: 99-XX-99", example: "99XX99"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]{2}-DD-[BDFGHJKLNPRSTVXZ]{2}",
                description: "sidecode 4: XX-99-XX", example: "XX99XX"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]{2}-[BDFGHJKLNPRSTVXZ]{2}-DD",
                description: "sidecode 5: XX-XX-99", example: "XXXX99"),
            PlateFormat(
                id: "nl.sidecode", pattern: "DD-[BDFGHJKLNPRSTVXZ]{2}-[BDFGHJKLNPRSTVXZ]{2}",
                description: "sidecode 6: 99-XX-XX", example: "99XXXX"),
            PlateFormat(
                id: "nl.sidecode", pattern: "DD-[BDFGHJKLNPRSTVXZ]{3}-D",
                description: "sidecode 7: 99-XXX-9", example: "99XXX9"),
            PlateFormat(
                id: "nl.sidecode", pattern: "D-[BDFGHJKLNPRSTVXZ]{3}-DD",
                description: "sidecode 8: 9-XXX-99", example: "9XXX99"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]{2}-DDD-[BDFGHJKLNPRSTVXZ]",
                description: "sidecode 9: XX-999-X", example: "XX999X"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]-DDD-[BDFGHJKLNPRSTVXZ]{2}",
                description: "sidecode 10: X-999-XX", example: "X999XX"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]{3}-DD-[BDFGHJKLNPRSTVXZ]",
                description: "sidecode 11: XXX-99-X", example: "XXX99X"),
            PlateFormat(
                id: "nl.sidecode", pattern: "[BDFGHJKLNPRSTVXZ]-DD-[BDFGHJKLNPRSTVXZ]{3}",
                description: "sidecode 12: X-99-XXX", example: "X99XXX"),
            PlateFormat(
                id: "nl.sidecode", pattern: "D-[BDFGHJKLNPRSTVXZ]{2}-DDD",
                description: "sidecode 13: 9-XX-999", example: "9XX999"),
            PlateFormat(
                id: "nl.sidecode", pattern: "DDD-[BDFGHJKLNPRSTVXZ]{2}-D",
                description: "sidecode 14: 999-XX-9", example: "999XX9"),
        ],
        counterexamples: ["AE1234", "12AE34", "ABCDEF"])
}
