import ExportFormats
import Foundation
import Storage

/// An alert as the API and the `alert.raised` event show it.
package struct AlertJSON: Encodable, Sendable {
    package var id: String, kind: String, plate: String, message: String, read_id: String?, pass_id: String?, camera_id: String?
    package var created_at: String, acknowledged: Bool, acknowledged_at: String?, acknowledged_by: String?
    package init(_ a: Alert) {
        id = a.id.rawValue; kind = a.kind; plate = a.plate; message = a.message; read_id = a.readID?.rawValue; pass_id = a.passID?.rawValue;
        camera_id = a.cameraID?.rawValue
        created_at = JSONTime.string(a.createdAt) ?? ""; acknowledged = a.acknowledgedAt != nil
        acknowledged_at = JSONTime.string(a.acknowledgedAt); acknowledged_by = a.acknowledgedBy
    }
}
