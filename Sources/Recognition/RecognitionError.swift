import Vision

/// Why recognition could not run or an input could not be read.
public enum RecognitionError: Error, Equatable, CustomStringConvertible, Sendable {
    case modelsMissing(String)
    case badManifest(String)
    case unreadable(String)
    case tooLarge(String)
    case vision(VisionError)
    case formats(String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .modelsMissing: "models_missing"
        case .badManifest: "bad_manifest"
        case .unreadable: "unreadable_input"
        case .tooLarge: "input_too_large"
        case .vision(let v): v.code
        case .formats: "bad_formats"
        }
    }

    public var message: String {
        switch self {
        case .modelsMissing(let m), .badManifest(let m), .unreadable(let m), .tooLarge(let m), .formats(let m): m
        case .vision(let v): v.message
        }
    }

    public var description: String { "\(code): \(message)" }
}
