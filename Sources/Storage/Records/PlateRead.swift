import Foundation

/// One sighting of a plate. The plate is never a key: every sighting is its own row.
public struct PlateRead: Sendable, Equatable {
    public var id: ID<PlateRead>
    public var tenantID: ID<Tenant>
    public var plate: String
    public var display: String
    public var confidence: Double
    public var format: String
    public var country: String?
    public var box: (x: Double, y: Double, width: Double, height: Double)
    public var cameraID: ID<Camera>?
    public var jobID: ID<Job>?
    /// Position in the source video, for reads from video frames.
    public var frameTimeMillis: Int64?
    public var capturedAt: Int64
    public var createdAt: Int64
    public var cropKey: String?
    public var frameKey: String?
    /// The vehicle pass this read belongs to (video).
    public var passID: ID<Pass>?
    /// What the rules decided (JSON: group_match, watchlist, access), when evaluated.
    public var decision: String?

    public init(
        id: ID<PlateRead>, tenantID: ID<Tenant>, plate: String, display: String, confidence: Double, format: String,
        country: String?, box: (x: Double, y: Double, width: Double, height: Double), cameraID: ID<Camera>?,
        jobID: ID<Job>?, frameTimeMillis: Int64?, capturedAt: Int64, createdAt: Int64, cropKey: String?,
        frameKey: String?, passID: ID<Pass>? = nil, decision: String? = nil
    ) {
        self.passID = passID; self.decision = decision
        self.id = id; self.tenantID = tenantID; self.plate = plate; self.display = display
        self.confidence = confidence; self.format = format; self.country = country; self.box = box
        self.cameraID = cameraID; self.jobID = jobID; self.frameTimeMillis = frameTimeMillis
        self.capturedAt = capturedAt; self.createdAt = createdAt; self.cropKey = cropKey; self.frameKey = frameKey
    }

    public static func == (a: PlateRead, b: PlateRead) -> Bool {
        a.id == b.id && a.tenantID == b.tenantID && a.plate == b.plate && a.display == b.display
            && a.confidence == b.confidence && a.format == b.format && a.country == b.country
            && a.box == b.box && a.cameraID == b.cameraID && a.jobID == b.jobID
            && a.frameTimeMillis == b.frameTimeMillis && a.capturedAt == b.capturedAt
            && a.cropKey == b.cropKey && a.frameKey == b.frameKey && a.passID == b.passID
    }
}
