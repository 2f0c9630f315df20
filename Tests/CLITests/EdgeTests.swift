import Foundation
import TestSupport
import Testing
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `microanpr edge` against a `microanpr serve` that is down while the edge reads, then comes back.
@Suite(.serialized) struct EdgeTests {
    let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4")

    @Test func passesAreBufferedWhileTheServerIsDownAndDeliveredOnceWhenItIsBack() async throws {
        let dir = try TestPaths.temporaryDirectory()
        let storage = ["--data-dir", dir.appendingPathComponent("data").path]
        let (_, key) = try createTenant(storage)
        let port = freeLoopbackPort()
        // A camera on the server, then the server goes away.
        var server = try ServerProcess(arguments: storage, port: port)
        let (status, camera) = try await server.request(
            "POST", "/v1/cameras", key: key,
            body: Data(#"{"name":"Gate","direction":"entry"}"#.utf8),
            contentType: "application/json")
        #expect(status == 201)
        let cameraID = try #require(camera["id"] as? String)
        server.stop()

        let buffer = dir.appendingPathComponent("buffer")
        let log = dir.appendingPathComponent("edge.log")
        let edge = try startEdge(
            [
                "--source", video.path, "--server", "http://127.0.0.1:\(port)", "--camera-id", cameraID,
                "--buffer-dir", buffer.path, "--once", "--retry-max", "2",
            ], environment: ["MICROANPR_API_KEY": key], log: log)
        defer { if edge.isRunning { edge.terminate() } }
        func pending() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: buffer.appendingPathComponent("pending").path)) ?? []).count
        }
        func edgeLog() -> String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        // The first car's pass is read and kept on disk while nothing answers.
        try await waitFor(90, "a pass in the buffer") { pending() >= 1 }
        try await Task.sleep(for: .seconds(3))
        #expect(pending() >= 1, "\(edgeLog())")
        #expect(edgeLog().contains("server unreachable"))

        server = try ServerProcess(arguments: storage, port: port)
        try await waitFor(120, "the edge agent to deliver its buffer and exit") { !edge.isRunning }
        #expect(edge.terminationStatus == 0, "\(edgeLog())")
        #expect(pending() == 0)
        let (_, page) = try await server.request("GET", "/v1/passes?camera_id=\(cameraID)", key: key)
        let passes = (page["passes"] as? [[String: Any]]) ?? []
        let plates = passes.compactMap { $0["plate"] as? String }.sorted()
        #expect(plates == ["173D441", "GL19TNJ"], "\(edgeLog())")
        for p in passes {
            #expect(p["direction"] as? String == "entry")
            #expect((p["frames"] as? Int ?? 0) >= 3)
            let id = try #require(p["id"] as? String)
            let (_, reads) = try await server.request("GET", "/v1/reads?pass_id=\(id)&limit=500", key: key)
            #expect(((reads["reads"] as? [Any]) ?? []).count == p["frames"] as? Int)
        }
        let gl = try #require(passes.first { $0["plate"] as? String == "GL19TNJ" })
        let crop = try #require(gl["crop_url"] as? String)
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(crop)")!)
        r.httpMethod = "GET"
        let (data, _) = try await URLSession.shared.data(for: r)
        #expect(data.starts(with: [0xFF, 0xD8]), "the crop is a JPEG")
        server.stop()
    }

    /// An edge agent whose camera's picture is underexposed says so once, not at every status report: a stretch of the
    /// clip with no car, at a fifth of its light, played in a loop as a live source.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to darken the video"))
    func anUnderexposedSourceIsReportedOnce() async throws {
        let dir = try TestPaths.temporaryDirectory()
        let dark = try ffmpeg(
            video.path, filter: underexposure + ",format=yuv420p", into: "dark.mp4", before: ["-ss", "8"], after: ["-t", "3", "-an"])
        let log = dir.appendingPathComponent("edge.log")
        let buffer = dir.appendingPathComponent("buffer").path
        let edge = try startEdge(["--source", dark, "--server", "http://127.0.0.1:1", "--api-key", "k", "--buffer-dir", buffer], log: log)
        defer { if edge.isRunning { edge.terminate() } }
        func said() -> [Substring] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.contains("poor light") }
        }
        try await waitFor(60, "the edge agent to report poor light") { !said().isEmpty }
        // Several more status reports (one every 2 s), no more lines.
        try await Task.sleep(for: .seconds(5))
        let lines = said()
        #expect(lines.count == 1 && lines[0].hasPrefix("edge: poor light in 100% of the latest frames"), "\(lines)")
    }

    /// `microanpr edge` with `arguments` started in the background, the test models and `environment` in its environment,
    /// its standard output and error written to `log`.
    func startEdge(_ arguments: [String], environment: [String: String] = [:], log: URL) throws -> Process {
        let edge = Process()
        edge.executableURL = microanprBinary()
        edge.arguments = ["edge"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["MICROANPR_MODELS"] = TestPaths.manifest
        for (k, v) in environment { env[k] = v }
        edge.environment = env
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        edge.standardOutput = handle
        edge.standardError = handle
        try edge.run()
        return edge
    }

    @Test func edgeRefusesBadArgumentsWithOneLine() throws {
        let noKey = try microanpr(["edge", "--source", video.path, "--server", "http://127.0.0.1:1"])
        #expect(noKey.status != 0)
        #expect(noKey.stderr.contains("API key"))
        let badServer = try microanpr(["edge", "--source", video.path, "--server", "ftp://x", "--api-key", "k"])
        #expect(badServer.status != 0)
        #expect(badServer.stderr.contains("--server"))
        let missing = try microanpr(["edge", "--source", "no/such/clip.mp4", "--server", "http://127.0.0.1:1", "--api-key", "k", "--once"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read the file") && missing.stderr.contains("no/such/clip.mp4"))
    }
}
