import ExportFormats
import Foundation
import Storage

/// An upload job as the API and the `job.updated` event show it.
package struct JobJSON: Encodable, Sendable {
    package var id: String
    package var status: String
    package var progress: Int
    package var kind: String
    package var filename: String
    package var camera_id: String?
    package var country: String?
    package var attempts: Int
    package var frames_total: Int
    package var frames_done: Int
    package var reads_count: Int
    package var error: String?
    package var created_at: String
    package var started_at: String?
    package var finished_at: String?
    package var recorded_at: String?
    package var reads_url: String
    package init(_ j: Job) {
        id = j.id.rawValue; status = j.status.rawValue; progress = j.progress; kind = j.kind.rawValue; filename = j.filename
        camera_id = j.cameraID?.rawValue; country = j.country; attempts = j.attempts; frames_total = j.framesTotal
        frames_done = j.framesDone; reads_count = j.readsCount; error = j.error
        created_at = JSONTime.string(j.createdAt) ?? ""; started_at = JSONTime.string(j.startedAt)
        finished_at = JSONTime.string(j.finishedAt); recorded_at = JSONTime.string(j.recordedAt); reads_url = "/v1/reads?job_id=\(j.id)"
    }
}
