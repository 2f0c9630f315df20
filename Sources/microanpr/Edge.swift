import ArgumentParser
import Edge
import Foundation
import Logging
import Recognition
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `microanpr edge`: recognition next to the camera, passes sent to a remote server through an on-disk buffer.
struct EdgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge",
        abstract: "Read a camera locally and send its vehicle passes to a MicroANPR server (buffered on disk while it is unreachable).")

    @Option(help: "Camera source: rtsp://, http(s):// (MJPEG) or a video file path (played at its own speed).")
    var source: String

    @Option(help: "Base URL of the MicroANPR server, e.g. https://anpr.example.com.")
    var server: String

    @Option(help: "API key of the tenant (default: $MICROANPR_API_KEY; prefer the environment over the command line).")
    var apiKey: String?

    @Option(help: "Camera id on the server the passes belong to.")
    var cameraID: String?

    @Option(help: "Folder of the buffer of passes not yet delivered.")
    var bufferDir: String = "edge-buffer"

    @Flag(help: "File sources: read the whole file (no frame dropped, as `recognise` does) and exit once every pass is delivered.")
    var once = false

    @Option(help: "Longest wait between delivery attempts while the server is unreachable, in seconds.")
    var retryMax: Double = 30

    @OptionGroup var engine: EngineOptions

    func validate() throws {
        guard retryMax >= 1, retryMax <= 3600 else { throw ValidationError("--retry-max must be between 1 and 3600 seconds") }
    }

    func run() async throws {
        guard let serverURL = URL(string: server), ["http", "https"].contains(serverURL.scheme?.lowercased() ?? ""),
            serverURL.host != nil
        else {
            printError("microanpr edge: --server must be an http(s) URL")
            throw ExitCode(2)
        }
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["MICROANPR_API_KEY"], !key.isEmpty else {
            printError("microanpr edge: an API key is needed (--api-key or MICROANPR_API_KEY)")
            throw ExitCode(2)
        }
        var source = source
        if !source.contains("://") {
            // A file path: absolute, so that the live-stream code and `--once` treat it as a file.
            source = URL(fileURLWithPath: source).path
            guard FileManager.default.isReadableFile(atPath: source) else {
                printError("microanpr edge: cannot read the file \(source)")
                throw ExitCode(2)
            }
        }
        let buffer: EdgeBuffer
        do { buffer = try EdgeBuffer(directory: URL(fileURLWithPath: bufferDir)) } catch {
            printError("microanpr edge: cannot use buffer folder \(bufferDir): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let recognizer = try engine.makeRecognizer(command: "microanpr edge")
        defer { recognizer.shutdown() }
        if buffer.count > 0 { printError("edge: \(buffer.count) passes waiting in \(bufferDir) from an earlier run") }
        let agent = EdgeAgent(
            configuration: .init(
                source: source, server: serverURL, apiKey: key, cameraID: cameraID,
                country: engine.country, once: once, maxRetryInterval: retryMax),
            recognizer: recognizer, buffer: buffer, events: Self.report)
        try JSONLogHandler.bootstrapFromEnvironment()
        let logger = Logger(label: "microanpr.edge")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: agent, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Whether the last status said the source's picture was poor (``LiveStream/Status/poorLight`` at half or more).
    static let poorLight = Mutex(false)

    /// One line on stderr per state change, pass buffered, delivered or refused.
    @Sendable static func report(_ event: EdgeAgent.Event) {
        switch event {
        case .status(let s) where s.state == "error":
            printError("edge: source lost (\(s.lastError ?? "?")), retrying in \(Int(s.retryIn ?? 0)) s")
        case .status(let s) where s.state == "connected" && s.reconnects > 0 && s.fpsIn == 0:
            printError("edge: source connected again")
        case .status(let s):
            // Said when at least half of the latest frames become poor, and when they stop being so; not every report.
            let poor = (s.poorLight ?? 0) >= 0.5
            let changed = poorLight.withLock { was in
                defer { was = poor }
                return was != poor
            }
            guard changed else { break }
            printError(
                poor
                    ? "edge: poor light in \(Int(((s.poorLight ?? 0) * 100).rounded()))% of the latest frames (dark or flat picture): plates may be missed; check the camera's exposure, lighting or lens"
                    : "edge: the picture is no longer dark or flat")
        case .buffered(let plate, let pending):
            printError("edge: pass \(plate) buffered (\(pending) waiting)")
        case .delivered(let plate, let replayed, let pending):
            printError("edge: pass \(plate) delivered\(replayed ? " (already stored)" : "") (\(pending) waiting)")
        case .rejected(let status, let answer):
            printError("edge: server refused a pass (\(status)), kept in rejected/: \(answer)")
        case .failed(let reason):
            printError("edge: cannot read the file: \(reason)")
        case .retrying(let reason, let pending, let seconds):
            printError("edge: \(reason); \(pending) passes kept, retry in \(Int(seconds)) s")
        }
    }
}
