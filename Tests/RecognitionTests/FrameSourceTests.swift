import Foundation
import Plates
import TestSupport
import Testing
import Tracking
import Vision

@testable import Recognition

/// Video strides are counted at 25 fps and kept as an interval in time at other frame rates: the tracker's
/// timings (a track ends after 2 s without a read, only its own plate continues it after 0.7 s) assume reads
/// about 0.28 s apart.
@Suite struct FrameSourceTests {
    @Test func aStrideIsTheSameIntervalInTimeAtEveryFrameRate() {
        #expect(FrameSource.frames(7, fps: 25) == 7)
        #expect(FrameSource.frames(7, fps: 29) == 8)
        #expect(FrameSource.frames(7, fps: 50) == 14)
        #expect(FrameSource.frames(7, fps: 10) == 3)
        // A camera slower than the interval has every frame read; a stride never falls below one frame.
        #expect(FrameSource.frames(7, fps: 2) == 1)
        #expect(FrameSource.frames(0, fps: 25) == 1)
        #expect(FrameSource.frames(28, fps: 10) == 11)
    }
}

/// A camera with a car parked in view is always tracking, so the images kept per read text are never cleared by
/// the end of tracking: their number must stay bounded, keeping the most confident reads.
@Suite struct BestImagesTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: BestImagesTests.photo.path)))
    func manyMisreadsKeepABoundedNumberOfImages() throws {
        let image = try Image(decoding: Array(try Data(contentsOf: Self.photo)), maxPixels: 1 << 24)
        var best = BestImages()
        let box = Rect(x: 10, y: 10, width: 100, height: 22)
        func read(_ text: String, _ confidence: Double) -> PlateResult {
            PlateResult(
                reading: PlateReading(text: text, display: text, format: "unknown", country: nil, confidence: confidence, candidates: []),
                box: box, detectionScore: 0.9, crop: [1, 2, 3])
        }
        best.keep(read("MV64KDU", 0.99), image: image)
        for i in 0..<(3 * BestImages.maxTexts) { best.keep(read("X\(i)", 0.2 + Double(i % 50) / 100), image: image) }
        #expect(best.byText.count <= BestImages.maxTexts)
        let pass = VehiclePass(
            text: "MV64KDU", display: "MV64 KDU", format: "gb.current", country: "GB", confidence: 0.9, firstSeen: 0, lastSeen: 1,
            direction: .stationary,
            observations: [Observation(time: 0, box: Box(x: 10, y: 10, width: 100, height: 22), text: "MV64KDU", confidence: 0.99)],
            bestIndex: 0)
        let result = best.result(pass)
        #expect(result.crop == [1, 2, 3])
        #expect(result.frame.map { $0.count > 100 } == true)
    }

    /// A pass keeps, besides its best read's images, the frames and boxes of its track's surest reads of longer plates
    /// in a format (two at most, surest first; one per text, its surest read); reads in no format and reads no longer
    /// than the voted plate are not kept.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: BestImagesTests.photo.path)))
    func aPassKeepsTheFrameOfItsTracksReadOfALongerPlate() throws {
        let image = try Image(decoding: Array(try Data(contentsOf: Self.photo)), maxPixels: 1 << 24)
        var best = BestImages()
        func read(_ text: String, _ confidence: Double, _ format: String, x: Float) -> (PlateResult, Observation) {
            let r = PlateResult(
                reading: PlateReading(text: text, display: text, format: format, country: nil, confidence: confidence, candidates: []),
                box: Rect(x: x, y: 10, width: 100, height: 22), detectionScore: 0.9, crop: nil)
            return (
                r,
                Observation(
                    time: 0, box: Box(x: Double(x), y: 10, width: 100, height: 22), text: text, format: format, confidence: confidence)
            )
        }
        let reads = [
            read("RJN062", 0.9, "us.lll_ddd", x: 10), read("6RJN062", 0.6, "us.ca", x: 20), read("6RJN062", 0.8, "us.ca", x: 30),
            read("RJN0621", 0.95, "unknown", x: 40), read("RJN063", 0.99, "us.lll_ddd", x: 50), read("6RJN0621", 0.7, "xx.test", x: 60),
            read("ABCDEFGH", 0.5, "xx.test", x: 70),
        ]
        for (r, _) in reads { best.keep(r, image: image) }
        let pass = VehiclePass(
            text: "RJN062", display: "RJN 062", format: "us.lll_ddd", country: "US", confidence: 0.98, firstSeen: 0, lastSeen: 1,
            direction: .approaching, observations: reads.map(\.1), bestIndex: 0)
        let longer = best.result(pass).longer
        #expect(longer.map(\.text) == ["6RJN062", "6RJN0621"] && longer.first?.box.x == 30)
        #expect(longer.first.map { $0.frame.count > 100 } == true)
        var alone = pass
        alone.observations = [reads[0].1, reads[3].1, reads[4].1]
        #expect(best.result(alone).longer.isEmpty)
    }

    static let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/dash_public_uploads_img1.jpg")
}
