import Plates
import Testing

@Suite struct GBFormatPackTests {
    let automaton: FormatAutomaton

    init() throws { automaton = try FormatAutomaton(packs: [.gb]) }

    @Test(arguments: [
        ("BD51SMR", "gb.current", "BD51 SMR"), ("CX64PKW", "gb.current", "CX64 PKW"), ("EF18RNY", "gb.current", "EF18 RNY"),
        ("A123BCD", "gb.prefix", "A123 BCD"), ("P7ABC", "gb.prefix", "P7 ABC"),
        ("ABC123D", "gb.suffix", "ABC 123D"), ("XYW1A", "gb.suffix", "XYW 1A"),
        ("42KY", "gb.dateless", "42 KY"), ("1A", "gb.dateless", "1 A"), ("ABC1", "gb.dateless", "ABC 1"),
        ("ABZ1234", "gb.ni", "ABZ 1234"), ("KIB1234", "gb.ni", "KIB 1234"), ("AZ1", "gb.ni", "AZ 1"),
    ])
    func acceptsValidPlates(_ text: String, _ format: String, _ display: String) throws {
        let entry = try #require(automaton.match(text), "\(text) should be valid")
        #expect(entry.format.id == format)
        #expect(entry.pattern.display(text) == display)
    }

    @Test(arguments: [
        "BD5ISMR",  // I where the age identifier needs a digit
        "IB51SMR",  // I is never a memory-tag letter
        "ZB51SMR", "QB51SMR", "UA19ABC", "TA19ABC", "XA19ABC", "JA19ABC",  // not region letters
        "AQ19ABC", "AI19ABC",  // Q and I never in the memory tag
        "AB39CDE", "AB89CDE",  // no such age identifiers
        "AB12CDI", "AB12QDE",  // I and Q never random letters
        "A012BCD",  // no leading zero in a serial number
        "O123ABC", "I123ABC",  // O and I are not year letters
        "ABC123O", "ABC123I",  // nor as suffixes
        "12345AB", "ABCD1", "", "AB12CDEF", "AB-12",
    ])
    func refusesInvalidPlates(_ text: String) {
        #expect(automaton.match(text) == nil, "\(text) should be invalid")
    }

    @Test func everyFormatSampleIsAcceptedByTheAutomaton() throws {
        var rng = SplitMix(seed: 42)
        for (format, pattern) in try FormatPack.gb.validated() {
            for _ in 0..<300 {
                let plate = pattern.sample(using: &rng)
                let entry = try #require(automaton.match(plate), "\(format.id) sample \(plate) refused")
                #expect(entry.country == "GB")
            }
        }
    }

    @Test func packsRoundTripThroughJSON() throws {
        let data = try JSONEncoderForTests.encode(FormatPack.gb)
        #expect(try FormatPack.load(json: data) == .gb)
        let broken = FormatPack(
            country: "XX", name: "broken",
            formats: [
                PlateFormat(id: "xx.a", pattern: "LLL", description: "", example: "123")
            ])
        #expect(throws: PlateFormatError.self) { try FormatAutomaton(packs: [broken]) }
        #expect(throws: PlateFormatError.self) { try FormatPack.named("zz") }
    }
}

import Foundation
enum JSONEncoderForTests {
    static func encode(_ p: FormatPack) throws -> Data { try JSONEncoder().encode(p) }
}
