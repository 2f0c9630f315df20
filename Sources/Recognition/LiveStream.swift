import Foundation
import Plates
import Tracking
import Vision

/// A live source (RTSP, HTTP MJPEG, or a video file played at its own frame rate) read into vehicle passes.
///
/// A grabber thread keeps only the newest frame (frames are dropped, never queued, when reading falls
/// behind); the reading task reads the newest frame whenever the inference pool is free, tracks plates and
/// hands over one ``PassResult`` per vehicle. A lost source is reopened with exponential backoff (1 s to 30 s).
/// Used by the server's camera runners and by the edge agent.
public final class LiveStream: Sendable {
    /// What the stream is doing, reported every 2 s while connected and after each failure.
    public struct Status: Sendable {
        /// connecting, connected or error.
        public var state: String
        public var fpsIn: Double
        public var fpsProcessed: Double
        /// Wall-clock time (seconds since 1970) of the last frame decoded.
        public var lastFrameAt: Double?
        public var reconnects: Int
        public var lastError: String?
        /// Seconds until the next connection attempt (after a failure).
        public var retryIn: Double?
        /// Frames decoded but never read since this connection began (reading fell behind; the newest is kept).
        public var framesDropped = 0
        /// The share (0-1) of the last ``LiveStream/lightingWindow`` frames read whose picture was poor for reading
        /// plates (``LiveStream/poorLight(_:)``); nil before the first frame.
        public var poorLight: Double?
    }

    /// How many of the latest frames read ``Status/poorLight`` counts.
    public static let lightingWindow = 50

    /// Whether a picture is poor for reading plates, from ``Vision/Image/levels()``: dark (half of it under level
    /// 40 of 255: underexposed, dusk without enough light) or flat (its 1st and 99th percentiles under 96 levels
    /// apart: haze, fog, a dirty window, underexposure). The detector stretches flat pictures before looking
    /// (`detector.stretch_below_range`), which finds some of their plates, not all; a dark picture whose highlights
    /// are kept is not stretched. Reported so that an operator can fix the camera's exposure or lighting.
    public static func poorLight(_ levels: (low: Int, median: Int, high: Int)) -> Bool {
        levels.median < 40 || levels.high - levels.low < 96
    }

    /// Passes found (wall-clock times: `first_seen`/`last_seen` are seconds after `origin`, milliseconds since 1970).
    public typealias PassHandler = @Sendable (_ passes: [PassResult], _ origin: Int64) async throws -> Void
    public typealias StatusHandler = @Sendable (Status) async -> Void

    let source: String
    let recognizer: any PlateRecognizing
    let country: String?
    let loopFiles: Bool
    let tracking: VideoOptions
    /// The countries this camera shows, learnt from its reads.
    let mix: CountryMix

    /// - Parameters:
    ///   - source: `rtsp://`, `http(s)://`, `file://` URL or an absolute file path.
    ///   - loopFiles: play a file source again when it ends; otherwise ``run(admit:passes:status:)`` returns then.
    ///   - tracking: the tracker, scene-change and trace settings (the same as uploaded videos').
    public init(
        source: String, recognizer: any PlateRecognizing, country: String?, loopFiles: Bool = true,
        tracking: VideoOptions = VideoOptions()
    ) {
        self.source = source; self.recognizer = recognizer; self.country = country; self.loopFiles = loopFiles
        self.tracking = tracking
        mix = tracking.countryMix ?? CountryMix()
    }

    var path: String { source.lowercased().hasPrefix("file://") ? String(source.dropFirst(7)) : source }
    var isFile: Bool { Self.filePath(of: source) != nil }

    /// The file a source names (an absolute path or a `file://` URL), nil for a network source.
    public static func filePath(of source: String) -> String? {
        let path = source.lowercased().hasPrefix("file://") ? String(source.dropFirst(7)) : source
        return path.hasPrefix("/") ? path : nil
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
        /// A file that is not looped reached its end (not an error).
        var finished = false
    }

    /// Reads the source until cancelled (or until a non-looped file ends). `admit` is asked before every
    /// connection attempt (the server uses it for its per-camera lease); when it answers false the stream
    /// waits 5 s and asks again.
    /// `resolve` maps the source to what is opened at each connection attempt (the server checks a camera's host
    /// against its outbound policy there and opens the checked address); a refusal counts as a failed attempt.
    public func run(
        resolve: @Sendable (String) async throws -> String = { $0 },
        admit: @Sendable () async -> Bool = { true }, passes: PassHandler, status: StatusHandler
    ) async {
        var backoff = 1.0
        var reconnects = 0
        var lastError: String?
        while !Task.isCancelled {
            guard await admit() else {
                try? await Task.sleep(for: .seconds(5))
                continue
            }
            let slot = Slot()
            let (isFile, loop) = (isFile, loopFiles)
            let connectedAt = Date()
            let outcome: (error: String?, finished: Bool)
            do {
                let path = try await resolve(self.path)
                let thread = Thread { Self.grab(path: path, isFile: isFile, loop: loop, slot: slot) }
                thread.start()
                outcome = await process(slot: slot, reconnects: reconnects, lastError: lastError, passes: passes, status: status)
            } catch {
                outcome = ("refused: \(error)", false)
            }
            slot.lock.withLock { slot.stop = true }
            if Task.isCancelled || outcome.finished { break }
            lastError = outcome.error
            reconnects += 1
            if Date().timeIntervalSince(connectedAt) > 60 { backoff = 1 }
            await status(
                Status(
                    state: "error", fpsIn: 0, fpsProcessed: 0, reconnects: reconnects, lastError: lastError,
                    retryIn: backoff))
            try? await Task.sleep(for: .seconds(backoff))
            backoff = min(30, backoff * 2)
        }
    }

    /// Decodes frames on its own thread until told to stop or the source fails.
    static func grab(path: String, isFile: Bool, loop: Bool, slot: Slot) {
        while true {
            let video: Video
            do { video = try isFile ? Video(path: path) : Video(stream: path) } catch {
                slot.lock.withLock {
                    slot.error = "cannot open source: \(error.message)"; slot.ended = true
                }
                return
            }
            let interval = isFile ? 1 / (video.fps > 0 ? video.fps : 25) : 0
            var next = Date()
            while true {
                if slot.lock.withLock({ slot.stop }) { return }
                let frame: (image: Image, millis: Double)?
                do { frame = try video.next() } catch {
                    slot.lock.withLock {
                        slot.error = "decode failed: \(error.message)"; slot.ended = true
                    }
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
            // End of stream: files loop (or finish), live streams count as lost.
            if !isFile || !loop {
                slot.lock.withLock {
                    if isFile { slot.finished = true } else { slot.error = "stream ended" }
                    slot.ended = true
                }
                return
            }
        }
    }

    /// Reads the newest frames until the source fails, finishes or the task is cancelled.
    func process(
        slot: Slot, reconnects: Int, lastError: String?, passes: PassHandler,
        status: StatusHandler
    ) async -> (error: String?, finished: Bool) {
        var finder = PassFinder(tracker: tracking.tracker, sceneChange: tracking.sceneChange, trace: tracking.trace)
        // Passes whose vote is unsure are read again before they are handed on.
        func reread(_ ended: [PassResult]) async -> [PassResult] {
            await recognizer.reread(ended, country: country, mix: mix, below: tracking.rereadBelow, tracker: tracking.tracker).passes
        }
        var seen = 0, processed = 0, lastFrameAt: Double?
        var lighting: [Bool] = []  // poor light in each of the latest frames read, oldest first
        var windowStart = Date(), inAtStart = 0, outAtStart = 0, fpsIn = 0.0, fpsOut = 0.0
        var lastReport = Date.distantPast
        let origin = Int64(Date().timeIntervalSince1970 * 1000)
        var outcome: (error: String?, finished: Bool) = (nil, false)
        while !Task.isCancelled {
            let (frame, sequence, framesIn, ended, error, finished) = slot.lock.withLock {
                (slot.frame, slot.sequence, slot.framesIn, slot.ended, slot.error, slot.finished)
            }
            // A finished file is read to its last frame first.
            if ended, !finished || sequence == seen {
                outcome = (error, finished)
                break
            }
            if Date().timeIntervalSince(windowStart) >= 2 {
                let dt = Date().timeIntervalSince(windowStart)
                fpsIn = Double(framesIn - inAtStart) / dt
                fpsOut = Double(processed - outAtStart) / dt
                windowStart = Date(); inAtStart = framesIn; outAtStart = processed
            }
            if Date().timeIntervalSince(lastReport) >= 2 {
                lastReport = Date()
                await status(
                    Status(
                        state: sequence > 0 ? "connected" : "connecting", fpsIn: fpsIn, fpsProcessed: fpsOut,
                        lastFrameAt: lastFrameAt, reconnects: reconnects, lastError: lastError,
                        framesDropped: max(0, framesIn - processed),
                        poorLight: lighting.isEmpty ? nil : Double(lighting.filter { $0 }.count) / Double(lighting.count)))
            }
            guard let (image, wallTime) = frame, sequence != seen else {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            seen = sequence
            lastFrameAt = wallTime
            let time = wallTime - Double(origin) / 1000
            do {
                let result = try await recognizer.recognise(image: image, country: country, withCrops: true, quick: true, mix: mix)
                processed += 1
                if let levels = try? image.levels() {
                    lighting.append(Self.poorLight(levels))
                    if lighting.count > Self.lightingWindow { lighting.removeFirst() }
                }
                let ended = finder.add(result, image: image, at: time)
                if !ended.isEmpty { try await passes(await reread(ended), origin) }
            } catch {
                outcome.error = "frame failed: \(error)"
            }
        }
        // Passes still open when the stream stops are kept.
        let open = finder.finish()
        if !open.isEmpty { try? await passes(await reread(open), origin) }
        return outcome
    }
}
