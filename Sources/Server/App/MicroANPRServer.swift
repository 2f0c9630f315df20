import Core
import Foundation
import Hummingbird
import NIOCore
import Logging
import Media
import Recognition
import ServiceLifecycle
import Storage
import UnixSignals

/// Builds the HTTP application and its services from a configuration.
public enum MicroANPRServer {
    /// Opens storage (applying or checking migrations), prepares the media store, loads the models and
    /// the URL-signing secret.
    public static func makeEnvironment(
        _ configuration: ServerConfiguration, logger: Logger,
        recognizer: (any PlateRecognizing)? = nil
    ) async throws -> ServerEnvironment {
        let store = try await Store.open(url: configuration.storage.resolvedDatabaseURL)
        do {
            if configuration.storage.autoMigrate {
                let applied = try await Migrations.apply(to: store.db)
                if !applied.isEmpty { logger.info("migrations applied", metadata: ["names": "\(applied.joined(separator: ", "))"]) }
            } else {
                let pending = try await Migrations.pending(in: store.db)
                guard pending.isEmpty else {
                    throw StorageError("database has pending migrations (\(pending.joined(separator: ", "))): run `microanpr migrate`")
                }
            }
            if store.db.dialect == .sqlite {
                let n = try await store.requeueInterruptedJobs()
                if n > 0 { logger.info("interrupted jobs requeued", metadata: ["count": "\(n)"]) }
            }
            let media = try makeMediaStore(configuration)
            try await media.prepare()
            let signer = try await makeSigner(configuration, store: store)
            let engine: any PlateRecognizing =
                try recognizer
                ?? Recognizer(configuration: Self.recognizerConfiguration(configuration))
            return ServerEnvironment(
                configuration: configuration, store: store, media: media, recognizer: engine,
                signer: signer, logger: logger)
        } catch {
            await store.close()
            throw error
        }
    }

    /// The recognition engine's settings from the server's.
    static func recognizerConfiguration(_ c: ServerConfiguration) -> RecognizerConfiguration {
        var r = RecognizerConfiguration(
            manifestPath: c.recognition.manifestPath ?? RecognizerConfiguration.defaultManifestPath(),
            threads: c.recognition.inferenceThreads, workers: c.recognition.inferenceWorkers,
            maxPixels: c.recognition.maxImagePixels, maxBytes: c.http.maxUploadBytes)
        r.videoDetector = c.recognition.videoDetector
        return r
    }

    public static func makeMediaStore(_ c: ServerConfiguration) throws -> any MediaStore {
        if let s3 = c.storage.s3 {
            guard let endpoint = URL(string: s3.endpoint), endpoint.scheme != nil, endpoint.host != nil else {
                throw MediaError("bad S3 endpoint URL \(s3.endpoint)")
            }
            return S3MediaStore(
                .init(
                    endpoint: endpoint, bucket: s3.bucket, region: s3.region,
                    accessKey: s3.accessKey, secretKey: s3.secretKey))
        }
        return LocalMediaStore(root: URL(fileURLWithPath: c.storage.dataDirectory).appendingPathComponent("media"))
    }

    /// The signer of image links and keyed hashes: `MICROANPR_SIGNING_SECRET`, or a random secret made once and
    /// kept in the database (so that it travels with backups).
    public static func makeSigner(_ c: ServerConfiguration, store: Store) async throws -> MediaSigner {
        var secret = c.storage.signingSecret ?? ""
        if secret.isEmpty { secret = try await store.setting("signing_secret") { APIKeys.generate() + APIKeys.generate() } }
        return MediaSigner(secret: secret)
    }

    /// The router with every route of the API.
    public static func makeRouter(_ env: ServerEnvironment) -> Router<AppContext> {
        // The OpenAPI document (parsed from YAML, ~160 ms of CPU) is loaded now rather than by the first request
        // with a JSON body, which would otherwise wait for it: the first pass after a start took 150-250 ms and
        // slowed every request answered meanwhile (docs/scale.md, 2026-12-04).
        _ = RouteTable.shared
        let router = Router(context: AppContext.self)
        router.add(middleware: ServerTimingMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: env.metrics))
        router.add(middleware: ErrorMiddleware())
        // Each controller is given what it uses and nothing more; the two that ingest (recognition and passes) use
        // the environment's ingest, which stores media, rows, decisions and events together.
        let (store, audit, links, privacy) = (env.store, env.auditLog, env.links, env.privacy)
        let images = StoredImages(signer: env.signer, media: env.media)
        HealthController(store: store, recognizer: env.recognizer).addRoutes(to: router)
        MetricsController(store: store, bus: env.bus, metrics: env.metrics, token: env.configuration.http.metricsToken)
            .addRoutes(to: router)
        DashboardController(directory: env.configuration.http.dashboardDirectory.map { URL(fileURLWithPath: $0) }).addRoutes(to: router)
        let v1 = router.group("v1").add(middleware: AuthMiddleware(env: env)).add(middleware: AuditMiddleware(audit: audit))
        SessionController(
            store: store, audit: audit, signIn: env.configuration.signIn, loginLimiter: env.loginLimiter, passwords: env.passwords
        ).addRoutes(to: v1)
        UsersController(store: store, audit: audit, signIn: env.configuration.signIn, publicURL: env.configuration.http.publicURL)
            .addRoutes(to: v1)
        AccountController(store: store, audit: audit, apiKeys: env.apiKeys, signer: env.signer).addRoutes(to: v1)
        CamerasController(
            store: store, cameraPolicy: env.cameraPolicy, allowFileSources: env.configuration.cameras.allowFileSources,
            recognizer: env.recognizer
        ).addRoutes(to: v1)
        RecognitionController(env: env, uploads: UploadSlots(limit: env.configuration.http.maxConcurrentUploads)).addRoutes(to: v1)
        ReadsController(store: store, audit: audit, links: links, privacy: privacy, images: images).addRoutes(to: v1)
        PassesController(env: env, images: images).addRoutes(to: v1)
        GroupsController(store: store, maxUploadBytes: env.configuration.http.maxUploadBytes).addRoutes(to: v1)
        WatchlistsController(store: store).addRoutes(to: v1)
        WebhooksController(store: store, outbox: env.outbox, webhookPolicy: env.webhookPolicy).addRoutes(to: v1)
        StreamController(
            store: store, bus: env.bus, signIn: env.configuration.signIn, retryAfterSeconds: env.configuration.events.retryAfterSeconds
        ).addRoutes(to: v1)
        ParkingController(store: store, audit: audit, privacy: privacy, parking: env.configuration.parking).addRoutes(to: v1)
        let exports = exportsController(env)
        exports.addRoutes(to: v1)
        ExportJobsController(
            store: store, audit: audit, media: env.media, exportDirectory: env.configuration.resolvedExportDirectory, exports: exports
        ).addRoutes(to: v1)
        PrivacyController(audit: audit, privacy: privacy).addRoutes(to: v1)
        OverviewController(store: store, links: links, parking: env.configuration.parking).addRoutes(to: v1)
        return router
    }

    /// The exports, for downloads and for the export jobs' worker (one code for both).
    static func exportsController(_ env: ServerEnvironment) -> ExportsController {
        ExportsController(
            store: env.store, audit: env.auditLog, links: env.links, media: env.media, privacy: env.privacy,
            parking: env.configuration.parking)
    }

    /// The background services: job workers and the retention sweeper.
    public static func makeServices(_ env: ServerEnvironment, processName: String = ProcessInfo.processInfo.hostName) -> [any Service] {
        let id = "\(processName)-\(ProcessInfo.processInfo.processIdentifier)"
        var services: [any Service] = (0..<max(0, env.configuration.jobs.workers)).map {
            JobWorker(env: env, name: "\(id)-w\($0)")
        }
        services.append(RetentionSweeper(env: env))
        services.append(
            EventListener(
                bus: env.bus, store: env.store, logger: env.logger,
                heartbeat: .milliseconds(Int64(env.configuration.events.heartbeatSeconds * 1000))))
        services.append(WebhookDispatcher(env: env, name: "\(id)-webhooks"))
        services.append(ParkingService(env: env))
        services.append(ExportJobWorker(env: env, exports: exportsController(env), name: "\(id)-export"))
        if env.configuration.cameras.run { services.append(CameraSupervisor(env: env, runnerID: id)) }
        return services
    }

    /// Runs the server until SIGINT or SIGTERM, then shuts down gracefully (jobs in progress go back to the
    /// queue) and closes the engine and database. The process ends within the shutdown grace period after
    /// SIGTERM whatever state its connections are in (``ShutdownWatchdog``). If the listening socket closes
    /// while the server is not stopping, the server shuts down and ``ListenerLost`` is thrown, so that the
    /// process exits non-zero and a supervisor restarts it rather than keeping a process that serves no one.
    public static func run(_ env: ServerEnvironment, onServerRunning: @escaping @Sendable (Int) async -> Void) async throws {
        env.logger.info(
            "models loaded",
            metadata: [
                "ms": "\(Int(env.recognizer.loadMilliseconds))", "detector": "\(env.recognizer.detectorFile)",
                "frame_detector": "\(env.recognizer.frameDetectorFile)",
                "onnxruntime": "\(env.recognizer.runtimeVersion)",
            ])
        let lost = ListenerState()
        let watchdog = ShutdownWatchdog(graceSeconds: env.configuration.http.shutdownGraceSeconds, logger: env.logger) {
            lost.stopping = true
        }
        let logger = env.logger
        let app = makeApplication(env, onServerRunning: onServerRunning) { channel in
            channel.closeFuture.whenComplete { _ in
                guard !lost.stopping else { return }
                lost.lost = true
                logger.critical("the listening socket closed while the server was not stopping: shutting down to be restarted")
                // The same path as SIGTERM: graceful shutdown, bounded by the watchdog.
                kill(getpid(), SIGTERM)
            }
        }
        do {
            // The watchdog comes last so that it is the first told of a graceful shutdown (services stop in
            // reverse order, and the HTTP server may be what does not stop).
            try await ServiceGroup(
                configuration: .init(
                    services: [app, watchdog], gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: env.logger)
            ).run()
        } catch {
            env.recognizer.shutdown()
            await env.store.close()
            throw error
        }
        env.recognizer.shutdown()
        await env.store.close()
        if lost.lost { throw ListenerLost() }
    }

    /// The listening socket closed while the server was not stopping.
    public struct ListenerLost: Error, CustomStringConvertible {
        public var description: String { "the listening socket closed unexpectedly" }
    }

    final class ListenerState: @unchecked Sendable {
        private let lock = NSLock()
        private var _stopping = false, _lost = false
        var stopping: Bool {
            get { lock.withLock { _stopping } }
            set { lock.withLock { _stopping = newValue } }
        }
        var lost: Bool {
            get { lock.withLock { _lost } }
            set { lock.withLock { _lost = newValue } }
        }
    }

    /// The whole server: HTTP plus background services in one service group. Connections are capped at
    /// `maxConnections` (accepts pause at the cap).
    public static func makeApplication(
        _ env: ServerEnvironment,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onListener: @escaping @Sendable (any Channel) -> Void = { _ in }
    )
        -> some ApplicationProtocol
    {
        Application(
            router: makeRouter(env),
            // A connection that sends nothing for this long while it has no request, or in the middle of sending
            // one (headers or body), is closed: it would hold a connection slot (and an upload's temporary file)
            // forever. A response being written (an event stream, a long recognition) is never cut.
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(env.configuration.http.idleTimeoutSeconds * 1000)))),
            configuration: .init(
                address: .hostname(env.configuration.http.host, port: env.configuration.http.port), serverName: "MicroANPR",
                availableConnectionsDelegate: ConnectionLimit(maximum: env.configuration.http.maxConnections, logger: env.logger)),
            services: makeServices(env),
            onServerRunning: { channel in
                onListener(channel)
                await onServerRunning(channel.localAddress?.port ?? 0)
            },
            logger: env.logger)
    }
}
