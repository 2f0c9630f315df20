import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Core
@testable import Server
import Storage
import Logging
import Media
import Testing
import TestSupport

@Suite("Export jobs, on SQLite and PostgreSQL")
struct ExportJobsTests {
    @Test(arguments: Engine.available)
    func largeExportsRunAsJobsWithProgressAndDownload(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        let (_, other) = try await s.tenant("other")
        let base: Int64 = 1_790_000_000_000
        let reads = (0..<3_000).map { i in
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: i % 3 == 0 ? "AB\(10 + i % 80)CDE" : "XY\(10 + i % 80)ZZZ",
                display: "AB12 CDE", confidence: 0.9, format: "gb.current", country: "GB", box: (1, 2, 30, 10),
                cameraID: nil, jobID: nil, frameTimeMillis: nil, capturedAt: base + Int64(i) * 1000, createdAt: base,
                cropKey: nil, frameKey: nil)
        }
        try await s.store.insertReads(reads)
        let worker = ExportJobWorker(env: s.env, exports: MicroANPRServer.exportsController(s.env), name: "test-export")
        try await s.test { c in
            // Queued with the same filters as GET /v1/exports, refused when they are wrong.
            let created = try await c.call(
                .post, "/v1/export-jobs", key: key,
                json: ["dataset": "reads", "format": "csv", "filters": ["plate_prefix": "AB"]])
            #expect(created.status == .accepted)
            let id = try #require(created["id"] as? String)
            #expect(created.headers[.location] == "/v1/export-jobs/\(id)")
            #expect(created["status"] as? String == "queued" && created["progress"] as? Int == 0)
            #expect((created["filters"] as? [String: String]) == ["plate_prefix": "AB"])
            #expect(try await c.call(.get, "/v1/export-jobs/\(id)/download", key: key).errorCode == "not_ready")
            for bad: [String: Any] in [
                ["dataset": "plates"], ["dataset": "tenant"], ["dataset": "reads", "format": "pdf"],
                ["dataset": "reads", "filters": ["plate_prefx": "AB"]],
                ["dataset": "reads", "filters": ["from": "yesterday"]],
                ["dataset": "sessions", "filters": ["status": "nope"]], ["format": "csv"],
            ] {
                let r = try await c.call(.post, "/v1/export-jobs", key: key, json: bad)
                #expect(r.status == .badRequest, "\(bad)")
            }
            // Filters with spaces and other characters come back as given.
            let sessions = try await c.call(
                .post, "/v1/export-jobs", key: key,
                json: [
                    "dataset": "sessions", "format": "jsonl", "filters": ["site": "Car park A & B+", "status": "closed"],
                ])
            #expect(sessions.status == .accepted)
            #expect((sessions["filters"] as? [String: String]) == ["site": "Car park A & B+", "status": "closed"])
            let sessionsID = try #require(sessions["id"] as? String)
            // Another tenant neither sees nor downloads it.
            #expect(try await c.call(.get, "/v1/export-jobs/\(id)", key: other).status == .notFound)
            #expect(try await c.call(.get, "/v1/export-jobs/\(id)/download", key: other).status == .notFound)
            #expect(try await c.call(.get, "/v1/export-jobs", key: other).list("exports").isEmpty)

            let ran = try await worker.runOnce()
            #expect(ran?.id.rawValue == id)
            #expect(try await worker.runOnce()?.id.rawValue == sessionsID)
            let sessionsDone = try await c.call(.get, "/v1/export-jobs/\(sessionsID)", key: key)
            #expect(sessionsDone["status"] as? String == "done" && sessionsDone["rows_total"] as? Int == 0)
            let done = try await c.call(.get, "/v1/export-jobs/\(id)", key: key)
            #expect(done["status"] as? String == "done", "\(done.json)")
            #expect(done["progress"] as? Int == 100)
            #expect(done["rows_done"] as? Int == 1_000 && done["rows_total"] as? Int == 1_000)
            #expect(done["download_url"] as? String == "/v1/export-jobs/\(id)/download")
            let file = try await c.call(.get, "/v1/export-jobs/\(id)/download", key: key)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(done["bytes"] as? Int == file.body.count)
            // The same bytes as the streamed export with the same filters.
            let direct = try await c.call(.get, "/v1/exports/reads?format=csv&plate_prefix=AB", key: key)
            #expect(file.body == direct.body)
            #expect(
                Set(try await c.call(.get, "/v1/export-jobs", key: key).list("exports").compactMap { $0["id"] as? String }) == [
                    id, sessionsID,
                ])

            // An Excel export of everything, then deleted: the file goes with it.
            let xlsx = try #require(
                try await c.call(
                    .post, "/v1/export-jobs", key: key,
                    json: ["dataset": "reads", "format": "xlsx"])["id"] as? String)
            _ = try await worker.runOnce()
            let x = try await c.call(.get, "/v1/export-jobs/\(xlsx)/download", key: key)
            #expect(x.status == .ok && x.body.starts(with: [0x50, 0x4B]), "a zip")
            let xlsxJob = try #require(try await s.store.exportJob(tenantID: tenant.id, id: ID(xlsx)))
            let path = try #require(try s.env.media.localPath(ExportJobWorker.mediaKey(xlsxJob)))
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await c.call(.delete, "/v1/export-jobs/\(xlsx)", key: key).status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(try await c.call(.get, "/v1/export-jobs/\(xlsx)", key: key).status == .notFound)

            // A finished export whose file has gone answers 410, not a broken download.
            let csvJob = try #require(try await s.store.exportJob(tenantID: tenant.id, id: ID(id)))
            let csvFile = try #require(try s.env.media.localPath(ExportJobWorker.mediaKey(csvJob)))
            let kept = try Data(contentsOf: URL(fileURLWithPath: csvFile))
            try FileManager.default.removeItem(atPath: csvFile)
            #expect(try await c.call(.get, "/v1/export-jobs/\(id)/download", key: key).errorCode == "expired")
            try kept.write(to: URL(fileURLWithPath: csvFile))
            // Expired exports are swept with their files.
            let csvPath = csvFile
            try await worker.sweep(now: WallClock.nowMillis() + 25 * 3_600_000)
            #expect(!FileManager.default.fileExists(atPath: csvPath))
            #expect(try await c.call(.get, "/v1/export-jobs/\(id)", key: key).status == .notFound)

            let audit = try await c.call(.get, "/v1/audit", key: key).list("entries")
            #expect(audit.contains { ($0["detail"] as? String)?.contains("job=\(id)") == true })
        }
        await s.close()
    }

    /// The finished file is in the media store, so another process (its own export folder, the same database and
    /// store) serves it: here the store is S3 (moto).
    @Test(.enabled(if: TestServices.runS3, "needs the S3 test server (make test starts moto)"))
    func anotherProcessServesTheExportFromS3() async throws {
        let endpoint = try #require(TestServices.s3, "MICROANPR_TEST_S3_ENDPOINT missing")
        let s = try await TestServer.make(.sqlite) {
            $0.storage.s3 = .init(
                endpoint: endpoint, bucket: "exp-\(UUID().uuidString.prefix(8).lowercased())", region: "us-east-1",
                accessKey: "testing", secretKey: "testing")
        }
        let (tenant, key) = try await s.tenant()
        try await s.store.insertReads(
            (0..<30).map { i in
                PlateRead(
                    id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: "AB\(10 + i)CDE", display: "AB12 CDE", confidence: 0.9,
                    format: "gb.current", country: "GB", box: (1, 2, 30, 10), cameraID: nil, jobID: nil, frameTimeMillis: nil,
                    capturedAt: 1_790_000_000_000 + Int64(i), createdAt: 1_790_000_000_000, cropKey: nil, frameKey: nil)
            })
        var second = s.env.configuration
        second.exports.directory = try TestPaths.temporaryDirectory().path
        var logger = s.env.logger
        logger.logLevel = .critical
        let other = try await MicroANPRServer.makeEnvironment(second, logger: logger, recognizer: SharedEngine.recognizer)
        let id = try await s.test { c in
            try #require(
                try await c.call(.post, "/v1/export-jobs", key: key, json: ["dataset": "reads", "format": "csv"])["id"] as? String)
        }
        _ = try await ExportJobWorker(env: s.env, exports: MicroANPRServer.exportsController(s.env), name: "one").runOnce()
        let app = Application(router: MicroANPRServer.makeRouter(other))
        try await app.test(.router) { c in
            let r = try await c.call(.get, "/v1/export-jobs/\(id)/download", key: key)
            #expect(r.status == .ok)
            #expect(r.body.filter { $0 == 10 }.count == 31, "a header and 30 reads")
            #expect(try await c.call(.delete, "/v1/export-jobs/\(id)", key: key).status == .noContent)
        }
        #expect(try await s.env.media.get("\(tenant.id)/exports/\(id).csv") == nil, "deleted from the store")
        await other.store.close()
        await s.close()
    }

    @Test func anInterruptedExportIsTakenOverAndAGracefulStopRequeuesIt() async throws {
        let s = try await TestServer.make(.sqlite)
        let (tenant, key) = try await s.tenant()
        try await s.test { c in
            let id = try #require(try await c.call(.post, "/v1/export-jobs", key: key, json: ["dataset": "alerts"])["id"] as? String)
            // A worker claims it and dies (no heartbeat): after jobStaleSeconds another takes it over.
            let dead = try #require(try await s.store.claimExportJob(worker: "dead", staleBefore: 0))
            #expect(dead.id.rawValue == id)
            #expect(try await s.store.claimExportJob(worker: "idle", staleBefore: 0) == nil, "a live claim is left alone")
            try await Task.sleep(for: .milliseconds(1_100))
            let taken = try await ExportJobWorker(env: s.env, exports: MicroANPRServer.exportsController(s.env), name: "survivor").runOnce()
            #expect(taken?.id.rawValue == id)
            let job = try #require(try await s.store.exportJob(tenantID: tenant.id, id: ID(id)))
            #expect(job.status == .done && job.attempts == 2 && job.worker == "survivor")
            // The dead worker's late progress is refused.
            #expect(try await !s.store.updateExportJob(id: ID(id), worker: "dead", rowsDone: 1, rowsTotal: 1, progress: 1))
            // Given back at a graceful shutdown, without counting the attempt.
            let second = try #require(try await c.call(.post, "/v1/export-jobs", key: key, json: ["dataset": "members"])["id"] as? String)
            _ = try await s.store.claimExportJob(worker: "stopping", staleBefore: 0)
            try await s.store.returnExportJob(id: ID(second), worker: "stopping")
            let back = try #require(try await s.store.exportJob(tenantID: tenant.id, id: ID(second)))
            #expect(back.status == .queued && back.attempts == 0)
            _ = try await ExportJobWorker(env: s.env, exports: MicroANPRServer.exportsController(s.env), name: "w").runOnce()
            // One whose filters no longer hold fails with the reason, and is kept as long as a file would be.
            let bad = ExportJob(
                id: ID(Identifier.make("exp")), tenantID: tenant.id, dataset: "reads", format: "csv", query: "from=yesterday",
                createdBy: "test", createdAt: WallClock.nowMillis())
            try await s.store.insertExportJob(bad)
            let worker = ExportJobWorker(env: s.env, exports: MicroANPRServer.exportsController(s.env), name: "w")
            #expect(try await worker.runOnce()?.id == bad.id)
            let failed = try await c.call(.get, "/v1/export-jobs/\(bad.id)", key: key)
            #expect(failed["status"] as? String == "failed")
            #expect((failed["error"] as? String)?.contains("from must be") == true, "\(failed.json)")
            #expect(try await c.call(.get, "/v1/export-jobs/\(bad.id)/download", key: key).errorCode == "not_ready")
            try await worker.sweep(now: WallClock.nowMillis())
            #expect(try await c.call(.get, "/v1/export-jobs/\(bad.id)", key: key).status == .ok)
            try await worker.sweep(now: WallClock.nowMillis() + 25 * 3_600_000)
            #expect(try await c.call(.get, "/v1/export-jobs/\(bad.id)", key: key).status == .notFound)
        }
        await s.close()
    }
}
