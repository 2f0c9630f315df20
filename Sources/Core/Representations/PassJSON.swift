import ExportFormats
import Foundation
import Storage

/// A vehicle pass as the API and the events show it.
package struct PassJSON: Encodable, Sendable {
    package var id: String
    package var plate: String
    package var display: String
    package var confidence: Double
    package var format: String
    package var country: String?
    /// entry, exit or unknown (from the movement and the camera's direction).
    package var direction: String
    /// approaching, leaving, stationary or unknown.
    package var movement: String
    package var camera_id: String?
    package var job_id: String?
    package var first_seen_at: String
    package var last_seen_at: String
    package var first_seen_s: Double?
    package var last_seen_s: Double?
    package var frames: Int
    package var box: BoxJSON
    package var image_url: String?
    package var crop_url: String?
    package var reads_url: String
    package var group_match: DecisionJSON.GroupMatch?
    package var watchlist: DecisionJSON.WatchHit?
    package var access: DecisionJSON.Access?
}

extension PassJSON {
    /// Every field, the rules' decision taken apart into its three parts.
    package init(
        id: String, plate: String, display: String, confidence: Double, format: String, country: String?, direction: String,
        movement: String, camera_id: String?, job_id: String?, first_seen_at: String, last_seen_at: String, first_seen_s: Double?,
        last_seen_s: Double?, frames: Int, box: BoxJSON, image_url: String?, crop_url: String?, reads_url: String,
        decision: DecisionJSON?
    ) {
        self.init(
            id: id, plate: plate, display: display, confidence: confidence, format: format, country: country, direction: direction,
            movement: movement, camera_id: camera_id, job_id: job_id, first_seen_at: first_seen_at, last_seen_at: last_seen_at,
            first_seen_s: first_seen_s, last_seen_s: last_seen_s, frames: frames, box: box, image_url: image_url,
            crop_url: crop_url, reads_url: reads_url, group_match: decision?.group_match, watchlist: decision?.watchlist,
            access: decision?.access)
    }
}

extension ImageLinks {
    /// The JSON of a stored pass, with signed image URLs.
    package func json(_ p: Pass) -> PassJSON { json(p, expires: expiry()) }

    /// The JSON of a stored pass, with signed image URLs that expire at `expires` (epoch seconds).
    package func json(_ p: Pass, expires: Int64) -> PassJSON {
        let images = urls("passes", id: p.id.rawValue, frameKey: p.frameKey, cropKey: p.cropKey, expires: expires)
        return PassJSON(
            id: p.id.rawValue, plate: p.plate, display: p.display, confidence: p.confidence, format: p.format,
            country: p.country, direction: p.direction, movement: p.movement, camera_id: p.cameraID?.rawValue,
            job_id: p.jobID?.rawValue, first_seen_at: JSONTime.string(p.firstSeenAt) ?? "",
            last_seen_at: JSONTime.string(p.lastSeenAt) ?? "", first_seen_s: p.firstSeenSeconds,
            last_seen_s: p.lastSeenSeconds, frames: p.frames,
            box: BoxJSON(x: p.box[0], y: p.box[1], width: p.box[2], height: p.box[3]),
            image_url: images.frame, crop_url: images.crop,
            reads_url: Self.readsURL(passID: p.id.rawValue), decision: DecisionJSON.decode(p.decision))
    }

    /// Where a pass's reads are listed.
    package static func readsURL(passID: String) -> String { "/v1/reads?pass_id=\(passID)&limit=500" }
}
