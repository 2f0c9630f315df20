import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `microanpr backup` of a server that keeps taking uploads, then `microanpr restore` into an empty deployment:
/// every read answered before the backup began is there, with its images; a non-empty target is refused.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    @Test func sqliteRoundTripWhileUploading() async throws {
        try await roundTrip(first: [], second: [])
    }

    /// The first deployment reaches PostgreSQL through its Unix socket and the second over TCP, each URL with
    /// MicroANPR's own `statement_cache_size`, which `pg_dump` and `pg_restore` would refuse if they were handed it.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts one)"))
    func postgresRoundTripWhileUploading() async throws {
        let socketURL = try #require(TestServices.postgresSocket, "MICROANPR_TEST_POSTGRES_SOCKET_URL missing")
        var socket = try #require(URLComponents(string: socketURL))
        let database = try #require(URLComponents(string: try newPostgresDatabase()))
        socket.path = database.path
        socket.queryItems = (socket.queryItems ?? []) + [URLQueryItem(name: "statement_cache_size", value: "50")]
        try await roundTrip(
            first: ["--database-url", try #require(socket.string)],
            second: ["--database-url", try newPostgresDatabase() + "?statement_cache_size=0"])
    }

    /// PostgreSQL and media on S3 (moto): the media files come from one bucket and go to another.
    @Test(.enabled(if: TestServices.runPostgres && TestServices.runS3, "needs PostgreSQL and S3 (make test starts both)"))
    func postgresAndS3RoundTripWhileUploading() async throws {
        let endpoint = try #require(TestServices.s3, "MICROANPR_TEST_S3_ENDPOINT missing")
        func s3(_ bucket: String) -> [String: String] {
            [
                "MICROANPR_S3_ENDPOINT": endpoint, "MICROANPR_S3_BUCKET": bucket, "MICROANPR_S3_ACCESS_KEY": "test",
                "MICROANPR_S3_SECRET_KEY": "test",
            ]
        }
        let suffix = UUID().uuidString.prefix(8).lowercased()
        try await roundTrip(
            first: ["--database-url", try newPostgresDatabase()], second: ["--database-url", try newPostgresDatabase()],
            firstEnvironment: s3("bk-a-\(suffix)"), secondEnvironment: s3("bk-b-\(suffix)"))
    }

    /// A file that is not a backup, or no file, is refused with one line naming it.
    @Test func restoreRefusesWhatIsNotABackup() throws {
        let dir = try TestPaths.temporaryDirectory()
        let notTar = dir.appendingPathComponent("notes.txt")
        try "hello".write(to: notTar, atomically: true, encoding: .utf8)
        let target = ["--data-dir", dir.appendingPathComponent("target").path]
        let missing = try microanpr(["restore", dir.appendingPathComponent("none.tar").path] + target)
        #expect(missing.status != 0 && missing.stderr.contains("no archive at"))
        let garbage = try microanpr(["restore", notTar.path] + target)
        #expect(garbage.status != 0 && garbage.stderr.contains("tar"), "\(garbage.stderr)")
        let empty = dir.appendingPathComponent("empty.tar")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-cf", empty.path, "-C", dir.appendingPathComponent("target").deletingLastPathComponent().path, "notes.txt"]
        try tar.run()
        tar.waitUntilExit()
        let other = try microanpr(["restore", empty.path] + target)
        #expect(other.status != 0 && other.stderr.contains("not an archive written by microanpr backup"), "\(other.stderr)")
    }

    func roundTrip(
        first: [String], second: [String], firstEnvironment: [String: String] = [:], secondEnvironment: [String: String] = [:]
    ) async throws {
        let one = ["--data-dir", try TestPaths.temporaryDirectory().path] + first
        let two = ["--data-dir", try TestPaths.temporaryDirectory().path] + second
        #expect(try microanpr(["migrate"] + one).status == 0)
        let tenant = try createTenant(one)
        let server = try ServerProcess(arguments: one, environment: firstEnvironment)
        defer { server.stop() }
        let images = ["pd_test_data_2.jpg", "lp_sample_images_1.jpg", "lp_sample_images_2.jpg"].map {
            TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/\($0)")
        }
        // Uploads go on during the backup; the reads answered before it began must all come back.
        let answered = ReadIDs()
        let uploads = Task {
            var i = 0
            while !Task.isCancelled {
                let (status, json) = try await server.request(
                    "POST", "/v1/recognise", key: tenant.key, body: try Data(contentsOf: images[i % images.count]), contentType: "image/jpeg")
                if status == 200 { answered.add(((json["reads"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }) }
                i += 1
                try await Task.sleep(for: .milliseconds(200))  // steady, not flat out: other tests share the machine
            }
        }
        try await waitFor(60, "a few uploads") { answered.count >= 3 }
        let before = answered.ids
        let archive = try TestPaths.temporaryDirectory().appendingPathComponent("backup.tar").path
        let backup = try microanpr(["backup", "--out", archive] + one, environment: firstEnvironment)
        uploads.cancel()
        _ = await uploads.result
        server.stop()
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stderr.contains("backup: media"), "progress is shown")
        let restore = try microanpr(["restore", archive] + two, environment: secondEnvironment)
        #expect(restore.status == 0, "\(restore.stderr)")
        let again = try microanpr(["restore", archive] + two, environment: secondEnvironment)
        #expect(again.status != 0 && again.stderr.contains("empty"), "a non-empty target is refused: \(again.stderr)")
        let restored = try ServerProcess(arguments: two, environment: secondEnvironment)
        defer { restored.stop() }
        #expect(!before.isEmpty)
        for id in before {
            let (status, read) = try await restored.request("GET", "/v1/reads/\(id)", key: tenant.key)
            #expect(status == 200, "read \(id) restored")
            for field in ["image_url", "crop_url"] {
                let link = try #require(read[field] as? String, "\(id) has \(field)")
                let (bytes, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(restored.port)\(link)")!)
                #expect((response as? HTTPURLResponse)?.statusCode == 200 && bytes.starts(with: [0xFF, 0xD8]), "\(id) \(field)")
            }
        }
    }
}

/// Read ids answered by the server, shared between the upload task and the test.
final class ReadIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []
    func add(_ ids: [String]) { lock.withLock { all += ids } }
    var ids: [String] { lock.withLock { all } }
    var count: Int { ids.count }
}
