import Foundation
import Plates
import Tracking
import Vision

extension PassResult {
    /// This pass after its best frame was read again as a still image is (`reading`): a sure reading in a format
    /// (confidence at least `sureAt`) that differs from the vote replaces it, one that agrees raises the pass's
    /// confidence to its own, anything else leaves the pass as voted. The frames' vote is unsure when a plate was
    /// small or blurred in most frames; one frame read by every reader, with every layout, is then the better
    /// evidence (docs/video.md).
    public func confirmed(by reading: PlateReading?, sureAt: Double) -> PassResult {
        // A reading shorter than the vote is a part of the plate (a few characters found on their own), not a
        // correction: the frames saw more characters than it has.
        guard let r = reading, r.confidence >= sureAt, r.format != "unknown", r.text.count >= pass.text.count else { return self }
        var out = self
        if r.text == pass.text {
            out.pass.confidence = max(pass.confidence, r.confidence)
        } else {
            out.pass.text = r.text; out.pass.display = r.display; out.pass.format = r.format; out.pass.country = r.country
            out.pass.confidence = r.confidence
        }
        return out
    }
}

extension Recognizer {
    /// Reads again, as still images are read, the best frame of each pass whose vote is below `below`
    /// (``VideoOptions/rereadBelow``), and keeps what ``PassResult/confirmed(by:sureAt:)`` decides. A pass whose
    /// frame cannot be read again keeps its vote. Returns the passes, the milliseconds of one core it took and how
    /// many passes were read again.
    public func reread(
        _ passes: [PassResult], country: String?, mix: CountryMix?, below: Double
    ) async -> (passes: [PassResult], milliseconds: Double, count: Int) {
        let sureAt = manifest.escalateBelow ?? 1
        // Each pass is read on the inference pool as soon as a worker is free: the passes of a video's end are read
        // side by side, not one after another on one core.
        return await withTaskGroup(of: (Int, PlateReading?, Double).self) { group in
            var out = passes
            var milliseconds = 0.0, count = 0
            for (i, p) in passes.enumerated() {
                guard p.pass.confidence < below, let frame = p.frame else { continue }
                let b = p.pass.box
                let box = Rect(x: Float(b.x), y: Float(b.y), width: Float(b.width), height: Float(b.height))
                count += 1
                group.addTask { [self] in
                    let reading = try? await pool.run { [self] in
                        let start = DispatchTime.now()
                        let image = try Image(decoding: frame, maxPixels: configuration.maxPixels)
                        let r = try readStill(image, box: box, country: country, mix: mix)
                        return (r, DispatchTime.now().milliseconds(since: start))
                    }
                    return (i, reading?.0, reading?.1 ?? 0)
                }
            }
            for await (i, reading, ms) in group {
                out[i] = passes[i].confirmed(by: reading, sureAt: sureAt)
                milliseconds += ms
            }
            return (out, milliseconds, count)
        }
    }
}
