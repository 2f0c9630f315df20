import ArgumentParser
import Foundation
import Logging

/// One JSON object per log line on stderr (`MICROANPR_LOG_FORMAT=json`): `{"time", "level", "label",
/// "message", ...metadata}`, for journald forwarding, Loki or Elasticsearch. Metadata keys never replace the
/// four fixed ones.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private static let lock = NSLock()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: Any] = [:]
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) { object[k] = Self.plain(v) }
        object["time"] = ISO8601DateFormatter.string(
            from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = event.message.description
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        line.append(10)
        Self.lock.withLock { FileHandle.standardError.write(line) }
    }

    private static func plain(_ v: Logger.Metadata.Value) -> Any {
        switch v {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(plain)
        case .dictionary(let d): d.mapValues(plain)
        }
    }

    /// Chooses the log format from `MICROANPR_LOG_FORMAT` (`json`, or the default plain text), once per process.
    static func bootstrapFromEnvironment() throws {
        switch environment("LOG_FORMAT") ?? "text" {
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        case "text": break
        case let other: throw ValidationError("MICROANPR_LOG_FORMAT must be json or text, not \(other)")
        }
    }
}
