import Foundation

/// One vehicle pass: the voted plate of one track in a video, with its reads linked by `passID`.
public struct Pass: Sendable, Equatable {
    public var id: ID<Pass>
    public var tenantID: ID<Tenant>
    public var plate: String
    public var display: String
    public var confidence: Double
    public var format: String
    public var country: String?
    /// `entry`, `exit` or `unknown`, from the movement and the camera's direction.
    public var direction: String
    /// `approaching`, `leaving`, `stationary` or `unknown`.
    public var movement: String
    public var cameraID: ID<Camera>?
    public var jobID: ID<Job>?
    public var firstSeenAt: Int64
    public var lastSeenAt: Int64
    public var firstSeenSeconds: Double?
    public var lastSeenSeconds: Double?
    public var frames: Int
    public var box: [Double]
    public var cropKey: String?
    public var frameKey: String?
    public var createdAt: Int64
    /// What the rules decided (JSON: group_match, watchlist, access), when evaluated.
    public var decision: String?

    public init(
        id: ID<Pass>, tenantID: ID<Tenant>, plate: String, display: String, confidence: Double, format: String,
        country: String?, direction: String, movement: String, cameraID: ID<Camera>?, jobID: ID<Job>?,
        firstSeenAt: Int64, lastSeenAt: Int64, firstSeenSeconds: Double?, lastSeenSeconds: Double?, frames: Int,
        box: [Double], cropKey: String?, frameKey: String?, createdAt: Int64, decision: String? = nil
    ) {
        self.decision = decision
        self.id = id; self.tenantID = tenantID; self.plate = plate; self.display = display; self.confidence = confidence
        self.format = format; self.country = country; self.direction = direction; self.movement = movement
        self.cameraID = cameraID; self.jobID = jobID; self.firstSeenAt = firstSeenAt; self.lastSeenAt = lastSeenAt
        self.firstSeenSeconds = firstSeenSeconds; self.lastSeenSeconds = lastSeenSeconds; self.frames = frames
        self.box = box; self.cropKey = cropKey; self.frameKey = frameKey; self.createdAt = createdAt
    }
}
