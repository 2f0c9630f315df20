@testable import Core
import ExportFormats
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport

@Suite("Live cameras", .serialized)
struct CameraTests {
    func status(_ c: any TestClientProtocol, _ id: String, _ key: String) async throws -> [String: Any] {
        try await c.call(.get, "/v1/cameras/\(id)/status", key: key).json
    }

    func waitFor(_ seconds: Double, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("timed out waiting for \(what)")
        throw CancellationError()
    }

    /// A file source played in a loop: the camera connects, reports its frame rates and stores one pass for
    /// the car that drives through.
    @Test func fileSourceProducesPassesAndStatus() async throws {
        let s = try await TestServer.make(.sqlite, models: true) { $0.cameras.allowFileSources = true }
        let (_, key) = try await s.tenant(plan: .pro)
        let supervisor = Task { try await CameraSupervisor(env: s.env, runnerID: "test", refresh: .milliseconds(200)).run() }
        defer { supervisor.cancel() }
        try await s.test { c in
            #expect(try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "/etc/passwd"]).status == .created)
            let created = try await c.call(
                .post, "/v1/cameras", key: key,
                json: ["name": "Gate", "direction": "entry", "country": "gb", "source_url": Photos.video.path])
            let id = try #require(created["id"] as? String)
            #expect(created["source_url"] as? String == Photos.video.path)
            try await waitFor(60, "the camera to connect") {
                let st = try await status(c, id, key)
                return st["state"] as? String == "connected" && (st["fps_in"] as? Double ?? 0) > 0
            }
            try await waitFor(240, "a pass for GL19TNJ") {
                try await c.call(.get, "/v1/passes?camera_id=\(id)", key: key).list("passes")
                    .contains { $0["plate"] as? String == "GL19TNJ" }
            }
            let pass = try #require(try await c.call(.get, "/v1/passes?camera_id=\(id)&plate=GL19TNJ", key: key).list("passes").first)
            #expect(pass["direction"] as? String == "entry")
            #expect(pass["first_seen_s"] == nil)
            let st = try await status(c, id, key)
            #expect((st["fps_processed"] as? Double ?? 0) <= (st["fps_in"] as? Double ?? 0) + 0.5, "\(st)")
            // The runner's report comes through whole: who reads the camera, and when its last frame came (a time).
            #expect(st["runner"] as? String == "test" && st["camera_id"] as? String == id, "\(st)")
            #expect((st["last_frame_at"] as? String).flatMap(JSONTime.parse) != nil, "\(st)")
            // A daylight camera: none of its latest frames read is dark or flat.
            #expect(st["poor_light"] as? Double == 0, "\(st)")
            // Disabling the camera stops it.
            #expect(try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["enabled": false])["enabled"] as? Bool == false)
            #expect(try await status(c, id, key)["state"] as? String == "idle")
        }
        supervisor.cancel()
        _ = await supervisor.result
        await s.close()
    }

    /// A camera whose picture is underexposed (the same video at a fifth of its light): its status and its card on
    /// the overview say that nearly all of its latest frames were poor for reading plates, which the dashboard shows.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to darken the video"))
    func anUnderexposedCameraReportsPoorLight() async throws {
        let dark = try ffmpeg(Photos.video.path, filter: underexposure + ",format=yuv420p", into: "dark.mp4", after: ["-t", "4", "-an"])
        let token = "metrics-\(UUID().uuidString)"
        let s = try await TestServer.make(.sqlite, models: true) {
            $0.cameras.allowFileSources = true
            $0.http.metricsToken = token
        }
        let (_, key) = try await s.tenant(plan: .pro)
        let supervisor = Task { try await CameraSupervisor(env: s.env, runnerID: "test", refresh: .milliseconds(200)).run() }
        defer { supervisor.cancel() }
        try await s.test { c in
            let created = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Dim", "country": "gb", "source_url": dark])
            let id = try #require(created["id"] as? String)
            try await waitFor(60, "a report of poor light") {
                (try await status(c, id, key)["poor_light"] as? Double ?? 0) >= 0.9
            }
            let card = try #require(try await c.call(.get, "/v1/overview", key: key).list("cameras").first { $0["id"] as? String == id })
            #expect((card["poor_light"] as? Double ?? 0) >= 0.9, "\(card)")
            let metrics = try await c.call(.get, "/metrics", headers: ["Authorization": "Bearer \(token)"])
            #expect(String(decoding: metrics.body, as: UTF8.self).contains("microanpr_cameras_poor_light 1"))
        }
        supervisor.cancel()
        _ = await supervisor.result
        await s.close()
    }

    @Test func fileSourcesAreRefusedUnlessEnabled() async throws {
        let s = try await TestServer.make(.sqlite, models: true)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let refused = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "/etc/passwd"])
            #expect(refused.errorCode == "file_sources_disabled")
            #expect(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "ftp://cam"]).errorCode
                    == "bad_parameter")
            #expect(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "rtsp://10.0.0.5/stream"]).status
                    == .forbidden)  // a private address needs MICROANPR_ALLOW_PRIVATE_CAMERAS (OutboundPolicyTests)
        }
        await s.close()
    }
}

@Suite("Camera reconnect", .serialized)
struct CameraReconnectTests {
    /// An HTTP MJPEG camera (ffmpeg) is killed and restarted: the runner reports the error, retries with
    /// backoff and is connected again.
    @Test func mjpegCameraReconnectsAfterTheSourceDies() async throws {
        let camera = MJPEGServer(video: Photos.video)
        try camera.start()
        defer { camera.kill() }
        let s = try await TestServer.make(.sqlite, models: true) { $0.cameras.allowPrivate = true }  // the camera listens on loopback
        let (_, key) = try await s.tenant(plan: .pro)
        let supervisor = Task { try await CameraSupervisor(env: s.env, runnerID: "test", refresh: .milliseconds(200)).run() }
        defer { supervisor.cancel() }
        let t = CameraTests()
        try await s.test { c in
            let created = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Gate", "source_url": camera.url])
            let id = try #require(created["id"] as? String)
            try await t.waitFor(60, "the camera to connect") {
                let st = try await t.status(c, id, key)
                return st["state"] as? String == "connected" && (st["fps_in"] as? Double ?? 0) > 5
            }
            camera.kill()
            try await t.waitFor(60, "the camera to report the lost source") {
                let st = try await t.status(c, id, key)
                return st["state"] as? String == "error" && st["last_error"] is String && st["retry_in_s"] is Double
            }
            try camera.start()
            try await t.waitFor(90, "the camera to reconnect") {
                let st = try await t.status(c, id, key)
                return st["state"] as? String == "connected" && (st["reconnects"] as? Int ?? 0) >= 1
                    && (st["fps_in"] as? Double ?? 0) > 5
            }
            #expect(try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["enabled": false])["enabled"] as? Bool == false)
        }
        supervisor.cancel()
        _ = await supervisor.result
        await s.close()
    }
}
