import Foundation

/// A billing plan with its monthly quota of plate reads.
public enum Plan: String, Sendable, CaseIterable, Codable {
    case starter, pro, enterprise

    /// Plate reads allowed per calendar month (UTC).
    public var monthlyQuota: Int {
        switch self {
        case .starter: 1_000
        case .pro: 100_000
        case .enterprise: 10_000_000
        }
    }
}

/// A customer; every other row belongs to exactly one.
public struct Tenant: Sendable, Equatable {
    public var id: ID<Tenant>
    public var name: String
    public var plan: Plan
    public var retentionDays: Int
    public var createdAt: Int64
    /// IANA time zone of the tenant's sites: permits' allowed days and hours are in local time.
    public var timeZone: String = "UTC"
    /// Hours after which reads of plates on no list and in no open parking session are pseudonymised; nil: never.
    public var pseudonymiseAfterHours: Int? = nil
}

/// An API key as stored: only its prefix (for display) and its SHA-256 hash.
public struct APIKey: Sendable, Equatable {
    public var id: ID<APIKey>
    public var tenantID: ID<Tenant>
    public var name: String
    public var prefix: String
    /// `admin`, `operator`, `viewer` (the dashboard's roles) or `ingest` (send images, videos and passes only).
    public var role: String = "admin"
    public var createdAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?
}

/// A camera of a tenant.
public struct Camera: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable { case entry, exit, both }
    public var id: ID<Camera>
    public var tenantID: ID<Tenant>
    public var name: String
    public var site: String
    public var direction: Direction
    /// The country format used for this camera's reads unless a call names one.
    public var country: String?
    public var createdAt: Int64
    /// A live source: `rtsp://`, `http(s)://` (MJPEG or any stream FFmpeg reads) or a local file played in a loop.
    public var sourceURL: String?
    public var enabled: Bool
    /// Access decision for a plate in no group and on no list: `allow` or `deny`.
    public var unknownAccess: String

    public init(
        id: ID<Camera>, tenantID: ID<Tenant>, name: String, site: String, direction: Direction, country: String?,
        createdAt: Int64, sourceURL: String? = nil, enabled: Bool = true, unknownAccess: String = "deny"
    ) {
        self.id = id; self.tenantID = tenantID; self.name = name; self.site = site; self.direction = direction
        self.country = country; self.createdAt = createdAt; self.sourceURL = sourceURL; self.enabled = enabled
        self.unknownAccess = unknownAccess
    }
}

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

    public init(
        id: ID<Job>, tenantID: ID<Tenant>, status: Status, progress: Int, kind: Kind, filename: String,
        mediaKey: String, cameraID: ID<Camera>?, country: String?, webhookURL: String?, attempts: Int,
        maxAttempts: Int, worker: String?, framesTotal: Int, framesDone: Int, readsCount: Int, error: String?,
        createdAt: Int64, startedAt: Int64?, finishedAt: Int64?
    ) {
        self.id = id; self.tenantID = tenantID; self.status = status; self.progress = progress; self.kind = kind
        self.filename = filename; self.mediaKey = mediaKey; self.cameraID = cameraID; self.country = country
        self.webhookURL = webhookURL; self.attempts = attempts; self.maxAttempts = maxAttempts; self.worker = worker
        self.framesTotal = framesTotal; self.framesDone = framesDone; self.readsCount = readsCount; self.error = error
        self.createdAt = createdAt; self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}

/// Filters for listing reads; `after` is an opaque cursor from a previous page.
public struct ReadQuery: Sendable {
    public var plate: String?
    /// Other stored forms of `plate` that match it too: its pseudonym (`~...`) in the tenant.
    public var plateAliases: [String] = []
    public var platePrefix: String?
    public var cameraID: ID<Camera>?
    public var jobID: ID<Job>?
    public var passID: ID<Pass>?
    public var from: Int64?
    public var to: Int64?
    public var minConfidence: Double?
    public var limit: Int = 50
    public var after: PageCursor?
    public init() {}
}

/// Position after the last read of a page (newest first: captured_at then id, both descending).
/// The one page cursor of every listing (reads, passes, parking sessions, alerts): the time and id of the last
/// row of a page, newest first, as an opaque URL-safe token.
public struct PageCursor: Sendable, Equatable {
    public var time: Int64
    public var id: String
    public init(time: Int64, id: String) { self.time = time; self.id = id }
    /// The position after a row with a typed id.
    public init<Entity>(time: Int64, id: ID<Entity>) { self.init(time: time, id: id.rawValue) }

    /// URL-safe opaque form.
    public var token: String {
        Data("\(time):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let s = String(data: data, encoding: .utf8),
            let colon = s.firstIndex(of: ":"), let t = Int64(s[..<colon])
        else { return nil }
        let id = String(s[s.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        time = t
        self.id = id
    }
}

/// New random identifiers: a short type prefix and 20 random base32 characters.
public enum Identifier {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
    public static func make(_ prefix: String) -> String {
        var g = SystemRandomNumberGenerator()
        return prefix + "_" + String((0..<20).map { _ in alphabet[Int(g.next() % 32)] })
    }
}
