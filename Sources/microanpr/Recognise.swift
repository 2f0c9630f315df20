import ArgumentParser
import Foundation
import Plates
import Recognition
import Vision

struct Recognise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognise", abstract: "Read the number plates in image files.", aliases: ["recognize"])

    @Argument(help: "Image files (JPEG, PNG, WebP, BMP).")
    var files: [String]

    @OptionGroup var engine: EngineOptions

    @Flag(help: "One JSON object per file (NDJSON).")
    var json = false

    func run() async throws {
        let recognizer: Recognizer
        do {
            recognizer = try Recognizer(configuration: engine.recognizerConfiguration)
        } catch {
            printError("microanpr: \(error)")
            throw ExitCode(2)
        }
        defer { recognizer.shutdown() }
        var failed = false
        for file in files {
            do {
                let result = try await recognizer.recognise(file: file, country: engine.country, crop: engine.crop)
                if json {
                    printJSON(FileOutput(file: file, result: result))
                } else {
                    let texts = result.plates.map { "\($0.reading.display) (\(String(format: "%.2f", $0.reading.confidence)), \($0.reading.format))" }
                    print("\(file): \(texts.isEmpty ? "no plate" : texts.joined(separator: ", "))")
                }
            } catch let e as RecognitionError {
                failed = true
                if json { printJSON(FileError(file: file, error: .init(code: e.code, message: e.message))) }
                else { printError("microanpr: \(file): \(e.message)") }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension EngineOptions {
    var recognizerConfiguration: RecognizerConfiguration {
        RecognizerConfiguration(
            manifestPath: models ?? RecognizerConfiguration.defaultManifestPath(), threads: threads, workers: 1,
            maxPixels: maxPixels, maxBytes: maxBytes, countries: [country.lowercased()])
    }
}

/// The NDJSON line for one image.
struct FileOutput: Encodable {
    struct Box: Encodable { var x, y, w, h: Int }
    struct Candidate: Encodable { var text: String; var confidence: Double }
    struct Plate: Encodable {
        var text: String
        var display: String
        var confidence: Double
        var box: Box
        var format: String
        var country: String?
        var countryConfidence: Double?
        var candidates: [Candidate]

        enum CodingKeys: String, CodingKey {
            case text, display, confidence, box, format, country, candidates
            case countryConfidence = "country_confidence"
        }
    }
    struct Timing: Encodable { var decode, detect, read, total: Double }

    var file: String
    var plates: [Plate]
    var timingMs: Timing

    enum CodingKeys: String, CodingKey { case file, plates, timingMs = "timing_ms" }

    init(file: String, result: RecognitionResult) {
        self.file = file
        plates = result.plates.map { p in
            Plate(text: p.reading.text, display: p.reading.display, confidence: round3(p.reading.confidence),
                  box: Box(x: Int(p.box.x.rounded()), y: Int(p.box.y.rounded()), w: Int(p.box.width.rounded()),
                           h: Int(p.box.height.rounded())),
                  format: p.reading.format, country: p.reading.country,
                  countryConfidence: p.reading.countryConfidence.map(round3),
                  candidates: p.reading.candidates.map { Candidate(text: $0.text, confidence: round3($0.confidence)) })
        }
        let t = result.timings
        timingMs = Timing(decode: round3(t.decode), detect: round3(t.detect), read: round3(t.read), total: round3(t.total))
    }
}

/// The NDJSON line for a file that failed.
struct FileError: Encodable {
    struct Body: Encodable { var code: String; var message: String }
    var file: String
    var error: Body
}

func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}
