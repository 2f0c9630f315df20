import Foundation
import Plates
import Tracking
import Vision

/// How a video is sampled and tracked.
public struct VideoOptions: Sendable {
    /// Every `stride`-th frame of a 25 fps video is a candidate for reading; a video of another rate is read at
    /// the same interval in time (``FrameSource/frames(_:fps:)``).
    public var stride: Int = 7
    /// With no plate in view and no motion, only every `idleStride`-th frame (at 25 fps) is read.
    public var idleStride: Int = 28
    /// Mean grey-level change (0-255, on a 64x48 thumbnail) between candidate frames that counts as motion.
    public var motionThreshold: Double = 1.5
    /// Videos longer than this are refused before decoding.
    public var maxSeconds: Double = 600
    public var country: String?
    /// The countries this source shows (see ``CountryMix``); nil: one learnt from this video (or stream) alone.
    public var countryMix: CountryMix?
    /// Read each plate once with the first reader (no escalation): the tracker's vote over many frames
    /// makes up for it.
    public var quick = true
    /// The tracker's settings; here its ``PlateTracker/Configuration/provisionalPasses`` are on, as every pass is
    /// read again where its frames disagree (``Recognizer/reread(_:country:mix:below:tracker:)``).
    public var tracker: PlateTracker.Configuration = {
        var c = PlateTracker.Configuration()
        c.provisionalPasses = true
        return c
    }()
    /// See ``PassFinder/sceneChange``.
    public var sceneChange = VideoOptions.defaultSceneChange
    /// A pass whose vote is less sure than this has its best frame read again as a still image is read (every
    /// reader, every layout; ``PassResult/confirmed(by:sureAt:)``); 0 reads none again. Chosen on a video made
    /// from validation photos (docs/video.md).
    public var rereadBelow = 0.9
    /// Called with one line per read frame when set (``PassFinder/trace``).
    public var trace: (@Sendable (String) -> Void)?
    public init() {}

    /// The default scene-change threshold (``PassFinder/sceneChange``).
    public static let defaultSceneChange = 50.0
}

/// A vehicle pass with the images of its best read.
public struct PassResult: Sendable {
    public var pass: VehiclePass
    /// JPEG of the plate in its best read.
    public var crop: [UInt8]?
    /// JPEG of the whole frame of its best read.
    public var frame: [UInt8]?
    /// The track's most confident reads of longer plates in a format than the voted one (at most
    /// ``BestImages/maxLonger``, surest first), with their frames: a plate growing large can lose an edge character in
    /// most frames (merged into a dealer's frame), and the frames that read it whole are then outvoted; the one that
    /// holds the pass's plate (after its reread) is read again (``Recognizer/reread(_:country:mix:below:tracker:)``).
    public var longer: [LongerRead]

    public init(pass: VehiclePass, crop: [UInt8]?, frame: [UInt8]?, longer: [LongerRead] = []) {
        self.pass = pass; self.crop = crop; self.frame = frame; self.longer = longer
    }

    /// A read of a longer plate than a pass's, and the frame it was read in.
    public struct LongerRead: Sendable {
        public var text: String
        public var box: Box
        /// JPEG of the whole frame.
        public var frame: [UInt8]
        public init(text: String, box: Box, frame: [UInt8]) { self.text = text; self.box = box; self.frame = frame }
    }
}

/// The passes of a video and what was done to find them.
public struct VideoResult: Sendable {
    public var passes: [PassResult]
    public var duration: Double
    public var framesDecoded: Int
    public var framesRead: Int
    public var width: Int
    public var height: Int
    /// Milliseconds of one core spent detecting and reading plates, summed over the frames read.
    public var detectMilliseconds: Double = 0
    /// Includes the passes read again (``VideoOptions/rereadBelow``).
    public var readMilliseconds: Double = 0
    /// Passes whose best frame was read again because their vote was unsure.
    public var passesReread = 0
}

extension Recognizer {
    /// Reads a video file: frames are sampled (dense while a plate is in view or something moves, sparse
    /// otherwise), read on the inference pool (each worker takes the next frame when free), tracked across frames
    /// and voted into one pass per vehicle. `progress` gets (frames decoded, frames in the video or 0 when unknown).
    public func recogniseVideo(
        path: String, options: VideoOptions,
        progress: @Sendable (Int, Int) async throws -> Void = { _, _ in }
    ) async throws -> VideoResult {
        let video: Video
        do { video = try Video(path: path) } catch { throw RecognitionError.vision(error) }
        if let d = video.duration, d > options.maxSeconds {
            throw RecognitionError.tooLarge(String(format: "video is %.0f s long, above the limit of %.0f s", d, options.maxSeconds))
        }
        if video.width * video.height > configuration.maxPixels {
            throw RecognitionError.tooLarge("video frames are \(video.width)x\(video.height), above the pixel limit")
        }
        let source = FrameSource(video: video, options: options)
        var finder = PassFinder(tracker: options.tracker, sceneChange: options.sceneChange, trace: options.trace)
        var passes: [PassResult] = []
        var read = 0
        var detectMs = 0.0, readMs = 0.0
        let country = options.country, quick = options.quick, mix = options.countryMix ?? CountryMix()
        // Frames flow without a barrier: each inference worker takes the next frame as soon as it is free (a
        // frame with two plates no longer keeps the other worker waiting), at most `window` frames ahead of the
        // tracker, which takes the results in frame order. Frame n is sampled and read with what the tracker and
        // the country mix knew once frame n - window was delivered, never with whatever happened to be delivered
        // when a worker came free: the same video gives the same passes however the workers' timings fall. (The
        // tracker's lag only matters when a plate appears in a still picture; then the picture changes, and that
        // frame is read anyway.)
        let window = 2 * max(1, configuration.workers)
        let start = mix.copy()
        try await withThrowingTaskGroup(of: (Int, RecognitionResult).self) { group in
            var frames: [Int: (Image, Double)] = [:]
            var results: [Int: RecognitionResult] = [:]
            // What the tracker and the mix knew after each delivered frame, for the frame `window` later.
            var after: [Int: (tracking: Bool, mix: CountryMix)] = [:]
            var submitted = 0, delivered = 0, ended = false
            while true {
                try Task.checkCancellation()
                while !ended && submitted - delivered < window {
                    let known = after[submitted - window]
                    guard let (image, time) = try source.next(tracking: known?.tracking ?? false) else {
                        ended = true
                        break
                    }
                    let index = submitted
                    frames[index] = (image, time)
                    submitted += 1
                    // A mix of its own: a frame's sure reads count in the video's mix when the frame is delivered, in
                    // order. The snapshot after frame n - window serves this frame alone (it is dropped once frame n
                    // is delivered); the first `window` frames share the start and so each take a copy of it.
                    let frameMix = known?.mix ?? start.copy()
                    group.addTask {
                        (index, try await self.recognise(image: image, country: country, withCrops: true, quick: quick, mix: frameMix))
                    }
                    try await progress(source.decoded, video.frameCount)
                }
                guard delivered < submitted, let (index, result) = try await group.next() else { break }
                results[index] = result
                while let result = results.removeValue(forKey: delivered), let (image, time) = frames.removeValue(forKey: delivered) {
                    read += 1
                    detectMs += result.timings.detect
                    readMs += result.timings.read
                    passes += finder.add(result, image: image, at: time)
                    for plate in result.plates { mix.observe(plate.reading) }
                    after[delivered] = (finder.isTracking, mix.copy())
                    after[delivered - window] = nil
                    delivered += 1
                }
            }
        }
        try await progress(source.decoded, video.frameCount)
        let decoded = source.decoded, fps = source.fps
        passes += finder.finish()
        let confirmed = await reread(passes, country: country, mix: mix, below: options.rereadBelow, tracker: options.tracker)
        let results = confirmed.passes.sorted { $0.pass.firstSeen < $1.pass.firstSeen }
        let duration = video.duration ?? Double(decoded) / fps
        return VideoResult(
            passes: results, duration: duration, framesDecoded: decoded, framesRead: read,
            width: video.width, height: video.height, detectMilliseconds: detectMs,
            readMilliseconds: readMs + confirmed.milliseconds, passesReread: confirmed.count)
    }
}

/// Decodes a video's frames and picks those worth reading (motion gating); used by one task at a time.
final class FrameSource: @unchecked Sendable {
    let video: Video
    let options: VideoOptions
    let fps: Double
    /// `options.stride` and `options.idleStride` in this video's frames.
    let stride: Int, idleStride: Int
    private(set) var decoded = 0
    private var sinceRead: Int
    private var previous: Image?

    init(video: Video, options: VideoOptions) {
        self.video = video; self.options = options
        fps = video.fps > 0 ? video.fps : Self.referenceFPS
        stride = Self.frames(options.stride, fps: fps)
        idleStride = max(stride, Self.frames(options.idleStride, fps: fps))
        sinceRead = idleStride
    }

    /// The frame rate strides are counted at: the tracker's timings were measured with reads every 7th frame of
    /// 25 fps videos (0.28 s apart).
    static let referenceFPS = 25.0

    /// A stride counted at 25 fps in frames of a video of `fps`: the same interval in time, so that a 10 fps camera
    /// is not read three times less often than the tracker expects (a car in view for 2 s would give it 3 reads),
    /// nor a 50 fps one twice as often for nothing.
    static func frames(_ stride: Int, fps: Double) -> Int {
        max(1, Int((Double(max(1, stride)) * fps / referenceFPS).rounded()))
    }

    /// The next frame to read and its time in seconds, nil at the end of the video. While `tracking` (a plate was
    /// seen) or the picture changes, every `stride`-th frame is read; otherwise every `idleStride`-th.
    func next(tracking: Bool) throws -> (Image, Double)? {
        while true {
            let next: (image: Image, millis: Double)?
            do { next = try video.next(skipping: decoded == 0 ? 0 : stride - 1) } catch { throw RecognitionError.vision(error) }
            guard let (image, millis) = next else { return nil }
            decoded += decoded == 0 ? 1 : stride
            let time = millis > 0 ? millis / 1000 : Double(decoded - 1) / fps
            if time > options.maxSeconds {
                throw RecognitionError.tooLarge("video is longer than the limit of \(Int(options.maxSeconds)) s")
            }
            let motion = previous.map { (try? image.difference($0)) ?? 255 } ?? 255
            previous = image
            sinceRead += stride
            if tracking || motion >= options.motionThreshold || sinceRead >= idleStride {
                sinceRead = 0
                return (image, time)
            }
        }
    }
}

extension PlateResult {
    /// This plate as a tracker observation at `time` (seconds).
    public func observation(at time: Double) -> Observation {
        Observation(
            time: time, box: Box(x: Double(box.x), y: Double(box.y), width: Double(box.width), height: Double(box.height)),
            text: reading.text, display: reading.display, format: reading.format, country: reading.country,
            confidence: reading.confidence,
            alternatives: reading.candidates.map { Observation.Alternative(text: $0.text, confidence: $0.confidence) })
    }
}

/// The crop and frame of the most confident read of each plate text, for the passes' images.
public struct BestImages: Sendable {
    var byText: [String: (confidence: Double, crop: [UInt8]?, frame: [UInt8]?)] = [:]
    /// Most texts whose images are kept. A camera with a car parked in view is always tracking, so nothing clears
    /// these; every misread of that plate over hours would otherwise keep a frame. Beyond this many, the least
    /// confident half goes (a pass's plate is among its most confident reads).
    public static let maxTexts = 64
    public init() {}

    /// Keeps `plate`'s images when it is the most confident read of its text so far (the frame is encoded
    /// only then).
    public mutating func keep(_ plate: PlateResult, image: Image) {
        let r = plate.reading
        if r.confidence > byText[r.text]?.confidence ?? -1 {
            byText[r.text] = (r.confidence, plate.crop, try? image.encoded(as: .jpeg, quality: 85))
            if byText.count > Self.maxTexts {
                let weakest = byText.sorted { $0.value.confidence < $1.value.confidence }.prefix(byText.count - Self.maxTexts / 2)
                for (text, _) in weakest where text != r.text { byText.removeValue(forKey: text) }
            }
        }
    }

    public mutating func removeAll() { byText = [:] }

    /// Most reads of longer plates a pass keeps with their frames (``PassResult/longer``).
    public static let maxLonger = 2

    /// A pass with the images of its plate's best read, and the frames of its track's surest reads of longer plates
    /// in a format (``PassResult/longer``).
    public func result(_ pass: VehiclePass) -> PassResult {
        var surest: [String: Observation] = [:]
        for o in pass.observations where o.format != "unknown" && o.text.count > pass.text.count && byText[o.text]?.frame != nil {
            if o.confidence > surest[o.text]?.confidence ?? -1 { surest[o.text] = o }
        }
        let longer = surest.values.sorted { ($0.confidence, $0.text) > ($1.confidence, $1.text) }.prefix(Self.maxLonger).compactMap { o in
            byText[o.text]?.frame.map { PassResult.LongerRead(text: o.text, box: o.box, frame: $0) }
        }
        return PassResult(pass: pass, crop: byText[pass.text]?.crop, frame: byText[pass.text]?.frame, longer: longer)
    }
}
