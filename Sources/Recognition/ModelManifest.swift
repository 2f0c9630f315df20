import Foundation
import Vision

/// Describes the models of a recognition pipeline: files, input sizes, normalisation, decoders, alphabet.
/// A better or fine-tuned model is swapped in by editing the manifest, not the code. Paths are relative to
/// the manifest's folder.
public struct ModelManifest: Codable, Sendable {
    public struct Runtime: Codable, Sendable {
        /// Path of the ONNX Runtime shared library.
        public var library: String
    }

    public struct Detector: Codable, Sendable {
        public var file: String
        /// Box decoder; supported: `yolov8-dfl` (raw YOLOv8 head per stride: 4 x reg_max box bins + class scores).
        public var decoder: String
        /// The image is scaled so its longer side is this many pixels (then padded to a multiple of `stride`) ...
        public var longSide: Int
        /// ... or more for large images, so they are not shrunk by more than `maxDownscale`, up to `maxLongSide`.
        public var maxLongSide: Int?
        public var maxDownscale: Float?
        /// `maxDownscale` for quick reads (video and camera frames; absent: the same): a plate too small to be
        /// found in one frame of an approaching vehicle is found, larger, in the next ones; a still image has no
        /// next frame.
        public var quickMaxDownscale: Float?
        /// A still image in which nothing was found is looked at once more with its long side at this many
        /// pixels, when that is larger than the first look's (small plates in large frames); absent: never.
        public var secondLookLongSide: Int?
        /// A still image so large that its first look shrank it more than `maxDownscale` (over 1920 pixels with
        /// `maxLongSide` 640 and `maxDownscale` 3: a 4K camera's wide view), in which the first look read plates, is
        /// looked at again shrunk only `maxDownscale` times, its long side at most this many pixels: plates too small
        /// for the first look beside those it found. What that look finds away from every box found counts when read
        /// in a format at `escalateBelow` or more. Absent: never. (An image with nothing read gets the second look.)
        public var finerLookLongSide: Int?
        /// Quick reads (video and camera frames) in which nothing scores `scoreThreshold` but a candidate scores at
        /// least this: the square around it, half the frame's short side, is looked at again with its side at
        /// `quickZoomSide` pixels (a plate too small for the whole frame's first look, as at a camera that never
        /// sees cars close); absent: never.
        public var quickZoomBelow: Float?
        /// See `quickZoomBelow` (absent: `longSide`).
        public var quickZoomSide: Int?
        /// A still image's best candidate under `scoreThreshold` (scoring at least `quickZoomBelow`) that overlaps none
        /// of the boxes found is looked at again: the square around it, this many times its longer side (at most the
        /// image's short side), with its side at `closerLookSide` pixels (a small or faint plate, beside another or
        /// alone). What that look finds counts only when read in a format at `escalateBelow` or more. Absent (or without
        /// `quickZoomBelow`): never.
        public var closerLookReach: Float?
        /// See `closerLookReach`.
        public var closerLookSide: Int?
        /// A box longer than this many detector pixels at the first look (a close-up, a camera near the plate):
        /// the image is looked at again from further away, shrunk so that the longest such box is `zoomOutTo`
        /// pixels, and each such box is replaced by that look's box over it (absent: never). The detector was
        /// trained on plates far smaller than its input: it places a larger plate's edges poorly, cutting off
        /// its first or last character, or misses it.
        public var zoomOutAbove: Float?
        /// See `zoomOutAbove`.
        public var zoomOutTo: Float?
        public var stride: Int
        public var strides: [Int]
        public var regMax: Int
        public var color: String
        public var mean: [Float]
        public var std: [Float]
        public var padPixel: Float
        public var scoreThreshold: Float
        public var nmsIou: Float
        /// Boxes narrower than this many image pixels are not read (absent: every box is): no reader can tell
        /// their characters apart, and each still costs a reader's full run.
        public var minReadWidth: Float?
        /// Text line: when the line of (the largest) characters inside a box leans by at least this many degrees,
        /// the plate is also read through the rotated rectangle around them (absent: never) ...
        public var deskewMinDegrees: Float?
        /// ... and also when the characters fill less than this fraction of the box height (plates with a
        /// state name or slogan around the registration: the registration line is read on its own).
        public var textLineBelowHeight: Float?
        /// Padding of that rectangle (fractions of its width and height on each side).
        public var deskewPadding: [Float]?
        /// A sloping line whose characters stay upright (a plate seen from the side, the camera turned rather
        /// than rolled) is straightened by a shear, not a rotation, which would make its characters lean
        /// (``Vision/Image/textLine(in:adaptiveBlock:shear:)``; absent: always a rotation).
        public var deskewShear: Bool?
        /// When one threshold for the whole box finds fewer than three characters, find the text line with a
        /// threshold from each pixel's neighbourhood of this many pixels (the box scaled to 96 high), then with
        /// the box's long runs (a frame touching the characters) taken away; absent or 0: neither fallback.
        public var textLineAdaptiveBlock: Int?
        /// When the characters fill less than `textLineBelowHeight` of the box (a frame's or a dealer's text
        /// around them), read their text line even after a sure reading of the whole box, and prefer its sure
        /// reading in a format: the tighter crop shows the characters larger and without the other text.
        public var preferTextLine: Bool?
        /// A picture whose 1st and 99th percentiles of lightness are fewer than this many levels apart (an
        /// underexposed or hazy frame) has its levels stretched before the detector looks at it, the contrast
        /// multiplied by at most `stretchMaxGain`: the detector, trained on well-exposed photos, misses plates in
        /// such pictures that it finds once they are stretched. Absent: never.
        public var stretchBelowRange: Int?
        /// See `stretchBelowRange`.
        public var stretchMaxGain: Float?
        /// A picture whose median lightness is under this level (1-254; a dark picture whose highlights are kept, at
        /// dusk) and in which nothing was read is looked at once more with its levels raised by a gamma so that its
        /// median reaches this level; absent: never.
        public var liftBelowMedian: Int?
        /// Boxes more than this many times as wide as high are no plate (absent: any box may be). The widest plates
        /// are 4.7 times as wide as high (the EU's and the UK's 520 x 110 mm; a plate seen at an angle is narrower, a
        /// US plate 2), and a camera's date, time or name burnt along the picture's edge, which the detector can box,
        /// is a longer line.
        public var maxBoxAspect: Float?
        /// A box within this share of the picture's width and height from one of its corners (touching two edges),
        /// and at most a quarter as wide as the picture, is no plate (absent: any box may be): it is the camera's own
        /// text in that corner (its name, its clock), or a plate the corner cuts off. A plate filling the picture is
        /// wider.
        public var cornerTextMargin: Float?
        /// Each found box's width and height multiplied by these two factors about its centre (absent: as found):
        /// detectors trained on other datasets' labels draw boxes looser or tighter around a plate, and the readers'
        /// crop padding expects the tight boxes of the default detector.
        public var boxScale: [Float]?
    }

    public struct Reader: Codable, Sendable {
        public var file: String
        /// Output decoder; supported: `ctc` (output [1, T, classes] of per-step probabilities).
        public var decoder: String
        public var height: Int
        /// Width of the input canvas; the crop is resized to `height` keeping its aspect, at most this wide.
        public var maxWidth: Int
        public var color: String
        public var mean: [Float]
        public var std: [Float]
        public var padPixel: Float
        /// Alphabet stored in the model's metadata under this key, ...
        public var alphabetMetadataKey: String?
        /// ... or given here; entries split by `alphabetSeparator` ("" = one per character).
        public var alphabet: String?
        public var alphabetSeparator: String?
        /// Index of the CTC blank; the alphabet fills the other indices in order.
        public var blankIndex: Int
        /// The detected box is grown by these fractions of its width and height on each side before reading.
        public var cropPadding: [Float]?
        /// `box` grown by `cropPadding` (6% of its width and 12% of its height when absent): the crop this reader reads.
        public func crop(_ box: Rect) -> Rect {
            let pad = cropPadding ?? [0.06, 0.12]
            return box.padded(horizontal: pad.first ?? 0, vertical: pad.last ?? 0)
        }
        /// Pad every crop to `maxWidth` (as the model was trained) rather than to the next multiple of 8.
        public var padToMaxWidth: Bool?
        /// Equalise the crop's contrast (CLAHE) before reading.
        public var equalize: Bool?
        /// Crops narrower than `stretch_below_aspect` (width / height) are stretched to `stretch_to_aspect` wide:
        /// a squarish plate at the reader's height spans too few CTC steps to hold doubled characters (MM, 77)
        /// apart, which then come out as one.
        public var stretchBelowAspect: Float?
        public var stretchToAspect: Float?
        /// A crop whose 1st and 99th percentiles of lightness are fewer than this many levels apart (a plate in
        /// dim light, at dusk, underexposed) has its levels stretched before it is read, the contrast multiplied by
        /// at most `stretchMaxGain`, as the detector's `stretch_below_range` does for the whole picture: the
        /// readers were trained on plates whose characters stand out from the plate. Absent: never.
        public var stretchBelowRange: Int?
        /// See `stretchBelowRange`.
        public var stretchMaxGain: Float?
    }

    public var name: String
    public var runtime: Runtime
    public var detector: Detector
    /// One or more readers; with several, each plate is read by the first, and by the next ones in turn while
    /// the combined reading's confidence is below `escalateBelow` (their probabilities are combined).
    public var readers: [Reader]
    /// Confidence under which the next reader is consulted (default 1: always all readers).
    public var escalateBelow: Double?
    /// Whether a reading in no format in force is also read by the next readers, whatever its confidence.
    public var escalateUnknown: Bool?
    /// The reader of quick reads (video and camera frames, where each plate is read once per frame and a track's
    /// frames are voted on, so the fastest good reader pays most); absent: the first of `readers`. It takes no
    /// part in the escalation of still images.
    public var quickReader: Reader?
    /// The detector of quick reads (video and camera frames, where a plate missed in one frame is found in the next
    /// ones, so a smaller, faster detector pays most); absent: `detector`. Still images, and the frame of a video pass
    /// read again as a still, use `detector`.
    public var quickDetector: Detector?
    /// Two-line plates (motorcycles, trailers, square plates): boxes narrower than `tryBelowAspect`
    /// (width / height) are also read as two stacked lines, those under `onlyBelowAspect` only so.
    public var twoLine: TwoLine?

    /// Still images: a plate whose reading stays unsure and whose box looks smeared by motion is read once more,
    /// deconvolved from that blur; a sure reading of it wins. Absent: never.
    public var motionBlur: MotionBlurSettings?

    public struct MotionBlurSettings: Codable, Sendable {
        /// A box is taken as blurred when its derivative's autocorrelation dips lowest at this many pixels or more
        /// (a sharp plate's dips at its strokes' width); 3 to 64.
        public var minLength: Int
        /// The longest blur looked for, in pixels; `min_length` to 64.
        public var maxLength: Int
        /// The Wiener filter's noise-to-signal ratio; above 0, at most 1.
        public var balance: Float
    }

    /// A text detector (DB, PP-OCR style) looked at when the plate detector finds nothing in a still image:
    /// plates it was not trained on (square two-line plates) are found as text, then read like plates; only
    /// readings in a known format count. Absent: no such fallback.
    public var textFinder: TextFinder?

    public struct TextFinder: Codable, Sendable {
        public var file: String
        /// The image is scaled so its long side is at most this many pixels (then padded to `stride`).
        public var longSide: Int
        public var stride: Int
        public var color: String
        public var mean: [Float]
        public var std: [Float]
        /// A pixel is text above this probability ...
        public var threshold: Float
        /// ... and a region counts when its mean probability is above this.
        public var boxThreshold: Float
        /// How far each region is grown back (the detector's shrink ratio, PP-OCR: 1.5).
        public var unclip: Float
        /// Readings found this way count at or above this confidence.
        public var minConfidence: Double
        /// A single line is read with this fraction of its width and height added on each side: text boxes
        /// hug the characters, plate boxes (what the readers expect) have a margin. Below 0 counts as 0. Default 0.
        public var linePadding: Float?
        /// At most this many plate candidates (stacked pairs first, then single lines, made from the 12 largest
        /// text lines) are read; below 0 counts as 0. Default 8.
        public var maxCandidates: Int?
    }

    public struct TwoLine: Codable, Sendable {
        public var tryBelowAspect: Double
        public var onlyBelowAspect: Double
        /// How far each half reaches past the middle, as a fraction of the box height.
        public var overlap: Double
    }

    /// The folder the manifest was read from; relative paths resolve against it.
    public var directory: URL = URL(fileURLWithPath: ".")

    enum CodingKeys: String, CodingKey {
        case name, runtime, detector, quickDetector, readers, escalateBelow, escalateUnknown, quickReader, twoLine, textFinder
        case motionBlur
    }

    /// The checks of one detector's settings (`name`: its key in the manifest).
    private static func check(_ d: Detector, as name: String) throws {
        guard d.decoder == "yolov8-dfl" else {
            throw RecognitionError.badManifest("unknown \(name) decoder \(d.decoder)")
        }
        // A floor at or under 0 would keep every cell of every frame (a negative one none at all), one at or over the
        // threshold would never zoom.
        if let floor = d.quickZoomBelow, !(floor > 0 && floor < d.scoreThreshold) {
            throw RecognitionError.badManifest(
                "\(name).quick_zoom_below must be above 0 and below score_threshold (\(d.scoreThreshold)), not \(floor)")
        }
        if let side = d.quickZoomSide, !(32...4096).contains(side) {
            throw RecognitionError.badManifest("\(name).quick_zoom_side must be 32 to 4096 pixels, not \(side)")
        }
        switch (d.closerLookReach, d.closerLookSide) {
        case (nil, nil): break
        case (let reach?, let side?) where reach >= 1 && reach <= 64 && (32...4096).contains(side): break
        case (let reach, let side):
            throw RecognitionError.badManifest(
                "\(name).closer_look_reach (1 to 64) and \(name).closer_look_side (32 to 4096 pixels) go together; got \(reach.map { "\($0)" } ?? "none") and \(side.map { "\($0)" } ?? "none")"
            )
        }
        try checkStretch(d.stretchBelowRange, d.stretchMaxGain, of: name)
        switch (d.zoomOutAbove, d.zoomOutTo) {
        case (nil, nil): break
        case (let above?, let to?) where to >= 16 && to < above: break
        case (let above, let to):
            throw RecognitionError.badManifest(
                "\(name).zoom_out_above and \(name).zoom_out_to go together, zoom_out_to at least 16 pixels and below "
                    + "zoom_out_above; got \(above.map { "\($0)" } ?? "none") and \(to.map { "\($0)" } ?? "none")")
        }
        if let finer = d.finerLookLongSide, !(finer > d.maxLongSide ?? d.longSide && finer <= 4096) {
            throw RecognitionError.badManifest(
                "\(name).finer_look_long_side must be above max_long_side (\(d.maxLongSide ?? d.longSide)) and at most 4096 pixels, not \(finer)"
            )
        }
        if let margin = d.cornerTextMargin, !(margin >= 0 && margin <= 0.1) {
            throw RecognitionError.badManifest("\(name).corner_text_margin must be 0 to 0.1 (a share of the picture), not \(margin)")
        }
        if let lift = d.liftBelowMedian, !(1...254).contains(lift) {
            throw RecognitionError.badManifest("\(name).lift_below_median must be 1 to 254 (a level of lightness), not \(lift)")
        }
        if let scale = d.boxScale, !(scale.count == 2 && scale.allSatisfy { $0 >= 0.25 && $0 <= 4 }) {
            throw RecognitionError.badManifest("\(name).box_scale must be two factors (width, height) of 0.25 to 4, not \(scale)")
        }
        if let aspect = d.maxBoxAspect, !(aspect >= 2 && aspect <= 100) {
            throw RecognitionError.badManifest("\(name).max_box_aspect must be 2 to 100 (width over height), not \(aspect)")
        }
    }

    /// Reads `manifest.json` at `url`.
    public static func load(_ url: URL) throws -> ModelManifest {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RecognitionError.modelsMissing("cannot read model manifest \(url.path): run `make setup`")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var m: ModelManifest
        do { m = try decoder.decode(ModelManifest.self, from: data) } catch {
            throw RecognitionError.badManifest("\(url.path): \(error)")
        }
        m.directory = url.deletingLastPathComponent()
        try check(m.detector, as: "detector")
        if let q = m.quickDetector { try check(q, as: "quick_detector") }
        for (i, r) in m.readers.enumerated() { try checkStretch(r.stretchBelowRange, r.stretchMaxGain, of: "readers[\(i)]") }
        if let q = m.quickReader { try checkStretch(q.stretchBelowRange, q.stretchMaxGain, of: "quick_reader") }
        if let b = m.motionBlur,
            !((3...64).contains(b.minLength) && (b.minLength...64).contains(b.maxLength) && b.balance > 0 && b.balance <= 1)
        {
            throw RecognitionError.badManifest(
                "motion_blur needs min_length 3 to 64 pixels, max_length from min_length to 64 and balance above 0 and at most 1; got \(b.minLength), \(b.maxLength) and \(b.balance)"
            )
        }
        guard !m.readers.isEmpty else { throw RecognitionError.badManifest("no reader in \(url.path)") }
        for r in m.readers + (m.quickReader.map { [$0] } ?? []) where r.decoder != "ctc" {
            throw RecognitionError.badManifest("unknown reader decoder \(r.decoder)")
        }
        return m
    }

    /// `stretch_below_range` (1 to 255 levels) and `stretch_max_gain` (above 1, at most 16) of `owner`: both or neither.
    private static func checkStretch(_ range: Int?, _ gain: Float?, of owner: String) throws {
        switch (range, gain) {
        case (nil, nil): break
        case (let range?, let gain?) where (1...255).contains(range) && gain > 1 && gain <= 16: break
        case (let range, let gain):
            throw RecognitionError.badManifest(
                "\(owner).stretch_below_range (1 to 255 levels) and \(owner).stretch_max_gain (above 1, at most 16) go together; got \(range.map { "\($0)" } ?? "none") and \(gain.map { "\($0)" } ?? "none")"
            )
        }
    }

    /// An absolute path for a file named in the manifest.
    public func path(_ file: String) -> String {
        file.hasPrefix("/") ? file : directory.appendingPathComponent(file).standardizedFileURL.path
    }
}

extension ModelManifest.Detector {
    var normalisation: Normalisation {
        Normalisation(
            rgb: color == "rgb", mean: mean, std: std, padPixel: padPixel, stretchBelowRange: stretchBelowRange ?? 0,
            stretchMaxGain: stretchMaxGain ?? 1)
    }
}

extension ModelManifest.TextFinder {
    var normalisation: Normalisation { Normalisation(rgb: color == "rgb", mean: mean, std: std, padPixel: 0) }
}

extension ModelManifest.Reader {
    var normalisation: Normalisation {
        Normalisation(
            rgb: color == "rgb", mean: mean, std: std, padPixel: padPixel, equalize: equalize ?? false,
            stretchBelowRange: stretchBelowRange ?? 0, stretchMaxGain: stretchMaxGain ?? 1)
    }
}
