import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `microanpr serve` child process on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    init(arguments: [String], port fixed: Int = 0, environment extra: [String: String] = [:]) throws {
        let dir = try TestPaths.temporaryDirectory()
        let portFile = dir.appendingPathComponent("port")
        log = dir.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = microanprBinary()
        process.arguments = ["serve", "--port", String(fixed)] + arguments
        var env = ProcessInfo.processInfo.environment
        env["MICROANPR_MODELS"] = TestPaths.manifest
        env["MICROANPR_PORT_FILE"] = portFile.path
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var port = 0
        while Date() < deadline && process.isRunning {
            if let s = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(s.trimmingCharacters(in: .whitespacesAndNewlines)),
                p > 0
            {
                port = p
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        self.port = port
        if port == 0 {
            process.terminate()
            throw CLIError("server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
    }

    /// SIGKILL: no graceful shutdown, like a crash.
    func crash() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait for the graceful shutdown.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    func request(
        _ method: String, _ path: String, key: String?, body: Data? = nil, contentType: String? = nil
    ) async throws -> (Int, [String: Any]) {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 60)
        r.httpMethod = method
        r.httpBody = body
        if let key { r.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let contentType { r.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: r)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    func upload(_ file: URL, key: String, type: String) async throws -> String {
        let (status, json) = try await request(
            "POST", "/v1/upload?filename=\(file.lastPathComponent)", key: key,
            body: try Data(contentsOf: file), contentType: type)
        guard status == 202, let id = json["job_id"] as? String else { throw CLIError("upload answered \(status) \(json)") }
        return id
    }

    func job(_ id: String, key: String) async throws -> [String: Any] { try await request("GET", "/v1/jobs/\(id)", key: key, body: nil).1 }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }
}

/// A TCP connection to the server on loopback that has sent `text` (a partial request, to hold it open).
func rawConnection(port: Int, sending text: String) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw CLIError("cannot connect to port \(port)")
    }
    if !text.isEmpty { _ = text.withCString { send(fd, $0, strlen($0), 0) } }
    return fd
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func microanprBinary() -> URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("microanpr")
    return FileManager.default.isExecutableFile(atPath: beside.path)
        ? beside : TestPaths.root.appendingPathComponent(".build/debug/microanpr")
}

func createTenant(_ storage: [String], plan: String = "pro") throws -> (id: String, key: String) {
    let r = try microanpr(["tenant", "create", "acme", "--plan", plan] + storage)
    guard r.status == 0, let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String],
        let id = obj["tenant_id"], let key = obj["api_key"]
    else { throw CLIError("tenant create failed: \(r.stderr)") }
    return (id, key)
}

/// A new, empty database on the PostgreSQL test server, as a URL.
func newPostgresDatabase() throws -> String {
    let admin = try #require(TestServices.postgres, "MICROANPR_TEST_POSTGRES_URL missing")
    let name = "t_cli_\(UUID().uuidString.prefix(8).lowercased())"
    let psql = Process()
    psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
    psql.arguments = [admin, "-q", "-c", "CREATE DATABASE \(name)"]
    try psql.run()
    psql.waitUntilExit()
    var c = URLComponents(string: admin)!
    c.path = "/\(name)"
    return c.string!
}

func waitFor(_ seconds: Double, _ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw CLIError("timed out waiting for \(what)")
}

@Suite(.serialized) struct ServeTests {
    @Test func tenantCreatePrintsOneJSONLineAndRejectsBadPlans() throws {
        let dir = try TestPaths.temporaryDirectory().path
        let r = try microanpr(["tenant", "create", "acme", "--data-dir", dir])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: String])
        #expect(obj["tenant_id"]?.hasPrefix("ten_") == true)
        #expect(obj["api_key"]?.hasPrefix("manpr_") == true)
        let bad = try microanpr(["tenant", "create", "acme", "--plan", "gold", "--data-dir", dir])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--plan"))
        let migrate = try microanpr(["migrate", "--data-dir", dir])
        #expect(migrate.status == 0 && migrate.stdout.contains("up to date"))
        let badDB = try microanpr(["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/x"])
        #expect(badDB.status == 1)
        #expect(badDB.stderr.split(separator: "\n").count == 1)
    }

    /// A video job interrupted by a crash is finished after the restart, once, with no duplicate reads.
    @Test func jobSurvivesAServerCrash() async throws {
        let dir = try TestPaths.temporaryDirectory().path
        let tenant = try createTenant(["--data-dir", dir])
        let env = ["MICROANPR_VIDEO_STRIDE": "4", "MICROANPR_JOB_STALE_SECONDS": "2", "MICROANPR_WORKERS": "1"]
        let first = try ServerProcess(arguments: ["--data-dir", dir], environment: env)
        let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4")
        let id = try await first.upload(video, key: tenant.key, type: "video/mp4")
        try await waitFor(120, "the job to make progress") {
            (try await first.job(id, key: tenant.key)["frames_done"] as? Int ?? 0) > 0
        }
        first.crash()
        let second = try ServerProcess(arguments: ["--data-dir", dir], environment: env)
        var job: [String: Any] = [:]
        try await waitFor(600, "the job to finish after the restart") {
            job = try await second.job(id, key: tenant.key)
            return ["done", "failed"].contains(job["status"] as? String ?? "")
        }
        #expect(job["status"] as? String == "done", "\(job)")
        #expect(job["attempts"] as? Int == 2)
        // One pass per vehicle, none duplicated by the retry.
        let (_, page) = try await second.request("GET", "/v1/passes?job_id=\(id)", key: tenant.key)
        let passes = (page["passes"] as? [[String: Any]]) ?? []
        #expect(passes.count == job["reads_count"] as? Int)
        let plates = passes.compactMap { $0["plate"] as? String }
        #expect(Set(plates) == ["GL19TNJ", "173D441"], "\(plates)")
        #expect(plates.count == 2)
        second.stop()
        #expect(second.process.terminationStatus == 0)
    }

    /// A connection that sends nothing, or stops half-way through a request (a slow-loris client, a stalled
    /// upload), is closed after `MICROANPR_IDLE_TIMEOUT_SECONDS`; an event stream the server is writing stays
    /// open past it. Before, each held a connection slot (and an upload's temporary file) for ever.
    @Test func idleAndStalledConnectionsAreClosedButStreamsStay() async throws {
        let dir = try TestPaths.temporaryDirectory().path
        let tenant = try createTenant(["--data-dir", dir])
        let server = try ServerProcess(arguments: ["--data-dir", dir], environment: ["MICROANPR_IDLE_TIMEOUT_SECONDS": "1"])
        defer { server.stop() }
        /// Sends `text`, then waits up to `seconds` for the server to close the connection: true when it did.
        func closedAfterSending(_ text: String, within seconds: Int) throws -> Bool {
            let fd = try rawConnection(port: server.port, sending: text)
            defer { close(fd) }
            var timeout = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<seconds {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }  // closed by the server (after any answer it sent)
                if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
            }
            return false
        }
        #expect(try closedAfterSending("", within: 5), "a connection that never sent a request")
        #expect(
            try closedAfterSending(
                "POST /v1/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(tenant.key)\r\nContent-Length: 100000\r\n\r\nabc", within: 5
            ),
            "an upload that stopped after 3 bytes")
        #expect(try closedAfterSending("GET /v1/reads HTTP/1.1\r\nHost: x\r\n", within: 5), "headers that never end")
        #expect(
            try !closedAfterSending("GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(tenant.key)\r\n\r\n", within: 4),
            "an event stream")
        // The server still answers.
        #expect(try await server.request("GET", "/healthz", key: nil).0 == 200)
    }

    /// Uploads being received at once are capped (each streams to a temporary file): with one slot held by an
    /// upload still arriving, another is answered 503 `too_many_uploads` with `Retry-After`, and once it is gone
    /// the next one is accepted.
    @Test func parallelUploadsAboveTheCapAreAskedToRetry() async throws {
        let dir = try TestPaths.temporaryDirectory().path
        let tenant = try createTenant(["--data-dir", dir])
        let server = try ServerProcess(arguments: ["--data-dir", dir], environment: ["MICROANPR_MAX_CONCURRENT_UPLOADS": "1"])
        defer { server.stop() }
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg")
        let held = try rawConnection(
            port: server.port,
            sending: "POST /v1/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(tenant.key)\r\nContent-Type: video/mp4\r\n"
                + "Content-Length: 100000\r\n\r\nabc")
        try await Task.sleep(for: .milliseconds(500))
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/v1/upload?filename=a.jpg")!)
        r.httpMethod = "POST"
        r.httpBody = try Data(contentsOf: photo)
        r.setValue("Bearer \(tenant.key)", forHTTPHeaderField: "Authorization")
        r.setValue("image/jpeg", forHTTPHeaderField: "Content-Type")
        let (body, response) = try await URLSession.shared.data(for: r)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 503 && http.value(forHTTPHeaderField: "Retry-After") == "5")
        #expect(String(decoding: body, as: UTF8.self).contains("too_many_uploads"))
        close(held)
        try await waitFor(10, "the slot to be given back") {
            (try? await server.upload(photo, key: tenant.key, type: "image/jpeg"))?.hasPrefix("job_") == true
        }
    }

    /// Two server processes on one PostgreSQL database: every job is processed exactly once.
    @Test(.enabled(if: TestServices.runPostgres, "needs the PostgreSQL test server (make test starts one)"))
    func twoProcessesShareTheJobQueueOnPostgres() async throws {
        let url = try newPostgresDatabase()
        #expect(try microanpr(["migrate", "--database-url", url]).status == 0)
        let tenant = try createTenant(["--database-url", url])
        // One shared media folder (as a shared volume would be in production).
        let data = try TestPaths.temporaryDirectory().path
        let servers = try (0..<2).map { _ in
            try ServerProcess(
                arguments: ["--database-url", url, "--data-dir", data, "--workers", "2"],
                environment: ["MICROANPR_NO_AUTO_MIGRATE": "1"])
        }
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg")
        // An SSE client on the first process sees reads stored by the second (LISTEN/NOTIFY).
        let sse = try SSEClient(
            port: servers[0].port, path: "/v1/stream?types=plate.detected",
            headers: ["Authorization": "Bearer \(tenant.key)"])
        #expect(await sse.responseStatus(timeout: 10) == 200)
        let (status, _) = try await servers[1].request(
            "POST", "/v1/recognise", key: tenant.key, body: try Data(contentsOf: photo),
            contentType: "image/jpeg")
        #expect(status == 200)
        let across = await sse.next(timeout: 10)
        #expect(across?.event == "plate.detected")
        #expect((across?.json["data"] as? [String: Any])?["plate"] as? String == "LR64HDU")
        var ids: [String] = []
        for i in 0..<12 { ids.append(try await servers[i % 2].upload(photo, key: tenant.key, type: "image/jpeg")) }
        var jobs: [[String: Any]] = []
        try await waitFor(300, "all jobs to finish") {
            jobs = []
            for id in ids { jobs.append(try await servers[0].job(id, key: tenant.key)) }
            return jobs.allSatisfy { ["done", "failed"].contains($0["status"] as? String ?? "") }
        }
        #expect(jobs.allSatisfy { $0["status"] as? String == "done" }, "\(jobs)")
        #expect(jobs.allSatisfy { $0["attempts"] as? Int == 1 })
        let (_, page) = try await servers[1].request("GET", "/v1/reads?limit=500", key: tenant.key)
        #expect((page["reads"] as? [Any])?.count == 13)
        // Every job's read reached the stream of the first process, whichever process ran it, in id order.
        var streamed: [Int] = []
        while streamed.count < 12, let e = await sse.next(timeout: 10) { streamed.append(Int(e.id ?? "") ?? 0) }
        #expect(streamed.count == 12 && streamed == streamed.sorted())
        servers.forEach { $0.stop() }
        // Both processes took part.
        let q = Process()
        q.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        q.arguments = [url, "-tA", "-c", "SELECT count(DISTINCT regexp_replace(worker, '-w[0-9]+$', '')) FROM jobs"]
        let out = Pipe()
        q.standardOutput = out
        try q.run()
        let processes = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        q.waitUntilExit()
        #expect(processes.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
    }
}

@Suite struct VideoCLITests {
    /// Video settings out of range are refused before the video is opened, naming the option.
    @Test(arguments: [
        (["--video-reread-below", "2"], "--video-reread-below must be between 0 and 1"),
        (["--video-reread-below=-0.1"], "--video-reread-below must be between 0 and 1"),
        (["--video-stride", "0"], "--video-stride and --max-video-seconds must be positive"),
    ])
    func videoSettingsOutOfRangeAreRefused(_ options: [String], _ message: String) throws {
        let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4").path
        let r = try microanpr(["recognise"] + options + [video])
        #expect(r.status != 0)
        #expect(r.stderr.hasPrefix("Error: \(message)\n"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func recogniseVideoPrintsOnePassPerVehicle() throws {
        let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4").path
        let r = try microanpr(["recognise", "--json", video])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["file"] as? String == video)
        let passes = try #require(obj["passes"] as? [[String: Any]])
        #expect(passes.compactMap { $0["text"] as? String } == ["GL19TNJ", "173D441"])
        let first = try #require(passes.first)
        for k in ["text", "display", "confidence", "first_seen_s", "last_seen_s", "frames", "direction", "box"] {
            #expect(first[k] != nil, "missing \(k)")
        }
        #expect(first["direction"] as? String == "approaching")
        #expect(r.stderr.contains("real time"))
        let bad = try microanpr(["recognise", "--json", TestPaths.temporaryDirectory().appendingPathComponent("none.mp4").path])
        #expect(bad.status == 1)
    }

    /// A car in one sampled frame only (a car-park frame shown 0.3 s in a grey video) is one pass, a glimpse read again
    /// from that frame; `--no-video-glimpses` turns that off.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func aCarInOneFrameIsAPassUnlessGlimpsesAreOff() throws {
        let video = try oneFrameCarVideo(into: "glimpse-cli.mp4")
        func passes(_ options: [String]) throws -> [String] {
            let r = try microanpr(["recognise", "--json"] + options + [video])
            #expect(r.status == 0, "\(r.stderr)")
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            return try #require(obj["passes"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        }
        #expect(try passes([]) == ["GL19TNJ"])
        #expect(try passes(["--no-video-glimpses"]).isEmpty)
    }

    /// Queued cars (issue 17): a short part of the development video of `bench/queued_video.py` (one car, the next
    /// at the same spot with no gap, two cars in view at once, one more after 0.8 s of nothing): one pass each.
    @Test(.enabled(if: hasTool("ffmpeg") && hasTool("python3"), "needs ffmpeg and python3 to make the video"))
    func queuedCarsAreOnePassEach() throws {
        let dir = try TestPaths.temporaryDirectory()
        let video = dir.appendingPathComponent("queued.mp4").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = [
            "python3", TestPaths.root.appendingPathComponent("bench/queued_video.py").path, "make",
            TestPaths.datasets.path, video, "--steps", "5:9",
        ]
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        try #require(make.terminationStatus == 0, "queued_video.py make failed")
        let truth = try String(contentsOfFile: dir.appendingPathComponent("queued.truth.csv").path, encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(truth.count == 5)
        let r = try microanpr(["recognise", "--json", video])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let passes = try #require(obj["passes"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        #expect(passes.sorted() == truth.map(String.init).sorted(), "passes \(passes)")
    }

    /// Videos whose width is not a multiple of 16 pixels (a phone held upright: 1080 x 1920; 1000 x 720) crashed
    /// the process with a corrupted heap within a few frames (the frame converter wrote past its buffer; every
    /// run of the old build aborted). Each is read to the end, with the plate the still itself reads.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func videosOfAnyWidthAreRead() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let still = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/lp_sample_images_1.jpg").path
        let read = try microanpr(["recognise", "--json", "--country", "gb", still])
        let plates = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])["plates"]
        let plate = try #require((plates as? [[String: Any]])?.first?["text"] as? String)
        for (name, filter) in [("wide", "scale=1000:720"), ("upright", "scale=720:-2,pad=720:1280:0:(oh-ih)/2")] {
            let video = dir.appendingPathComponent("\(name).mp4").path
            let made = try run(
                "/usr/bin/env",
                [
                    "ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", still, "-t", "2", "-r", "25", "-vf", "\(filter),format=yuv420p",
                    "-c:v", "libx264", "-preset", "ultrafast", video,
                ])
            try #require(made.status == 0, "ffmpeg could not make \(name)")
            let r = try microanpr(["recognise", "--json", "--country", "gb", video])
            #expect(r.status == 0, "\(name): \(r.stderr.suffix(300))")
            let obj = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
            let passes = (obj?["passes"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(passes == [plate], "\(name): \(passes)")
        }
    }

    /// The video maker's options refuse other values with one line on stderr, before making anything.
    @Test(.enabled(if: hasTool("python3"), "needs python3"))
    func queuedVideoMakerRefusesANonIntegerOption() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (option, value, expected) in [
            ("--seed", "abc", "--seed expects an integer"), ("--height", "7.5", "--height expects an integer"),
            ("--steps", "2-5", "--steps expects A:B (two integers)"),
            ("--dataset", "openalpr_endtoend", "--dataset and --split go together (the development video uses all of micrometre_carpark1)"),
            ("--split", "-1", "--split expects a name"), ("--zoom", "9", "--zoom expects a number from 1 to 4"),
            ("--zoom", "x", "--zoom expects a number from 1 to 4"), ("--gap", "grey", "--gap expects blur, black or cut"),
        ] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [
                "python3", TestPaths.root.appendingPathComponent("bench/queued_video.py").path, "make",
                TestPaths.datasets.path, dir.appendingPathComponent("v.mp4").path, option, value,
            ]
            let err = Pipe()
            p.standardError = err
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 1)
            #expect(message == "queued_video: \(expected)\n", "\(message)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("v.mp4").path))
        }
    }
}
