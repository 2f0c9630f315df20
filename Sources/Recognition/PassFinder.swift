import Foundation
import Tracking
import Vision

/// The one path from recognised frames to vehicle passes, shared by uploaded videos, live cameras and the edge
/// agent: the tracker (with the scene-change signal) and the images of each pass's best read.
public struct PassFinder: Sendable {
    /// How the frames' reads are joined into passes.
    public var tracker: PlateTracker
    /// Mean grey-level change (0-255, on a 64x48 thumbnail) between two read frames that counts as a scene
    /// change: reads after it continue a track only if they read its plate. Within one vehicle's approach the
    /// change between read frames stays far below it (see the README's video section for the measurement).
    public var sceneChange: Double
    /// Called with one line per read frame (time, change, reads with their format and the reader's next candidates) when
    /// set: `MICROANPR_TRACE_TRACKING=1`.
    public var trace: (@Sendable (String) -> Void)?
    var best = BestImages()
    var previous: Image?

    public init(
        tracker: PlateTracker.Configuration = .init(), sceneChange: Double = VideoOptions.defaultSceneChange,
        trace: (@Sendable (String) -> Void)? = nil
    ) {
        self.tracker = PlateTracker(configuration: tracker)
        self.sceneChange = sceneChange
        self.trace = trace
    }

    /// Whether a plate was seen recently (sampling may stay dense).
    public var isTracking: Bool { tracker.isTracking }

    /// Adds one read frame at `time` seconds; returns the passes that ended with it.
    public mutating func add(_ result: RecognitionResult, image: Image, at time: Double) -> [PassResult] {
        let change = previous.map { (try? image.difference($0)) ?? 255 } ?? 0
        previous = image
        var observations: [Observation] = []
        for p in result.plates {
            observations.append(p.observation(at: time))
            best.keep(p, image: image)
        }
        let cut = change >= sceneChange
        if let trace {
            trace(
                String(
                    format: "track t=%.2f change=%.1f%@ reads=%@", time, change, cut ? " (scene change)" : "",
                    observations.map { o in
                        // The format and the reader's other candidates too: the vote weighs both.
                        let others = o.alternatives.filter { $0.text != o.text }.prefix(3)
                            .map { "\($0.text):" + String(format: "%.2f", $0.confidence) }
                        return "\(o.text)[\(o.format)]@\(Int(o.box.x)),\(Int(o.box.y)),\(Int(o.box.width))x\(Int(o.box.height)):"
                            + String(format: "%.2f", o.confidence) + (others.isEmpty ? "" : "{\(others.joined(separator: ","))}")
                    }.joined(separator: " ")))
        }
        let ended = tracker.add(observations, at: time, sceneChanged: cut).map(best.result)
        if !tracker.isTracking { best.removeAll() }
        return ended
    }

    /// Ends every open track (end of the video or stream).
    public mutating func finish() -> [PassResult] {
        let open = tracker.finish().map(best.result)
        best.removeAll()
        return open
    }
}
