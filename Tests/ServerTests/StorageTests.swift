import Foundation
import ExportFormats
import Media
@testable import Core
@testable import Server
@testable import Storage
import Testing
import TestSupport

@Suite("Storage, on SQLite and PostgreSQL")
struct StorageTests {
    func read(_ tenant: ID<Tenant>, _ plate: String, at t: Int64, camera: ID<Camera>? = nil, confidence: Double = 0.9) -> PlateRead {
        PlateRead(
            id: ID(Identifier.make("rd")), tenantID: tenant, plate: plate, display: plate, confidence: confidence,
            format: "gb.current", country: "GB", box: (1, 2, 3, 4), cameraID: camera, jobID: nil,
            frameTimeMillis: nil, capturedAt: t, createdAt: t, cropKey: nil, frameKey: nil)
    }

    /// Pages through a list of `tenant`'s reads, `size` at a time, following each page's cursor, and expects exactly
    /// `expected` in that order (each read once, none of another tenant's).
    func expectAllPages(
        of store: Store, tenant: ID<Tenant>, size: Int, _ filter: (inout ReadQuery) -> Void, are expected: [PlateRead]
    ) async throws {
        var q = ReadQuery(), seen: [ID<PlateRead>] = []
        filter(&q)
        q.limit = size
        while true {
            let page = try await store.reads(tenantID: tenant, q)
            seen += page.reads.map(\.id)
            guard let next = page.next else { break }
            q.after = next
        }
        #expect(seen == expected.map(\.id))
    }

    /// PostgreSQL's plan for `statement` with sequential and bitmap scans off: which index a list walks, on a table
    /// too small for the planner to prefer an index as it does at ten million rows.
    func indexPlan(_ statement: String, _ binds: [SQLValue], in db: PostgresDatabase) async throws -> String {
        try await db.transaction { tx in
            for kind in ["seqscan", "bitmapscan"] { try await tx.query("SET LOCAL enable_\(kind) = off") }
            return try await tx.query("EXPLAIN " + statement, binds).map { $0.string("QUERY PLAN") }.joined(separator: "\n")
        }
    }

    @Test(arguments: Engine.available)
    func migrationsAreNamedAndIdempotent(engine: Engine) async throws {
        let db = try await DatabaseFactory.open(url: try await freshDatabaseURL(engine))
        #expect(try await Migrations.pending(in: db) == Migrations.all.map(\.name))
        #expect(try await Migrations.apply(to: db) == Migrations.all.map(\.name))
        #expect(try await Migrations.apply(to: db).isEmpty)
        #expect(try await Migrations.pending(in: db).isEmpty)
        await db.close()
    }

    /// Upgrading to emails unique per tenant keeps every user and every signed-in session (SQLite rebuilds the
    /// users table, which would cascade to sessions).
    @Test(arguments: Engine.available)
    func theEmailPerTenantUpgradeKeepsUsersAndSessions(engine: Engine) async throws {
        let db = try await DatabaseFactory.open(url: try await freshDatabaseURL(engine))
        try await Migrations.apply(to: db, through: "0013_job_webhook_secrets")
        let store = Store(db)
        let (a, _) = try await APIKeys.createTenant(store: store, name: "A", plan: .starter)
        let (b, _) = try await APIKeys.createTenant(store: store, name: "B", plan: .starter)
        let u = try await store.createUser(tenantID: a.id, email: "one@example.com", name: "One", role: .owner, passwordHash: "h")
        let now = WallClock.nowMillis()
        try await store.createSession(
            UserSession(idHash: "session-hash", userID: u.id, tenantID: a.id, csrfToken: "c", expiresAt: now + 60_000, lastSeenAt: now))
        await #expect(throws: (any Error).self, "before: one address in one tenant only") {
            _ = try await store.createUser(tenantID: b.id, email: "one@example.com", name: "One", role: .owner, passwordHash: "h")
        }
        #expect(try await Migrations.apply(to: db).first == "0014_user_email_per_tenant")
        #expect(try await store.user(tenantID: a.id, id: u.id)?.email == "one@example.com")
        #expect(try await store.session(idHash: "session-hash") != nil, "the signed-in session survived the rebuild")
        _ = try await store.createUser(tenantID: b.id, email: "one@example.com", name: "One", role: .viewer, passwordHash: "h")
        #expect(try await store.users(email: "ONE@example.com").count == 2)
        await #expect(throws: (any Error).self, "still unique within a tenant") {
            _ = try await store.createUser(tenantID: a.id, email: "one@example.com", name: "Again", role: .viewer, passwordHash: "h")
        }
        await db.close()
    }

    /// Seeded reads and passes with `imageKeys` (the scale benchmarks) are listed as real ones are: each names a crop and
    /// a frame of its own. Without it (a dashboard shown in a browser) they name none.
    @Test(arguments: Engine.available)
    func seededReadsAndPassesNameTheirImages(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let store = server.store
        let t = try await store.createTenant(name: "a", plan: .pro)
        try await store.seed(tenantID: t.id, kind: .reads, range: 1...30, of: 30, days: 1, plates: 10, imageKeys: true)
        try await store.seed(tenantID: t.id, kind: .passes, range: 1...30, of: 30, days: 1, plates: 10, imageKeys: true)
        let plain = try await store.createTenant(name: "b", plan: .pro)
        try await store.seed(tenantID: plain.id, kind: .reads, range: 1...5, of: 5, days: 1, plates: 10)
        #expect(try await store.reads(tenantID: plain.id, ReadQuery()).reads.allSatisfy { $0.cropKey == nil && $0.frameKey == nil })
        let reads = try await store.reads(tenantID: t.id, ReadQuery()).reads
        #expect(reads.count == 30)
        #expect(Set(reads.compactMap(\.cropKey)).count == 30 && Set(reads.compactMap(\.frameKey)).count == 30)
        #expect(reads.allSatisfy { $0.cropKey?.hasPrefix("\(t.id)/crops/") == true && $0.frameKey?.hasPrefix("\(t.id)/frames/") == true })
        let passes = try await store.passes(tenantID: t.id, ReadQuery()).passes
        #expect(passes.count == 30 && Set(passes.compactMap(\.cropKey)).count == 30 && Set(passes.compactMap(\.frameKey)).count == 30)
        await server.close()
    }

    @Test(arguments: Engine.available)
    func readsFilterAndPageWithoutGapsOrRepeats(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let store = server.store
        let a = try await store.createTenant(name: "a", plan: .pro)
        let b = try await store.createTenant(name: "b", plan: .pro)
        var reads: [PlateRead] = []
        for i in 0..<57 {
            // Several reads share a timestamp, so paging must order by id too.
            reads.append(
                read(
                    a.id, i % 3 == 0 ? "AB12CDE" : "XY\(i)ZZZ", at: 1_000_000 + Int64(i / 2),
                    camera: i % 2 == 0 ? "cam_x" : nil, confidence: Double(i) / 100))
        }
        try await store.insertReads(reads)
        try await store.insertReads([read(b.id, "AB12CDE", at: 1_000_000)])
        var seen: [String] = []
        var q = ReadQuery()
        q.limit = 10
        while true {
            let page = try await store.reads(tenantID: a.id, q)
            seen += page.reads.map(\.id.rawValue)
            guard let next = page.next else { break }
            q.after = next
        }
        #expect(seen.count == 57)
        #expect(Set(seen) == Set(reads.map(\.id.rawValue)))
        var byPlate = ReadQuery(); byPlate.plate = "AB12CDE"
        #expect(try await store.reads(tenantID: a.id, byPlate).reads.count == 19)
        // Prefixes of one, two and four (their own indexes), three and five characters: every match, newest first,
        // paged without gaps.
        for p in ["X", "XY", "XY1", "XY12", "AB12", "AB12C", "Q"] {
            var prefix = ReadQuery(); prefix.platePrefix = p; prefix.limit = 7
            var found: [PlateRead] = []
            while true {
                let page = try await store.reads(tenantID: a.id, prefix)
                found += page.reads
                guard let next = page.next else { break }
                prefix.after = next
            }
            let expected = reads.filter { $0.plate.hasPrefix(p) }.sorted { ($0.capturedAt, $0.id) > ($1.capturedAt, $1.id) }
            #expect(found.map(\.id) == expected.map(\.id), "prefix \(p)")
        }
        var camera = ReadQuery(); camera.cameraID = "cam_x"
        #expect(try await store.reads(tenantID: a.id, camera).reads.count == 29)
        var time = ReadQuery(); time.from = 1_000_010; time.to = 1_000_020
        #expect(try await store.reads(tenantID: a.id, time).reads.count == 20)
        var conf = ReadQuery(); conf.minConfidence = 0.5
        #expect(try await store.reads(tenantID: a.id, conf).reads.count == 7)
        // Tenant B sees only its own read.
        #expect(try await store.reads(tenantID: b.id, ReadQuery()).reads.count == 1)
        #expect(try await store.read(tenantID: b.id, id: reads[0].id) == nil)
        #expect(try await store.read(tenantID: a.id, id: reads[0].id) == reads[0])
        await server.close()
    }

    @Test(arguments: Engine.available)
    func concurrentWorkersClaimEachJobExactlyOnce(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let store = server.store
        let t = try await store.createTenant(name: "a", plan: .pro)
        for i in 0..<40 {
            try await store.insertJob(
                Job(
                    id: ID("job_\(i)"), tenantID: t.id, status: .queued, progress: 0, kind: .image,
                    filename: "x.jpg", mediaKey: "k", cameraID: nil, country: nil, webhookURL: nil,
                    attempts: 0, maxAttempts: 3, worker: nil, framesTotal: 0, framesDone: 0,
                    readsCount: 0, error: nil, createdAt: Int64(i), startedAt: nil, finishedAt: nil))
        }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for w in 0..<8 {
                group.addTask {
                    var mine: [String] = []
                    while let job = try await store.claimJob(worker: "w\(w)", staleBefore: 0) { mine.append(job.id.rawValue) }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == 40)
        await server.close()
    }

    /// Cameras and webhook deliveries are leased like jobs (`Lease`): a live holder keeps its row, a silent one loses it.
    @Test(arguments: Engine.available)
    func cameraAndDeliveryLeasesFollowTheJobsRule(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let store = server.store
        let t = try await store.createTenant(name: "a", plan: .pro)
        let other = try await store.createTenant(name: "b", plan: .pro)
        let cam = try await store.createCamera(
            tenantID: t.id, name: "Gate", site: "", direction: .entry, country: nil, sourceURL: "rtsp://camera.example/1")
        // Heartbeats older than `alive` are none; older than `gone`, all (it is in the future).
        let alive = WallClock.nowMillis() - 60_000, gone = WallClock.nowMillis() + 600_000
        #expect(try await store.claimCamera(id: cam.id, runner: "a", staleBefore: alive))
        #expect(try await store.claimCamera(id: cam.id, runner: "a", staleBefore: alive), "a runner keeps its own camera")
        #expect(try await store.claimCamera(id: cam.id, runner: "b", staleBefore: alive) == false)
        #expect(try await store.reportCamera(id: cam.id, runner: "a", status: "{}"))
        #expect(try await store.reportCamera(id: cam.id, runner: "b", status: "{}") == false)
        #expect(try await store.claimCamera(id: cam.id, runner: "b", staleBefore: gone), "a silent runner's camera is taken over")
        #expect(try await store.reportCamera(id: cam.id, runner: "a", status: "{}") == false)
        try await store.releaseCamera(id: cam.id, runner: "a")  // not a's any more: no effect
        #expect(try await store.claimCamera(id: cam.id, runner: "a", staleBefore: alive) == false)
        try await store.releaseCamera(id: cam.id, runner: "b")
        #expect(try await store.claimCamera(id: cam.id, runner: "a", staleBefore: alive))

        // Deliveries: each due one is leased to one sender with its own tenant's webhook and event.
        _ = try await store.createWebhook(tenantID: t.id, url: "https://hooks.example/a", events: ["*"], secret: "s")
        _ = try await store.createWebhook(tenantID: other.id, url: "https://hooks.example/b", events: ["*"], secret: "s")
        try await store.recordEvents(tenantID: t.id, (0..<3).map { NewEvent(type: "read.created", payload: "{\"n\":\($0)}") })
        try await store.recordEvents(tenantID: other.id, [NewEvent(type: "read.created", payload: "{}")])
        let batch = try await store.claimDeliveries(worker: "a", limit: 10, staleBefore: alive)
        #expect(batch.count == 4)
        #expect(batch.allSatisfy { d, h, e in h.tenantID == d.tenantID && e.tenantID == d.tenantID && e.id == d.eventID })
        #expect(try await store.claimDeliveries(worker: "b", limit: 10, staleBefore: alive).isEmpty, "a live lease is left alone")
        try await store.releaseDelivery(batch[0].0.id, worker: "a")
        #expect(try await store.claimDeliveries(worker: "b", limit: 10, staleBefore: alive).map(\.0.id) == [batch[0].0.id])
        #expect(try await store.claimDeliveries(worker: "c", limit: 10, staleBefore: gone).count == 4, "silent senders' leases")
        await server.close()
    }

    @Test(arguments: Engine.available)
    func staleJobsAreRetriedThenFailed(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let store = server.store
        let t = try await store.createTenant(name: "a", plan: .pro)
        try await store.insertJob(
            Job(
                id: "job_x", tenantID: t.id, status: .queued, progress: 0, kind: .image,
                filename: "x.jpg", mediaKey: "k", cameraID: nil, country: nil, webhookURL: nil,
                attempts: 0, maxAttempts: 2, worker: nil, framesTotal: 0, framesDone: 0,
                readsCount: 0, error: nil, createdAt: 1, startedAt: nil, finishedAt: nil))
        let first = try #require(try await store.claimJob(worker: "dead", staleBefore: 0))
        #expect(first.attempts == 1)
        // While the heartbeat is fresh nobody else takes it.
        #expect(try await store.claimJob(worker: "other", staleBefore: WallClock.nowMillis() - 60_000) == nil)
        // Once stale, it is taken over; the old worker can no longer update it.
        let second = try #require(try await store.claimJob(worker: "other", staleBefore: WallClock.nowMillis() + 1))
        #expect(second.attempts == 2 && second.worker == "other")
        #expect(try await store.updateJob(id: "job_x", worker: "dead", progress: 5, framesDone: 1, framesTotal: 2, reads: 0) == false)
        // After max_attempts interruptions it is failed, not retried.
        #expect(try await store.claimJob(worker: "third", staleBefore: WallClock.nowMillis() + 1) == nil)
        let failed = try #require(try await store.job(tenantID: t.id, id: "job_x"))
        #expect(failed.status == .failed)
        #expect(failed.error?.contains("interrupted") == true)
        await server.close()
    }

    /// List pages are prepared statements on PostgreSQL: after more runs than PostgreSQL needs to switch to a generic
    /// plan, every page (by plate, by pseudonym-free alias list, by camera, by time, with the cursor) still answers as
    /// the one planned afresh, and the number kept prepared stops at the URL's `statement_cache_size`.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func preparedListPagesAnswerAsPlannedOnes() async throws {
        let url = try await freshDatabaseURL(.postgres)
        let db = try PostgresDatabase(url: url + "?statement_cache_size=3")
        try await Migrations.apply(to: db)
        let store = Store(db)
        let t = try await store.createTenant(name: "a", plan: .pro)
        let other = try await store.createTenant(name: "b", plan: .pro)
        let cam: ID<Camera> = "cam_1"
        var reads: [PlateRead] = []
        for i in 0..<120 {
            reads.append(read(t.id, i % 3 == 0 ? "AB12CDE" : "XY\(10 + i % 7)ABC", at: Int64(1_000 + i), camera: i % 2 == 0 ? cam : nil))
        }
        try await store.insertReads(reads + [read(other.id, "AB12CDE", at: 5_000)])
        let newest = reads.sorted { ($0.capturedAt, $0.id.rawValue) > ($1.capturedAt, $1.id.rawValue) }
        func expectPages(_ filter: (inout ReadQuery) -> Void, _ keep: (PlateRead) -> Bool) async throws {
            try await expectAllPages(of: store, tenant: t.id, size: 7, filter, are: newest.filter(keep))
        }
        for _ in 0..<8 {
            try await expectPages({ $0.plate = "AB12CDE" }) { $0.plate == "AB12CDE" }
            try await expectPages({ $0.cameraID = cam }) { $0.cameraID == cam }
            try await expectPages({ $0.platePrefix = "XY" }) { $0.plate.hasPrefix("XY") }
            try await expectPages({ $0.platePrefix = "XY13" }) { $0.plate.hasPrefix("XY13") }
        }
        let prepared = db.preparedStatements
        #expect(prepared.count == 3 && !prepared.off, "at most statement_cache_size texts prepared: \(prepared.count)")
        await db.close()
        #expect(throws: StorageError.self) { try PostgresDatabase(url: url + "?statement_cache_size=some") }
        let none = try PostgresDatabase(url: url + "?statement_cache_size=0")
        var byPlate = ReadQuery()
        byPlate.plate = "AB12CDE"
        #expect(try await Store(none).reads(tenantID: t.id, byPlate).reads.count == 40)
        #expect(none.preparedStatements.count == 0)
        await none.close()
    }

    /// A database URL whose `host` parameter names a folder connects through the Unix socket there, as libpq does
    /// (`postgres://user@/database?host=/var/run/postgresql`): both pools, the one of prepared pages too, answer over
    /// it (PostgreSQL gives no server address to a socket's session). A relative folder or a port that is not a number
    /// is refused with an error naming the parameter.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func aURLNamingASocketFolderConnectsThroughTheSocket() async throws {
        let url = try #require(TestServices.postgresSocket, "MICROANPR_TEST_POSTGRES_SOCKET_URL missing")
        let db = try PostgresDatabase(url: url)
        let address = "SELECT CASE WHEN inet_server_addr() IS NULL THEN 1 ELSE 0 END AS socket, current_setting('plan_cache_mode') AS mode"
        let plain = try #require(try await db.query(address, []).first)
        #expect(plain.int("socket") == 1 && plain.string("mode") == "auto")
        let prepared = try #require(try await db.preparedQuery(address, []).first)
        #expect(prepared.int("socket") == 1 && prepared.string("mode") == "force_generic_plan")
        await db.close()
        let tcp = try PostgresDatabase(url: try #require(TestServices.postgres))
        #expect(try await tcp.query(address, []).first?.int("socket") == 0, "the TCP URL is not a socket")
        await tcp.close()
        let relative = #expect(throws: StorageError.self) { try PostgresDatabase(url: "postgres://u@/db?host=run/postgresql") }
        #expect(relative?.description.contains("host parameter") == true)
        let port = #expect(throws: StorageError.self) { try PostgresDatabase(url: "postgres://u@/db?host=/run&port=x") }
        #expect(port?.description.contains("port parameter") == true)
        #expect(throws: StorageError.self) { try PostgresDatabase(url: "postgres://u@/db") }
        // libpq's tools are handed the URL without the parameters only MicroANPR reads.
        let socketForm = PostgresDatabase.libpqURL("postgres://u@/db?host=/run&statement_cache_size=0&port=5433")
        #expect(socketForm == "postgres://u@/db?host=/run&port=5433")
        #expect(PostgresDatabase.libpqURL("postgres://u:p@h:5432/db?statement_cache_size=9") == "postgres://u:p@h:5432/db")
        #expect(PostgresDatabase.libpqURL("postgres://u:p@h/db?sslmode=require") == "postgres://u:p@h/db?sslmode=require")
    }

    /// A database URL's `sslmode` means what it means to libpq (the test server offers TLS with a certificate its own
    /// CA signed): none on loopback unless asked; `prefer` and `require` encrypt without checking the certificate;
    /// `verify-ca` and `verify-full` encrypt with it checked against `sslrootcert`, and a certificate no trusted root
    /// signed is refused, not used unencrypted. An unknown mode is refused with the ones it takes.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func sslModesMeanWhatTheyMeanToLibpq() async throws {
        let url = try #require(TestServices.postgres)
        let ca = try #require(TestServices.postgresCA, "MICROANPR_TEST_POSTGRES_CA missing")
        func encrypted(_ parameters: String) async throws -> Bool {
            let db = try PostgresDatabase(url: url + parameters)
            do {
                let on = try await db.query(
                    "SELECT CASE WHEN ssl THEN 1 ELSE 0 END AS on FROM pg_stat_ssl WHERE pid = pg_backend_pid()", [])
                await db.close()
                return on.first?.int("on") == 1
            } catch {
                await db.close()
                throw error
            }
        }
        #expect(try await encrypted("") == false, "loopback: none unless asked")
        #expect(try await encrypted("?sslmode=disable") == false)
        #expect(try await encrypted("?sslmode=prefer") == true)
        #expect(try await encrypted("?sslmode=require") == true)
        #expect(try await encrypted("?sslmode=verify-ca&sslrootcert=\(ca)") == true)
        #expect(try await encrypted("?sslmode=verify-full&sslrootcert=\(ca)") == true)
        // Opened as the server and the CLI open it, the database is tried at once: a certificate no trusted root
        // signed (here the system's, without sslrootcert) is refused with the reason, not used unencrypted.
        for mode in ["verify-full", "verify-ca"] {
            let refused = await #expect(throws: StorageError.self) { _ = try await DatabaseFactory.open(url: url + "?sslmode=\(mode)") }
            #expect(refused?.description.contains("cannot connect to PostgreSQL") == true, "\(String(describing: refused))")
            #expect(refused?.description.lowercased().contains("certificate") == true, "\(String(describing: refused))")
        }
        // So is a server that is not there (before, the first statement waited about a minute for the pool to give up).
        let started = ContinuousClock.now
        let nobody = await #expect(throws: StorageError.self) {
            _ = try await DatabaseFactory.open(url: "postgres://postgres@127.0.0.1:1/postgres")
        }
        #expect(nobody?.description.contains("cannot connect to PostgreSQL") == true, "\(String(describing: nobody))")
        #expect(ContinuousClock.now - started < .seconds(30), "refused at once, not after the pool's retries")
        let noFile = #expect(throws: StorageError.self) {
            try PostgresDatabase(url: url + "?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt")
        }
        #expect(noFile?.description.contains("sslrootcert") == true)
        let bad = #expect(throws: StorageError.self) { try PostgresDatabase(url: url + "?sslmode=on") }
        #expect(bad?.description.contains("sslmode must be disable, allow, prefer, require, verify-ca or verify-full") == true)
    }

    /// Reads often share their time (the plates of one frame, the reads of one uploaded photo). On PostgreSQL the list
    /// indexes end with the time since `0022_slim_list_indexes`, so equal times are ordered by id after the index:
    /// pages of every list still give each read once, newest first and by id within a time, across page ends that
    /// fall inside a group of equal times, with a generic plan too (more runs than PostgreSQL needs to switch).
    @Test(arguments: Engine.available)
    func pagesOfReadsThatShareTheirTimeAreCompleteAndInOrder(engine: Engine) async throws {
        let db = try await DatabaseFactory.open(url: try await freshDatabaseURL(engine))
        try await Migrations.apply(to: db)
        let store = Store(db)
        let t = try await store.createTenant(name: "a", plan: .pro)
        let other = try await store.createTenant(name: "b", plan: .pro)
        let cam: ID<Camera> = "cam_1", job: ID<Job> = "job_1"
        var reads: [PlateRead] = []
        for i in 0..<90 {
            // Groups of six reads at one time, so that a page of 4 ends inside a group.
            var r = read(t.id, "XY\(10 + i % 7)ABC", at: Int64(1_000 + i / 6), camera: i % 3 == 0 ? nil : cam)
            r.jobID = i % 2 == 0 ? job : nil
            reads.append(r)
        }
        var foreign = read(other.id, "XY10ABC", at: 1_003, camera: cam)
        foreign.jobID = job
        try await store.insertReads(reads + [foreign])
        let newest = reads.sorted { ($0.capturedAt, $0.id.rawValue) > ($1.capturedAt, $1.id.rawValue) }
        func expectPages(_ filter: (inout ReadQuery) -> Void, _ keep: (PlateRead) -> Bool) async throws {
            try await expectAllPages(of: store, tenant: t.id, size: 4, filter, are: newest.filter(keep))
        }
        for _ in 0..<7 {
            try await expectPages({ _ in }) { _ in true }
            try await expectPages({ $0.cameraID = cam }) { $0.cameraID == cam }
            try await expectPages({ $0.jobID = job }) { $0.jobID == job }
            try await expectPages({ $0.platePrefix = "XY" }) { $0.plate.hasPrefix("XY") }
            try await expectPages({ $0.platePrefix = "XY13" }) { $0.plate.hasPrefix("XY13") }
            try await expectPages({
                $0.from = 1_004; $0.to = 1_010
            }) { (1_004..<1_010).contains($0.capturedAt) }
        }
        await db.close()
    }

    /// On SQLite, a one-character prefix that many plates start with is found by walking the time index, and one that
    /// few or none start with (a digit, `Q`) in the plate index (SQLite has no statistics: when fewer than
    /// `Store.fewRows` start with it; before, the walk read every row of the tenant for a prefix no plate has: seconds
    /// at millions of reads); with a camera or a job, that camera's or job's index is walked. On PostgreSQL every
    /// letter has its range of `reads_tenant_prefix1` (migration `0024_prefix1_indexes`). Each way gives every
    /// match once, newest first, across pages, with the other filters too; the passes' list shares the code.
    @Test(arguments: Engine.available)
    func oneCharacterPrefixesManyOrFewPlatesStartWithArePagedInOrder(engine: Engine) async throws {
        let db = try await DatabaseFactory.open(url: try await freshDatabaseURL(engine))
        try await Migrations.apply(to: db)
        var store = Store(db)
        store.fewRows = 100  // 1,000 in service: the same choice, in a test's few rows
        let t = try await store.createTenant(name: "a", plan: .pro)
        let other = try await store.createTenant(name: "b", plan: .pro)
        let cam: ID<Camera> = "cam_1", job: ID<Job> = "job_1"
        var reads: [PlateRead] = []
        // More plates starting with A than SQLite's few, some starting with 1 and Q among them, and
        // groups of three at one time so that pages end inside a group.
        let many = 3 * store.fewRows
        for i in 0..<many + 40 {
            let plate = i < many ? "A\(i % 97)BCD" : (i % 2 == 0 ? "1ABC" : "Q\(i)XYZ")
            // Half of the few older than every other read.
            let at = i < many + 20 ? 1_000_000 + (i * 7_919 % (many + 40)) / 3 : 900_000 + i
            var r = read(t.id, plate, at: Int64(at), camera: i % 4 == 0 ? cam : nil)
            r.jobID = i % 5 == 0 ? job : nil
            reads.append(r)
        }
        try await store.insertReads(reads + [read(other.id, "1ABC", at: 2_000_000), read(other.id, "A1BCD", at: 2_000_000)])
        let newest = reads.sorted { ($0.capturedAt, $0.id.rawValue) > ($1.capturedAt, $1.id.rawValue) }
        for p in ["1", "Q", "Z"] {
            try await expectAllPages(of: store, tenant: t.id, size: 7, { $0.platePrefix = p }, are: newest.filter { $0.plate.hasPrefix(p) })
            try await expectAllPages(
                of: store, tenant: t.id, size: 3,
                {
                    $0.platePrefix = p; $0.cameraID = cam
                },
                are: newest.filter { $0.plate.hasPrefix(p) && $0.cameraID == cam })
            try await expectAllPages(
                of: store, tenant: t.id, size: 3,
                {
                    $0.platePrefix = p; $0.jobID = job
                },
                are: newest.filter { $0.plate.hasPrefix(p) && $0.jobID == job })
        }
        // The first pages of the common letter, alone, by camera, of a job and in a time range.
        let filters: [(String, (inout ReadQuery) -> Void, (PlateRead) -> Bool)] = [
            ("A", { _ in }, { _ in true }),
            ("A by camera", { $0.cameraID = cam }, { $0.cameraID == cam }),
            ("A of a job", { $0.jobID = job }, { $0.jobID == job }),
            (
                "A in a range",
                {
                    $0.from = 1_003_000; $0.to = 1_003_200
                }, { (1_003_000..<1_003_200).contains($0.capturedAt) }
            ),
        ]
        for (name, filter, keep) in filters {
            var q = ReadQuery(), seen: [ID<PlateRead>] = []
            q.platePrefix = "A"; q.limit = 50
            filter(&q)
            for _ in 0..<3 {
                let page = try await store.reads(tenantID: t.id, q)
                seen += page.reads.map(\.id)
                guard let next = page.next else { break }
                q.after = next
            }
            let expected = newest.filter { $0.plate.hasPrefix("A") && keep($0) }.prefix(150).map(\.id)
            #expect(seen == Array(expected), "\(name)")
        }
        var passes = ReadQuery(); passes.platePrefix = "1"
        #expect(try await store.passes(tenantID: t.id, passes).passes.isEmpty)
        await db.close()
    }

    /// Common prefixes are remembered for their lifetime, and no more than `capacity` at once (expired ones go first).
    @Test func commonPrefixesAreRememberedForTheirLifetimeOnly() {
        let common = CommonPrefixes()
        #expect(!common.contains("reads t1 G", now: 1_000))
        common.insert("reads t1 G", now: 1_000)
        #expect(common.contains("reads t1 G", now: 1_000 + common.lifetimeMillis - 1))
        #expect(!common.contains("reads t1 G", now: 1_000 + common.lifetimeMillis))
        #expect(!common.contains("reads t2 G", now: 1_000))
        for i in 0..<common.capacity + 5 { common.insert("k\(i)", now: 2_000) }
        #expect(common.contains("k0", now: 2_000) && !common.contains("k\(common.capacity + 4)", now: 2_000))
        common.insert("late", now: 2_000 + common.lifetimeMillis)
        #expect(common.contains("late", now: 2_000 + common.lifetimeMillis) && !common.contains("k0", now: 2_000 + common.lifetimeMillis))
    }

    /// The slim list indexes of `0022_slim_list_indexes` (and `0024_prefix1_indexes`) are the ones PostgreSQL walks
    /// for each list (newest first,
    /// equal times sorted by id in an incremental sort of a few rows), and the job index holds only reads of a job.
    /// As in the parking summary's test, which plan wins on a small table is not the question, so sequential and
    /// bitmap scans are off for the statements.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func listsWalkTheSlimIndexes() async throws {
        let db = try PostgresDatabase(url: try await freshDatabaseURL(.postgres))
        try await Migrations.apply(to: db)
        let store = Store(db)
        let t = try await store.createTenant(name: "a", plan: .pro)
        try await store.seed(tenantID: t.id, kind: .reads, range: 0...19_999, of: 20_000, days: 90, plates: 5_000)
        try await store.seed(tenantID: t.id, kind: .passes, range: 0...4_999, of: 5_000, days: 90, plates: 5_000)
        try await db.query("VACUUM (ANALYZE) reads")
        try await db.query("VACUUM (ANALYZE) passes")
        let definitions = Dictionary(
            uniqueKeysWithValues: try await db.query(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('reads', 'passes')"
            ).map { ($0.string("indexname"), $0.string("indexdef")) })
        #expect(definitions["reads_tenant_time"]?.hasSuffix("(tenant_id, captured_at)") == true)
        #expect(definitions["passes_tenant_camera"]?.hasSuffix("(tenant_id, camera_id, first_seen_at)") == true)
        #expect(definitions["reads_job"]?.hasSuffix("(job_id, captured_at) WHERE (job_id IS NOT NULL)") == true)
        #expect(definitions["reads_tenant_job"] == nil && definitions["passes_tenant_job"] == nil)
        #expect(definitions["reads_tenant_plate"]?.hasSuffix("(tenant_id, plate, captured_at, id)") == true)
        let job = try #require(try await db.first("SELECT job_id FROM reads WHERE tenant_id = ? LIMIT 1", t.id)).string("job_id")
        let lists: [(String, String, [SQLValue])] = [
            ("reads_tenant_time", "tenant_id = ?", [t.id.sqlValue]),
            ("reads_tenant_camera", "tenant_id = ? AND camera_id = ?", [t.id.sqlValue, .text("cam_1")]),
            ("reads_job", "tenant_id = ? AND job_id = ?", [t.id.sqlValue, .text(job)]),
            ("reads_tenant_prefix1", "tenant_id = ? AND substr(plate, 1, 1) = ?", [t.id.sqlValue, .text("A")]),
            ("reads_tenant_prefix2", "tenant_id = ? AND substr(plate, 1, 2) = ?", [t.id.sqlValue, .text("AB")]),
            ("reads_tenant_prefix4", "tenant_id = ? AND substr(plate, 1, 4) = ?", [t.id.sqlValue, .text("AB12")]),
        ]
        for (index, filter, binds) in lists {
            let p = try await indexPlan("SELECT * FROM reads WHERE \(filter) ORDER BY captured_at DESC, id DESC LIMIT 51", binds, in: db)
            #expect(p.contains("Index Scan Backward using \(index)") && p.contains("Incremental Sort"), "\(index): \(p)")
        }
        await db.close()
    }

    /// List pages kept prepared run on connections that keep one generic plan per statement; every other statement
    /// runs where PostgreSQL plans for the values. (Its own choice, by estimated cost, planned pages of reads on every
    /// run and pages of passes in an hour not: a third of its CPU on a list page was planning; session 45,
    /// docs/scale.md.) Each list the store keeps prepared is run a few times and answers; then the prepared statements
    /// of that pool show generic plans only.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func preparedListPagesKeepOnePlan() async throws {
        let db = try PostgresDatabase(url: try await freshDatabaseURL(.postgres))
        try await Migrations.apply(to: db)
        let store = Store(db)
        let t = try await store.createTenant(name: "a", plan: .pro)
        for kind in Store.SeedKind.allCases {
            try await store.seed(tenantID: t.id, kind: kind, range: 0...1_999, of: 2_000, days: 30, plates: 500)
        }
        try await db.query("ANALYZE")
        let plate = Store.seedPlate(7, plates: 500)
        let job = try #require(try await db.first("SELECT job_id FROM reads WHERE tenant_id = ? AND job_id IS NOT NULL LIMIT 1", t.id))
        let newest = try #require(try await store.reads(tenantID: t.id, ReadQuery()).next)
        // Six hours of a 30-day seed: rows in the window whatever the clock.
        let from = WallClock.nowMillis() - 5 * 86_400_000, to = from + 6 * 3_600_000
        func page(_ table: String, _ filter: (inout ReadQuery) -> Void) async throws -> (sql: String, binds: [SQLValue], prepared: Bool) {
            var q = ReadQuery()
            filter(&q)
            let s = try await store.pageStatement(
                table: table, time: table == "reads" ? "captured_at" : "first_seen_at", tenantID: t.id, q)
            return (s.sql, s.binds, s.prepared)
        }
        let lists: [(String, (sql: String, binds: [SQLValue], prepared: Bool))] = [
            (
                "reads by plate",
                try await page("reads") {
                    $0.plate = plate; $0.plateAliases = ["~pseudonym"]
                }
            ),
            ("reads by 1-character prefix", try await page("reads") { $0.platePrefix = String(plate.prefix(1)) }),
            ("reads by 2-character prefix", try await page("reads") { $0.platePrefix = String(plate.prefix(2)) }),
            ("reads by 4-character prefix", try await page("reads") { $0.platePrefix = String(plate.prefix(4)) }),
            ("reads by camera", try await page("reads") { $0.cameraID = "cam_1" }),
            (
                "reads in a time range",
                try await page("reads") {
                    $0.from = from; $0.to = to
                }
            ),
            ("reads of a job", try await page("reads") { $0.jobID = ID(job.string("job_id")) }),
            ("reads, the second page", try await page("reads") { $0.after = newest }),
            (
                "passes in a time range",
                try await page("passes") {
                    $0.from = from; $0.to = to
                }
            ),
            ("sessions by plate", store.sessionsStatement(SessionFilter(tenantID: t.id, plate: [plate]), limit: 50, before: nil)),
            (
                "sessions in a time range",
                store.sessionsStatement(SessionFilter(tenantID: t.id, from: from, to: to, longest: 86_400_000), limit: 50, before: nil)
            ),
        ]
        for (name, s) in lists {
            #expect(s.prepared, "\(name) is kept prepared")
            var rows = 0
            for _ in 0..<3 { rows = try await db.preparedQuery(s.sql, s.binds).count }
            #expect(rows > 0, "\(name) found rows")
        }
        let mode = "SELECT current_setting('plan_cache_mode') AS mode"
        #expect(try await db.preparedQuery(mode, []).first?.string("mode") == "force_generic_plan")
        #expect(try await db.query(mode, []).first?.string("mode") == "auto", "ranges and other statements: plans for the values")
        let names = Set(lists.map { PostgresDatabase.statementName($0.1.sql) })
        let pages = try await db.preparedQuery("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements", [])
            .filter { names.contains($0.string("name")) }
        #expect(!pages.isEmpty)
        for p in pages { #expect(p.int("custom_plans") == 0 && (p.int("generic_plans") ?? 0) > 0, "\(p.values)") }
        await db.close()
    }

    /// The parking summary's two statements read only columns that `parking_start_covering` holds, so that PostgreSQL
    /// can answer a month of a tenant's sessions from that index alone (an index-only scan: no visit to the table),
    /// with and without a site; the sessions' time list still walks it. Which plan wins on a small table is not the
    /// question (at ten million reads it is this one: docs/scale.md), so this throwaway database is left no other way:
    /// the other indexes on sessions are dropped and sequential and bitmap scans are off for the statements.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func theParkingSummaryIsReadFromItsIndexAlone() async throws {
        let db = try PostgresDatabase(url: try await freshDatabaseURL(.postgres))
        try await Migrations.apply(to: db)
        let store = Store(db)
        let t = try await store.createTenant(name: "a", plan: .pro)
        let other = try await store.createTenant(name: "b", plan: .pro)
        for tenant in [t.id, other.id] {
            try await store.seed(tenantID: tenant, kind: .sessions, range: 0...19_999, of: 20_000, days: 90, plates: 5_000)
        }
        try await db.query("VACUUM (ANALYZE) parking_sessions")  // marks the pages all-visible, as autovacuum does
        for index in try await db.query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'parking_sessions' AND indexname NOT IN ('parking_sessions_pkey', 'parking_start_covering')"
        ) {
            try await db.query("DROP INDEX \(index.string("indexname"))")
        }
        let day: Int64 = 86_400_000, to = WallClock.nowMillis(), from = to - 30 * day
        for site in [nil, "north"] {
            let filter = SessionFilter(tenantID: t.id, site: site, from: from, to: to, longest: 2 * day)
            let q = Store.sessionSummaryStatements(
                filter, base: from - 2 * day, step: day, now: to, from: from, to: to, offsets: [(from, 0)])
            for statement in [q.plates, q.groups] {
                let p = try await indexPlan(statement, q.binds, in: db)
                #expect(p.contains("Index Only Scan using parking_start_covering"), "\(p)")
            }
        }
        let (where_, binds) = SessionFilter(tenantID: t.id, from: from, to: from + 3_600_000, longest: 2 * day).sql
        let list = try await indexPlan(
            "SELECT * FROM parking_sessions WHERE \(where_) ORDER BY \(Store.sessionStart) DESC, id DESC LIMIT 51", binds, in: db)
        #expect(list.contains("Index Scan Backward using parking_start_covering"), "\(list)")
        await db.close()
    }

    /// A table changed under a prepared statement (a newer version's migration while this process runs) makes
    /// PostgreSQL refuse it ("cached plan must not change result type"): the statement runs again unprepared and
    /// prepared statements are off for the process, instead of every list failing until a restart.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts it)"))
    func aTableChangedUnderAPreparedStatementIsAnsweredUnprepared() async throws {
        let db = try PostgresDatabase(url: try await freshDatabaseURL(.postgres))
        try await db.query("CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT)")
        try await db.query("INSERT INTO items VALUES ('a', 1)")
        for _ in 0..<3 { #expect(try await db.preparedQuery("SELECT * FROM items WHERE id = ?", [.text("a")]).first?.int("n") == 1) }
        try await db.query("ALTER TABLE items ADD COLUMN m BIGINT DEFAULT 7")
        for _ in 0..<3 { #expect(try await db.preparedQuery("SELECT * FROM items WHERE id = ?", [.text("a")]).first?.int("m") == 7) }
        #expect(db.preparedStatements.off, "the refusal turned prepared statements off")
        await db.close()
    }

    @Test(arguments: Engine.available)
    func usageAccumulatesPerMonth(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let t = try await server.store.createTenant(name: "a", plan: .starter)
        try await server.store.addUsage(tenantID: t.id, reads: 3, month: "2026-10")
        try await server.store.addUsage(tenantID: t.id, reads: 4, month: "2026-10")
        try await server.store.addUsage(tenantID: t.id, reads: 1, month: "2026-11")
        #expect(try await server.store.usage(tenantID: t.id, month: "2026-10") == 7)
        #expect(try await server.store.usage(tenantID: t.id, month: "2026-11") == 1)
        #expect(Store.month(0) == "1970-01")
        await server.close()
    }

    /// A pass counts its usage in its own transaction: a pass refused (here by its idempotency key, as when two
    /// retries race) leaves the month's count as it was.
    @Test(arguments: Engine.available)
    func aPassCountsUsageOnlyWhenStored(engine: Engine) async throws {
        let server = try await TestServer.make(engine)
        let t = try await server.store.createTenant(name: "a", plan: .starter)
        func pass() -> Pass {
            Pass(
                id: ID(Identifier.make("pas")), tenantID: t.id, plate: "AB12CDE", display: "AB12 CDE", confidence: 0.9,
                format: "gb", country: "GB", direction: "entry", movement: "approaching", cameraID: nil, jobID: nil,
                firstSeenAt: 1_000, lastSeenAt: 2_000, firstSeenSeconds: nil, lastSeenSeconds: nil, frames: 1,
                box: [0, 0, 10, 5], cropKey: nil, frameKey: nil, createdAt: 2_000)
        }
        try await server.store.insertPass(pass(), reads: [], idempotencyKey: "k", usage: 1)
        #expect(try await server.store.usage(tenantID: t.id) == 1)
        await #expect(throws: (any Error).self) {
            try await server.store.insertPass(pass(), reads: [], idempotencyKey: "k", usage: 1)
        }
        #expect(try await server.store.usage(tenantID: t.id) == 1)
        try await server.store.insertPass(pass(), reads: [], usage: 0)
        #expect(try await server.store.usage(tenantID: t.id) == 1)
        await server.close()
    }
}

@Suite("Media stores")
struct MediaStoreTests {
    func exercise(_ store: any MediaStore) async throws {
        try await store.prepare()
        let payload = Data((0..<5000).map { UInt8($0 % 251) })
        try await store.put("ten_a/crops/2026-11-22/rd_1.jpg", data: payload, contentType: "image/jpeg")
        #expect(try await store.get("ten_a/crops/2026-11-22/rd_1.jpg") == payload)
        #expect(try await store.get("ten_a/crops/2026-11-22/missing.jpg") == nil)
        try await store.delete("ten_a/crops/2026-11-22/rd_1.jpg")
        #expect(try await store.get("ten_a/crops/2026-11-22/rd_1.jpg") == nil)
        try await store.delete("ten_a/never-existed.jpg")
        for bad in ["../etc/passwd", "/abs", "a//b", "a/./b", "", "a b"] {
            await #expect(throws: MediaError.self) { try await store.put(bad, data: payload, contentType: "x") }
        }
    }

    @Test func localDirectory() async throws {
        try await exercise(LocalMediaStore(root: try TestPaths.temporaryDirectory()))
    }

    @Test(.enabled(if: TestServices.runS3, "needs the S3 test server (make test starts moto)"))
    func s3CompatibleServer() async throws {
        let endpoint = try #require(TestServices.s3, "MICROANPR_TEST_S3_ENDPOINT missing")
        let config = S3MediaStore.Configuration(
            endpoint: URL(string: endpoint)!, bucket: "media-\(UUID().uuidString.prefix(8).lowercased())",
            region: "us-east-1", accessKey: "testing", secretKey: "testing")
        try await exercise(S3MediaStore(config))
    }

    @Test func sigV4MatchesAWSExample() {
        // AWS documentation example (GET /test.txt with an empty body, us-east-1, 2013-05-24T00:00:00Z).
        let c = S3MediaStore.Configuration(
            endpoint: URL(string: "https://examplebucket.s3.amazonaws.com")!, bucket: "b",
            region: "us-east-1", accessKey: "AKIAIOSFODNN7EXAMPLE",
            secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let headers = S3MediaStore.sign(
            method: "GET", path: "/test.txt", host: "examplebucket.s3.amazonaws.com", body: Data(),
            date: Date(timeIntervalSince1970: 1_369_353_600), configuration: c)
        #expect(headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["Authorization"]?.contains("Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request") == true)
    }
}

@Suite struct TimeFormatTests {
    @Test func rfc3339RoundTrips() throws {
        for millis: Int64 in [0, 1_795_314_477_048, 951_782_400_123, 1_700_000_000_999] {
            let s = try #require(JSONTime.string(millis))
            #expect(s.count == 24 && s.hasSuffix("Z"))
            #expect(JSONTime.parse(s) == millis)
        }
        #expect(JSONTime.string(0) == "1970-01-01T00:00:00.000Z")
        #expect(JSONTime.string(951_782_400_123) == "2000-02-29T00:00:00.123Z")
    }
}

@Suite struct PageCursorTests {
    /// The hand-written token is Foundation's base64 of `time:id` in the URL-safe alphabet without padding, and reads
    /// back to the same position; tokens with padding or the standard alphabet read too, and text that is no token
    /// reads as none.
    @Test func tokensAreUnpaddedBase64URLAndReadBack() throws {
        var g = SystemRandomNumberGenerator()
        for n in 0..<2_000 {
            let time = n < 3 ? [0, -1, Int64.max][n] : Int64.random(in: 0...4_000_000_000_000, using: &g)
            let id = "rd_" + String((0..<Int.random(in: 1...30, using: &g)).map { _ in "abcdefxyz0189_-".randomElement(using: &g)! })
            let c = PageCursor(time: time, id: id)
            let foundation = Data("\(time):\(id)".utf8).base64EncodedString()
            #expect(
                c.token
                    == foundation.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: ""))
            #expect(PageCursor(token: c.token) == c)
            #expect(PageCursor(token: foundation) == c)
        }
        for bad in ["", "A", "MTIz", "OnJkXzE", "MTIzOg", "not a token!", "MTIzOnJk\u{e9}"] {
            #expect(PageCursor(token: bad) == nil, "\(bad)")
        }
    }
}
