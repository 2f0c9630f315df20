import ExportFormats
import Foundation
import Storage

/// A plate read as the API and the events show it.
package struct ReadJSON: Encodable, Sendable {
    package var id: String?
    package var plate: String
    package var display: String
    package var confidence: Double
    package var box: BoxJSON
    package var format: String
    package var country: String?
    package var camera_id: String?
    package var job_id: String?
    package var frame_time_s: Double?
    package var captured_at: String
    package var image_url: String?
    package var crop_url: String?
    /// The rules' decision when the read was stored (absent for `store=false` reads of earlier versions).
    package var group_match: DecisionJSON.GroupMatch?
    package var watchlist: DecisionJSON.WatchHit?
    package var access: DecisionJSON.Access?
}

extension ReadJSON {
    /// Every field, the rules' decision taken apart into its three parts.
    package init(
        id: String?, plate: String, display: String, confidence: Double, box: BoxJSON, format: String, country: String?,
        camera_id: String?, job_id: String?, frame_time_s: Double?, captured_at: String, image_url: String?, crop_url: String?,
        decision: DecisionJSON?
    ) {
        self.init(
            id: id, plate: plate, display: display, confidence: confidence, box: box, format: format, country: country,
            camera_id: camera_id, job_id: job_id, frame_time_s: frame_time_s, captured_at: captured_at, image_url: image_url,
            crop_url: crop_url, group_match: decision?.group_match, watchlist: decision?.watchlist, access: decision?.access)
    }
}

extension ImageLinks {
    /// The JSON of a stored read, with signed image URLs.
    package func json(_ r: PlateRead) -> ReadJSON { json(r, expires: expiry()) }

    /// The JSON of a stored read, with signed image URLs that expire at `expires` (epoch seconds).
    package func json(_ r: PlateRead, expires: Int64) -> ReadJSON {
        let images = urls("reads", id: r.id.rawValue, frameKey: r.frameKey, cropKey: r.cropKey, expires: expires)
        return ReadJSON(
            id: r.id.rawValue, plate: r.plate, display: r.display, confidence: r.confidence,
            box: BoxJSON(x: r.box.x, y: r.box.y, width: r.box.width, height: r.box.height),
            format: r.format, country: r.country, camera_id: r.cameraID?.rawValue, job_id: r.jobID?.rawValue,
            frame_time_s: r.frameTimeMillis.map { Double($0) / 1000 },
            captured_at: JSONTime.string(r.capturedAt) ?? "", image_url: images.frame, crop_url: images.crop,
            decision: DecisionJSON.decode(r.decision))
    }
}
