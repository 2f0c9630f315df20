import Plates
import Testing

@Suite struct PlatePatternTests {
    @Test func parsesClassesRepeatsAndSeparators() throws {
        let p = try PlatePattern("[L^IJQTUXZ][L^IQZ][012567]D [L^IQ]{3}")
        #expect(p.items.count == 5)
        #expect(p.lengthRange == 7...7)
        #expect(p.matches("BD51SMR"))
        #expect(p.display("BD51SMR") == "BD51 SMR")
        #expect(!p.matches("BDS1SMR"))
        #expect(!p.matches("BD51SM"))
        #expect(p.display("BD51SM") == nil)
    }

    @Test func variableRepeatsSplitForDisplay() throws {
        let p = try PlatePattern("[1-9]D{0,3} [L^IQZ]{1,3}")
        #expect(p.display("42KY") == "42 KY")
        #expect(p.display("1A") == "1 A")
        #expect(!p.matches("01A"))
        #expect(!p.matches("12345A"))
    }

    @Test(arguments: ["", "[A-", "[]", "L{2", "L{3,1}", "x", "[L^]{0}", "[a-z]"])
    func rejectsBadPatterns(_ source: String) {
        #expect(throws: PlateFormatError.self) { try PlatePattern(source) }
    }

    @Test func samplesMatchTheirPattern() throws {
        var rng = SplitMix(seed: 7)
        let p = try PlatePattern("[L^IOQUZ][1-9]D{0,2} [L^IQZ]{3}")
        for _ in 0..<200 { #expect(p.matches(p.sample(using: &rng))) }
    }
}

/// A small deterministic generator so that property tests are reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
