@testable import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Media
import Plates
import Recognition
import Server
import Storage
import Testing
import Tracking
import TestSupport
import Vision
import NIOFoundationEssentialsCompat

/// The storage engines every storage and API test runs against. PostgreSQL is included when
/// `scripts/test-services.sh` (run by `make test`) started one; under `make test` it is required.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// SQLite, and PostgreSQL when its test server runs or `make test` requires it. Without it the PostgreSQL
    /// cases are left out and ``PostgresCasesTests`` shows as skipped, so that their absence is visible.
    static var available: [Engine] { TestServices.runPostgres ? [.sqlite, .postgres] : [.sqlite] }
}

/// Loaded once for the whole test process.
enum SharedEngine {
    static let recognizer: Recognizer = {
        do {
            return try Recognizer(configuration: RecognizerConfiguration(manifestPath: TestPaths.manifest, threads: 1, workers: 2))
        } catch {
            fatalError("models missing (run make setup): \(error)")
        }
    }()
}

/// The recogniser of tests that never read a plate: it knows the countries (cameras and uploads validate
/// them) and loads no model; asked to read, it fails the call, so a test that needs readings and forgot
/// `models: true` fails loudly instead of seeing no plates.
struct FakeRecognizer: PlateRecognizing {
    let knownCountries = Recognizer.countries
    let loadMilliseconds = 0.0
    let detectorFile = "none (no models loaded)"
    let runtimeVersion = "none"

    func refuse() -> RecognitionError {
        .modelsMissing("this test server runs without models: make it with TestServer.make(_:models: true)")
    }

    func recognise(
        _ data: [UInt8], country: String?, crop: Bool, withCrops: Bool, mix: CountryMix?
    ) async throws -> RecognitionResult {
        throw refuse()
    }

    func recognise(
        image: Image, country: String?, withCrops: Bool, quick: Bool, mix: CountryMix?
    ) async throws -> RecognitionResult {
        throw refuse()
    }

    func recogniseVideo(
        path: String, options: VideoOptions, progress: @Sendable (Int, Int) async throws -> Void
    ) async throws -> VideoResult {
        throw refuse()
    }

    func reread(
        _ passes: [PassResult], country: String?, mix: CountryMix?, below: Double, tracker: PlateTracker.Configuration
    ) async -> (passes: [PassResult], milliseconds: Double, count: Int) { (passes, 0, 0) }

    func shutdown() {}
}

/// A fresh, migrated database: a temporary SQLite file or a new PostgreSQL database on the test server.
func freshDatabaseURL(_ engine: Engine) async throws -> String {
    switch engine {
    case .sqlite:
        return try TestPaths.temporaryDirectory().appendingPathComponent("test.db").path
    case .postgres:
        guard let admin = TestServices.postgres else {
            Issue.record("MICROANPR_TEST_POSTGRES_URL is not set: make test starts PostgreSQL")
            throw StorageError("no PostgreSQL test server")
        }
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let db = try PostgresDatabase(url: admin)
        try await db.query("CREATE DATABASE \(name)")
        await db.close()
        var c = URLComponents(string: admin)!
        c.path = "/\(name)"
        return c.string!
    }
}

/// A server environment over a fresh database and media folder, plus helpers to call the API in process.
struct TestServer {
    let env: ServerEnvironment
    let engine: Engine

    /// - Parameter models: recognise with the real models (loaded once per test process); otherwise a
    ///   ``FakeRecognizer``, for tests that never read a plate.
    static func make(
        _ engine: Engine, models: Bool = false, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        var c = ServerConfiguration()
        c.storage.dataDirectory = try TestPaths.temporaryDirectory().path
        c.storage.databaseURL = try await freshDatabaseURL(engine)
        c.jobs.staleSeconds = 1
        configure(&c)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let recognizer: any PlateRecognizing = models ? SharedEngine.recognizer : FakeRecognizer()
        let env = try await MicroANPRServer.makeEnvironment(c, logger: logger, recognizer: recognizer)
        return TestServer(env: env, engine: engine)
    }

    var store: Store { env.store }

    func close() async { await env.store.close() }

    /// A new tenant and its key.
    func tenant(_ name: String = "t", plan: Plan = .starter) async throws -> (Tenant, String) {
        try await APIKeys.createTenant(store: store, name: name, plan: plan)
    }

    /// Runs `body` against the server on a loopback port with its background services (events, webhooks,
    /// jobs): for streams, which the in-process client cannot read.
    func live<T: Sendable>(_ body: @Sendable (any TestClientProtocol, Int) async throws -> T) async throws -> T {
        let app = Application(router: MicroANPRServer.makeRouter(env), services: MicroANPRServer.makeServices(env))
        do {
            return try await app.test(.live) { c in try await body(c, c.port ?? 0) }
        } catch {
            // A failure is this test's, not the whole run's: an SQLite connection dropped unclosed would stop the
            // test process.
            await close()
            throw error
        }
    }

    /// Runs `body` with an in-process client (no sockets).
    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await run(Application(router: MicroANPRServer.makeRouter(env)), .router, body)
    }

    /// Runs `body` against the server with its background services, on a loopback port, through AsyncHTTPClient
    /// (a deadline per request, where the live client gives up after 20 s without a read even between requests).
    func http<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await run(Application(router: MicroANPRServer.makeRouter(env), services: MicroANPRServer.makeServices(env)), .ahc(.http), body)
    }

    private func run<T: Sendable>(
        _ app: some ApplicationProtocol, _ setup: TestingSetup, _ body: @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        do {
            return try await app.test(setup, body)
        } catch {
            await close()  // as in live(): the failure stays this test's
            throw error
        }
    }
}

/// A decoded response: status and JSON body.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    /// The `error.code` of a JSON error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    subscript(key: String) -> Any? { json[key] }
    var list: (String) -> [[String: Any]] { { key in (json[key] as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] } }
}

extension TestClientProtocol {
    /// Sends `value`, a request body type generated from the document, as JSON: a test written with one stops
    /// compiling when the document renames or retypes a field.
    func call<Body: Encodable>(
        _ method: HTTPRequest.Method, _ uri: String, key: String? = nil, sending value: Body
    ) async throws -> Reply {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601  // as the generated client sends times (RFC 3339)
        return try await call(method, uri, key: key, body: try encoder.encode(value), contentType: "application/json")
    }

    func call(
        _ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: [String: Any]? = nil,
        body: Data? = nil, contentType: String? = nil, headers extra: [String: String] = [:]
    ) async throws -> Reply {
        var headers = HTTPFields()
        for (k, v) in extra { headers[.init(k)!] = v }
        if let key { headers[.authorization] = "Bearer \(key)" }
        var payload = body
        if let json {
            payload = try JSONSerialization.data(withJSONObject: json)
            headers[.contentType] = "application/json"
        }
        if let contentType { headers[.contentType] = contentType }
        return try await execute(
            uri: uri, method: method, headers: headers,
            body: payload.map { ByteBuffer(bytes: $0) }
        ) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// POSTs `file` as multipart field `file` with extra form fields.
    func upload(
        _ uri: String, key: String?, file: Data, filename: String = "image.jpg",
        fileType: String = "image/jpeg", fields: [String: String] = [:]
    ) async throws -> Reply {
        let boundary = "test-\(UUID().uuidString)"
        var body = Data()
        for (k, v) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(fileType)\r\n\r\n"
                .utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return try await call(.post, uri, key: key, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

/// Real photos from the shared datasets.
enum Photos {
    static func carpark(_ name: String = "pd_test_data_2.jpg") throws -> Data {
        try Data(contentsOf: TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/\(name)"))
    }
    static var video: URL { TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4") }
}

/// Shows in every run whether the PostgreSQL cases of the engine-parameterized tests ran: skipped (with the reason)
/// when the server is absent, instead of those cases silently missing.
@Suite struct PostgresCasesTests {
    @Test(
        .enabled(
            if: TestServices.runPostgres,
            "PostgreSQL cases of every storage and API test: needs the PostgreSQL test server (make test starts one)"))
    func postgresCasesRun() async throws {
        let url = try await freshDatabaseURL(.postgres)
        let store = try await Store.open(url: url)
        try await store.ping()
        await store.close()
    }
}
