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

    /// A plate growing large lost its first character in most frames (merged into a dealer's frame), so the track
    /// voted `RJN062` surely; the frame that read `6RJN062` read again as a still image reads it surely: the pass is the
    /// longer plate. Anything else leaves the vote.
    @Test func aSureReadingOfALongerPlateHoldingTheVoteLengthensThePass() {
        let p = Self.pass("RJN062", confidence: 0.98)
        let frame: [UInt8] = [1, 2, 3]
        let out = p.lengthened(by: Self.reading("6RJN062", 0.99, format: "us.ca"), frame: frame, sureAt: 0.95)
        #expect(out.pass.text == "6RJN062" && out.pass.format == "us.ca" && out.pass.confidence == 0.99)
        #expect(out.frame == frame)
        #expect(p.lengthened(by: Self.reading("6RJN062", 0.9, format: "us.ca"), frame: frame, sureAt: 0.95).pass.text == "RJN062")
        #expect(p.lengthened(by: Self.reading("6RJN062", 0.99, format: "unknown"), frame: frame, sureAt: 0.95).pass.text == "RJN062")
        #expect(p.lengthened(by: Self.reading("6RJM062", 0.99, format: "us.ca"), frame: frame, sureAt: 0.95).pass.text == "RJN062")
        #expect(p.lengthened(by: Self.reading("RJN062", 0.99, format: "us.lll_ddd"), frame: frame, sureAt: 0.95).pass.text == "RJN062")
        #expect(p.lengthened(by: nil, frame: frame, sureAt: 0.95).pass.text == "RJN062")
    }

    /// A provisional pass: a track at `box` whose frames read `reads`, none agreeing.
    static func provisional(
        _ reads: [String], box: Box = Box(x: 10, y: 10, width: 100, height: 22), frame: [UInt8]? = nil
    )
        -> PassResult
    {
        let observations = reads.enumerated().map { i, text in
            Observation(time: Double(i), box: box, text: text, format: "unknown", country: nil, confidence: 0.9)
        }
        var p = VehiclePass(
            text: reads[0], display: reads[0], format: "unknown", country: nil, confidence: 0.1, firstSeen: 0,
            lastSeen: Double(reads.count - 1), direction: .approaching, observations: observations, bestIndex: 0)
        p.provisional = true
        return PassResult(pass: p, crop: nil, frame: frame)
    }

    @Test func aProvisionalPassIsThePlateItsFramesReadInParts() {
        let p = Self.provisional(["JRD2", "2238", "RD2238"])
        let here = Rect(x: 5, y: 8, width: 110, height: 26)
        func plate(_ text: String, _ confidence: Double, format: String = "br.old", box: Rect = here) -> PlateResult {
            PlateResult(reading: Self.reading(text, confidence, format: format), box: box, detectionScore: 0.9)
        }
        let out = p.confirmedProvisional(by: [plate("JRD2238", 0.99)], sureAt: 0.95, tracker: .init())
        #expect(out?.pass.text == "JRD2238")
        #expect(out?.pass.provisional == false)
        #expect(out?.pass.confidence == 0.99)
        #expect(out?.pass.frames == 3)
        // Of several plates in the frame, the one the parts belong to.
        #expect(
            p.confirmedProvisional(
                by: [plate("FT09ROB", 0.99, format: "gb.current"), plate("JRD2238", 0.97)], sureAt: 0.95, tracker: .init())?
                .pass.text == "JRD2238")
        // No pass: nothing read, unsure, in no format, elsewhere in the frame, or a plate the reads are no parts of.
        #expect(p.confirmedProvisional(by: [], sureAt: 0.95, tracker: .init()) == nil)
        #expect(p.confirmedProvisional(by: [plate("JRD2238", 0.9)], sureAt: 0.95, tracker: .init()) == nil)
        #expect(p.confirmedProvisional(by: [plate("JRD2238", 0.99, format: "unknown")], sureAt: 0.95, tracker: .init()) == nil)
        #expect(
            p.confirmedProvisional(
                by: [plate("JRD2238", 0.99, box: Rect(x: 400, y: 300, width: 100, height: 22))], sureAt: 0.95, tracker: .init()) == nil)
        #expect(p.confirmedProvisional(by: [plate("FT09ROB", 0.99, format: "gb.current")], sureAt: 0.95, tracker: .init()) == nil)
    }

    @Test func aGlimpseIsAPassOnlyWhenItsFrameReadAgainShowsItsPlate() {
        // One read of a vehicle seen in one sampled frame (PlateTracker.Configuration.minGlimpseConfidence).
        let g = Self.provisional(["5RIN962"])
        let here = Rect(x: 5, y: 8, width: 110, height: 26)
        func plate(_ text: String, _ confidence: Double, format: String = "us.ca", box: Rect = here) -> PlateResult {
            PlateResult(reading: Self.reading(text, confidence, format: format), box: box, detectionScore: 0.9)
        }
        #expect(g.confirmedProvisional(by: [plate("5RIN962", 0.99)], sureAt: 0.95, tracker: .init())?.pass.text == "5RIN962")
        // One glyph off: the still reading's text.
        #expect(g.confirmedProvisional(by: [plate("5RJN962", 0.99)], sureAt: 0.95, tracker: .init())?.pass.text == "5RJN962")
        // No pass: another plate there, an unsure or formatless reading, or the plate elsewhere in the frame.
        #expect(g.confirmedProvisional(by: [plate("8ABC123", 0.99)], sureAt: 0.95, tracker: .init()) == nil)
        #expect(g.confirmedProvisional(by: [plate("5RIN962", 0.9)], sureAt: 0.95, tracker: .init()) == nil)
        #expect(g.confirmedProvisional(by: [plate("5RIN962", 0.99, format: "unknown")], sureAt: 0.95, tracker: .init()) == nil)
        #expect(
            g.confirmedProvisional(
                by: [plate("5RIN962", 0.99, box: Rect(x: 400, y: 300, width: 100, height: 22))], sureAt: 0.95, tracker: .init()) == nil)
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

    /// A real car-park frame (JPEG) and the box of its plate `LR64HDU`, as a video pass would hold them.
    func plateFrame() async throws -> (bytes: [UInt8], box: Box) {
        let path = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg").path
        let bytes = try Recognizer.readFile(path, maxBytes: 5 << 20)
        let found = try #require(
            try await recognizer.recognise(bytes, country: "gb", withCrops: false).plates.first { $0.reading.text == "LR64HDU" })
        return (
            bytes, Box(x: Double(found.box.x), y: Double(found.box.y), width: Double(found.box.width), height: Double(found.box.height))
        )
    }

    @Test func anUnsurePassIsReadAgainFromItsFrameAndASurePassIsNot() async throws {
        let (bytes, box) = try await plateFrame()
        // A misread vote, unsure: read again, the still-image readers' sure reading replaces it.
        let unsure = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box, frame: bytes)
        // The same vote, sure: left alone (reading again costs a still image's read).
        let sure = PassRereadTests.pass("LR64HOU", confidence: 0.95, box: box, frame: bytes)
        // Unsure, but with no frame kept, or a frame that no longer decodes: the vote stays.
        let noFrame = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box)
        let broken = PassRereadTests.pass("LR64HOU", confidence: 0.5, box: box, frame: Array(bytes.prefix(200)))
        let out = await recognizer.reread([unsure, sure, noFrame, broken], country: "gb", mix: nil, below: 0.9, tracker: .init())
        #expect(out.passes.map(\.pass.text) == ["LR64HDU", "LR64HOU", "LR64HOU", "LR64HOU"])
        #expect(out.passes[0].pass.confidence >= 0.95)
        #expect(out.count == 2)  // the unsure passes with a frame
        #expect(out.milliseconds > 0)
        // Threshold 0: nothing is read again.
        let none = await recognizer.reread([unsure], country: "gb", mix: nil, below: 0, tracker: .init())
        #expect(none.passes.map(\.pass.text) == ["LR64HOU"] && none.count == 0)
    }

    @Test func aPassInAFormatVotedWithLittleConfidenceThatItsFrameDoesNotConfirmIsDropped() async throws {
        let (bytes, plate) = try await plateFrame()
        // A corner of the frame holds no plate: read again, nothing confirms the vote.
        let corner = Box(x: 2, y: 2, width: plate.width, height: plate.height)
        let weak = PassRereadTests.pass("XJ51ABC", confidence: 0.3, box: corner, frame: bytes)
        let fair = PassRereadTests.pass("XJ51ABD", confidence: 0.6, box: corner, frame: bytes)
        // Weak but confirmed (the plate's own box): kept, with the reading's text.
        let confirmed = PassRereadTests.pass("LR64HOU", confidence: 0.3, box: plate, frame: bytes)
        // Weak, and its frame reads surely a part of it (the vote has a character more, as when the frame's crop
        // lost a plate's first character): the vote stays, the plate is there.
        let partly = PassRereadTests.pass("8LR64HDU", confidence: 0.3, box: plate, frame: bytes)
        // Weak, in no format, read in 4 frames: no reading can confirm it, so its vote stands; in 3 frames (text
        // that is no plate gives short weak tracks in no format) it is dropped.
        func unknown(_ text: String, frames: Int) -> PassResult {
            var p = PassRereadTests.pass(text, confidence: 0.3, box: corner, frame: bytes)
            p.pass.format = "unknown"
            p.pass.observations = Array(repeating: p.pass.observations[0], count: frames)
            return p
        }
        let free = unknown("XJ51ABCQ", frames: 4)
        let short = unknown("REDLIGHTFL", frames: 3)
        let out = await recognizer.reread(
            [weak, fair, confirmed, partly, free, short], country: "gb", mix: nil, below: 0.9, tracker: .init())
        #expect(out.passes.map(\.pass.text) == ["XJ51ABD", "LR64HDU", "8LR64HDU", "XJ51ABCQ"])
        #expect(out.count == 6)
        // The same weak pass is kept where nothing is read again, or with the floor at 0.
        #expect(await recognizer.reread([weak], country: "gb", mix: nil, below: 0, tracker: .init()).passes.count == 1)
        var keepAll = PlateTracker.Configuration()
        keepAll.minUnconfirmedConfidence = 0
        #expect(await recognizer.reread([weak], country: "gb", mix: nil, below: 0.9, tracker: keepAll).passes.count == 1)
        #expect(await recognizer.reread([short], country: "gb", mix: nil, below: 0.9, tracker: keepAll).passes.count == 1)
    }

    @Test func aProvisionalPassIsReadAgainFromItsWholeFrameAndDroppedUnlessConfirmed() async throws {
        let (bytes, box) = try await plateFrame()
        // Frames that read parts of the plate: the whole frame read again gives the plate.
        let parts = PassRereadTests.provisional(["LR64", "64HDU", "R64HD"], box: box, frame: bytes)
        // Parts of another plate, no frame, a frame that no longer decodes: no pass.
        let other = PassRereadTests.provisional(["XJ51", "51ABC"], box: box, frame: bytes)
        let noFrame = PassRereadTests.provisional(["LR64", "64HDU"], box: box)
        let broken = PassRereadTests.provisional(["LR64", "64HDU"], box: box, frame: Array(bytes.prefix(200)))
        // Read again even with rereading of unsure votes off (below 0): a provisional pass is none until read.
        let out = await recognizer.reread([parts, other, noFrame, broken], country: "gb", mix: nil, below: 0, tracker: .init())
        #expect(out.passes.map(\.pass.text) == ["LR64HDU"])
        #expect(out.passes.first?.pass.provisional == false)
        #expect(out.count == 3)  // those with a frame
    }

    /// A sure vote (`R64HDU`, the plate's first character lost in most frames) whose track also read `LR64HDU`: the
    /// frame of that read is read again as a still image, and the pass is the whole plate. Without rereading (below 0)
    /// the vote stands; a longer read whose frame shows another plate there, or no longer decodes, leaves it too.
    @Test func aSurePassWhoseTrackReadALongerPlateIsReadAgainFromThatFrame() async throws {
        let (bytes, box) = try await plateFrame()
        var sure = PassRereadTests.pass("R64HDU", confidence: 0.98, box: box)
        sure.longer = [PassResult.LongerRead(text: "LR64HDU", box: box, frame: bytes)]
        let out = await recognizer.reread([sure], country: "gb", mix: nil, below: 0.9, tracker: .init())
        #expect(out.passes.map(\.pass.text) == ["LR64HDU"])
        #expect(out.passes.first?.frame == bytes)
        #expect(out.count == 1)
        let off = await recognizer.reread([sure], country: "gb", mix: nil, below: 0, tracker: .init())
        #expect(off.passes.map(\.pass.text) == ["R64HDU"] && off.count == 0)
        var elsewhere = sure
        elsewhere.longer = [
            PassResult.LongerRead(text: "LR64HDU", box: Box(x: 2, y: 2, width: box.width, height: box.height), frame: bytes)
        ]
        #expect(
            await recognizer.reread([elsewhere], country: "gb", mix: nil, below: 0.9, tracker: .init()).passes.map(\.pass.text) == [
                "R64HDU"
            ])
        var broken = sure
        broken.longer = [PassResult.LongerRead(text: "LR64HDU", box: box, frame: Array(bytes.prefix(200)))]
        let kept = await recognizer.reread([broken], country: "gb", mix: nil, below: 0.9, tracker: .init())
        #expect(kept.passes.map(\.pass.text) == ["R64HDU"] && kept.passes.first?.frame == nil)
    }

    /// Passes are read again side by side, so each reads with the country mix as it stood when the rereads began:
    /// a provisional pass's frame, read as a still image under `auto`, reads `LR64HDU` surely, and that read no
    /// longer counts in the mix that the other rereads weigh countries by (in whatever order they finish). Before,
    /// two runs of one video could differ in a pass's confidence.
    @Test func passesReadAgainDoNotTeachTheMixTheyAreReadWith() async throws {
        let (bytes, box) = try await plateFrame()
        let parts = PassRereadTests.provisional(["LR64", "64HDU", "R64HD"], box: box, frame: bytes)
        let mix = CountryMix()
        let out = await recognizer.reread([parts], country: "auto", mix: mix, below: 0, tracker: .init())
        #expect(out.passes.map(\.pass.text) == ["LR64HDU"])
        #expect(out.passes.first?.pass.country == "GB")
        #expect(mix.observed.isEmpty)
    }
}
