import ArgumentParser
import Foundation
import Recognition

@main
struct MicroANPR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "microanpr",
        abstract: "Self-hostable automatic number-plate recognition.",
        subcommands: [
            Recognise.self, Bench.self, FormatsCommand.self, TrainingExportCommand.self, Serve.self, EdgeCommand.self, Migrate.self,
            TenantCommand.self, UserCommand.self, TariffCommand.self, BackupCommand.self, RestoreCommand.self, PrivacyCommand.self,
        ])
}

/// Options shared by the commands that load the recognition engine.
struct EngineOptions: ParsableArguments {
    @Option(help: "Plate-format country pack (gb, ie, fr, de, ..., see the README) or auto to choose per plate.")
    var country: String = "gb"

    @Flag(help: "Inputs are plate crops: skip detection and read the whole image.")
    var crop = false

    @Flag(
        inversion: .prefixedNo,
        help: "With --country auto, weigh each country by how often the plates read so far in this run were of it.")
    var countryMix = true

    @Option(help: "Inference threads per model run.")
    var threads: Int = 1

    @Option(help: "Model manifest (default: .deps/models/manifest.json, or $MICROANPR_MODELS).")
    var models: String?

    @Option(help: "Refuse images with more pixels than this (decompression-bomb guard).")
    var maxPixels: Int = 40_000_000

    @Option(help: "Refuse files larger than this many bytes.")
    var maxBytes: Int = 50 << 20

    @Option(
        help: ArgumentHelp(
            "Videos and cameras: the detector that looks at frames: quick (the manifest's quick_detector) or still (the still images' one: more small plates, e.g. a side-on view, more slowly). (default: quick, or $MICROANPR_VIDEO_DETECTOR)",
            valueName: "quick|still"))
    var videoDetector: VideoDetector?

    func validate() throws {
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard maxPixels > 0, maxBytes > 0 else { throw ValidationError("limits must be positive") }
        _ = try frameDetector()
    }

    /// `--video-detector`, else `MICROANPR_VIDEO_DETECTOR`, else quick.
    func frameDetector() throws -> VideoDetector {
        try videoDetector ?? videoDetectorFromEnvironment() ?? .quick
    }
}

extension VideoDetector: ExpressibleByArgument {}

/// Prints one line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// An error in words for the person at the terminal: a recognition error's message without its machine code.
func userMessage(_ error: any Error) -> String { (error as? RecognitionError)?.message ?? "\(error)" }

/// One stderr line for a file that could not be read: `microanpr: FILE: why`, the file named once (recognition's
/// messages about a file already start with its path).
func printError(file: String, _ error: any Error) {
    let why = userMessage(error)
    printError("microanpr: " + (why.hasPrefix(file) ? why : "\(file): \(why)"))
}

/// Progress on stderr: a redrawn bar on a terminal, else a line at every tenth, so logs stay readable.
struct ProgressBar {
    let total: Int
    let label: String
    private var shown = -1
    private let terminal = isatty(STDERR_FILENO) != 0

    init(total: Int, label: String) { self.total = total; self.label = label }

    mutating func update(_ done: Int) {
        guard total > 0 else { return }
        let pct = done * 100 / total
        if terminal {
            guard pct != shown else { return }
            shown = pct
            let width = 30
            let filled = done * width / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total) \(pct)%".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            guard pct / 10 != shown / 10 || done == total, pct != shown else { return }
            shown = pct
            FileHandle.standardError.write(Data("\(label): \(done)/\(total) (\(pct)%)\n".utf8))
        }
    }
}
