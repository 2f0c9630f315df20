import Foundation

/// Where tests find the repository, the models installed by `make setup` and the shared datasets.
public enum TestPaths {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The model manifest (`MICROANPR_MODELS` or `.deps/models/manifest.json`).
    public static var manifest: String {
        if let env = ProcessInfo.processInfo.environment["MICROANPR_MODELS"], !env.isEmpty {
            return env.hasSuffix(".json") ? env : env + "/manifest.json"
        }
        return root.appendingPathComponent(".deps/models/manifest.json").path
    }

    /// The ONNX Runtime library installed by setup.
    public static var onnxRuntimeLibrary: String { root.appendingPathComponent(".deps/lib/libonnxruntime.so.1").path }

    /// A model file installed by setup.
    public static func model(_ name: String) -> String { root.appendingPathComponent(".deps/models/\(name)").path }

    /// Whether the detector of the tests' manifest has 8-bit weights: setup links `platedet_head.onnx` to them on CPUs
    /// with VNNI, and to 7-bit ones elsewhere (docs/recognition.md). A few end-to-end expectations hinge on a box that the
    /// 7-bit detector places a pixel or two apart, which changes that plate's reading (docs/benchmarks.md, session 42).
    public static var detectorHas8BitWeights: Bool {
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent()
        let link = try? FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("platedet_head.onnx").path)
        return link == "platedet_head_int8_trainsplit.onnx"
    }

    /// The detector file (in the manifest's folder) with the 8-bit weights that CPUs with VNNI get, for expectations
    /// measured with them: the detector itself there; elsewhere setup's exact emulation of it
    /// (`platedet_head_int8_exact.onnx`, `scripts/exact_int8.py`: the same sums, in float); nil without either.
    public static var eightBitDetectorFile: String? {
        if detectorHas8BitWeights { return "platedet_head.onnx" }
        let exact = "platedet_head_int8_exact.onnx"
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent()
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent(exact).path) ? exact : nil
    }

    /// The shared datasets folder (`MICROANPR_DATASETS` or `../shared/datasets` beside the repository).
    public static var datasets: URL {
        if let env = ProcessInfo.processInfo.environment["MICROANPR_DATASETS"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return root.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }

    /// A fresh temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("microanpr-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Whether a command is on PATH (tests that need it are skipped, not passed, without it).
public func hasTool(_ name: String) -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
}

/// The services `make test` starts (scripts/test-services.sh): PostgreSQL and an S3-compatible server (moto).
/// A test that needs one runs when it is there, and is skipped (never reported as passed) when it is not;
/// under `make test` (`MICROANPR_TEST_REQUIRE_SERVICES=1`) a missing service fails the test instead.
public enum TestServices {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    /// `make test` requires every service.
    public static var required: Bool { environment["MICROANPR_TEST_REQUIRE_SERVICES"] == "1" }
    /// The PostgreSQL server's admin URL.
    public static var postgres: String? { environment["MICROANPR_TEST_POSTGRES_URL"] }
    /// The same PostgreSQL server through its Unix socket (libpq's `host` parameter naming the socket's folder).
    public static var postgresSocket: String? { environment["MICROANPR_TEST_POSTGRES_SOCKET_URL"] }
    /// The CA that signed the PostgreSQL test server's certificate (for localhost and 127.0.0.1).
    public static var postgresCA: String? { environment["MICROANPR_TEST_POSTGRES_CA"] }
    /// The S3-compatible server's endpoint.
    public static var s3: String? { environment["MICROANPR_TEST_S3_ENDPOINT"] }
    /// Whether tests needing PostgreSQL run (present, or required so that its absence fails them).
    public static var runPostgres: Bool { postgres != nil || required }
    /// Whether tests needing S3 run.
    public static var runS3: Bool { s3 != nil || required }
    /// Whether the test scraping `/metrics` with Debian's Prometheus server runs.
    public static var runPrometheus: Bool { hasTool("prometheus") || required }
}

/// Runs a tool (unzip, pdfinfo, ...) and returns its exit status and standard output.
public func run(_ path: String, _ args: [String]) throws -> (status: Int32, output: Data) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, data)
}

/// `bench/degraded.py`'s `dark` without its noise, as an ffmpeg video filter: a fifth of the light.
public let underexposure = "format=rgb24,lutrgb=r=val*0.22:g=val*0.22:b=val*0.22"

/// `bench/degraded.py`'s `dusk`, as an ffmpeg video filter: levels to the power 2.4, the darker tones crushed and the
/// highlights kept.
public let duskLevels =
    "format=rgb24,lutrgb=" + ["r", "g", "b"].map { "\($0)=255*pow(val/255\\,2.4)" }.joined(separator: ":")

/// `bench/degraded.py`'s `motion`, as an ffmpeg video filter: every pixel averaged with 2 neighbours on each side
/// along its row (a car crossing the view while the shutter is open).
public let motionAlongRows =
    "format=gbrp," + "convolution=" + (0..<3).map { "\($0)m='1 1 1 1 1':\($0)rdiv=0.2:\($0)mode=row" }.joined(separator: ":")
    + ",format=rgb24"

/// The typeface of ``dateTimeOverlay`` (Debian's fonts-dejavu-core, which ffmpeg's own dependencies bring).
public let overlayFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

/// `bench/degraded.py`'s `overlay`, as an ffmpeg video filter: a security camera's date and time burnt into the
/// picture's top-left corner.
public let dateTimeOverlay =
    "drawtext=fontfile=\(overlayFont):text='06-18-2024 Tue 10\\:19\\:20':x=h/80:y=h/80:fontsize=h/40"
    + ":fontcolor=white:box=1:boxcolor=black@0.4"

/// A new temporary file named `name` that ffmpeg makes from `input` through the video filter `filter`; its path.
/// `before` are options ahead of the input (a start time), `after` options of the output (a duration, a quality).
public func ffmpeg(
    _ input: String, filter: String, into name: String, before: [String] = [], after: [String] = []
) throws -> String {
    let output = try TestPaths.temporaryDirectory().appendingPathComponent(name).path
    let arguments = ["ffmpeg", "-v", "error", "-y"] + before + ["-i", input, "-vf", filter] + after + [output]
    guard try run("/usr/bin/env", arguments).status == 0 else { throw ToolFailed(command: arguments.joined(separator: " ")) }
    return output
}

/// A new temporary video named `name` (640x480, 25 fps, 2.4 s) in which a car-park frame with `GL19TNJ` shows for 0.3 s
/// around 1.12 s and the picture is grey otherwise: the one sampled frame that shows the car (a glimpse). Needs ffmpeg.
public func oneFrameCarVideo(into name: String) throws -> String {
    let photo = TestPaths.datasets.appendingPathComponent(
        "micrometre_carpark1/images/nexjs_public_images_uploadvideo-cam1-1734719418720.jpg"
    ).path
    return try ffmpeg(
        photo, filter: "drawbox=x=0:y=0:w=iw:h=ih:color=0x505050:t=fill:enable='not(between(t,1.03,1.33))',format=yuv420p",
        into: name, before: ["-loop", "1", "-t", "2.4", "-r", "25"], after: ["-frames:v", "60", "-c:v", "libx264"])
}

/// A tool a test needed exited with a failure.
public struct ToolFailed: Error, CustomStringConvertible {
    public let command: String
    public var description: String { "failed: \(command)" }
}
