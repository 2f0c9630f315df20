import ArgumentParser
import Foundation
import Plates
import Tracking
import Recognition
import Vision

struct Recognise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognise", abstract: "Read the number plates in image and video files.", aliases: ["recognize"])

    @Argument(
        help:
            "Image files (JPEG, PNG, WebP, BMP) or videos (MP4, MOV, MKV, AVI): one vehicle pass per car. A folder: every image and video in it and its subfolders, in name order."
    )
    var files: [String]

    @Option(
        help:
            "Videos: read every n-th frame of a 25 fps video while a plate is in view or something moves (other frame rates: the same interval in time)."
    )
    var videoStride: Int = 7

    @Option(help: "Videos: longest accepted, in seconds.")
    var maxVideoSeconds: Double = 600

    @Option(
        help:
            "Videos: a pass whose frames' vote is less sure than this (0-1) has its best frame read again with every reader, as a still image is; 0 reads none again."
    )
    var videoRereadBelow: Double = VideoOptions().rereadBelow

    @Flag(
        inversion: .prefixedNo,
        help:
            "Videos: a vehicle read in one sampled frame only is read again from that frame as a still image, and is a pass when that shows its plate surely in a format."
    )
    var videoGlimpses = true

    @OptionGroup var engine: EngineOptions

    @Flag(help: "One JSON object per file (NDJSON).")
    var json = false

    func run() async throws {
        // A folder stands for its images and videos; one with none stays, to be reported in its place.
        let files = self.files.flatMap { argument in InputFolder.contents(argument).flatMap { $0.isEmpty ? nil : $0 } ?? [argument] }
        // A video's frames are read by two inference workers (one per core). Only the detector, the video reader
        // and, for videos, the readers that read unsure passes again load at start; the text finder and, for
        // images, the readers escalated to load when first needed.
        let videos = files.contains { VideoFiles.isVideo($0) }
        let recognizer = try engine.makeRecognizer(workers: videos ? 2 : 1, preload: false, preloadReaders: videos && videoRereadBelow > 0)
        defer { recognizer.shutdown() }
        var failed = false
        let mix = engine.countryMix ? CountryMix() : nil  // the files of one run come from one place
        for file in files {
            do {
                if InputFolder.contents(file) != nil {
                    throw RecognitionError.unreadable("\(file): no image or video in this folder")
                }
                if VideoFiles.isVideo(file) {
                    try await recogniseVideo(file, recognizer: recognizer, mix: mix)
                    continue
                }
                let result = try await recognizer.recognise(file: file, country: engine.country, crop: engine.crop, mix: mix)
                if json {
                    printJSON(FileOutput(file: file, result: result))
                } else {
                    let texts = result.plates.map {
                        "\($0.reading.display) (\(String(format: "%.2f", $0.reading.confidence)), \($0.reading.format))"
                    }
                    print("\(file): \(texts.isEmpty ? "no plate" : texts.joined(separator: ", "))")
                }
            } catch let e as RecognitionError {
                failed = true
                if json {
                    printJSON(FileError(file: file, error: .init(code: e.code, message: e.message)))
                } else {
                    printError(file: file, e)
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension Recognise {
    func recogniseVideo(_ file: String, recognizer: Recognizer, mix: CountryMix?) async throws {
        guard videoStride >= 1, maxVideoSeconds > 0 else {
            throw ValidationError("--video-stride and --max-video-seconds must be positive")
        }
        guard (0...1).contains(videoRereadBelow) else { throw ValidationError("--video-reread-below must be between 0 and 1") }
        var options = VideoOptions()
        options.stride = videoStride
        options.idleStride = videoStride * 4
        options.maxSeconds = maxVideoSeconds
        options.rereadBelow = videoRereadBelow
        if !videoGlimpses { options.tracker.minGlimpseConfidence = nil }
        options.country = engine.country
        options.countryMix = mix ?? CountryMix(learns: false)
        if ProcessInfo.processInfo.environment["MICROANPR_TRACE_TRACKING"] == "1" {
            options.trace = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        }
        guard file.contains("://") || FileManager.default.fileExists(atPath: file) else {
            throw RecognitionError.unreadable("\(file): no such file")
        }
        let bar = SharedProgress(label: (file as NSString).lastPathComponent)
        let start = Date()
        let result = try await recognizer.recogniseVideo(path: file, options: options) { done, total in bar.update(done, total) }
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        if json {
            printJSON(VideoOutput(file: file, result: result))
        } else {
            let texts = result.passes.map { p in
                "\(p.pass.display) (\(String(format: "%.2f", p.pass.confidence)), \(String(format: "%.1f-%.1f s", p.pass.firstSeen, p.pass.lastSeen)), \(p.pass.frames) reads, \(p.pass.direction.rawValue))"
            }
            print("\(file): \(texts.isEmpty ? "no vehicle" : texts.joined(separator: ", "))")
        }
        printError(
            String(
                format:
                    "%@: %.1f s of video in %.1f s (%.1fx real time), %d frames decoded, %d read (detecting %.1f s, reading %.1f s of one core; %d unsure passes read again; models loaded in %.2f s)",
                file, result.duration, seconds, result.duration / max(seconds, 1e-6), result.framesDecoded, result.framesRead,
                result.detectMilliseconds / 1000, result.readMilliseconds / 1000, result.passesReread,
                recognizer.loadMilliseconds / 1000))
    }
}

/// A folder named on the command line: the images and videos in it and its subfolders (hidden ones skipped), in
/// name order, so that a camera's folder of snapshots is read in the order it was written.
enum InputFolder {
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "bmp"]

    /// The folder's images and videos, or nil when `path` is not a folder.
    static func contents(_ path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard !path.contains("://"), FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
        else { return nil }
        // A folder reached through a link (a mounted camera share) is walked where it leads.
        let root = URL(fileURLWithPath: path, isDirectory: true).resolvingSymlinksInPath()
        guard
            let walk = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var found: [String] = []
        for case let url as URL in walk {
            let ext = url.pathExtension.lowercased()
            guard imageExtensions.contains(ext) || VideoFiles.extensions.contains(ext),
                (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            else { continue }
            // The path as given plus the part below it (not the resolved path), so that outputs name what was asked.
            let below = url.path.dropFirst(root.path.count).drop { $0 == "/" }
            found.append((path as NSString).appendingPathComponent(String(below)))
        }
        return found.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
    }
}

enum VideoFiles {
    static let extensions = Video.fileExtensions
    static func isVideo(_ path: String) -> Bool {
        path.contains("://") || extensions.contains((path as NSString).pathExtension.lowercased())
    }
}

/// A progress bar shared with the video pipeline.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var bar: ProgressBar?
    private let label: String
    init(label: String) { self.label = label }
    func update(_ done: Int, _ total: Int) {
        lock.withLock {
            guard total > 0 else { return }
            if bar == nil { bar = ProgressBar(total: total, label: label) }
            bar?.update(min(done, total))
        }
    }
    func finish() { lock.withLock { if let b = bar { bar?.update(b.total) } } }
}

/// The JSON line for one video: its vehicle passes.
struct VideoOutput: Encodable {
    struct Pass: Encodable {
        var text: String
        var display: String
        var confidence: Double
        var first_seen_s: Double
        var last_seen_s: Double
        var frames: Int
        var direction: String
        var box: FileOutput.Box
        var format: String
        var country: String?
    }
    var file: String
    var passes: [Pass]
    init(file: String, result: VideoResult) {
        self.file = file
        passes = result.passes.map { r in
            let p = r.pass
            return Pass(
                text: p.text, display: p.display, confidence: round3(p.confidence), first_seen_s: round3(p.firstSeen),
                last_seen_s: round3(p.lastSeen), frames: p.frames, direction: p.direction.rawValue,
                box: .init(
                    x: Int(p.box.x.rounded()), y: Int(p.box.y.rounded()), w: Int(p.box.width.rounded()), h: Int(p.box.height.rounded())),
                format: p.format, country: p.country)
        }
    }
}

extension EngineOptions {
    var recognizerConfiguration: RecognizerConfiguration {
        var c = RecognizerConfiguration(
            manifestPath: models ?? manifestFromEnvironment() ?? RecognizerConfiguration.defaultManifestPath(), threads: threads,
            workers: 1,
            maxPixels: maxPixels, maxBytes: maxBytes, countries: [country.lowercased()])
        c.videoDetector = (try? frameDetector()) ?? .quick  // checked in validate()
        return c
    }

    /// Loads the engine with these options, or exits 2 with one line on stderr (`command` prefixes it).
    func makeRecognizer(
        workers: Int = 1, preload: Bool = true, preloadReaders: Bool = false, command: String = "microanpr"
    ) throws -> Recognizer {
        var configuration = recognizerConfiguration
        configuration.workers = workers
        configuration.preload = preload
        configuration.preloadReaders = preloadReaders
        do { return try Recognizer(configuration: configuration) } catch {
            printError("\(command): \(userMessage(error))")
            throw ExitCode(2)
        }
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
            Plate(
                text: p.reading.text, display: p.reading.display, confidence: round3(p.reading.confidence),
                box: Box(
                    x: Int(p.box.x.rounded()), y: Int(p.box.y.rounded()), w: Int(p.box.width.rounded()),
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
