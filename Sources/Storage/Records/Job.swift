import Foundation

/// An upload processed in the background.
public struct Job: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case queued, processing, done, failed }
    public enum Kind: String, Sendable { case image, video }
    public var id: ID<Job>
    public var tenantID: ID<Tenant>
    public var status: Status
    public var progress: Int
    public var kind: Kind
    public var filename: String
    public var mediaKey: String
    public var cameraID: ID<Camera>?
    public var country: String?
    public var webhookURL: String?
    public var attempts: Int
    public var maxAttempts: Int
    public var worker: String?
    public var framesTotal: Int
    public var framesDone: Int
    public var readsCount: Int
    public var error: String?
    public var createdAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
    /// When the image was taken or the video's first frame recorded, as the uploader said (epoch milliseconds);
    /// nil: the upload's time (`createdAt`). Reads and passes are placed from it.
    public var recordedAt: Int64?

    public init(
        id: ID<Job>, tenantID: ID<Tenant>, status: Status, progress: Int, kind: Kind, filename: String,
        mediaKey: String, cameraID: ID<Camera>?, country: String?, webhookURL: String?, attempts: Int,
        maxAttempts: Int, worker: String?, framesTotal: Int, framesDone: Int, readsCount: Int, error: String?,
        createdAt: Int64, startedAt: Int64?, finishedAt: Int64?, recordedAt: Int64? = nil
    ) {
        self.id = id; self.tenantID = tenantID; self.status = status; self.progress = progress; self.kind = kind
        self.filename = filename; self.mediaKey = mediaKey; self.cameraID = cameraID; self.country = country
        self.webhookURL = webhookURL; self.attempts = attempts; self.maxAttempts = maxAttempts; self.worker = worker
        self.framesTotal = framesTotal; self.framesDone = framesDone; self.readsCount = readsCount; self.error = error
        self.createdAt = createdAt; self.startedAt = startedAt; self.finishedAt = finishedAt
        self.recordedAt = recordedAt
    }
}
