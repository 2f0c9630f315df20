extension FormatPack {
    /// United States: the standard passenger formats of the most populous and most common state series.
    /// Vanity plates follow no pattern and come out as format `unknown`; so do all-digit series (New Hampshire,
    /// Delaware), left out because a digits-only format would absorb every D/0, B/8 or S/5 misreading.
    public static let us = FormatPack(
        country: "US", name: "United States (common state formats)",
        formats: [
            PlateFormat(id: "us.lll_dddd", pattern: "LLL DDDD",
                        description: "ABC 1234 (NY, PA, TX, GA, OH, NC, VA, WA, AZ, MI, WI, ...)", example: "ABC1234", prior: 0.35),
            PlateFormat(id: "us.lll_ddd", pattern: "LLL DDD",
                        description: "ABC 123 (AK, HI, OK, SC, IA, OR, VT, LA, older series)", example: "FGJ235", prior: 0.12),
            PlateFormat(id: "us.ddd_lll", pattern: "DDD LLL",
                        description: "123 ABC (CO, KY, KS, MN, NV, OR, older TX)", example: "123ABC", prior: 0.1),
            PlateFormat(id: "us.ca", pattern: "[1-9]LLLDDD", description: "California: 1ABC234", example: "7ABC123", prior: 0.12),
            PlateFormat(id: "us.ll_ddddd", pattern: "LL DDDDD", description: "Illinois: AB 12345", example: "AB12345", prior: 0.04),
            PlateFormat(id: "us.ll_dddd", pattern: "LL DDDD", description: "AB 1234 (DC, older series)", example: "AB1234", prior: 0.03),
            PlateFormat(id: "us.nj", pattern: "L DD LLL", description: "New Jersey: A12 BCD", example: "A12BCD", prior: 0.03),
            PlateFormat(id: "us.dddd_ll", pattern: "DDDD LL", description: "Maine: 1234 AB", example: "1234AB", prior: 0.01),
            PlateFormat(id: "us.mo", pattern: "LLD LDL", description: "Missouri: AB1 C2D", example: "AB1C2D", prior: 0.03),
            PlateFormat(id: "us.md", pattern: "[1-9]LL DDDD", description: "Maryland: 1AB 2345", example: "1AB2345", prior: 0.03),
            PlateFormat(id: "us.ma", pattern: "[1-9]LLL DD", description: "Massachusetts, Michigan older: 1ABC 23", example: "1ABC23", prior: 0.03),
            PlateFormat(id: "us.fl", pattern: "LLL LDD", description: "Florida: ABC D12", example: "ABCD12", prior: 0.05),
            PlateFormat(id: "us.id", pattern: "[1-9]L DDDDD", description: "Idaho county series: 1A 23456", example: "1A23456", prior: 0.01),
        ],
        counterexamples: ["ABCDEFG", "12345678", "AB"])
}
