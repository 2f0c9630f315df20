import Core
import Foundation
import ExportFormats
import Storage

// JSON objects answered by more than one controller (and by exports), built as dictionaries.

extension Camera {
    /// A camera's status from what its runner last reported (`reported`, JSON) and when (`heartbeat`).
    func liveStatus(reported: String?, heartbeat: Int64?, now: Int64) -> [String: Any] {
        var status: [String: Any] = ["camera_id": id.rawValue, "state": "idle"]
        guard sourceURL != nil && enabled else { return status }
        if let json = reported, let data = json.data(using: .utf8),
            let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            status.merge(fields) { _, new in new }
        } else {
            status["state"] = "connecting"
        }
        if heartbeat.map({ now - $0 > 15_000 }) ?? true { status["state"] = "offline" }
        return status
    }
}
