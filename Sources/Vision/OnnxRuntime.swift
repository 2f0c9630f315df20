import CVision

/// The ONNX Runtime library loaded from a path, with its environment. Create one per process and share it.
public final class OnnxRuntime: @unchecked Sendable {
    let handle: OpaquePointer
    /// The runtime library's version.
    public let version: String

    /// Loads the ONNX Runtime shared library at `libraryPath`.
    public init(libraryPath: String) throws(VisionError) {
        var out: OpaquePointer?
        try VisionError.check(cvn_runtime_create(libraryPath, &out))
        handle = out!
        version = String(cString: cvn_runtime_version(handle))
    }

    deinit { cvn_runtime_free(handle) }
}
