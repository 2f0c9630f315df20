import Foundation
import Plates
import Vision

/// What a ``Recognizer`` has loaded so far (behind its lock): the readers escalated to, the text finder, and one
/// format interpreter per country code.
struct Loaded {
    /// Sessions by model path: readers naming the same file share one.
    var sessions: [String: OnnxSession] = [:]
    var readers: [PlateReader]?
    var textFinder: TextFinder??
    var interpreters: [String: PlateInterpreter] = [:]
    /// Time spent loading on first use (``Recognizer``'s lock wrapper counts it), so that an image's stage timings
    /// can leave it out.
    var loadMilliseconds: Double = 0
}

/// Opens a manifest's models on one ONNX Runtime; what it opens once is kept in a ``Loaded``.
struct ModelLoader: Sendable {
    let runtime: OnnxRuntime
    let manifest: ModelManifest
    /// Intra-op threads per model run.
    let threads: Int

    init(manifest: ModelManifest, threads: Int) throws {
        self.manifest = manifest
        self.threads = threads
        runtime = try Self.vision { try OnnxRuntime(libraryPath: manifest.path(manifest.runtime.library)) }
    }

    /// A detector (`manifest.detector`, or `manifest.quickDetector` for video frames).
    func detector(_ spec: ModelManifest.Detector) throws -> PlateDetector {
        PlateDetector(session: try session(spec.file), spec: spec)
    }

    /// A reader; readers naming the same model file share its session.
    func reader(_ spec: ModelManifest.Reader, _ state: inout Loaded) throws -> PlateReader {
        let path = manifest.path(spec.file)
        let session = try state.sessions[path] ?? self.session(spec.file)
        state.sessions[path] = session
        return try Self.vision { try PlateReader(session: session, spec: spec) }
    }

    /// The manifest's readers in escalation order.
    func readers(_ state: inout Loaded) throws -> [PlateReader] {
        if let r = state.readers { return r }
        var r: [PlateReader] = []
        for spec in manifest.readers { r.append(try reader(spec, &state)) }
        state.readers = r
        return r
    }

    /// The manifest's text finder, nil without one.
    func textFinder(_ state: inout Loaded) throws -> TextFinder? {
        if let f = state.textFinder { return f }
        let finder = try manifest.textFinder.map { TextFinder(session: try session($0.file), spec: $0) }
        state.textFinder = .some(finder)
        return finder
    }

    /// The format interpreter of a country code (`auto`: every pack).
    func interpreter(_ code: String, _ state: inout Loaded) throws -> PlateInterpreter {
        if let i = state.interpreters[code] { return i }
        let i: PlateInterpreter
        do {
            i = try PlateInterpreter(packs: code == "auto" ? FormatPack.all : FormatPack.builtIn[code].map { [$0] } ?? [])
        } catch {
            throw RecognitionError.formats("\(error)")
        }
        state.interpreters[code] = i
        return i
    }

    private func session(_ file: String) throws -> OnnxSession {
        try Self.vision { try OnnxSession(runtime: runtime, modelPath: manifest.path(file), intraOpThreads: threads) }
    }

    /// The vision core's errors as the engine's.
    private static func vision<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as VisionError { throw RecognitionError.vision(e) }
    }
}
