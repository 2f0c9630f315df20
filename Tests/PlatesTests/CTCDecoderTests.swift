import Foundation
import Plates
import Testing

/// Builds a CTC matrix that spells `steps` (each a distribution over characters, "" for blank), with a
/// blank step between characters, as a reader would.
func matrix(_ steps: [[String: Float]], blank: Float = 0.98) -> CTCMatrix {
    var rows: [[Float]] = []
    func row(_ dist: [String: Float]) -> [Float] {
        var r = [Float](repeating: 0, count: CTCMatrix.columns)
        var rest: Float = 1
        for (k, v) in dist {
            let col = k.isEmpty ? 0 : Symbol.index(of: Character(k))! + 1
            r[col] += v; rest -= v
        }
        // Spread what is left thinly over everything, so that no symbol is impossible.
        for c in 0..<CTCMatrix.columns { r[c] += max(0, rest) / Float(CTCMatrix.columns) }
        return r
    }
    rows.append(row(["": blank]))
    for s in steps {
        rows.append(row(s))
        rows.append(row(["": blank]))
    }
    return CTCMatrix(steps: rows.count, probabilities: rows.flatMap { $0 })
}

/// A confident reading of `text`.
func confident(_ text: String, _ p: Float = 0.95) -> CTCMatrix {
    matrix(text.map { [String($0): p] })
}

@Suite struct CTCDecoderTests {
    let interpreter: PlateInterpreter

    init() throws { interpreter = try PlateInterpreter(packs: [.gb]) }

    /// Equally probable strings are kept and ranked in one order on every run (the symbols' order), not in the order of
    /// a dictionary, which changes from process to process.
    @Test func tiedStringsComeOutInTheSameOrderOnEveryRun() {
        let tied = "HGFEDCBA".map { [String($0): Float(0.12)] }.reduce(into: [String: Float]()) { $0.merge($1) { a, _ in a } }
        let m = matrix([["7": 0.97], tied])
        let texts = CTCBeamDecoder().decode(m, top: 5).map(\.text)
        #expect(texts == ["7A", "7B", "7C", "7D", "7E"])
        #expect(CTCBeamDecoder(beamWidth: 3).decode(m, top: 3).map(\.text) == ["7A", "7B", "7C"])
    }

    @Test func forwardProbabilityMatchesBruteForce() {
        // Two steps, alphabet {blank, A}: P("A") = P(A,A) + P(A,-) + P(-,A).
        var probs = [Float](repeating: 0, count: 2 * CTCMatrix.columns)
        let a = Symbol.index(of: "A")! + 1
        probs[0] = 0.4; probs[a] = 0.6
        probs[CTCMatrix.columns] = 0.3; probs[CTCMatrix.columns + a] = 0.7
        let m = CTCMatrix(steps: 2, probabilities: probs)
        let expected = 0.6 * 0.7 + 0.6 * 0.3 + 0.4 * 0.7
        #expect(abs(exp(m.logProbability(of: [a - 1])) - expected) < 1e-6)
        #expect(abs(exp(m.logProbability(of: [a - 1, a - 1])) - 0) < 1e-9)  // AA needs a blank between: 3 steps
        #expect(m.greedy == "A")
    }

    @Test func everyValidPlateOfEachGBFormatDecodesToItself() throws {
        var rng = SplitMix(seed: 1)
        for (format, pattern) in try FormatPack.gb.validated() {
            for _ in 0..<40 {
                let plate = pattern.sample(using: &rng)
                let reading = try #require(interpreter.interpret(confident(plate)))
                #expect(reading.text == plate, "\(format.id): \(plate) read as \(reading.text)")
                #expect(reading.format == format.id || interpreter.automaton.match(plate)?.format.id == reading.format)
                #expect(reading.confidence > 0.5 && reading.confidence <= 1)
            }
        }
    }

    @Test func confusablesAreCorrectedWhereTheGrammarForbidsThem() throws {
        // BDI9SMR: the reader prefers I, but the age identifier needs a digit.
        let m = matrix([["B": 0.95], ["D": 0.95], ["I": 0.9, "1": 0.05], ["9": 0.95], ["S": 0.95], ["M": 0.95], ["R": 0.95]])
        let r = try #require(interpreter.interpret(m))
        #expect(r.text == "BD19SMR")
        #expect(r.display == "BD19 SMR")
        #expect(r.format == "gb.current")
        #expect(interpreter.decoder.decode(m).first?.text == "BDI9SMR")  // unconstrained would be wrong
    }

    @Test func lettersInLetterPositionsAreKept() throws {
        // O is allowed in the random letters, so a reader's O stays O even with 0 close behind ...
        let m = matrix([["A": 0.95], ["B": 0.95], ["1": 0.95], ["2": 0.95], ["C": 0.95], ["O": 0.6, "0": 0.35], ["D": 0.95]])
        #expect(interpreter.interpret(m)?.text == "AB12COD")
        // ... while in the age identifier it becomes a digit, and B becomes 8.
        let n = matrix([["A": 0.95], ["B": 0.95], ["O": 0.6, "0": 0.35], ["B": 0.6, "8": 0.3], ["C": 0.95], ["D": 0.95], ["E": 0.95]])
        #expect(interpreter.interpret(n)?.text == "AB08CDE")
    }

    @Test func confidentNonFormatReadsFallBackToUnknown() throws {
        let r = try #require(interpreter.interpret(confident("183D552", 0.97)))
        #expect(r.text == "183D552")
        #expect(r.format == "unknown")
        #expect(r.country == nil)
    }

    @Test func aFormatDoesNotConjureCharactersTheReaderHardlySees() throws {
        // A 4-digit plate with faint marks to its left (a state name): "SU4280" fits the US `LL DDDD` format, but
        // only by reading characters the reader gives 20% each; it stays "4280" (format unknown).
        let m = matrix([["S": 0.2, "": 0.78], ["U": 0.2, "": 0.78], ["4": 0.95], ["2": 0.95], ["8": 0.95], ["0": 0.95]])
        let us = try PlateInterpreter(packs: [.us])
        #expect(us.interpret(m)?.text == "4280")
        #expect(us.interpret(m)?.format == "unknown")
        // With the margin allowed for same-length substitutions, the format would have won.
        #expect(try PlateInterpreter(packs: [.us], lengthChangeMargin: 5, priorWeight: 0).interpret(m)?.text == "SU4280")
    }

    @Test func usVanityPlatesWriteTheRoundGlyphAsZero() throws {
        // TOUCAN fits no US format: the reader's O (same glyph as 0 on the plate) is written 0 ...
        let us = try PlateInterpreter(packs: [.us])
        let vanity = try #require(us.interpret(confident("TOUCAN", 0.97)))
        #expect(vanity.text == "T0UCAN")
        #expect(vanity.format == "unknown")
        #expect(!vanity.candidates.contains { $0.text.contains("O") && us.automaton.matches($0.text).isEmpty })
        // ... while a letter position of a standard format keeps its O, and other packs keep theirs.
        #expect(us.interpret(confident("KOP318", 0.97))?.text == "KOP318")
        #expect(try PlateInterpreter(packs: [.gb]).interpret(confident("TOUCAN", 0.97))?.text == "TOUCAN")
        #expect(try PlateInterpreter(packs: FormatPack.all).interpret(confident("TOUCAN", 0.97))?.text == "TOUCAN")
    }

    @Test func usCountyLettersAreNeverTheRoundGlyph() throws {
        // A county number, then the round glyph among digits: Alabama and Idaho issue no letter O (I and Q neither,
        // as their look-alikes are 1 and 0), so the county formats do not take it and the digits stay digits ...
        let us = try PlateInterpreter(packs: [.us])
        // (Not `3O12345`: the rarer Maryland series `1AB 2345` then competes through a faint `T` for its `1`, whose
        // place among the beam's tied alternatives varies from run to run.)
        for text in ["3O1234", "3O1234B"] {
            let r = try #require(us.interpret(confident(text, 0.97)))
            #expect(r.text == text.replacingOccurrences(of: "O", with: "0"), "\(text)")
            #expect(!us.automaton.matches(text).contains { $0.format.id.hasPrefix("us.county") || $0.format.id == "us.id" })
        }
        // ... while any other county letter is read as before.
        #expect(us.interpret(confident("3K1234", 0.97))?.format == "us.county_l")
    }

    @Test func rareFormatsAndManyChangesNeedClearerEvidence() throws {
        // 183D552 read with the 1 faintly like J and the D faintly like 0: the US format A 123456 would take
        // two confusions (J, 0). Among every country's formats that rare format must not win ...
        let m = matrix([["1": 0.95, "J": 0.04], ["8": 0.95], ["3": 0.95], ["D": 0.95, "0": 0.04], ["5": 0.95], ["5": 0.95], ["2": 0.95]])
        let auto = try PlateInterpreter(packs: FormatPack.all)
        #expect(auto.interpret(m)?.text == "183D552")
        // ... which it would without the prior and with a full allowance for every confusion.
        #expect(try PlateInterpreter(packs: FormatPack.all, priorWeight: 0, allowanceDecay: 0).interpret(m)?.text == "J830552")
    }

    @Test func candidatesAreRankedAndBounded() throws {
        let m = matrix([["M": 0.95], ["V": 0.95], ["6": 0.95], ["4": 0.95], ["K": 0.95], ["D": 0.7, "O": 0.25], ["U": 0.95]])
        let r = try #require(interpreter.interpret(m))
        #expect(r.text == "MV64KDU")
        #expect(r.candidates.first?.text == "MV64KDU")
        #expect(r.candidates.contains { $0.text == "MV64KOU" })
        #expect(r.candidates.count <= 5)
        for c in r.candidates { #expect((0...1).contains(c.confidence)) }
        #expect(zip(r.candidates, r.candidates.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
    }

    @Test func emptyMatricesReadNothing() {
        let blank = matrix([])
        #expect(interpreter.interpret(blank) == nil)
        #expect(interpreter.interpret([]) == nil)
    }

    @Test func readersAgreeingOutvoteOneThatDoesNot() throws {
        let a = matrix([["P": 0.95], ["N": 0.95], ["1": 0.95], ["9": 0.6, "S": 0.35], ["K": 0.95], ["L": 0.95], ["W": 0.95]])
        let b = matrix([["P": 0.95], ["N": 0.95], ["1": 0.95], ["9": 0.7, "S": 0.25], ["K": 0.95], ["L": 0.95], ["W": 0.95]])
        let c = matrix([["P": 0.95], ["N": 0.95], ["1": 0.95], ["S": 0.55, "9": 0.4], ["K": 0.95], ["L": 0.95], ["W": 0.95]])
        #expect(interpreter.interpret([a, b, c])?.text == "PN19KLW")
    }
}
