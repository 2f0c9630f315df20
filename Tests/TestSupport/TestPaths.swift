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
