import Foundation
import Testing
import Vision

/// A small BGR test card: a dark rectangle on white, so orientation can be checked.
func testCard(width: Int = 64, height: Int = 32) throws -> Image {
    var px = [UInt8](repeating: 255, count: width * height * 3)
    for y in 0..<(height / 2) { for x in 0..<(width / 4) { for c in 0..<3 { px[(y * width + x) * 3 + c] = 0 } } }
    return try Image(bgr: px, width: width, height: height)
}

/// `jpeg` with an EXIF APP1 segment carrying `orientation` inserted after SOI.
func withExifOrientation(_ jpeg: [UInt8], _ orientation: UInt8) -> [UInt8] {
    let tiff: [UInt8] = [
        0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // big-endian, IFD at 8
        0x00, 0x01,  // one entry
        0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ]
    let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
    let length = payload.count + 2
    let app1: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    return Array(jpeg[0..<2]) + app1 + Array(jpeg[2...])
}

@Suite struct ImageDecodingTests {
    @Test(arguments: ImageFormat.allCases)
    func roundTripsEveryFormat(_ format: ImageFormat) throws {
        let bytes = try testCard().encoded(as: format, quality: 95)
        let probe = try Image.probe(bytes)
        #expect(probe.format == format)
        #expect(probe.width == 64 && probe.height == 32)
        let image = try Image(decoding: bytes, maxPixels: 10_000)
        #expect(image.width == 64 && image.height == 32)
    }

    @Test func appliesExifOrientation() throws {
        let rotated = withExifOrientation(try testCard().encoded(as: .jpeg), 6)
        let image = try Image(decoding: rotated, maxPixels: 10_000)
        #expect(image.width == 32 && image.height == 64)
    }

    @Test func refusesEmptyInput() {
        #expect(throws: VisionError.self) { try Image(decoding: [], maxPixels: 100) }
        do { _ = try Image(decoding: [], maxPixels: 100) } catch { #expect(error.code == "empty_input") }
    }

    @Test func refusesText() {
        do {
            _ = try Image(decoding: Array("hello, this is not an image\n".utf8), maxPixels: 100)
            Issue.record("text decoded as an image")
        } catch { #expect(error.code == "unsupported_format") }
    }

    @Test func refusesTruncatedJPEG() throws {
        let bytes = try testCard(width: 256, height: 128).encoded(as: .jpeg)
        for cut in [3, 20, bytes.count / 2, bytes.count - 2] {
            do {
                _ = try Image(decoding: Array(bytes.prefix(cut)), maxPixels: 1_000_000)
                Issue.record("truncated JPEG (\(cut) of \(bytes.count) bytes) decoded")
            } catch { #expect(error.code == "corrupt_image") }
        }
    }

    @Test(arguments: [ImageFormat.png, .webp, .bmp])
    func refusesTruncatedImages(_ format: ImageFormat) throws {
        let bytes = try testCard(width: 256, height: 128).encoded(as: format)
        for cut in [bytes.count / 2, bytes.count - 1] {
            do {
                _ = try Image(decoding: Array(bytes.prefix(cut)), maxPixels: 1_000_000)
                Issue.record("truncated \(format) decoded")
            } catch { #expect(error.code == "corrupt_image") }
        }
    }

    @Test func refusesDecompressionBombFromHeader() throws {
        // A PNG header claiming 100000 x 100000 pixels and nothing else: refused before any decoding.
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        bytes += [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0]
        do {
            _ = try Image(decoding: bytes, maxPixels: 40_000_000)
            Issue.record("bomb decoded")
        } catch { #expect(error.code == "image_too_large") }
        // The same limit applies to real images.
        let real = try testCard().encoded(as: .png)
        #expect(throws: VisionError.self) { try Image(decoding: real, maxPixels: 100) }
    }

    @Test func warpsAQuadToASize() throws {
        let card = try testCard()
        let crop = try card.warped(Rect(x: 0, y: 0, width: 16, height: 16).quad, width: 32, height: 32)
        #expect(crop.width == 32 && crop.height == 32)
        let tensor = try card.tensor(
            nil, content: (32, 16), canvas: (40, 20),
            normalisation: Normalisation(rgb: true, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0))
        #expect(tensor.count == 3 * 40 * 20)
        #expect(tensor[0] == 0)  // dark corner
        #expect(tensor[31] == 1)  // white
        #expect(tensor[39] == 0)  // padding
    }

    /// A quadrilateral shrunk to a few pixels keeps every thin stroke's share of ink (averaged, not sampled):
    /// one-pixel dark lines every 8 pixels, shrunk 8 times, give an even grey near 7/8 white in every column.
    @Test func shrinkingAQuadAveragesThinStrokes() throws {
        let width = 256, height = 64
        var px = [UInt8](repeating: 255, count: width * height * 3)
        for y in 0..<height { for x in stride(from: 3, to: width, by: 8) { for c in 0..<3 { px[(y * width + x) * 3 + c] = 0 } } }
        let image = try Image(bgr: px, width: width, height: height)
        let quad = Quad(Point(x: 0, y: 0), Point(x: 256, y: 0.5), Point(x: 256, y: 64.5), Point(x: 0, y: 64))
        let tensor = try image.tensor(
            quad, content: (32, 8), canvas: (32, 8),
            normalisation: Normalisation(rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0))
        let row = Array(tensor[(4 * 32)..<(5 * 32)])
        #expect(row.allSatisfy { abs($0 - 7.0 / 8) < 0.1 }, "\(row)")
    }

    /// An underexposed picture (levels 30 to 70) has its levels stretched when they span fewer than `belowRange`:
    /// its darkest percent goes to 20 and its contrast grows by at most `maxGain`. A well-exposed one (0 to 255) and
    /// the padding are left as they are, and without the setting nothing changes.
    @Test func narrowLevelsAreStretchedAndWideOnesKept() throws {
        func ramp(_ low: Int, _ high: Int) throws -> Image {
            let width = 64, height = 8
            var px = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width { for c in 0..<3 { px[(y * width + x) * 3 + c] = UInt8(low + (high - low) * x / (width - 1)) } }
            }
            return try Image(bgr: px, width: width, height: height)
        }
        func levels(_ image: Image, stretch: (Int, Float)?) throws -> (low: Float, high: Float, pad: Float) {
            let n = Normalisation(
                rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 114, stretchBelowRange: stretch?.0 ?? 0,
                stretchMaxGain: stretch?.1 ?? 1)
            let t = try image.tensor(nil, content: (64, 8), canvas: (72, 8), normalisation: n)
            let row = Array(t[(4 * 72)..<(4 * 72 + 64)])
            return (row.min()! * 255, row.max()! * 255, t[4 * 72 + 70] * 255)
        }
        let dark = try ramp(30, 70)
        let plain = try levels(dark, stretch: nil)
        #expect(abs(plain.low - 30) < 1.5 && abs(plain.high - 70) < 1.5)
        let stretched = try levels(dark, stretch: (96, 4))
        #expect(abs(stretched.low - 20) < 5 && abs(stretched.high - 180) < 8, "\(stretched)")  // 40 levels times 4
        #expect(abs(stretched.pad - 114) < 0.5)
        let capped = try levels(dark, stretch: (96, 16))
        #expect(capped.high <= 236 && capped.high > 220, "\(capped)")  // the brightest percent at most 235
        let wide = try ramp(0, 255)
        let kept = try levels(wide, stretch: (96, 4))
        #expect(abs(kept.low - 0) < 1.5 && abs(kept.high - 255) < 1.5)
        #expect(try levels(dark, stretch: (32, 4)) == plain)  // 40 levels apart: not under 32
    }

    /// A picture's levels (1st percentile, median, 99th percentile of lightness): a grey ramp from 30 to 70 is dark
    /// and flat, one from 0 to 255 neither.
    @Test func levelsSayHowDarkAndFlatAPictureIs() throws {
        func ramp(_ low: Int, _ high: Int) throws -> Image {
            let width = 256, height = 96
            var px = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    for c in 0..<3 { px[(y * width + x) * 3 + c] = UInt8(low + (high - low) * x / (width - 1)) }
                }
            }
            return try Image(bgr: px, width: width, height: height)
        }
        let dim = try ramp(30, 70).levels()
        #expect(abs(dim.low - 30) <= 3 && abs(dim.median - 50) <= 4 && abs(dim.high - 70) <= 6, "\(dim)")
        let full = try ramp(0, 255).levels()
        #expect(full.low <= 6 && abs(full.median - 128) <= 6 && full.high >= 248, "\(full)")
    }

    /// A dark picture whose highlights are kept (a ramp from 0 to 255 to the power 2.4, its median at about 48: dusk)
    /// is lifted so that its median reaches the level asked, its black and white staying where they were; a picture
    /// already that light has nothing to lift (nil).
    @Test func aDarkPictureIsLiftedToTheMedianAsked() throws {
        let width = 256, height = 64
        var px = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                // Levels to the power 2.4, as `bench/degraded.py`'s dusk makes them.
                let v = UInt8((255 * pow(Double(x) / Double(width - 1), 2.4)).rounded())
                for c in 0..<3 { px[(y * width + x) * 3 + c] = v }
            }
        }
        let dusk = try Image(bgr: px, width: width, height: height)
        let before = try dusk.levels()
        #expect(abs(before.median - 48) <= 4, "\(before)")
        let after = try #require(try dusk.lifted(toMedian: 100)).levels()
        #expect(abs(after.median - 100) <= 6 && after.low <= before.low + 2 && after.high >= 250, "\(after)")
        #expect(try dusk.lifted(toMedian: 40) == nil)
        #expect(throws: VisionError.self) { try dusk.lifted(toMedian: 0) }
    }

    @Test func suppressesOverlappingBoxes() {
        let boxes = [
            Rect(x: 0, y: 0, width: 10, height: 10), Rect(x: 1, y: 1, width: 10, height: 10),
            Rect(x: 50, y: 50, width: 10, height: 10),
        ]
        let keep = nonMaximumSuppression(boxes, scores: [0.5, 0.9, 0.7], iouThreshold: 0.45)
        #expect(keep == [1, 2])
    }
}

/// The text line of a grey plate inside bright paint: six dark characters along a baseline sloping by 0.2
/// (11 degrees), as a plate seen from the side shows them.
@Suite struct TextLineTests {
    static func plateInPaint() throws -> Image {
        let width = 200, height = 120
        var px = [UInt8](repeating: 240, count: width * height * 3)
        func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ v: UInt8) {
            for y in max(0, y0)..<min(height, y1) {
                for x in max(0, x0)..<min(width, x1) { for c in 0..<3 { px[(y * width + x) * 3 + c] = v } }
            }
        }
        fill(15, 20, 185, 110, 130)
        for i in 0..<6 {
            let x = 30 + 24 * i, y = 35 + Int((Double(24 * i) * 0.2).rounded())
            fill(x, y, x + 10, y + 34, 40)
        }
        return try Image(bgr: px, width: width, height: height)
    }

    /// One threshold for the whole box splits paint from plate and loses the characters; a threshold from
    /// each pixel's neighbourhood finds them, and the line's slope.
    @Test func charactersOfAGreyPlateInBrightPaintAreFoundWithANeighbourhoodThreshold() throws {
        let image = try Self.plateInPaint()
        let box = Rect(x: 0, y: 0, width: 200, height: 120)
        #expect(try image.textLine(in: box) == nil)
        let line = try #require(try image.textLine(in: box, adaptiveBlock: 31))
        #expect(abs(line.degrees - 11.3) < 1.5)
    }

    /// Six bars along a line sloping by 11 degrees: seen from the side they stay upright (their tops and bottoms
    /// slope with the line), turned with the plate they lean with it. With `shear` the first gets a parallelogram
    /// with vertical sides; the second, and either without `shear`, the rotated rectangle.
    @Test func aLineSeenFromTheSideIsShearedAndATurnedOneRotated() throws {
        let width = 220, height = 140
        let slope: Float = 0.2
        func plate(turned: Bool) throws -> Image {
            var px = [UInt8](repeating: 235, count: width * height * 3)
            let a = atanf(slope)
            for y in 0..<height {
                for x in 0..<width {
                    for i in 0..<6 {
                        let dx = Float(x) - Float(35 + 30 * i), dy = Float(y) - (67 + slope * Float(30 * i))
                        let inside =
                            turned
                            ? abs(dx * cosf(a) + dy * sinf(a)) < 6 && abs(-dx * sinf(a) + dy * cosf(a)) < 18
                            : abs(dx) < 6 && abs(dy - slope * dx) < 18
                        if inside { for c in 0..<3 { px[(y * width + x) * 3 + c] = 30 } }
                    }
                }
            }
            return try Image(bgr: px, width: width, height: height)
        }
        let box = Rect(x: 0, y: 0, width: Float(width), height: Float(height))
        let side = try #require(try plate(turned: false).textLine(in: box, shear: true))
        #expect(side.sheared)
        #expect(abs(side.degrees - 11.3) < 1.5)
        let p = side.quad.points
        #expect(abs(p[0].x - p[3].x) < 0.5 && abs(p[1].x - p[2].x) < 0.5)
        let turned = try #require(try plate(turned: true).textLine(in: box, shear: true))
        #expect(!turned.sheared)
        #expect(abs(turned.degrees - 11.3) < 1.5)
        let q = turned.quad.points
        #expect(abs(q[0].x - q[3].x) > 3)
        let notAsked = try #require(try plate(turned: false).textLine(in: box))
        #expect(!notAsked.sheared)
        #expect(abs(notAsked.quad.points[0].x - notAsked.quad.points[3].x) > 3)
    }

    /// Characters that touch the plate's frame (its sides and the line under them) join it into one blob; with
    /// the frame's long runs taken away they are found again.
    @Test func charactersTouchingTheFrameAreFoundWithoutIt() throws {
        let width = 200, height = 100
        var px = [UInt8](repeating: 230, count: width * height * 3)
        func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
            for y in y0..<y1 { for x in x0..<x1 { for c in 0..<3 { px[(y * width + x) * 3 + c] = 20 } } }
        }
        fill(10, 10, 190, 13); fill(10, 87, 190, 90); fill(10, 10, 13, 90); fill(187, 10, 190, 90)
        for i in 0..<6 { fill(13 + 31 * i, 47, 25 + 31 * i, 87) }
        let image = try Image(bgr: px, width: width, height: height)
        let box = Rect(x: 0, y: 0, width: Float(width), height: Float(height))
        #expect(try image.textLine(in: box) == nil)
        let line = try #require(try image.textLine(in: box, adaptiveBlock: 31))
        #expect(abs(line.degrees) < 1)
        #expect(line.quad.height < 50)
    }
}
