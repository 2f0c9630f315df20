import Foundation
import Logging
import Recognition
import ServiceLifecycle
import Storage
import Tracking
import Vision

/// Checks camera source URLs.
enum CameraSources {
    static func validate(_ s: String, allowFiles: Bool) throws -> String? {
        if s.isEmpty { return nil }
        guard s.count <= 2000 else { throw APIError.badRequest("source_url is too long", code: "bad_parameter") }
        let lower = s.lowercased()
        if ["rtsp://", "rtsps://", "http://", "https://"].contains(where: lower.hasPrefix) {
            guard URL(string: s)?.host != nil else { throw APIError.badRequest("source_url has no host", code: "bad_parameter") }
            return s
        }
        if lower.hasPrefix("file://") || s.hasPrefix("/") {
            guard allowFiles else {
                throw APIError(.forbidden, "file_sources_disabled", "file sources are disabled (MICROANPR_ALLOW_FILE_SOURCES=1 enables them)")
            }
            return s
        }
        throw APIError.badRequest("source_url must be rtsp://, http(s):// or (if enabled) a file path", code: "bad_parameter")
    }
}

/// Runs every enabled camera with a live source: one ``CameraRunner`` task per camera, started and stopped as
/// cameras change (checked every `refresh`). With several processes on one PostgreSQL database, each camera
/// is run by one process at a time (a lease with heartbeats in the cameras table).
public struct CameraSupervisor: Service {
    let env: ServerEnvironment
    let runnerID: String
    let refresh: Duration

    public init(env: ServerEnvironment, runnerID: String, refresh: Duration = .seconds(3)) {
        self.env = env; self.runnerID = runnerID; self.refresh = refresh
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            /// What a runner was started with; a change restarts it.
            func key(_ c: Camera) -> String { "\(c.sourceURL ?? "")|\(c.country ?? "")|\(c.direction)" }
            var running: [String: (key: String, task: Task<Void, Never>)] = [:]
            while !Task.isCancelled {
                let cameras = (try? await env.store.liveCameras()) ?? []
                let wanted = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for (id, r) in running where wanted[id].map(key) != r.key {
                    r.task.cancel()
                    running[id] = nil
                }
                for (id, camera) in wanted where running[id] == nil {
                    let runner = CameraRunner(env: env, camera: camera, runnerID: runnerID)
                    running[id] = (key(camera), Task { await runner.run() })
                }
                try? await Task.sleep(for: refresh)
            }
            for r in running.values { r.task.cancel() }
            for r in running.values { await r.task.value }
        }
    }
}

/// One live camera: a grabber thread keeps only the newest frame (frames are dropped, never queued, when
/// reading falls behind); this task reads the newest frame whenever the inference pool is free, tracks
/// plates and stores one pass per vehicle. Lost sources are reopened with exponential backoff (1 s to 30 s).
/// File sources play at their own frame rate in a loop.
final class CameraRunner: @unchecked Sendable {
    let env: ServerEnvironment
    let camera: Camera
    let runnerID: String

    init(env: ServerEnvironment, camera: Camera, runnerID: String) {
        self.env = env; self.camera = camera; self.runnerID = runnerID
    }

    /// Shared between the grabber thread and the reading task.
    final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var frame: (Image, Double)?
        var sequence = 0
        var framesIn = 0
        var error: String?
        var stop = false
        var ended = false
    }

    func run() async {
        var backoff = 1.0
        var reconnects = 0
        var lastError: String?
        while !Task.isCancelled {
            // Only one runner (process) per camera.
            guard (try? await env.store.claimCamera(id: camera.id, runner: runnerID, staleBefore: Clock.nowMillis() - 15_000)) == true else {
                try? await Task.sleep(for: .seconds(5))
                continue
            }
            let slot = Slot()
            let source = camera.sourceURL ?? ""
            let path = source.lowercased().hasPrefix("file://") ? String(source.dropFirst(7)) : source
            let thread = Thread { Self.grab(path: path, slot: slot) }
            thread.start()
            let connectedAt = Date()
            let error = await process(slot: slot, reconnects: reconnects, lastError: lastError)
            slot.lock.withLock { slot.stop = true }
            if Task.isCancelled { break }
            lastError = error
            reconnects += 1
            if Date().timeIntervalSince(connectedAt) > 60 { backoff = 1 }
            await report(state: "error", fpsIn: 0, fpsOut: 0, lastFrame: nil, reconnects: reconnects, error: error,
                         retryIn: backoff)
            env.logger.warning("camera source lost", metadata: ["camera": "\(camera.id)", "error": "\(error ?? "")",
                                                                "retry_s": "\(backoff)"])
            try? await Task.sleep(for: .seconds(backoff))
            backoff = min(30, backoff * 2)
        }
        try? await env.store.releaseCamera(id: camera.id, runner: runnerID)
    }

    /// Decodes frames on its own thread until told to stop or the source fails.
    static func grab(path: String, slot: Slot) {
        let isFile = path.hasPrefix("/")
        while true {
            let video: Video
            do { video = try Video(path: path) } catch {
                slot.lock.withLock { slot.error = "cannot open source: \(error.message)"; slot.ended = true }
                return
            }
            let interval = isFile ? 1 / (video.fps > 0 ? video.fps : 25) : 0
            var next = Date()
            while true {
                if slot.lock.withLock({ slot.stop }) { return }
                let frame: (image: Image, millis: Double)?
                do { frame = try video.next() } catch {
                    slot.lock.withLock { slot.error = "decode failed: \(error.message)"; slot.ended = true }
                    return
                }
                guard let frame else { break }
                slot.lock.withLock {
                    slot.frame = (frame.image, Date().timeIntervalSince1970)
                    slot.sequence += 1
                    slot.framesIn += 1
                }
                if isFile {
                    next = next.addingTimeInterval(interval)
                    let wait = next.timeIntervalSinceNow
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) } else { next = Date() }
                }
            }
            // End of stream: files loop, live streams count as lost.
            if !isFile {
                slot.lock.withLock { slot.error = "stream ended"; slot.ended = true }
                return
            }
        }
    }

    /// Reads the newest frames until the source fails or the task is cancelled; returns the failure.
    func process(slot: Slot, reconnects: Int, lastError: String?) async -> String? {
        var tracker = PlateTracker()
        var best = BestImages()
        var seen = 0, processed = 0, lastFrameAt: Double?
        var windowStart = Date(), inAtStart = 0, outAtStart = 0, fpsIn = 0.0, fpsOut = 0.0
        var lastReport = Date.distantPast
        let origin = Clock.nowMillis()
        let tenant = try? await env.store.tenant(camera.tenantID)
        while !Task.isCancelled {
            let (frame, sequence, framesIn, error) = slot.lock.withLock { (slot.frame, slot.sequence, slot.framesIn, slot.ended ? slot.error : nil) }
            if let error { return error }
            if Date().timeIntervalSince(windowStart) >= 2 {
                let dt = Date().timeIntervalSince(windowStart)
                fpsIn = Double(framesIn - inAtStart) / dt
                fpsOut = Double(processed - outAtStart) / dt
                windowStart = Date(); inAtStart = framesIn; outAtStart = processed
            }
            if Date().timeIntervalSince(lastReport) >= 2 {
                lastReport = Date()
                await report(state: sequence > 0 ? "connected" : "connecting", fpsIn: fpsIn, fpsOut: fpsOut,
                             lastFrame: lastFrameAt, reconnects: reconnects, error: lastError, retryIn: nil)
            }
            guard let (image, wallTime) = frame, sequence != seen else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            seen = sequence
            lastFrameAt = wallTime
            let time = wallTime - Double(origin) / 1000
            do {
                let result = try await env.recognizer.recognise(image: image, country: camera.country, withCrops: true, quick: true)
                processed += 1
                var observations: [Observation] = []
                for p in result.plates {
                    observations.append(p.observation(at: time))
                    best.keep(p, image: image)
                }
                let ended = tracker.add(observations, at: time)
                if let tenant, !ended.isEmpty {
                    try await env.storePasses(ended.map(best.result),
                                              tenant: tenant, camera: camera, jobID: nil, origin: origin)
                    try await env.store.addUsage(tenantID: tenant.id, reads: ended.count)
                }
                if !tracker.isTracking { best.removeAll() }
            } catch {
                env.logger.error("camera frame failed", metadata: ["camera": "\(camera.id)", "error": "\(error)"])
            }
        }
        // Passes still open when the camera stops are kept.
        if let tenant {
            let open = tracker.finish()
            try? await env.storePasses(open.map(best.result),
                                       tenant: tenant, camera: camera, jobID: nil, origin: origin)
        }
        return nil
    }

    func report(state: String, fpsIn: Double, fpsOut: Double, lastFrame: Double?, reconnects: Int, error: String?,
                retryIn: Double?) async {
        var s: [String: Any] = ["state": state, "fps_in": (fpsIn * 10).rounded() / 10, "fps_processed": (fpsOut * 10).rounded() / 10,
                                "reconnects": reconnects, "runner": runnerID]
        if let lastFrame { s["last_frame_at"] = JSONTime.string(Int64(lastFrame * 1000)) }
        if let error { s["last_error"] = error }
        if let retryIn { s["retry_in_s"] = retryIn }
        guard let data = try? JSONSerialization.data(withJSONObject: s, options: [.sortedKeys]) else { return }
        _ = try? await env.store.reportCamera(id: camera.id, runner: runnerID, status: String(decoding: data, as: UTF8.self))
    }
}
