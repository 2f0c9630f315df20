extension FormatPack {
    /// United States: the standard passenger serial formats of the states, with priors that favour the formats
    /// most plates on the road carry. Each state issues its own series, so the pack is the union of the common
    /// ones; less common layouts (county-prefixed, older series still on the road) have small priors so that
    /// they only win when the reader clearly sees that layout. Vanity plates follow no pattern and come out as
    /// format `unknown`, written with 0 for the round glyph (see ``FormatPack/freeFormZeroForO``); so do
    /// all-digit series shorter than 7 (Delaware, Rhode Island), left out because a short digits-only format
    /// would absorb every D/0, B/8 or S/5 misreading. A county number's letter is never I, O or Q: Alabama and
    /// Idaho issue no letter O (their records key it as zero), and these three are the letters plate series
    /// commonly leave out beside digits, where they are the look-alikes of 1 and 0; allowed, the county formats
    /// turned a digits-only plate's round glyph into a county letter (`3O1234` for `301234`).
    public static let us = FormatPack(
        country: "US", name: "United States (common state formats)",
        formats: [
            PlateFormat(
                id: "us.lll_dddd", pattern: "LLL DDDD",
                description: "ABC 1234 (NY, PA, TX, GA, OH, NC, VA, WA, AZ, MI, WI, ...)", example: "ABC1234", prior: 0.30),
            PlateFormat(
                id: "us.lll_ddd", pattern: "LLL DDD",
                description: "ABC 123 (AK, HI, OK, SC, IA, OR, VT, LA, older series)", example: "ABC123", prior: 0.12),
            PlateFormat(
                id: "us.ddd_lll", pattern: "DDD LLL",
                description: "123 ABC (CO, KY, KS, MN, NV, OR, older TX)", example: "123ABC", prior: 0.1),
            PlateFormat(id: "us.ca", pattern: "[1-9]LLLDDD", description: "California: 1ABC234", example: "7ABC123", prior: 0.12),
            PlateFormat(id: "us.ll_ddddd", pattern: "LL DDDDD", description: "Illinois: AB 12345", example: "AB12345", prior: 0.03),
            PlateFormat(
                id: "us.ll_dddd", pattern: "LL DDDD", description: "AB 1234 (DC, CO, NV, VA, older series)", example: "AB1234", prior: 0.03),
            PlateFormat(id: "us.nj", pattern: "L DD LLL", description: "New Jersey: A12 BCD", example: "A12BCD", prior: 0.03),
            PlateFormat(id: "us.nj_old", pattern: "LLL DDL", description: "New Jersey to 1999: ABC 12D", example: "ABC12D", prior: 0.01),
            PlateFormat(id: "us.dddd_ll", pattern: "DDDD LL", description: "1234 AB (ME, IA, SC, VA)", example: "1234AB", prior: 0.01),
            PlateFormat(id: "us.mo", pattern: "LLD LDL", description: "Missouri: AB1 C2D", example: "AB1C2D", prior: 0.02),
            PlateFormat(id: "us.md", pattern: "[1-9]LL DDDD", description: "Maryland: 1AB 2345", example: "1AB2345", prior: 0.03),
            PlateFormat(
                id: "us.ma", pattern: "[1-9]LLL DD", description: "Massachusetts, Michigan older: 1ABC 23", example: "1ABC23", prior: 0.02),
            PlateFormat(id: "us.ma_old", pattern: "DDD LLD", description: "Massachusetts older: 123 AB4", example: "123AB4", prior: 0.01),
            PlateFormat(
                id: "us.dd_ll_dd", pattern: "DD LL DD", description: "Massachusetts, Nebraska, South Dakota: 12 AB 34", example: "12AB34",
                prior: 0.01),
            PlateFormat(id: "us.fl", pattern: "LLL LDD", description: "Florida: ABC D12", example: "ABCD12", prior: 0.04),
            PlateFormat(
                id: "us.l_ddd_ll", pattern: "L DDD LL", description: "A12 3BC (FL, UT, NY older series)", example: "A123BC", prior: 0.02),
            PlateFormat(id: "us.tx_2004", pattern: "LLD LDDD", description: "Texas 2004-2009: AB1 C234", example: "AB1C234", prior: 0.01),
            PlateFormat(
                id: "us.l_dddddd", pattern: "L DDDDDD", description: "A 123456 (IL, LA, MD, ID series)", example: "A123456", prior: 0.02),
            PlateFormat(
                id: "us.county_l", pattern: "[1-9][L^IOQ] DDDD", description: "County number, letter, digits (NE, WV): 1A 2345",
                example: "1A2345", prior: 0.01),
            PlateFormat(
                id: "us.county_ll", pattern: "[1-9] [L^IOQ]L DDD", description: "County number, two letters (ID, NE, SD, WV): 1AB 234",
                example: "1AB234", prior: 0.01),
            PlateFormat(
                id: "us.al", pattern: "[1-9][L^IOQ] DDDDL", description: "Alabama county series: 1A 2345B", example: "1A2345B", prior: 0.01),
            PlateFormat(
                id: "us.al_dd", pattern: "[1-9]D[L^IOQ] DDDL", description: "Alabama county series: 12A 345B", example: "12A345B",
                prior: 0.01),
            PlateFormat(
                id: "us.id", pattern: "[1-9][L^IOQ] DDDDD", description: "Idaho county series: 1A 23456", example: "1A23456", prior: 0.01),
        ],
        counterexamples: ["ABCDEFG", "12345678", "AB", "123456"],
        freeFormZeroForO: true)
}
