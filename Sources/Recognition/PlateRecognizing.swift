import Plates
import Tracking
import Vision

/// What the server, its job workers and live cameras need of a plate recogniser. ``Recognizer`` is the one that
/// runs the models; API tests that never look at a reading use a fake, so they load no model.
public protocol PlateRecognizing: Sendable {
    /// Country codes the engine knows (the format packs and `auto`).
    var knownCountries: [String] { get }
    /// Milliseconds taken to load the runtime and models.
    var loadMilliseconds: Double { get }
    /// The detector model's file name (links followed) and the inference runtime's version, for the start-up log.
    var detectorFile: String { get }
    /// The file name of the detector that looks at video and camera frames (links followed).
    var frameDetectorFile: String { get }
    var runtimeVersion: String { get }
    /// Plates in encoded image bytes (`crop`: the image is one plate already cropped; `withCrops`: each plate
    /// carries a JPEG of its box; `mix`: the source's ``CountryMix``, which weighs the countries under `auto` and
    /// learns from the plates read).
    func recognise(
        _ data: [UInt8], country: String?, crop: Bool, withCrops: Bool, mix: CountryMix?
    ) async throws -> RecognitionResult
    /// Plates in a decoded frame (`quick`: the first reader only, for frames that are voted on).
    func recognise(
        image: Image, country: String?, withCrops: Bool, quick: Bool, mix: CountryMix?
    ) async throws -> RecognitionResult
    /// The passes of a video file; `progress` gets (frames decoded, frames in the video or 0 when unknown).
    func recogniseVideo(
        path: String, options: VideoOptions, progress: @Sendable (Int, Int) async throws -> Void
    ) async throws -> VideoResult
    /// Video passes whose vote is below `below`, each read again from its best frame as a still image is read
    /// (``PassResult/confirmed(by:sureAt:)``), and the provisional ones of `tracker`'s tracks, kept only when that
    /// confirms them; with the milliseconds of one core it took and how many were read.
    func reread(
        _ passes: [PassResult], country: String?, mix: CountryMix?, below: Double, tracker: PlateTracker.Configuration
    ) async -> (passes: [PassResult], milliseconds: Double, count: Int)
    /// Stops the inference threads once queued work is done.
    func shutdown()
}

extension PlateRecognizing {
    /// Plates in encoded image bytes, found by detection.
    public func recognise(
        _ data: [UInt8], country: String?, withCrops: Bool, mix: CountryMix? = nil
    ) async throws -> RecognitionResult {
        try await recognise(data, country: country, crop: false, withCrops: withCrops, mix: mix)
    }
}

extension Recognizer: PlateRecognizing {}

extension PlateRecognizing {
    /// Frames are looked at by the still images' detector unless the recogniser says otherwise.
    public var frameDetectorFile: String { detectorFile }
}
