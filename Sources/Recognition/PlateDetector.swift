import Foundation
import Vision

/// A detected plate: its box in image pixels and the detector's score.
public struct Detection: Sendable, Equatable {
    public var box: Rect
    public var score: Float
}

/// Finds plates with a YOLOv8-style detector (raw head outputs, decoded here).
struct PlateDetector: Sendable {
    let session: OnnxSession
    let spec: ModelManifest.Detector

    /// The long side (pixels) at which an area whose long side is `long` is first looked at (`quick`: a video
    /// or camera frame).
    func firstLookSide(_ long: Float, quick: Bool = false) -> Float {
        var side = Float(spec.longSide)
        if let most = spec.maxLongSide, let factor = quick ? spec.quickMaxDownscale ?? spec.maxDownscale : spec.maxDownscale,
            factor > 0
        {
            side = min(Float(most), max(side, long / factor))
        }
        return side
    }

    /// Plates in `image` (or in `region` of it, scaled so its long side is the detector's, or `side`), best
    /// first, after non-maximum suppression, in image pixels; candidates down to `floor` when it is below the
    /// manifest's score threshold. Boxes too wide to be a plate (`spec.maxBoxAspect`) and small boxes in a corner of
    /// the image (`spec.cornerTextMargin`) are left out.
    func detect(_ image: Image, region: Rect? = nil, side: Float? = nil, quick: Bool = false, floor: Float? = nil) throws -> [Detection] {
        let area = region ?? Rect(x: 0, y: 0, width: Float(image.width), height: Float(image.height))
        let long = max(area.width, area.height)
        let side = side ?? firstLookSide(long, quick: quick)
        let scale = side / long
        let w = max(1, Int((area.width * scale).rounded()))
        let h = max(1, Int((area.height * scale).rounded()))
        let cw = (w + spec.stride - 1) / spec.stride * spec.stride
        let ch = (h + spec.stride - 1) / spec.stride * spec.stride
        let input = try image.tensor(region?.quad, content: (w, h), canvas: (cw, ch), normalisation: spec.normalisation)
        let outputs = try session.run(input: input, shape: [1, 3, ch, cw])
        let channels = 4 * spec.regMax
        var boxes: [Rect] = []
        var scores: [Float] = []
        let threshold = logit(min(floor ?? spec.scoreThreshold, spec.scoreThreshold))
        for out in outputs {
            guard out.shape.count == 4, out.shape[1] > channels else {
                throw RecognitionError.badManifest("detector output shape \(out.shape)")
            }
            let gh = out.shape[2], gw = out.shape[3]
            let stride = Float(ch) / Float(gh)
            let plane = gh * gw
            let v = out.values
            var bins = [Float](repeating: 0, count: spec.regMax)
            for cell in 0..<plane {
                // Class scores follow the box bins; the best class counts.
                var best = -Float.infinity
                for c in channels..<out.shape[1] { best = max(best, v[c * plane + cell]) }
                guard best > threshold else { continue }
                var dist = [Float](repeating: 0, count: 4)
                for side in 0..<4 {
                    var mx = -Float.infinity
                    for b in 0..<spec.regMax {
                        bins[b] = v[(side * spec.regMax + b) * plane + cell]; mx = max(mx, bins[b])
                    }
                    var sum: Float = 0, acc: Float = 0
                    for b in 0..<spec.regMax { let e = expf(bins[b] - mx); sum += e; acc += e * Float(b) }
                    dist[side] = acc / sum
                }
                let cx = Float(cell % gw) + 0.5, cy = Float(cell / gw) + 0.5
                let x1 = (cx - dist[0]) * stride, y1 = (cy - dist[1]) * stride
                let x2 = (cx + dist[2]) * stride, y2 = (cy + dist[3]) * stride
                var box = Rect(x: area.x + x1 / scale, y: area.y + y1 / scale, width: (x2 - x1) / scale, height: (y2 - y1) / scale)
                if let f = spec.boxScale {
                    box = Rect(
                        x: box.x + box.width * (1 - f[0]) / 2, y: box.y + box.height * (1 - f[1]) / 2, width: box.width * f[0],
                        height: box.height * f[1])
                }
                guard box.x.isFinite, box.y.isFinite, box.width.isFinite, box.height.isFinite,
                    box.width > 2, box.height > 2
                else { continue }
                boxes.append(box)
                scores.append(1 / (1 + expf(-best)))
            }
        }
        let keep = nonMaximumSuppression(boxes, scores: scores, iouThreshold: spec.nmsIou)
        return keep.map { i in
            // Clip to the image.
            var b = boxes[i]
            let x2 = min(Float(image.width), b.x + b.width), y2 = min(Float(image.height), b.y + b.height)
            b.x = max(0, b.x); b.y = max(0, b.y); b.width = x2 - b.x; b.height = y2 - b.y
            return Detection(box: b, score: scores[i])
        }.filter { d in
            d.box.width > 2 && d.box.height > 2 && spec.maxBoxAspect.map { d.box.width <= $0 * d.box.height } ?? true
                && !(spec.cornerTextMargin.map { isCornerText(d.box, in: image, margin: $0) } ?? false)
        }
    }

    /// Whether `box` sits in a corner of `image` (within `margin` of its width and height from two adjacent edges)
    /// and is at most a quarter as wide as the image: a camera's own text there, or a plate cut off by the corner.
    func isCornerText(_ box: Rect, in image: Image, margin: Float) -> Bool {
        let w = Float(image.width), h = Float(image.height)
        guard box.width <= w / 4 else { return false }
        let left = box.x <= margin * w, right = box.x + box.width >= w - margin * w
        let top = box.y <= margin * h, bottom = box.y + box.height >= h - margin * h
        return (left || right) && (top || bottom)
    }

    /// Plates in a still image: the first look's, large ones seen again from further away (``seenFromFurther(_:_:quick:)``);
    /// and, with `spec.closerLookReach`, the best candidate of that look under the threshold (scoring at least
    /// `spec.quickZoomBelow`) that overlaps none of them, for a closer look (``closerLook(_:at:)``). Weaker candidates
    /// never suppress stronger ones, so the plates are what the first look alone finds.
    func detectStill(_ image: Image) throws -> (plates: [Detection], weak: Detection?) {
        let found = try detect(image, floor: spec.closerLookReach == nil ? nil : spec.quickZoomBelow)
        let plates = found.filter { $0.score >= spec.scoreThreshold }
        let weak = found.filter { w in w.score < spec.scoreThreshold && !plates.contains { $0.box.iou(w.box) > 0 } }.first
        return (try seenFromFurther(image, plates, quick: false), weak)
    }

    /// What a look at the square around a still image's `candidate` (`spec.closerLookReach` times its longer side, at
    /// most the image's short side) finds, at `spec.closerLookSide` pixels; nothing without those settings.
    func closerLook(_ image: Image, at candidate: Detection) throws -> [Detection] {
        guard let reach = spec.closerLookReach, let look = spec.closerLookSide else { return [] }
        let side = min(Float(min(image.width, image.height)), max(32, reach * max(candidate.box.width, candidate.box.height)))
        return try detect(image, region: square(side, around: candidate, in: image), side: Float(look))
    }

    /// The square of `side` pixels centred on `candidate`, moved inside `image`.
    private func square(_ side: Float, around candidate: Detection, in image: Image) -> Rect {
        let cx = candidate.box.x + candidate.box.width / 2, cy = candidate.box.y + candidate.box.height / 2
        let x = min(max(0, cx - side / 2), Float(image.width) - side), y = min(max(0, cy - side / 2), Float(image.height) - side)
        return Rect(x: x, y: y, width: side, height: side)
    }

    /// `found` (the first look at `image`) with each box longer than `spec.zoomOutAbove` detector pixels replaced
    /// by the best box over it when the image is looked at again shrunk so that the longest is `spec.zoomOutTo`
    /// pixels; a plate that large which only that look finds is added. Plates that fill the detector's view are
    /// rarer in its training than in close-ups: their boxes lose an edge (a first or last character cut off).
    func seenFromFurther(_ image: Image, _ found: [Detection], quick: Bool) throws -> [Detection] {
        guard let above = spec.zoomOutAbove, let to = spec.zoomOutTo else { return found }
        let first = firstLookSide(Float(max(image.width, image.height)), quick: quick)
        func size(_ d: Detection) -> Float { lengthAtFirstLook(d, image, first) }
        guard let largest = found.map(size).filter({ $0 > above }).max() else { return found }
        let far = try detect(image, side: max(Float(spec.stride), first * to / largest))
        var result = found.map { d in
            guard size(d) > above, let over = far.filter({ $0.box.iou(d.box) >= 0.3 }).max(by: { $0.score < $1.score })
            else { return d }
            return over
        }
        result += far.filter { f in size(f) > above && !result.contains { $0.box.iou(f.box) > 0 } }
        return result.sorted { $0.score > $1.score }
    }

    /// What a still image's finer look finds (``ModelManifest/Detector/finerLookLongSide``): the image shrunk only
    /// `spec.maxDownscale` times, its long side at most `spec.finerLookLongSide`; nothing when its first look did not
    /// shrink it more than that.
    func finerLook(_ image: Image) throws -> [Detection] {
        guard let most = spec.finerLookLongSide, let factor = spec.maxDownscale, factor > 0 else { return [] }
        let long = Float(max(image.width, image.height))
        let side = min(Float(most), long / factor)
        guard side > firstLookSide(long) else { return [] }
        return try detect(image, side: side)
    }

    /// Plates that fill a still image in which the first look found none to read (it can miss them altogether):
    /// the boxes of a look at `spec.zoomOutTo` pixels that would be longer than `spec.zoomOutAbove` at the first
    /// look's scale. Smaller ones are the first look's to find.
    func detectFromFurther(_ image: Image) throws -> [Detection] {
        guard let above = spec.zoomOutAbove, let to = spec.zoomOutTo else { return [] }
        let first = firstLookSide(Float(max(image.width, image.height)))
        guard to < first else { return [] }
        return try detect(image, side: to).filter { lengthAtFirstLook($0, image, first) > above }
    }

    /// The long side of `d`'s box in detector pixels at a look at `image` whose long side is `first` pixels.
    private func lengthAtFirstLook(_ d: Detection, _ image: Image, _ first: Float) -> Float {
        max(d.box.width, d.box.height) * (first / Float(max(image.width, image.height)))
    }

    /// Plates in a video or camera frame (quick reads): the first look's. When none reaches the threshold but a
    /// candidate scores at least `spec.quickZoomBelow`, what a zoomed look finds in the square (half the image's
    /// short side) around the best such candidate. Weaker candidates never suppress stronger ones (non-maximum
    /// suppression keeps the best first), so with a plate in view this is what the first look alone finds.
    func detectFrame(_ image: Image) throws -> [Detection] {
        let found = try detect(image, quick: true, floor: spec.quickZoomBelow)
        guard let floor = spec.quickZoomBelow, found.allSatisfy({ $0.score < spec.scoreThreshold }),
            let weak = found.max(by: { $0.score < $1.score }), weak.score >= floor
        else { return try seenFromFurther(image, found.filter { $0.score >= spec.scoreThreshold }, quick: true) }
        let region = square(Float(min(image.width, image.height)) / 2, around: weak, in: image)
        return try detect(image, region: region, side: Float(spec.quickZoomSide ?? spec.longSide))
    }

    private func logit(_ p: Float) -> Float { logf(p / (1 - p)) }
}
