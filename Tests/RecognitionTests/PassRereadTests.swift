import Foundation
import Plates
import Recognition
import TestSupport
import Testing
import Tracking
import Vision

/// A video pass whose frames' vote is unsure is read again from its best frame as a still image is read.
@Suite struct PassRereadTests {
    static func pass(
        _ text: String, confidence: Double, box: Box = Box(x: 10, y: 10, width: 100, height: 22), frame: [UInt8]? = nil
    )
        -> PassResult
    {
        let o = Observation(time: 1, box: box, text: text, format: "gb.current", country: "GB", confidence: confidence)
        let p = VehiclePass(
            text: text, display: text, format: "gb.current", country: "GB", confidence: confidence, firstSeen: 1, lastSeen: 2,
            direction: .approaching, observations: [o], bestIndex: 0)
        return PassResult(pass: p, crop: nil, frame: frame)
    }

    static func reading(_ text: String, _ confidence: Double, format: String = "gb.current") -> PlateReading {
        PlateReading(
            text: text, display: text, format: format, country: format == "unknown" ? nil : "GB", confidence: confidence,
            candidates: [.init(text: text, confidence: confidence)])
    }

    @Test func aSureReadingInAFormatReplacesADifferentVote() {
        let out = Self.pass("FT09RCB", confidence: 0.6).confirmed(by: Self.reading("FT09ROB", 0.97), sureAt: 0.95)
        #expect(out.pass.text == "FT09ROB")
        #expect(out.pass.confidence == 0.97)
        #expect(out.pass.format == "gb.current")
        #expect(out.pass.frames == 1)  // the track itself is kept
    }

    @Test func aSureReadingThatAgreesRaisesTheConfidence() {
        let out = Self.pass("FT09ROB", confidence: 0.6).confirmed(by: Self.reading("FT09ROB", 0.99), sureAt: 0.95)
        #expect(out.pass.text == "FT09ROB")
        #expect(out.pass.confidence == 0.99)
    }

    @Test(arguments: [
        ("FT09ROB", 0.9, "gb.current"),  // not sure enough
        ("FT09ROBX", 0.99, "unknown"),  // in no format
        ("UCB9", 0.99, "gb.dateless"),  // shorter than the vote: a part of the plate, found on its own
    ])
    func anUnsureOrFormatlessReadingLeavesTheVote(_ text: String, _ confidence: Double, _ format: String) {
        let before = Self.pass("FT09RCB", confidence: 0.6)
        #expect(before.confirmed(by: Self.reading(text, confidence, format: format), sureAt: 0.95).pass == before.pass)
        #expect(before.confirmed(by: nil, sureAt: 0.95).pass == before.pass)
    }
}

/// The same with the real engine on a real frame.
@Suite struct PassRereadEndToEndTests {
    let recognizer: Recognizer
    init() throws { recognizer = try sharedRecognizer.get() }

    @Test func anUnsurePassIsReadAgainFromItsFrameAndASurePassIsNot() async throws {
        let path = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg").path
        let bytes = try Recognizer.readFile(path, maxBytes: 5 << 20)
        let found = try #require(
            try await recognizer.recognise(bytes, country: "gb", withCrops: false).plates.first { $0.reading.text == "LR64HDU" })
        let box = Box(x: Double(found.box.x), y: Double(found.box.y), width: Double(found.box.width), height: Double(found.box.height))
        // A misread vote, unsure: read again, the still-image readers' sure reading replaces it.
        let unsure = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box, frame: bytes)
        // The same vote, sure: left alone (reading again costs a still image's read).
        let sure = PassRereadTests.pass("LR64HOU", confidence: 0.95, box: box, frame: bytes)
        // Unsure, but with no frame kept, or a frame that no longer decodes: the vote stays.
        let noFrame = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box)
        let broken = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box, frame: Array(bytes.prefix(200)))
        let out = await recognizer.reread([unsure, sure, noFrame, broken], country: "gb", mix: nil, below: 0.9)
        #expect(out.passes.map(\.pass.text) == ["LR64HDU", "LR64HOU", "LR64HOU", "LR64HOU"])
        #expect(out.passes[0].pass.confidence >= 0.95)
        #expect(out.count == 2)  // the unsure passes with a frame
        #expect(out.milliseconds > 0)
        // Threshold 0: nothing is read again.
        let none = await recognizer.reread([unsure], country: "gb", mix: nil, below: 0)
        #expect(none.passes.map(\.pass.text) == ["LR64HOU"] && none.count == 0)
    }
}
