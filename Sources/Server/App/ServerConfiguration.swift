import Foundation

/// Everything `microanpr serve` can be told. Resolved by the CLI from flags, then `MICROANPR_*` environment
/// variables, then these defaults.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder for the embedded database, local media and the URL-signing secret.
    public var dataDirectory = "./data"
    /// `postgres://...` or a SQLite path; default `<data>/microanpr.db`.
    public var databaseURL: String?
    /// S3-compatible media store; nil keeps media under `<data>/media`.
    public var s3: S3Settings?
    /// Background job workers per process.
    public var jobWorkers = 2
    /// Inference threads per model (ONNX Runtime intra-op threads).
    public var inferenceThreads = 1
    /// Images recognised concurrently (inference pool size).
    public var inferenceWorkers = 2
    public var maxUploadBytes = 50 * 1024 * 1024
    public var maxImagePixels = 40_000_000
    public var maxVideoSeconds = 600.0
    /// Every n-th frame of a video is read.
    public var videoStride = 7
    public var jobMaxAttempts = 3
    /// A job whose worker sent no heartbeat for this long is taken over by another worker.
    public var jobStaleSeconds = 60.0
    /// How often the retention sweeper runs.
    public var retentionIntervalSeconds = 3600.0
    /// Lifetime of signed image URLs.
    public var signedURLSeconds = 300
    /// Apply pending migrations at start instead of refusing to start.
    public var autoMigrate = true
    public var manifestPath: String?
    /// The secret that signs image URLs and job webhooks (`MICROANPR_SIGNING_SECRET`); nil: one generated once
    /// and kept in the database.
    public var signingSecret: String?
    /// Serve the dashboard from this folder instead of the one shipped with the server (development).
    public var dashboardDirectory: String?
    /// Allow webhooks and job callbacks to loopback and private addresses (off: SSRF protection).
    public var allowPrivateWebhooks = false
    /// Allow camera sources on loopback and private addresses (`MICROANPR_ALLOW_PRIVATE_CAMERAS=1`; most sites
    /// need it: their cameras sit on the site's private network).
    public var allowPrivateCameras = false
    /// How outbound host names are resolved (tests put a resolver of their own here).
    var resolver: OutboundPolicy.Resolver = OutboundPolicy.systemResolve
    /// Webhook retries: first after this many seconds, doubling up to an hour, for `webhookRetryWindowSeconds`.
    public var webhookRetryBaseSeconds = 30.0
    public var webhookRetryWindowSeconds = 86_400.0
    /// A webhook is disabled (with an alert) after this many failed deliveries in a row.
    public var webhookMaxFailures = 100
    /// The server's public base URL (e.g. `https://anpr.example.com`): image links in events and webhooks
    /// are made absolute with it; relative when unset.
    public var publicURL: String?
    /// Longest wait for a webhook target's answer (connecting included), in seconds.
    public var webhookTimeoutSeconds = 10.0
    /// Concurrent webhook requests per process.
    public var webhookConcurrency = 16
    /// SSE: a comment line this often keeps idle connections open; a client more than `sseQueueLimit` events
    /// behind is dropped (it resumes with Last-Event-ID).
    public var sseHeartbeatSeconds = 15.0
    public var sseQueueLimit = 1000
    /// Open connections accepted at once (more wait in the kernel's backlog) and SSE streams per process and per
    /// tenant (more are answered 503 `too_many_streams` with `Retry-After`). `serve` sets them from the
    /// open-file limit (see ``FileDescriptorBudget``) unless given.
    public var maxConnections = 4096
    public var sseMaxClients = 4000
    public var sseMaxClientsPerTenant = 4000
    /// A stream refused for a cap is told to retry after this many seconds.
    public var sseRetryAfterSeconds = 5
    /// After SIGTERM, the process ends within this many seconds whatever state its connections are in.
    public var shutdownGraceSeconds = 10.0
    /// Allow cameras whose source is a local file (played in a loop; for tests and demos). Off: a tenant
    /// could otherwise make the server open any path.
    public var allowFileSources = false
    /// Run cameras' live sources in this process.
    public var runCameras = true

    /// Dashboard sign-in: a session ends after this long without a request.
    public var sessionIdleMinutes = 720.0
    /// After this many wrong passwords for an email, its sign-ins are slowed down (never locked)...
    public var loginMaxFailures = 5
    /// ... for this long after the last failure...
    public var loginLockMinutes = 15.0
    /// ... by this many seconds, doubling with each further failure up to 30 s.
    public var loginSlowdownSeconds = 2.0
    /// Sign-in attempts allowed per client address per minute (429 beyond).
    public var loginAttemptsPerMinute = 20
    /// Session cookies carry `Secure` (default on; `MICROANPR_SECURE_COOKIES=0` for plain-http development,
    /// which `make run` sets when it serves on loopback).
    public var secureCookies = true
    /// A session ends this long after sign-in, however active (`MICROANPR_SESSION_MAX_HOURS`).
    public var sessionMaxHours = 12.0
    /// scrypt cost (log2 N) of new password hashes.
    public var passwordCost = 15
    /// How long an invitation link stays valid.
    public var inviteDays = 7.0

    /// Parking: how often the ledger turns new passes into sessions; an open stay older than this many hours
    /// is closed as `missed_exit`.
    public var parkingIntervalSeconds = 2.0
    public var parkingSessionTimeoutHours = 24.0
    /// Where export jobs write their files (default: `exports` in the data directory; with several processes on
    /// one PostgreSQL, a folder they share), and how long a finished file is kept.
    public var exportDirectory: String?
    public var exportTTLHours = 24.0

    /// How long `privacy.lookup` audit entries (who searched for which plate) are kept
    /// (`MICROANPR_LOOKUP_AUDIT_DAYS`).
    public var lookupAuditDays = 90

    /// The bearer token `GET /metrics` requires (`MICROANPR_METRICS_TOKEN`); nil: no metrics endpoint (404).
    public var metricsToken: String?

    public init() {}

    /// Whether session cookies are marked `Secure`.
    public var cookiesSecure: Bool { secureCookies }

    public struct S3Settings: Sendable {
        public var endpoint: String
        public var bucket: String
        public var region: String
        public var accessKey: String
        public var secretKey: String
        public init(endpoint: String, bucket: String, region: String, accessKey: String, secretKey: String) {
            self.endpoint = endpoint; self.bucket = bucket; self.region = region
            self.accessKey = accessKey; self.secretKey = secretKey
        }
    }

    /// The folder of export files in effect.
    public var resolvedExportDirectory: String {
        exportDirectory ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("exports").path
    }

    /// The database URL in effect.
    public var resolvedDatabaseURL: String {
        databaseURL ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("microanpr.db").path
    }
}
