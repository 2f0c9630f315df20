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

extension ParkingSession {
    /// The API object of a session.
    var json: [String: Any] {
        let s = self
        var o: [String: Any] = [
            "id": s.id, "site": s.site, "plate": s.plate, "status": s.status, "permit_holder": s.permit,
            "created_at": JSONTime.string(s.createdAt) ?? "",
        ]
        if let v = s.entryPassID { o["entry_pass_id"] = v.rawValue }
        if let v = s.exitPassID { o["exit_pass_id"] = v.rawValue }
        if let v = s.enteredAt { o["entered_at"] = JSONTime.string(v) }
        if let v = s.exitedAt { o["exited_at"] = JSONTime.string(v) }
        if let a = s.enteredAt, let b = s.exitedAt { o["minutes"] = (b - a) / 60_000 }
        if let v = s.groupID { o["group_id"] = v }
        if let v = s.charge { o["charge"] = v }
        if let v = s.currency { o["currency"] = v }
        return o
    }

    /// The statuses a session list can be filtered by.
    static let statuses: Set<String> = ["open", "closed", "missed_exit", "missed_entry"]
}
