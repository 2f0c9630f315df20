import Core
import ArgumentParser
import Foundation
import Logging
import Recognition
import Server
import Storage

/// Reads `MICROANPR_<NAME>` from the environment (empty counts as unset).
func environment(_ name: String) -> String? {
    let v = ProcessInfo.processInfo.environment["MICROANPR_" + name]
    return v?.isEmpty == false ? v : nil
}

/// The model manifest named by `MICROANPR_MODELS` (a manifest file, or a folder holding `manifest.json`).
func manifestFromEnvironment() -> String? {
    environment("MODELS").map { $0.hasSuffix(".json") ? $0 : $0 + "/manifest.json" }
}

/// The detector for video and camera frames named by `MICROANPR_VIDEO_DETECTOR`, or nil when unset.
func videoDetectorFromEnvironment() throws -> VideoDetector? {
    guard let v = environment("VIDEO_DETECTOR") else { return nil }
    guard let d = VideoDetector(rawValue: v) else {
        throw ValidationError("MICROANPR_VIDEO_DETECTOR must be quick or still, got \"\(v)\"")
    }
    return d
}

/// The S3-compatible media store named by `MICROANPR_S3_*`, or nil for local media.
func s3Settings() throws -> ServerConfiguration.S3Settings? {
    guard let bucket = environment("S3_BUCKET") else { return nil }
    guard let endpoint = environment("S3_ENDPOINT"), let access = environment("S3_ACCESS_KEY"),
        let secret = environment("S3_SECRET_KEY")
    else {
        throw ValidationError("MICROANPR_S3_BUCKET needs MICROANPR_S3_ENDPOINT, MICROANPR_S3_ACCESS_KEY and MICROANPR_S3_SECRET_KEY")
    }
    return .init(endpoint: endpoint, bucket: bucket, region: environment("S3_REGION") ?? "us-east-1", accessKey: access, secretKey: secret)
}

/// Where the data lives; every command that touches data takes these.
struct StorageOptions: ParsableArguments {
    @Option(help: "Folder for the embedded database and local media ($MICROANPR_DATA_DIR, default ./data).")
    var dataDir: String?

    @Option(
        help:
            "postgres://user:pass@host:port/db, postgres://user@/db?host=/var/run/postgresql (a Unix socket), or a SQLite file path ($MICROANPR_DATABASE_URL, default <data-dir>/microanpr.db)."
    )
    var databaseURL: String?

    func apply(to c: inout ServerConfiguration) {
        c.storage.dataDirectory = dataDir ?? environment("DATA_DIR") ?? c.storage.dataDirectory
        c.storage.databaseURL = databaseURL ?? environment("DATABASE_URL")
    }

    /// The configuration of a command that works on stored data: these options and the media store
    /// (`MICROANPR_S3_*`, else the data folder).
    func configuration() throws -> ServerConfiguration {
        var c = ServerConfiguration()
        apply(to: &c)
        c.storage.s3 = try s3Settings()
        return c
    }

    /// Opens the database, runs `body` and closes the database whether `body` succeeds or not.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        var c = ServerConfiguration()
        apply(to: &c)
        let store = try await Store.open(url: c.storage.resolvedDatabaseURL)
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Runs a command body and turns any failure into one line on stderr and exit status 1.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("error: \(error)")
        throw ExitCode(1)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API, job workers and retention sweeper until SIGINT/SIGTERM.")

    @Option(help: "Address to listen on ($MICROANPR_HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port ($MICROANPR_PORT, default 8080; 0 picks a free one).") var port: Int?
    @OptionGroup var storage: StorageOptions
    @Option(help: "Background job workers ($MICROANPR_WORKERS, default 2).") var workers: Int?
    @Option(help: "Model manifest ($MICROANPR_MODELS).") var models: String?
    @Option(help: "Largest upload in bytes, and largest image ($MICROANPR_MAX_UPLOAD_BYTES, default 52428800).") var maxUploadBytes: Int?
    @Option(help: "Largest video sent to /v1/upload, in bytes ($MICROANPR_MAX_VIDEO_UPLOAD_BYTES, default 1073741824).")
    var maxVideoUploadBytes: Int?
    @Option(help: "Largest image in pixels ($MICROANPR_MAX_IMAGE_PIXELS, default 40000000).") var maxImagePixels: Int?
    @Option(help: "Longest video in seconds ($MICROANPR_MAX_VIDEO_SECONDS, default 600).") var maxVideoSeconds: Double?
    @Flag(help: "Refuse to start while migrations are pending instead of applying them ($MICROANPR_NO_AUTO_MIGRATE=1).")
    var noAutoMigrate = false

    mutating func run() async throws {
        // Before anything opens a file: the more descriptors, the later the caps bite (see FileDescriptorBudget).
        let budget = FileDescriptorBudget.raise()
        let c = try Self.configuration(from: self, budget: budget)
        try JSONLogHandler.bootstrapFromEnvironment()
        var log = Logger(label: "microanpr")
        log.logLevel = Logger.Level(rawValue: environment("LOG_LEVEL") ?? "info") ?? .info
        let logger = log
        let portFile = environment("PORT_FILE")
        try await runReportingErrors {
            let env = try await MicroANPRServer.makeEnvironment(c, logger: logger)
            logger.info(
                "starting",
                metadata: [
                    "database": "\(DatabaseFactory.redacted(c.storage.resolvedDatabaseURL))",
                    "media": "\(c.storage.s3.map { "s3 \($0.endpoint)/\($0.bucket)" } ?? c.storage.dataDirectory + "/media")",
                    "workers": "\(c.jobs.workers)",
                ])
            logger.info(
                "open files",
                metadata: [
                    "soft_limit_before": "\(budget.softBefore)", "soft_limit": "\(budget.soft)", "hard_limit": "\(budget.hard)",
                    "max_connections": "\(c.http.maxConnections)", "sse_max_clients": "\(c.events.maxClients)",
                    "sse_max_clients_per_tenant": "\(c.events.maxClientsPerTenant)",
                ])
            if budget.soft < 4096 {
                logger.warning(
                    "the open-file limit is low: raise the hard limit (systemd LimitNOFILE=, ulimit -Hn) to hold more clients",
                    metadata: ["hard_limit": "\(budget.hard)"])
            }
            let host = c.http.host
            try await MicroANPRServer.run(env) { port in
                logger.info("listening", metadata: ["address": "http://\(host):\(port)"])
                if let portFile { try? "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
            }
        }
    }

    static func configuration(
        from s: Serve, budget: FileDescriptorBudget = .make(soft: 4096, hard: 4096, before: 4096)
    ) throws -> ServerConfiguration {
        var c = ServerConfiguration()
        s.storage.apply(to: &c)
        func int(_ flag: Int?, _ name: String) throws -> Int? {
            if let flag { return flag }
            guard let v = environment(name) else { return nil }
            guard let n = Int(v) else { throw ValidationError("MICROANPR_\(name) must be an integer") }
            return n
        }
        c.http.host = s.host ?? environment("HOST") ?? c.http.host
        c.http.port = try int(s.port, "PORT") ?? c.http.port
        c.jobs.workers = try int(s.workers, "WORKERS") ?? c.jobs.workers
        c.recognition.inferenceWorkers = try int(nil, "INFERENCE_WORKERS") ?? c.recognition.inferenceWorkers
        c.recognition.inferenceThreads = try int(nil, "INFERENCE_THREADS") ?? c.recognition.inferenceThreads
        c.http.maxUploadBytes = try int(s.maxUploadBytes, "MAX_UPLOAD_BYTES") ?? c.http.maxUploadBytes
        c.http.maxVideoUploadBytes = try int(s.maxVideoUploadBytes, "MAX_VIDEO_UPLOAD_BYTES") ?? c.http.maxVideoUploadBytes
        c.http.maxConcurrentUploads = try int(nil, "MAX_CONCURRENT_UPLOADS") ?? c.http.maxConcurrentUploads
        c.recognition.maxImagePixels = try int(s.maxImagePixels, "MAX_IMAGE_PIXELS") ?? c.recognition.maxImagePixels
        c.http.idleTimeoutSeconds =
            try environment("IDLE_TIMEOUT_SECONDS").map {
                guard let d = Double($0), d > 0 else { throw ValidationError("MICROANPR_IDLE_TIMEOUT_SECONDS must be a positive number") }
                return d
            } ?? c.http.idleTimeoutSeconds
        c.recognition.maxVideoSeconds =
            try s.maxVideoSeconds ?? environment("MAX_VIDEO_SECONDS").map {
                guard let d = Double($0) else { throw ValidationError("MICROANPR_MAX_VIDEO_SECONDS must be a number") }
                return d
            } ?? c.recognition.maxVideoSeconds
        c.recognition.videoStride = try int(nil, "VIDEO_STRIDE") ?? c.recognition.videoStride
        c.recognition.videoDetector = try videoDetectorFromEnvironment() ?? c.recognition.videoDetector
        c.jobs.maxAttempts = try int(nil, "JOB_MAX_ATTEMPTS") ?? c.jobs.maxAttempts
        c.jobs.staleSeconds = Double(try int(nil, "JOB_STALE_SECONDS") ?? Int(c.jobs.staleSeconds))
        c.retention.intervalSeconds = Double(try int(nil, "RETENTION_INTERVAL_SECONDS") ?? Int(c.retention.intervalSeconds))
        c.retention.lookupAuditDays = try int(nil, "LOOKUP_AUDIT_DAYS") ?? c.retention.lookupAuditDays
        c.retention.pausePercent = try int(nil, "RETENTION_PAUSE_PERCENT") ?? c.retention.pausePercent
        c.storage.signedURLSeconds = try int(nil, "SIGNED_URL_SECONDS") ?? c.storage.signedURLSeconds
        c.webhooks.allowPrivate = environment("ALLOW_PRIVATE_WEBHOOKS") == "1"
        c.cameras.allowPrivate = environment("ALLOW_PRIVATE_CAMERAS") == "1"
        c.http.metricsToken = environment("METRICS_TOKEN").flatMap { $0.isEmpty ? nil : $0 }
        if let u = environment("PUBLIC_URL") {
            guard let url = URL(string: u), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("MICROANPR_PUBLIC_URL must be an http(s) URL")
            }
            c.http.publicURL = u
        }
        func seconds(_ name: String, _ current: Double) throws -> Double {
            guard let v = environment(name) else { return current }
            guard let d = Double(v), d > 0, d.isFinite else { throw ValidationError("MICROANPR_\(name) must be a positive number") }
            return d
        }
        c.webhooks.retryBaseSeconds = try seconds("WEBHOOK_RETRY_BASE_SECONDS", c.webhooks.retryBaseSeconds)
        c.webhooks.retryWindowSeconds = try seconds("WEBHOOK_RETRY_WINDOW_SECONDS", c.webhooks.retryWindowSeconds)
        c.webhooks.maxFailures = try int(nil, "WEBHOOK_MAX_FAILURES") ?? c.webhooks.maxFailures
        c.webhooks.timeoutSeconds = try seconds("WEBHOOK_TIMEOUT_SECONDS", c.webhooks.timeoutSeconds)
        c.webhooks.concurrency = try int(nil, "WEBHOOK_CONCURRENCY") ?? c.webhooks.concurrency
        c.events.heartbeatSeconds = try seconds("SSE_HEARTBEAT_SECONDS", c.events.heartbeatSeconds)
        c.events.queueLimit = try int(nil, "SSE_QUEUE_LIMIT") ?? c.events.queueLimit
        c.http.maxConnections = try int(nil, "MAX_CONNECTIONS") ?? budget.connections
        c.events.maxClients = try int(nil, "SSE_MAX_CLIENTS") ?? min(budget.streams, max(1, c.http.maxConnections - 16))
        c.events.maxClientsPerTenant = try int(nil, "SSE_MAX_CLIENTS_PER_TENANT") ?? c.events.maxClients
        c.events.retryAfterSeconds = try int(nil, "SSE_RETRY_AFTER_SECONDS") ?? c.events.retryAfterSeconds
        c.http.shutdownGraceSeconds = try seconds("SHUTDOWN_GRACE_SECONDS", c.http.shutdownGraceSeconds)
        guard c.http.maxConnections >= 1, c.events.maxClients >= 1, c.events.maxClientsPerTenant >= 1, c.events.retryAfterSeconds >= 1
        else {
            throw ValidationError(
                "MICROANPR_MAX_CONNECTIONS, _SSE_MAX_CLIENTS, _SSE_MAX_CLIENTS_PER_TENANT and _SSE_RETRY_AFTER_SECONDS must be at least 1")
        }
        if c.http.maxConnections > budget.connections {
            printError(
                "warning: MICROANPR_MAX_CONNECTIONS \(c.http.maxConnections) is above what the open-file limit \(budget.soft) leaves for connections (\(budget.connections))"
            )
        }
        if let v = environment("API_KEY_CACHE_SECONDS") {
            guard let d = Double(v), d >= 0, d <= 3600 else { throw ValidationError("MICROANPR_API_KEY_CACHE_SECONDS must be 0 to 3600") }
            c.http.apiKeyCacheSeconds = d
        }
        c.signIn.sessionIdleMinutes = try seconds("SESSION_IDLE_MINUTES", c.signIn.sessionIdleMinutes)
        c.signIn.maxFailures = try int(nil, "LOGIN_MAX_FAILURES") ?? c.signIn.maxFailures
        c.signIn.lockMinutes = try seconds("LOGIN_LOCK_MINUTES", c.signIn.lockMinutes)
        c.signIn.slowdownSeconds = try seconds("LOGIN_SLOWDOWN_SECONDS", c.signIn.slowdownSeconds)
        c.signIn.attemptsPerMinute = try int(nil, "LOGIN_ATTEMPTS_PER_MINUTE") ?? c.signIn.attemptsPerMinute
        c.signIn.passwordCost = try int(nil, "PASSWORD_COST") ?? c.signIn.passwordCost
        if let v = environment("SECURE_COOKIES") { c.signIn.secureCookies = v != "0" }
        c.signIn.sessionMaxHours = try seconds("SESSION_MAX_HOURS", c.signIn.sessionMaxHours)
        guard c.signIn.maxFailures >= 1, c.signIn.attemptsPerMinute >= 1, (12...20).contains(c.signIn.passwordCost) else {
            throw ValidationError(
                "MICROANPR_LOGIN_MAX_FAILURES and _LOGIN_ATTEMPTS_PER_MINUTE must be at least 1, MICROANPR_PASSWORD_COST 12 to 20")
        }
        c.parking.intervalSeconds = try seconds("PARKING_INTERVAL_SECONDS", c.parking.intervalSeconds)
        c.parking.sessionTimeoutHours = try seconds("PARKING_SESSION_TIMEOUT_HOURS", c.parking.sessionTimeoutHours)
        c.exports.ttlHours = try seconds("EXPORT_TTL_HOURS", c.exports.ttlHours)
        if let d = environment("EXPORT_DIR"), !d.isEmpty { c.exports.directory = d }
        c.cameras.allowFileSources = environment("ALLOW_FILE_SOURCES") == "1"
        c.cameras.run = environment("RUN_CAMERAS") != "0"
        c.storage.autoMigrate = !(s.noAutoMigrate || environment("NO_AUTO_MIGRATE") == "1")
        c.recognition.manifestPath = s.models ?? manifestFromEnvironment()
        c.storage.signingSecret = environment("SIGNING_SECRET")
        c.http.dashboardDirectory = environment("DASHBOARD_DIR")
        c.storage.s3 = try s3Settings()
        guard (0...65535).contains(c.http.port) else { throw ValidationError("port must be 0 to 65535") }
        guard c.webhooks.maxFailures >= 1, (1...256).contains(c.webhooks.concurrency), c.events.queueLimit >= 1 else {
            throw ValidationError(
                "MICROANPR_WEBHOOK_MAX_FAILURES and MICROANPR_SSE_QUEUE_LIMIT must be at least 1, MICROANPR_WEBHOOK_CONCURRENCY 1 to 256")
        }
        guard (0...64).contains(c.jobs.workers), (1...64).contains(c.recognition.inferenceWorkers),
            (1...64).contains(c.recognition.inferenceThreads)
        else { throw ValidationError("workers must be 0 to 64, inference workers/threads 1 to 64") }
        guard c.http.maxUploadBytes > 0, c.http.maxVideoUploadBytes > 0, c.http.maxConcurrentUploads > 0, c.recognition.maxImagePixels > 0,
            c.recognition.maxVideoSeconds > 0, c.recognition.videoStride > 0,
            c.jobs.maxAttempts > 0, c.jobs.staleSeconds > 0, c.retention.intervalSeconds > 0, c.retention.lookupAuditDays > 0,
            c.storage.signedURLSeconds > 0
        else { throw ValidationError("limits must be positive") }
        guard (0...1000).contains(c.retention.pausePercent) else {
            throw ValidationError("MICROANPR_RETENTION_PAUSE_PERCENT must be 0 to 1000")
        }
        return c
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try await runReportingErrors {
            let applied = try await storage.withStore { try await Migrations.apply(to: $0.db) }
            print(applied.isEmpty ? "database up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage tenants.", subcommands: [Create.self, SeedReads.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and print {\"tenant_id\", \"api_key\"} (the key is shown only this once).")
        @Argument(help: "Tenant name.") var name: String
        @Option(help: "starter (1,000 reads/month), pro (100,000) or enterprise (10,000,000).") var plan: String = "starter"
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard Plan(rawValue: plan) != nil else { throw ValidationError("--plan must be starter, pro or enterprise") }
            let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !n.isEmpty, n.count <= 200 else { throw ValidationError("name must be 1 to 200 characters") }
        }

        func run() async throws {
            try await runReportingErrors {
                let (tenant, key) = try await storage.withStore { store in
                    try await Migrations.apply(to: store.db)
                    return try await APIKeys.createTenant(
                        store: store, name: name.trimmingCharacters(in: .whitespacesAndNewlines), plan: Plan(rawValue: plan)!)
                }
                let json = try JSONSerialization.data(
                    withJSONObject: ["tenant_id": tenant.id.rawValue, "api_key": key], options: [.sortedKeys])
                print(String(decoding: json, as: UTF8.self))
            }
        }
    }
}

extension TenantCommand {
    /// Synthetic reads, passes and parking sessions for benchmarks (``Store/seed(tenantID:kind:range:of:days:plates:)``).
    struct SeedReads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-reads",
            abstract: "Insert synthetic reads (and passes and parking sessions) for a tenant, for benchmarks.",
            discussion: """
                Rows are spread evenly over the last --days days; reads show --plates distinct GB-style plates \
                (default: a fifth of --count), four cameras cam_0..cam_3, jobs of 1,000 reads.
                """)
        @Argument(help: "Tenant id.") var tenant: String
        @Option(help: "How many reads.") var count: Int = 100_000
        @Option(help: "How many vehicle passes.") var passes: Int = 0
        @Option(help: "How many parking sessions (the newest 1% open).") var sessions: Int = 0
        @Option(help: "Distinct plates (default: count / 5).") var plates: Int?
        @Option(help: "Days the rows are spread over, ending now.") var days: Int = 30
        @Flag(
            help:
                "Reads and passes name a crop and a frame, with no file behind them (benchmarks: list pages then sign image links as in service)."
        )
        var imageKeys = false
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard count >= 0, passes >= 0, sessions >= 0, (1...3650).contains(days), (plates ?? 1) >= 1 else {
                throw ValidationError("--count, --passes and --sessions must be 0 or more, --days 1-3650, --plates 1 or more")
            }
        }

        func run() async throws {
            try await runReportingErrors {
                try await storage.withStore { store in
                    guard try await store.tenant(ID(tenant)) != nil else { throw ValidationError("no tenant \(tenant)") }
                    let distinct = plates ?? max(1, count / 5)
                    for (kind, total) in [(Store.SeedKind.reads, count), (.passes, passes), (.sessions, sessions)] where total > 0 {
                        var bar = ProgressBar(total: total, label: "seeding \(kind.rawValue)")
                        var done = 0
                        while done < total {
                            let n = min(200_000, total - done)
                            try await store.seed(
                                tenantID: ID(tenant), kind: kind, range: (done + 1)...(done + n), of: total, days: days, plates: distinct,
                                imageKeys: imageKeys)
                            done += n
                            bar.update(done)
                        }
                    }
                }
            }
        }
    }
}
