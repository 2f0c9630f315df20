import Foundation
import Plates
import Recognition
import TestSupport
import Tracking
import Testing

@Suite struct VideoProcessorTests {
    /// Two inference workers take frames as they come free, so which frames are back when the next one is sampled
    /// and read varies from run to run. Each frame is sampled and read with what the tracker and the country mix
    /// knew a fixed number of frames before, so two runs of one video give the same passes (under `auto`, where the
    /// mix learns from the reads). Before, runs of the validation video under `auto` differed now and then.
    @Test func aVideoGivesTheSamePassesOnEveryRun() async throws {
        let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4").path
        let recognizer = try Recognizer(configuration: RecognizerConfiguration(manifestPath: TestPaths.manifest, workers: 2))
        defer { recognizer.shutdown() }
        func passes() async throws -> [String] {
            var options = VideoOptions()
            options.country = "auto"
            options.countryMix = CountryMix()
            return try await recognizer.recogniseVideo(path: video, options: options).passes.map {
                String(
                    format: "%@ %@ %.3f-%.3f %.4f %d", $0.pass.text, $0.pass.format, $0.pass.firstSeen, $0.pass.lastSeen,
                    $0.pass.confidence, $0.pass.frames)
            }
        }
        let first = try await passes()
        #expect(!first.isEmpty)
        for _ in 0..<2 { #expect(try await passes() == first) }
    }

    /// A car in view in one sampled frame only (a fast car; a plate the frames' detector found once) is one pass: the
    /// glimpse's frame, read again as a still image, shows its plate. Before session 53 one read was never a pass.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func aCarReadInOneFrameIsOnePass() async throws {
        let recognizer = try sharedRecognizer.get()
        let video = try oneFrameCarVideo(into: "glimpse.mp4")
        var options = VideoOptions()
        options.country = "gb"
        let passes = try await recognizer.recogniseVideo(path: video, options: options).passes.map(\.pass)
        #expect(passes.map(\.text) == ["GL19TNJ"])
        #expect(passes.map(\.frames) == [1])
        options.tracker.minGlimpseConfidence = nil
        #expect(try await recognizer.recogniseVideo(path: video, options: options).passes.isEmpty)
    }

    @Test func aCopiedMixKeepsTheCountsAndLearnsOnItsOwn() throws {
        let mix = CountryMix()
        mix.add(["GB": 3])
        let copy = mix.copy()
        copy.add(["FR": 2])
        #expect(mix.observed == ["GB": 3])
        #expect(copy.observed == ["GB": 3, "FR": 2])
        #expect(CountryMix(learns: false).copy().learns == false)
    }
}
