import Foundation
import Plates
import TestSupport
import Testing

@testable import Recognition

/// Squarish boxes are read as one line and as two stacked lines (a motorcycle's or a square GB plate): one line of a
/// two-line plate can be a plate of its own, so a sure two-line reading in a format that holds more characters wins.
@Suite struct TwoLineTests {
    static func reading(_ text: String, format: String) -> PlateReading {
        PlateReading(
            text: text, display: text, format: format, country: format == "unknown" ? nil : "GB", confidence: 0.99,
            candidates: [.init(text: text, confidence: 0.99)])
    }

    /// `AB12` (a dateless plate) is what the one-line reading of `AB12` over `CDE` can give: the two lines win.
    @Test func aSureLongerTwoLineReadingInAFormatOutranksOneLine() {
        let oneLine = Self.reading("AB12", format: "gb.dateless")
        #expect(Recognizer.twoLinesOutrank(Self.reading("AB12CDE", format: "gb.current"), sure: true, oneLine: oneLine))
        // Unsure, in no format, or no longer: the one-line reading keeps its place.
        #expect(!Recognizer.twoLinesOutrank(Self.reading("AB12CDE", format: "gb.current"), sure: false, oneLine: oneLine))
        #expect(!Recognizer.twoLinesOutrank(Self.reading("AB12CDEX", format: "unknown"), sure: true, oneLine: oneLine))
        #expect(!Recognizer.twoLinesOutrank(Self.reading("AB12", format: "gb.dateless"), sure: true, oneLine: oneLine))
    }

    /// A small squarish blob that reads as nothing on one line is a plate only when its two lines read surely in a
    /// format (a badge read `7V` on two lines, unsure, is none).
    @Test func aBoxUnreadAsOneLineNeedsASureTwoLineReadingInAFormat() {
        #expect(Recognizer.isPlateUnreadAsOneLine(Self.reading("AB12CDE", format: "gb.current"), sure: true))
        #expect(!Recognizer.isPlateUnreadAsOneLine(Self.reading("7V", format: "gb.dateless"), sure: false))
        #expect(!Recognizer.isPlateUnreadAsOneLine(Self.reading("7V", format: "unknown"), sure: true))
    }

    /// A real UK plate restacked as a square plate (its first group over its second, as DVLA two-line plates are laid
    /// out) is read whole.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to restack the plate"))
    func aPlateOnTwoLinesIsReadWhole() async throws {
        let recognizer = try sharedRecognizer.get()
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg").path
        // The plate's box, cut between its groups (`LR64` | `HDU`), the second group centred under the first.
        let restack =
            "crop=219:58:140:227,split[a][b];[a]crop=120:58:0:0[t];[b]crop=99:58:120:0,pad=120:58:10:0:color=0xF0F0F0[u];"
            + "[t][u]vstack,pad=iw+16:ih+12:8:6:color=0x808080"
        let square = try ffmpeg(photo, filter: restack, into: "two-line.png")
        let read = try await recognizer.recognise(file: square, country: "gb", crop: true).plates.map(\.reading.text)
        #expect(read == ["LR64HDU"], "read \(read)")
    }

    /// A real plate restacked as a square plate, 80 pixels wide, in a 2-second zoom is one pass (frames and the pass's
    /// second reading both read squarish boxes on two lines). Before session 52 the video gave no pass: frames read it
    /// squeezed into one line, a mix of its lines.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func aPlateOnTwoLinesInAVideoIsOnePass() async throws {
        let recognizer = try sharedRecognizer.get()
        let photo = TestPaths.datasets.appendingPathComponent(
            "micrometre_carpark1/images/nexjs_public_images_uploadvideo-cam1-1734719418720.jpg"
        ).path
        let restack =
            "crop=148:38:248:229,split[a][b];[a]crop=81:38:0:0[t];[b]crop=67:38:81:0,pad=81:38:7:0:color=0xF0F0F0[u];"
            + "[t][u]vstack,pad=iw+16:ih+12:8:6:color=0x808080,scale=80:-2,pad=640:480:(ow-iw)/2:(oh-ih)/2:color=0x505050,"
            + "zoompan=z='1+0.02*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x480:fps=25,format=yuv420p"
        let video = try ffmpeg(
            photo, filter: restack, into: "two-line.mp4", before: ["-loop", "1", "-t", "2", "-r", "25"],
            after: ["-frames:v", "50", "-c:v", "libx264"])
        var options = VideoOptions()
        options.country = "gb"
        let passes = try await recognizer.recogniseVideo(path: video, options: options).passes.map(\.pass.text)
        #expect(passes == ["GL19TNJ"], "passes \(passes)")
    }
}
