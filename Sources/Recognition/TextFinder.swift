import Foundation
import Vision

/// Finds lines of text with a DB-style text detector (one probability map: is this pixel inside text?), for
/// plates the plate detector was not trained on (square two-line plates): the boxes of connected regions
/// above a threshold, grown back by the detector's shrink ratio, best first.
struct TextFinder: Sendable {
    let session: OnnxSession
    let spec: ModelManifest.TextFinder

    /// Text boxes in `image`, in image pixels, with their mean probability, at most `limit`, largest first.
    func find(_ image: Image, limit: Int = 12) throws -> [Detection] {
        let long = Float(max(image.width, image.height))
        let scale = min(1, Float(spec.longSide) / long)
        let w = max(spec.stride, Int((Float(image.width) * scale).rounded()))
        let h = max(spec.stride, Int((Float(image.height) * scale).rounded()))
        let cw = (w + spec.stride - 1) / spec.stride * spec.stride
        let ch = (h + spec.stride - 1) / spec.stride * spec.stride
        let input = try image.tensor(nil, content: (w, h), canvas: (cw, ch), normalisation: spec.normalisation)
        let map = try session.run(input: input, shape: [1, 3, ch, cw])
        guard let out = map.first, out.values.count == cw * ch else {
            throw RecognitionError.badManifest("text finder output shape \(map.first?.shape ?? [])")
        }
        // Connected regions of the thresholded map (4-connected), inside the image's content only.
        let p = out.values
        var label = [Int32](repeating: 0, count: cw * ch)
        var found: [Detection] = []
        var stack: [Int] = []
        for start in 0..<(cw * ch) where label[start] == 0 && p[start] > spec.threshold {
            let sx = start % cw, sy = start / cw
            guard sx < w, sy < h else { continue }
            var x0 = sx, x1 = sx, y0 = sy, y1 = sy, count = 0
            var sum: Float = 0
            label[start] = 1
            stack.append(start)
            while let i = stack.popLast() {
                let x = i % cw, y = i / cw
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                count += 1; sum += p[i]
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
                where nx >= 0 && ny >= 0 && nx < w && ny < h {
                    let j = ny * cw + nx
                    if label[j] == 0 && p[j] > spec.threshold { label[j] = 1; stack.append(j) }
                }
            }
            let bw = Float(x1 - x0 + 1), bh = Float(y1 - y0 + 1)
            guard bh >= 3, bw >= 3, sum / Float(count) >= spec.boxThreshold else { continue }
            // DB shrinks text regions by area * (1 - r^2) / perimeter; grow them back by `unclip` times that.
            let grow = bw * bh * spec.unclip / (2 * (bw + bh))
            let x = max(0, Float(x0) - grow) / scale, y = max(0, Float(y0) - grow) / scale
            let right = min(Float(w), Float(x1 + 1) + grow) / scale, bottom = min(Float(h), Float(y1 + 1) + grow) / scale
            found.append(Detection(box: Rect(x: x, y: y, width: right - x, height: bottom - y), score: sum / Float(count)))
        }
        return Array(found.sorted { $0.box.width * $0.box.height > $1.box.width * $1.box.height }.prefix(limit))
    }
}

extension TextFinder {
    /// Plate-shaped boxes from text boxes: two lines stacked (similar heights, overlapping columns, close
    /// together) make one square plate, tried first; then each line alone, grown by the manifest's
    /// `line_padding` into a plate-like margin. Lines too long for a plate (more than 8 times as wide as high)
    /// are left out; at most `max_candidates` are kept.
    func plateCandidates(_ lines: [Detection]) -> [Detection] {
        var pairs: [Detection] = []
        for a in lines {
            for b in lines where b.box.y > a.box.y + a.box.height / 2 {
                let overlap = min(a.box.x + a.box.width, b.box.x + b.box.width) - max(a.box.x, b.box.x)
                let gap = b.box.y - (a.box.y + a.box.height)
                guard overlap > 0.5 * min(a.box.width, b.box.width), gap < 0.6 * a.box.height,
                    (0.5...2).contains(b.box.height / max(1, a.box.height))
                else { continue }
                let x = min(a.box.x, b.box.x), y = a.box.y
                let box = Rect(
                    x: x, y: y, width: max(a.box.x + a.box.width, b.box.x + b.box.width) - x,
                    height: b.box.y + b.box.height - y)
                pairs.append(Detection(box: box, score: min(a.score, b.score)))
            }
        }
        let pad = max(0, spec.linePadding ?? 0)
        let singles = lines.filter { $0.box.width < 8 * $0.box.height && $0.box.width > $0.box.height }
            .map { Detection(box: $0.box.padded(horizontal: pad, vertical: pad), score: $0.score) }
        return Array((pairs + singles).prefix(max(0, spec.maxCandidates ?? 8)))
    }
}
