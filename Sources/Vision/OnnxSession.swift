import CVision

/// A float32 tensor read out of a model.
public struct Tensor: Sendable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
}

/// One loaded ONNX model. ONNX Runtime sessions are thread-safe: `run` may be called concurrently.
/// The runtime is retained for as long as the session lives.
public final class OnnxSession: @unchecked Sendable {
    let handle: OpaquePointer
    let runtime: OnnxRuntime

    /// Loads the model at `path` with `intraOpThreads` threads for each run.
    public init(runtime: OnnxRuntime, modelPath: String, intraOpThreads: Int) throws(VisionError) {
        var out: OpaquePointer?
        try VisionError.check(cvn_session_create(runtime.handle, modelPath, Int32(intraOpThreads), &out))
        handle = out!
        self.runtime = runtime
    }

    deinit { cvn_session_free(handle) }

    /// A custom metadata value stored in the model, or nil.
    public func metadata(_ key: String) throws(VisionError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        try VisionError.check(cvn_session_metadata(handle, key, &value))
        guard let value else { return nil }
        defer { cvn_buffer_free(value) }
        return String(cString: value)
    }

    /// Runs the model on one input tensor and returns all its outputs. Blocks the calling thread: call it
    /// from an ``InferencePool``.
    public func run(input: [Float], shape: [Int]) throws(VisionError) -> [Tensor] {
        try run(input: input, shape: shape) { views in
            views.map { Tensor(shape: $0.shape, values: Array($0.values)) }
        }
    }

    /// Runs the model and lets `body` read the outputs in place (valid only inside `body`).
    public func run<R>(input: [Float], shape: [Int], _ body: ([TensorView]) throws(VisionError) -> R) throws(VisionError) -> R {
        guard shape.reduce(1, *) == input.count else { throw .invalidArgument("input size does not match its shape") }
        var out: OpaquePointer?
        let dims = shape.map(Int64.init)
        try VisionError.check(cvn_session_run(handle, input, dims, dims.count, &out))
        defer { cvn_outputs_free(out) }
        var views: [TensorView] = []
        for i in 0..<cvn_outputs_count(out) {
            var shapePtr: UnsafePointer<Int64>?
            var rank = 0
            guard let data = cvn_outputs_tensor(out, i, &shapePtr, &rank), let shapePtr else {
                throw .inference("missing output \(i)")
            }
            let s = (0..<rank).map { Int(shapePtr[$0]) }
            views.append(TensorView(shape: s, values: UnsafeBufferPointer(start: data, count: s.reduce(1, *))))
        }
        return try body(views)
    }
}

/// A model output read in place, valid only inside the closure it is given to.
public struct TensorView {
    public let shape: [Int]
    public let values: UnsafeBufferPointer<Float>
}
