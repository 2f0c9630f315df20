import CVision

/// A failure of the vision core, one case per `cvn_status`, with the core's message.
public enum VisionError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidArgument(String)
    case emptyInput(String)
    case unsupportedFormat(String)
    case corruptImage(String)
    case tooLarge(String)
    case runtimeLoad(String)
    case modelLoad(String)
    case inference(String)
    case `internal`(String)

    /// A stable machine-readable code, used in CLI and API errors.
    public var code: String {
        switch self {
        case .invalidArgument: "invalid_argument"
        case .emptyInput: "empty_input"
        case .unsupportedFormat: "unsupported_format"
        case .corruptImage: "corrupt_image"
        case .tooLarge: "image_too_large"
        case .runtimeLoad: "runtime_load_failed"
        case .modelLoad: "model_load_failed"
        case .inference: "inference_failed"
        case .internal: "internal_error"
        }
    }

    public var message: String {
        switch self {
        case .invalidArgument(let m), .emptyInput(let m), .unsupportedFormat(let m), .corruptImage(let m),
            .tooLarge(let m), .runtimeLoad(let m), .modelLoad(let m), .inference(let m), .internal(let m):
            m
        }
    }

    public var description: String { "\(code): \(message)" }

    /// Throws the error for a non-OK status, reading the core's message for this thread.
    static func check(_ status: cvn_status) throws(VisionError) {
        if status == CVN_OK { return }
        let message = String(cString: cvn_last_error())
        switch status {
        case CVN_ERR_INVALID_ARGUMENT: throw .invalidArgument(message)
        case CVN_ERR_EMPTY_INPUT: throw .emptyInput(message)
        case CVN_ERR_UNSUPPORTED_FORMAT: throw .unsupportedFormat(message)
        case CVN_ERR_CORRUPT_IMAGE: throw .corruptImage(message)
        case CVN_ERR_TOO_LARGE: throw .tooLarge(message)
        case CVN_ERR_RUNTIME_LOAD: throw .runtimeLoad(message)
        case CVN_ERR_MODEL_LOAD: throw .modelLoad(message)
        case CVN_ERR_INFERENCE: throw .inference(message)
        default: throw .internal(message)
        }
    }
}
