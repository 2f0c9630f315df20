import ExportFormats
import Foundation
import Recognition

/// What a camera's runner last reported of its live source, stored as JSON beside the camera (``Store/reportCamera``)
/// and read back by the camera status and overview answers and by the metrics.
package struct CameraReport: Codable, Sendable, Equatable {
    /// `connecting`, `connected` or `error` (``LiveStream/Status/state``).
    package var state: String
    package var fpsIn: Double?
    package var fpsProcessed: Double?
    package var reconnects: Int?
    /// The process that reads the camera.
    package var runner: String?
    package var framesDropped: Int?
    /// When the last frame was decoded (RFC 3339).
    package var lastFrameAt: String?
    package var lastError: String?
    package var retryInSeconds: Double?
    /// The share of the latest frames read whose picture was dark or flat (``LiveStream/poorLight(_:)``).
    package var poorLight: Double?

    package init(_ status: LiveStream.Status, runner: String) {
        // One decimal is all a person reads of a rate; it also keeps the stored row short.
        func tenth(_ v: Double) -> Double { (v * 10).rounded() / 10 }
        state = status.state
        fpsIn = tenth(status.fpsIn)
        fpsProcessed = tenth(status.fpsProcessed)
        reconnects = status.reconnects
        self.runner = runner
        framesDropped = status.framesDropped
        lastFrameAt = JSONTime.string(status.lastFrameAt.map { Int64($0 * 1000) })
        lastError = status.lastError
        retryInSeconds = status.retryIn
        poorLight = status.poorLight.map { ($0 * 100).rounded() / 100 }
    }

    /// The report stored as `json`; nil when there is none or it is not a report.
    package init?(json: String?) {
        guard let json, let report = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = report
    }

    /// The JSON stored for it (keys sorted, so the same report is always the same text).
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    enum CodingKeys: String, CodingKey {
        case state, reconnects, runner
        case fpsIn = "fps_in", fpsProcessed = "fps_processed", framesDropped = "frames_dropped"
        case lastFrameAt = "last_frame_at", lastError = "last_error", retryInSeconds = "retry_in_s", poorLight = "poor_light"
    }
}
