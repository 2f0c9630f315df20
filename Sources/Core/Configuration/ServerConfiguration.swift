import Foundation
import Recognition

/// Everything `microanpr serve` can be told, one struct per subsystem. Resolved by the CLI from flags, then
/// `MICROANPR_*` environment variables, then these defaults (docs/api.md lists every variable).
public struct ServerConfiguration: Sendable {
    public var http = HTTP()
    public var storage = Storage()
    public var recognition = Recognition()
    public var jobs = Jobs()
    public var retention = Retention()
    public var webhooks = Webhooks()
    public var events = Events()
    public var cameras = Cameras()
    public var signIn = SignIn()
    public var parking = Parking()
    public var exports = Exports()
    /// How outbound host names are resolved (tests put a resolver of their own here).
    package var resolver: OutboundPolicy.Resolver = OutboundPolicy.systemResolve

    public init() {}

    /// The listener, its limits and what it serves besides the API.
    public struct HTTP: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// The server's public base URL (e.g. `https://anpr.example.com`): image links in events and webhooks
        /// are made absolute with it; relative when unset.
        public var publicURL: String?
        /// Largest request body, and largest image uploaded (`/v1/recognise`, images sent to `/v1/upload`, CSV imports).
        public var maxUploadBytes = 50 * 1024 * 1024
        /// Largest video sent to `/v1/upload` (streamed to a temporary file, never held in memory on the way in):
        /// ten minutes of 1080p at 8 Mbit/s is about 600 MB.
        public var maxVideoUploadBytes = 1024 * 1024 * 1024
        /// Open connections accepted at once (more wait in the kernel's backlog). `serve` sets it from the
        /// open-file limit (see ``FileDescriptorBudget``) unless given.
        public var maxConnections = 4096
        /// `/v1/upload` bodies received at once by this process (each is written to a temporary file as it arrives,
        /// up to `maxVideoUploadBytes`); more are answered 503 `too_many_uploads` with `Retry-After`, so that a
        /// client cannot fill the disk with parallel uploads (`MICROANPR_MAX_CONCURRENT_UPLOADS`).
        public var maxConcurrentUploads = 8
        /// A connection idle this long without a request, or stalled this long while sending one, is closed
        /// (`MICROANPR_IDLE_TIMEOUT_SECONDS`). Responses being written (event streams) are not affected.
        public var idleTimeoutSeconds = 60.0
        /// After SIGTERM, the process ends within this many seconds whatever state its connections are in.
        public var shutdownGraceSeconds = 10.0
        /// Serve the dashboard from this folder instead of the one shipped with the server (development).
        public var dashboardDirectory: String?
        /// An API key found valid is trusted this long without asking the database again (a revocation through
        /// another process takes effect within it; 0: every request asks). See ``APIKeyCache``.
        public var apiKeyCacheSeconds = 5.0
        /// The bearer token `GET /metrics` requires (`MICROANPR_METRICS_TOKEN`); nil: no metrics endpoint (404).
        public var metricsToken: String?
        public init() {}
    }

    /// Where records and media live.
    public struct Storage: Sendable {
        /// Folder for the embedded database, local media and export files.
        public var dataDirectory = "./data"
        /// `postgres://...` or a SQLite path; default `<data>/microanpr.db`.
        public var databaseURL: String?
        /// S3-compatible media store; nil keeps media under `<data>/media`.
        public var s3: S3Settings?
        /// Apply pending migrations at start instead of refusing to start.
        public var autoMigrate = true
        /// The secret that signs image URLs and job webhooks (`MICROANPR_SIGNING_SECRET`); nil: one generated once
        /// and kept in the database.
        public var signingSecret: String?
        /// Lifetime of signed image URLs.
        public var signedURLSeconds = 300
        public init() {}

        /// The database URL in effect.
        public var resolvedDatabaseURL: String {
            databaseURL ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("microanpr.db").path
        }
    }

    /// The models and what they are given.
    public struct Recognition: Sendable {
        /// The model manifest; nil: the one `make setup` installs.
        public var manifestPath: String?
        /// Inference threads per model (ONNX Runtime intra-op threads).
        public var inferenceThreads = 1
        /// Images recognised concurrently (inference pool size).
        public var inferenceWorkers = 2
        public var maxImagePixels = 40_000_000
        public var maxVideoSeconds = 600.0
        /// Every n-th frame of a video is read.
        public var videoStride = 7
        /// Which detector looks at video and camera frames.
        public var videoDetector = VideoDetector.quick
        public init() {}
    }

    /// Background upload jobs.
    public struct Jobs: Sendable {
        /// Job workers per process.
        public var workers = 2
        public var maxAttempts = 3
        /// A job whose worker sent no heartbeat for this long is taken over by another worker.
        public var staleSeconds = 60.0
        public init() {}
    }

    /// What is kept, and for how long, beyond each tenant's own retention.
    public struct Retention: Sendable {
        /// How often the retention sweeper runs.
        public var intervalSeconds = 3600.0
        /// After each full batch it deletes, the sweeper waits this percentage of the time the batch took
        /// (`MICROANPR_RETENTION_PAUSE_PERCENT`; 100: it deletes at most half the time, 0: without a pause), so that a
        /// large day's deletion leaves the database's and the machine's time to the requests being served.
        public var pausePercent = 100
        /// How long `privacy.lookup` audit entries (who searched for which plate) are kept
        /// (`MICROANPR_LOOKUP_AUDIT_DAYS`).
        public var lookupAuditDays = 90
        public init() {}
    }

    /// Webhook deliveries (and job callbacks).
    public struct Webhooks: Sendable {
        /// Allow webhooks and job callbacks to loopback and private addresses (off: SSRF protection).
        public var allowPrivate = false
        /// Retries: first after this many seconds, doubling up to an hour, for `retryWindowSeconds`.
        public var retryBaseSeconds = 30.0
        public var retryWindowSeconds = 86_400.0
        /// A webhook is disabled (with an alert) after this many failed deliveries in a row.
        public var maxFailures = 100
        /// Longest wait for a target's answer (connecting included), in seconds.
        public var timeoutSeconds = 10.0
        /// Concurrent webhook requests per process.
        public var concurrency = 16
        public init() {}
    }

    /// The live event stream (SSE).
    public struct Events: Sendable {
        /// A comment line this often keeps idle connections open; a client more than `queueLimit` events behind
        /// is dropped (it resumes with Last-Event-ID).
        public var heartbeatSeconds = 15.0
        public var queueLimit = 1000
        /// Streams per process and per tenant (more are answered 503 `too_many_streams` with `Retry-After`).
        /// `serve` sets them from the open-file limit (see ``FileDescriptorBudget``) unless given.
        public var maxClients = 4000
        public var maxClientsPerTenant = 4000
        /// A stream refused for a cap is told to retry after this many seconds.
        public var retryAfterSeconds = 5
        public init() {}
    }

    /// Live camera sources.
    public struct Cameras: Sendable {
        /// Run cameras' live sources in this process.
        public var run = true
        /// Allow sources on loopback and private addresses (`MICROANPR_ALLOW_PRIVATE_CAMERAS=1`; most sites need
        /// it: their cameras sit on the site's private network).
        public var allowPrivate = false
        /// Allow sources that are local files (played in a loop; for tests and demos). Off: a tenant could
        /// otherwise make the server open any path.
        public var allowFileSources = false
        public init() {}
    }

    /// Dashboard sign-in and sessions.
    public struct SignIn: Sendable {
        /// A session ends after this long without a request.
        public var sessionIdleMinutes = 720.0
        /// A session ends this long after sign-in, however active (`MICROANPR_SESSION_MAX_HOURS`).
        public var sessionMaxHours = 12.0
        /// After this many wrong passwords for an email, its sign-ins are slowed down (never locked)...
        public var maxFailures = 5
        /// ... for this long after the last failure...
        public var lockMinutes = 15.0
        /// ... by this many seconds, doubling with each further failure up to 30 s.
        public var slowdownSeconds = 2.0
        /// Sign-in attempts allowed per client address per minute (429 beyond).
        public var attemptsPerMinute = 20
        /// Session cookies carry `Secure` (default on; `MICROANPR_SECURE_COOKIES=0` for plain-http development,
        /// which `make run` sets when it serves on loopback).
        public var secureCookies = true
        /// scrypt cost (log2 N) of new password hashes.
        public var passwordCost = 15
        /// How long an invitation link stays valid.
        public var inviteDays = 7.0
        public init() {}
    }

    /// The parking ledger.
    public struct Parking: Sendable {
        /// How often the ledger turns new passes into sessions...
        public var intervalSeconds = 2.0
        /// ... and an open stay older than this many hours is closed as `missed_exit`.
        public var sessionTimeoutHours = 24.0
        public init() {}
    }

    /// Export jobs' files.
    public struct Exports: Sendable {
        /// Where they are written (default: `exports` in the data directory; with several processes on one
        /// PostgreSQL, a folder they share)...
        public var directory: String?
        /// ... and how long a finished file is kept.
        public var ttlHours = 24.0
        public init() {}
    }

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
        exports.directory ?? URL(fileURLWithPath: storage.dataDirectory).appendingPathComponent("exports").path
    }
}
