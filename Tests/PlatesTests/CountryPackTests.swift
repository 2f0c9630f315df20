import Foundation
import Plates
import Testing

/// Valid and invalid plates for every built-in pack, from each country's rules.
let packCases: [(pack: String, valid: [String], invalid: [String])] = [
    ("gb", ["BD51SMR", "A123BCD", "ABC123D", "42KY", "ABZ1234"], ["BD5ISMR", "AB39CDE", "A012BCD"]),
    ("ie", ["131D12345", "08KY1234", "99C1", "242WX12"], ["75D123", "131X12345", "86D123", "131D0123"]),
    ("fr", ["AB123CD", "1234AB75", "123ABC2A"], ["AI123CD", "AB123OU", "AB12CD"]),
    ("de", ["BAB1234", "MX1", "KAB123E", "HHAB99H"], ["AB01234", "B12345", "ABCDEF1"]),
    ("nl", ["XX9999", "99XX99", "9XXX99", "GB12NP", "1KBD23"], ["AE1234", "12AE34", "ABCDEF"]),
    ("be", ["1ABC123", "ABC123", "123ABC"], ["0ABC123", "AB123"]),
    ("es", ["1234BCD", "M1234AB"], ["1234AEI", "1234QBC", "123BCD"]),
    ("it", ["AB123CD", "ZZ999ZZ"], ["AI123CD", "AB123QD", "AB12CD"]),
    ("pt", ["AB12CD", "1234AB", "12AB34", "AB1234"], ["ABC123", "1A2345"]),
    ("pl", ["WA12345", "KRA1234A", "PO12C45"], ["W123", "WA0I234"]),
    ("cz", ["1A23456", "5AB1234"], ["1O23456", "0A23456", "1A2345"]),
    ("sk", ["BA123AB", "AB123CD"], ["B123AB", "BA12AB"]),
    ("at", ["W12345A", "LAB123", "GU1ABC"], ["W0123A", "123ABC"]),
    ("ch", ["ZH123456", "GE1", "VS12345"], ["XX123456", "ZH0123", "ZH1234567"]),
    ("dk", ["AB12345"], ["A12345", "AB1234"]),
    ("se", ["ABC123", "ABC12D"], ["ABI123", "ABC12O", "AB1234"]),
    ("no", ["AB12345", "EL12345"], ["AB01234", "AI12345", "AB1234"]),
    ("fi", ["ABC123", "AB1"], ["ABC012", "ABCD123"]),
    ("ua", ["AA1234BK", "BC4321HK", "12345AB", "5412XO"], ["AD1234BB", "AA123BB"]),
    (
        "us",
        [
            "ABC1234", "ABC123", "7ABC123", "AB12345", "A12BCD", "AB1C2D", "1AB2345", "ABC12D", "AB1C234", "A123456",
            "12A345B", "1A2345B", "12AB34", "1A2345",
        ],
        ["ABCDEFG", "12345678", "0ABC123", "1830552", "75D123", "0A1234B"]
    ),
    ("br", ["ABC1234", "ABC1D23"], ["AB1234", "ABC12D3"]),
    ("ae", ["A12345", "AA1"], ["A0123", "123456"]),
    ("sa", ["1234ABD", "1XZA"], ["1234ABC", "12345ABD"]),
]

@Suite struct CountryPackTests {
    @Test func everyBuiltInPackHasCases() {
        #expect(Set(packCases.map(\.pack)) == Set(FormatPack.builtIn.keys))
        #expect(FormatPack.builtIn.count >= 23)
    }

    @Test(arguments: packCases.map(\.pack))
    func validAndInvalidExamples(_ code: String) throws {
        let pack = try FormatPack.named(code)
        let automaton = try FormatAutomaton(packs: [pack])
        let cases = try #require(packCases.first { $0.pack == code })
        for plate in cases.valid { #expect(automaton.match(plate) != nil, "\(code): \(plate) should be valid") }
        for plate in cases.invalid { #expect(automaton.match(plate) == nil, "\(code): \(plate) should be invalid") }
        for plate in pack.counterexamples { #expect(automaton.match(plate) == nil) }
        for format in pack.formats {
            let entry = try #require(automaton.matches(format.example).first { $0.format.id == format.id })
            #expect(entry.country == pack.country)
            #expect(entry.pattern.display(format.example) != nil)
        }
    }

    @Test(arguments: packCases.map(\.pack))
    func everySampledPlateDecodesToItself(_ code: String) throws {
        let pack = try FormatPack.named(code)
        let interpreter = try PlateInterpreter(packs: [pack])
        var rng = SplitMix(seed: UInt64(code.unicodeScalars.reduce(0) { $0 * 31 + $1.value }))
        for (format, pattern) in try pack.validated().shuffled(using: &rng).prefix(12) {
            for _ in 0..<4 {
                let plate = pattern.sample(using: &rng)
                let reading = try #require(interpreter.interpret(confident(plate)))
                #expect(reading.text == plate, "\(format.id): \(plate) read as \(reading.text)")
                #expect(reading.country == pack.country)
            }
        }
    }

    @Test func displayUsesTheCountrysSeparators() throws {
        let fr = try FormatAutomaton(packs: [.fr])
        #expect(fr.match("AB123CD")?.pattern.display("AB123CD") == "AB-123-CD")
        let nl = try FormatAutomaton(packs: [.nl])
        #expect(nl.match("XX9999")?.pattern.display("XX9999") == "XX-99-99")
        let ie = try FormatAutomaton(packs: [.ie])
        #expect(ie.match("131D12345")?.pattern.display("131D12345") == "131-D-12345")
    }

    @Test func countryIsChosenByHowWellThePlateFitsEachPack() throws {
        let auto = try PlateInterpreter(packs: FormatPack.all)
        // CX64PKW fits GB's tight current format and Austria's loose one: GB is far likelier.
        let gb = try #require(auto.interpret(confident("CX64PKW")))
        #expect(gb.country == "GB" && gb.format == "gb.current")
        #expect((gb.countryConfidence ?? 0) > 0.9)
        let fr = try #require(auto.interpret(confident("AB123CD")))
        #expect(fr.country == "FR" || fr.country == "IT")
        let ua = try #require(auto.interpret(confident("AA1234BK")))
        #expect(ua.country == "UA")
        let br = try #require(auto.interpret(confident("ABC1D23")))
        #expect(br.country == "BR")
        for r in [gb, fr, ua, br] { #expect((0...1).contains(r.countryConfidence ?? -1)) }
    }

    @Test func confusablesFollowTheCountrysRules() throws {
        // Italy never uses I, O, Q or U: a reader's O in a letter position of AB 123 CD ... stays a letter
        // position, and a 0 read where a letter must be becomes the letter O only where O is allowed.
        let it = try PlateInterpreter(packs: [.it])
        let m = matrix([["A": 0.95], ["B": 0.95], ["1": 0.95], ["2": 0.95], ["I": 0.6, "1": 0.35], ["C": 0.95], ["D": 0.95]])
        #expect(it.interpret(m)?.text == "AB121CD")
        // Ukraine's series letters are the Latin look-alikes only: a 0 in the series becomes O.
        let ua = try PlateInterpreter(packs: [.ua])
        let n = matrix([["A": 0.95], ["T": 0.95], ["6": 0.95], ["8": 0.95], ["8": 0.95], ["3": 0.95], ["C": 0.95], ["0": 0.6, "O": 0.35]])
        #expect(ua.interpret(n)?.text == "AT6883CO")
    }

    @Test func twoLineReadingsJoinInOrder() throws {
        let ua = try PlateInterpreter(packs: [.ua])
        let joined = CTCMatrix.joined([confident("12345"), confident("AB")])
        #expect(ua.interpret(joined)?.text == "12345AB")
        // A character ending the top line and starting the bottom one stays two characters (1234 AB would
        // be valid too, so only the blank between the lines keeps the second 4).
        #expect(ua.interpret(CTCMatrix.joined([confident("1234"), confident("4AB")]))?.text == "12344AB")
    }
}
