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
            out.take(r)
        }
        return out
    }

    /// Whether `reading` (this pass's best frame read again) shows surely a part of its plate, at least
    /// `minPartLength` characters of it (its first character lost at the crop's edge): not a correction of the vote
    /// (``confirmed(by:sureAt:)`` leaves it), but a plate there.
    public func isShownInPart(by reading: PlateReading?, sureAt: Double, minPartLength: Int) -> Bool {
        guard let r = reading else { return false }
        return r.confidence >= sureAt && r.text.count >= minPartLength && PlateTracker.isPart(r.text, of: pass.text)
    }

    /// This pass after the frame of its track's read of a longer plate (``longer``) was read again as a still image
    /// (`reading`): a sure reading in a format that holds the pass's plate with characters added replaces it (the
    /// frames that read the plate whole were outvoted by those that lost an edge character), with that frame;
    /// anything else leaves the pass as it was.
    public func lengthened(by reading: PlateReading?, frame: [UInt8], sureAt: Double) -> PassResult {
        guard let r = reading, r.confidence >= sureAt, r.format != "unknown", PlateTracker.isPart(pass.text, of: r.text) else {
            return self
        }
        var out = self
        out.take(r)
        out.frame = frame
        return out
    }

    /// The surest of ``longer`` that holds `text` with characters added, if any.
    public func longerRead(holding text: String) -> LongerRead? {
        longer.first { PlateTracker.isPart(text, of: $0.text) }
    }

    /// Takes `r`'s plate, format, country and confidence as the pass's (its track, times and box stay).
    mutating func take(_ r: PlateReading) {
        pass.text = r.text; pass.display = r.display; pass.format = r.format; pass.country = r.country
        pass.confidence = r.confidence
    }

    /// A ``VehiclePass/provisional`` pass after its best frame was read again as a still image (`plates`, every
    /// plate found in that frame): a pass of the surest plate that overlaps the pass's box, reads surely in a
    /// format, and has at least `minAgreeingReads` of the track's reads as parts (``PlateTracker/parts(of:in:_:)``; a
    /// glimpse's one read, ``PlateTracker/Configuration/minGlimpseConfidence``); nil, no pass, when there is none.
    public func confirmedProvisional(by plates: [PlateResult], sureAt: Double, tracker c: PlateTracker.Configuration) -> PassResult? {
        let box = Rect(pass.box)
        let supported = plates.filter { p in
            p.reading.confidence >= sureAt && p.reading.format != "unknown" && p.box.iou(box) > 0
                && PlateTracker.parts(of: p.reading.text, in: pass.observations, c) >= min(c.minAgreeingReads, pass.observations.count)
        }
        guard let r = supported.max(by: { $0.reading.confidence < $1.reading.confidence })?.reading else { return nil }
        var out = self
        out.take(r)
        out.pass.provisional = false
        return out
    }
}

extension Recognizer {
    /// Reads again, as still images are read, the best frame of each pass whose vote is below `below`
    /// (``VideoOptions/rereadBelow``), and keeps what ``PassResult/confirmed(by:sureAt:)`` decides; a pass whose
    /// frame cannot be read again keeps its vote. A ``VehiclePass/provisional`` pass is always read again, the
    /// whole frame as a still image (its box came from a reading of parts of the plate), and stays only as
    /// ``PassResult/confirmedProvisional(by:sureAt:tracker:)`` decides; a pass in a format read again that the
    /// reading does not confirm (nor show surely a part of) is dropped when its vote is below
    /// ``PlateTracker/Configuration/minUnconfirmedConfidence``, and so is one in no format with a vote that low and
    /// fewer reads than ``PlateTracker/Configuration/minUnknownFrames``. A pass (sure or not, unless rereading is off)
    /// whose track read a longer plate holding its plate (``PassResult/longer``) then has that read's frame read as a
    /// still image, and keeps what ``PassResult/lengthened(by:frame:sureAt:)`` decides. Every pass is read with `mix` as it stood when
    /// the rereads began, and none of their reads counts in it, so the result does not depend on the order in which
    /// the rereads finish. Returns the passes, the milliseconds of one core it took and how many passes were read again.
    public func reread(
        _ passes: [PassResult], country: String?, mix: CountryMix?, below: Double, tracker: PlateTracker.Configuration
    ) async -> (passes: [PassResult], milliseconds: Double, count: Int) {
        let sureAt = manifest.escalateBelow ?? 1
        // Each pass is read on the inference pool as soon as a worker is free: the passes of a video's end are read
        // side by side, not one after another on one core.
        return await withTaskGroup(of: (Int, PassResult?, Double).self) { group in
            var out: [PassResult?] = passes
            var milliseconds = 0.0, count = 0
            for (i, p) in passes.enumerated() {
                let provisional = p.pass.provisional
                // A pass whose track also read a longer plate in a format that holds its plate (after its own reread)
                // has that read's frame read again too (``PassResult/longer``), even when its vote is sure.
                let lengthens = !provisional && below > 0
                let unsure = provisional || p.pass.confidence < below
                guard (unsure && p.frame != nil) || (lengthens && p.longerRead(holding: p.pass.text) != nil) else {
                    if provisional { out[i] = nil }
                    continue
                }
                count += 1
                // Each reread weighs the countries by the mix as it stood when the rereads began, in a copy of its own:
                // a provisional pass's frame is read as a still image, whose sure reads teach the mix, and with one
                // mix shared the passes read side by side saw each other's reads in whatever order they finished
                // (two runs of one video then differed in a pass's confidence).
                let mix = mix?.copy()
                group.addTask { [self] in
                    let read = try? await pool.run { [self] in
                        let start = DispatchTime.now()
                        var result: PassResult? = p
                        if unsure, let frame = p.frame {
                            let image = try Image(decoding: frame, maxPixels: configuration.maxPixels)
                            result = try votedAgain(p, image: image, country: country, mix: mix, sureAt: sureAt, tracker: tracker)
                        }
                        if lengthens, let r = result, let longer = r.longerRead(holding: r.pass.text) {
                            result = lengthenedAgain(r, by: longer, country: country, mix: mix, sureAt: sureAt)
                        }
                        return (result, DispatchTime.now().milliseconds(since: start))
                    }
                    // A frame that cannot be read again: the vote stands, and a provisional pass is none.
                    return (i, read.map(\.0) ?? (provisional ? nil : p), read?.1 ?? 0)
                }
            }
            for await (i, result, ms) in group {
                out[i] = result
                milliseconds += ms
            }
            return (out.compactMap { $0 }, milliseconds, count)
        }
    }
}

extension Recognizer {
    /// `p` after its best frame (`image`) was read again as a still image: a provisional pass as
    /// ``PassResult/confirmedProvisional(by:sureAt:tracker:)`` decides, another as ``PassResult/confirmed(by:sureAt:)``
    /// decides, or none when it was voted in a format with little confidence and is not confirmed.
    fileprivate func votedAgain(
        _ p: PassResult, image: Image, country: String?, mix: CountryMix?, sureAt: Double, tracker: PlateTracker.Configuration
    ) throws -> PassResult? {
        if p.pass.provisional {
            return p.confirmedProvisional(by: try stillPlates(image, country: country, mix: mix), sureAt: sureAt, tracker: tracker)
        }
        let reading = try readStill(image, box: Rect(p.pass.box), country: country, mix: mix)
        let confirmed = p.confirmed(by: reading, sureAt: sureAt)
        // Voted in a format with little confidence, and unconfirmed: no pass, unless its frame shows surely a part of
        // it. (A plate in no format cannot be confirmed, and a long track of one can vote low: its vote stands, unless
        // its track is short too.)
        let unconfirmed =
            confirmed.pass == p.pass && p.pass.confidence < tracker.minUnconfirmedConfidence
            && (p.pass.format != "unknown" || p.pass.frames < tracker.minUnknownFrames)
            && !p.isShownInPart(by: reading, sureAt: sureAt, minPartLength: tracker.minPartLength)
        return unconfirmed ? nil : confirmed
    }

    /// `r` after the frame of its track's read of a longer plate holding its plate (`longer`) was read again: the
    /// frames that read the plate whole were outvoted by those that lost an edge character, and that frame, read
    /// surely as the longer plate, lengthens the pass (``PassResult/lengthened(by:frame:sureAt:)``). A frame that
    /// cannot be read leaves `r` as it is.
    fileprivate func lengthenedAgain(
        _ r: PassResult, by longer: PassResult.LongerRead, country: String?, mix: CountryMix?, sureAt: Double
    ) -> PassResult {
        // The whole frame as a still image (the still detector's box, not the frames' looser one), and the plate read
        // where the longer plate was.
        guard let image = try? Image(decoding: longer.frame, maxPixels: configuration.maxPixels),
            let plates = try? stillPlates(image, country: country, mix: mix)
        else { return r }
        let there = plates.filter { $0.box.iou(Rect(longer.box)) > 0 }.max { $0.reading.confidence < $1.reading.confidence }
        return r.lengthened(by: there?.reading, frame: longer.frame, sureAt: sureAt)
    }

    /// Every plate of `image` read as a still image is read, weighing countries by `mix`.
    fileprivate func stillPlates(_ image: Image, country: String?, mix: CountryMix?) throws -> [PlateResult] {
        try recogniseNow(image: image, country: country, crop: false, withCrops: false, timings: StageTimings(), mix: mix).plates
    }
}

extension Rect {
    /// A tracker's box (a pass's place in its frame) in image coordinates.
    init(_ box: Box) { self.init(x: Float(box.x), y: Float(box.y), width: Float(box.width), height: Float(box.height)) }
}
