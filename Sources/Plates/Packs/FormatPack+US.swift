extension FormatPack {
    /// United States (common state formats).
    public static let us = FormatPack(
        country: "US", name: "United States (common state formats)",
        formats: [
            PlateFormat(id: "us.lll_dddd", pattern: "LLL DDDD",
                        description: "ABC 1234 (NY, PA, TX, GA, MI, NC, OH, VA, ...)", example: "ABC1234"),
            PlateFormat(id: "us.lll_ddd", pattern: "LLL DDD",
                        description: "ABC 123", example: "FGJ235"),
            PlateFormat(id: "us.ddd_lll", pattern: "DDD LLL",
                        description: "123 ABC", example: "123ABC"),
            PlateFormat(id: "us.ca", pattern: "[1-9]LLLDDD",
                        description: "California: 1ABC234", example: "7ABC123"),
            PlateFormat(id: "us.ll_ddddd", pattern: "LL DDDDD",
                        description: "AB 12345", example: "AB12345"),
            PlateFormat(id: "us.ll_dddd", pattern: "LL DDDD",
                        description: "AB 1234", example: "AB1234"),
            PlateFormat(id: "us.nj", pattern: "L DD LLL",
                        description: "New Jersey: A12 BCD", example: "A12BCD"),
            PlateFormat(id: "us.dddd_ll", pattern: "DDDD LL",
                        description: "1234 AB", example: "1234AB"),
        ],
        counterexamples: ["ABCDEFG", "12345678", "AB"])
}
