import CVision

/// A point in image pixels.
public struct Point: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public init(x: Float, y: Float) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in image pixels (top-left origin).
public struct Rect: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float
    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var area: Float { max(0, width) * max(0, height) }

    /// Intersection over union with another rectangle.
    public func iou(_ other: Rect) -> Float {
        let x1 = max(x, other.x), y1 = max(y, other.y)
        let x2 = min(x + width, other.x + other.width), y2 = min(y + height, other.y + other.height)
        let inter = max(0, x2 - x1) * max(0, y2 - y1)
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }

    /// The rectangle grown by the given fractions of its width and height on each side.
    public func padded(horizontal: Float, vertical: Float) -> Rect {
        Rect(
            x: x - width * horizontal, y: y - height * vertical,
            width: width * (1 + 2 * horizontal), height: height * (1 + 2 * vertical))
    }

    /// Corners clockwise from top-left.
    public var quad: Quad {
        Quad(Point(x: x, y: y), Point(x: x + width, y: y), Point(x: x + width, y: y + height), Point(x: x, y: y + height))
    }
}

/// A quadrilateral: top-left, top-right, bottom-right, bottom-left.
public struct Quad: Sendable, Equatable {
    public var points: [Point]
    public init(_ tl: Point, _ tr: Point, _ br: Point, _ bl: Point) { points = [tl, tr, br, bl] }
    var flat: [Float] { points.flatMap { [$0.x, $0.y] } }

    /// Mean width and height vectors (top-left to top-right, top-left to bottom-left).
    private var axes: (u: Point, v: Point) {
        let p = points
        return (
            Point(x: (p[1].x - p[0].x + p[2].x - p[3].x) / 2, y: (p[1].y - p[0].y + p[2].y - p[3].y) / 2),
            Point(x: (p[3].x - p[0].x + p[2].x - p[1].x) / 2, y: (p[3].y - p[0].y + p[2].y - p[1].y) / 2)
        )
    }

    /// Height along the quadrilateral's own axes.
    public var height: Float { let v = axes.v; return (v.x * v.x + v.y * v.y).squareRoot() }

    /// Width over height along the quadrilateral's own axes.
    public var aspect: Float {
        let (u, v) = axes
        return (u.x * u.x + u.y * u.y).squareRoot() / max(1e-3, (v.x * v.x + v.y * v.y).squareRoot())
    }

    /// The quadrilateral grown by fractions of its own width and height on each side.
    public func padded(horizontal h: Float, vertical w: Float) -> Quad {
        let (u, v) = axes
        let p = points
        func move(_ q: Point, _ su: Float, _ sv: Float) -> Point {
            Point(x: q.x + u.x * su * h + v.x * sv * w, y: q.y + u.y * su * h + v.y * sv * w)
        }
        return Quad(move(p[0], -1, -1), move(p[1], 1, -1), move(p[2], 1, 1), move(p[3], -1, 1))
    }

    /// The smallest axis-aligned rectangle holding the quadrilateral.
    public var boundingRect: Rect {
        let xs = points.map(\.x), ys = points.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }
}

/// Container formats the core decodes and encodes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, bmp
}

/// How a tensor is filled from pixels: `(pixel / 255 - mean) / std`, channel order, padding.
public struct Normalisation: Sendable, Equatable, Codable {
    public var rgb: Bool
    public var mean: [Float]
    public var std: [Float]
    public var padPixel: Float
    /// Equalise the content's contrast (CLAHE on lightness) before normalising.
    public var equalize: Bool
    /// Stretch the content's levels when its 1st and 99th percentiles of lightness are fewer than this many levels
    /// apart (an underexposed or hazy picture), by at most `stretchMaxGain`; 0: never.
    public var stretchBelowRange: Int
    /// See `stretchBelowRange`.
    public var stretchMaxGain: Float
    public init(
        rgb: Bool, mean: [Float], std: [Float], padPixel: Float, equalize: Bool = false, stretchBelowRange: Int = 0,
        stretchMaxGain: Float = 1
    ) {
        self.rgb = rgb; self.mean = mean; self.std = std; self.padPixel = padPixel; self.equalize = equalize
        self.stretchBelowRange = stretchBelowRange; self.stretchMaxGain = stretchMaxGain
    }
}

/// A decoded 8-bit BGR image owned by the vision core. Immutable, so it can be shared across threads.
public final class Image: @unchecked Sendable {
    let handle: OpaquePointer
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int

    init(handle: OpaquePointer) {
        self.handle = handle
        var w: Int32 = 0, h: Int32 = 0
        cvn_image_size(handle, &w, &h)
        width = Int(w); height = Int(h)
    }

    deinit { cvn_image_free(handle) }

    /// Reads format and size from the header without decoding.
    public static func probe(_ data: [UInt8]) throws(VisionError) -> (format: ImageFormat, width: Int, height: Int) {
        var format = CVN_FORMAT_UNKNOWN
        var w: Int32 = 0, h: Int32 = 0
        let status = data.withUnsafeBufferPointer { cvn_image_probe($0.baseAddress, $0.count, &format, &w, &h) }
        try VisionError.check(status)
        let f: ImageFormat =
            switch format {
            case CVN_FORMAT_JPEG: .jpeg
            case CVN_FORMAT_PNG: .png
            case CVN_FORMAT_WEBP: .webp
            default: .bmp
            }
        return (f, Int(w), Int(h))
    }

    /// Decodes JPEG, PNG, WebP or BMP bytes with EXIF orientation applied. Images with more than
    /// `maxPixels` pixels are refused from their header, before any decoding.
    public convenience init(decoding data: [UInt8], maxPixels: Int) throws(VisionError) {
        var out: OpaquePointer?
        let status = data.withUnsafeBufferPointer { cvn_image_decode($0.baseAddress, $0.count, Int64(maxPixels), &out) }
        try VisionError.check(status)
        self.init(handle: out!)
    }

    /// An image from packed BGR pixels (`width * height * 3` bytes).
    public convenience init(bgr pixels: [UInt8], width: Int, height: Int) throws(VisionError) {
        guard pixels.count == width * height * 3 else { throw .invalidArgument("pixel buffer size does not match") }
        var out: OpaquePointer?
        let status = pixels.withUnsafeBufferPointer { cvn_image_from_bgr($0.baseAddress, Int32(width), Int32(height), &out) }
        try VisionError.check(status)
        self.init(handle: out!)
    }

    /// The quadrilateral `quad` (or the whole image) warped to a new image of the given size.
    public func warped(_ quad: Quad?, width: Int, height: Int) throws(VisionError) -> Image {
        var out: OpaquePointer?
        let status: cvn_status
        if let quad {
            status = quad.flat.withUnsafeBufferPointer { cvn_image_warp(handle, $0.baseAddress, Int32(width), Int32(height), &out) }
        } else {
            status = cvn_image_warp(handle, nil, Int32(width), Int32(height), &out)
        }
        try VisionError.check(status)
        return Image(handle: out!)
    }

    /// Fills a CHW float tensor of `canvas` size with `quad` of this image (or all of it) resized to `content`
    /// at the top-left, the rest padded. Returns the tensor's values.
    public func tensor(
        _ quad: Quad?, content: (width: Int, height: Int), canvas: (width: Int, height: Int),
        normalisation n: Normalisation
    ) throws(VisionError) -> [Float] {
        guard n.mean.count == 3, n.std.count == 3 else { throw .invalidArgument("mean and std need 3 values") }
        var out = [Float](repeating: 0, count: 3 * canvas.width * canvas.height)
        let flat = quad?.flat
        let status = out.withUnsafeMutableBufferPointer { buf in
            n.mean.withUnsafeBufferPointer { mean in
                n.std.withUnsafeBufferPointer { std in
                    flat.withOptionalPointer { q in
                        cvn_image_to_tensor(
                            handle, q, Int32(content.width), Int32(content.height), Int32(canvas.width),
                            Int32(canvas.height), n.rgb ? 1 : 0, mean.baseAddress, std.baseAddress,
                            n.padPixel, n.equalize ? Int32(CVN_TENSOR_EQUALIZE) : 0, Int32(n.stretchBelowRange),
                            n.stretchMaxGain, buf.baseAddress)
                    }
                }
            }
        }
        try VisionError.check(status)
        return out
    }

    /// The line of characters inside `box`: a rotated rectangle around character-sized blobs and its angle
    /// in degrees (clockwise), or nil when fewer than three characters line up.
    /// With `adaptiveBlock` (pixels of the box scaled to 96 high), when one threshold for the whole box finds
    /// fewer than three characters, they are looked for with a threshold from each pixel's neighbourhood (a box
    /// holding bright paint around a grey plate), then with the box's long runs taken away (characters that
    /// touch a frame).
    /// With `shear`, a sloping line whose characters stay upright (a plate seen from the side rather than turned)
    /// gets a parallelogram with vertical sides, so that straightening it keeps the characters upright.
    public func textLine(in box: Rect, adaptiveBlock: Int = 0, shear: Bool = false) throws(VisionError) -> TextLine? {
        var q = [Float](repeating: 0, count: 8)
        var degrees: Float = 0
        var span: [Float] = [0, 1]
        var decorated: Int32 = 0
        var sheared: Int32 = 0
        var found: Int32 = 0
        try VisionError.check(
            cvn_estimate_text_line(
                handle, [box.x, box.y, box.width, box.height], Int32(adaptiveBlock), shear ? 1 : 0, &q, &degrees, &span,
                &decorated, &sheared, &found))
        guard found != 0 else { return nil }
        return TextLine(
            quad: Quad(Point(x: q[0], y: q[1]), Point(x: q[2], y: q[3]), Point(x: q[4], y: q[5]), Point(x: q[6], y: q[7])),
            degrees: degrees, span: span[0]...max(span[0], span[1]), decorated: decorated != 0, sheared: sheared != 0)
    }

    /// This image encoded as `format` (`quality` applies to JPEG and WebP).
    public func encoded(as format: ImageFormat = .jpeg, quality: Int = 90) throws(VisionError) -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        let f: cvn_format =
            switch format {
            case .jpeg: CVN_FORMAT_JPEG
            case .png: CVN_FORMAT_PNG
            case .webp: CVN_FORMAT_WEBP
            case .bmp: CVN_FORMAT_BMP
            }
        try VisionError.check(cvn_image_encode(handle, f, Int32(quality), &data, &length))
        defer { cvn_buffer_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }
}

extension Optional where Wrapped == [Float] {
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: body(nil)
        case .some(let a): a.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}

/// Greedy non-maximum suppression: indices of the boxes kept, highest score first.
public func nonMaximumSuppression(_ boxes: [Rect], scores: [Float], iouThreshold: Float) -> [Int] {
    precondition(boxes.count == scores.count)
    if boxes.isEmpty { return [] }
    let flat = boxes.flatMap { [$0.x, $0.y, $0.width, $0.height] }
    var keep = [Int32](repeating: 0, count: boxes.count)
    var kept: Int32 = 0
    let status = cvn_nms(flat, scores, Int32(boxes.count), iouThreshold, &keep, &kept)
    precondition(status == CVN_OK, "NMS on valid input cannot fail")
    return keep.prefix(Int(kept)).map(Int.init)
}
