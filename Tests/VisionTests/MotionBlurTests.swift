import Testing
import Vision

/// Motion blur measured from a box's own pixels, and undone.
@Suite struct MotionBlurTests {
    static let width = 160, height = 48

    /// Grey levels of a plate-like picture: dark strokes 2-3 pixels wide and bars on a light ground, at seeded places,
    /// softened by a lens (1-2-1 in both directions).
    static func plate() -> [Float] {
        var px = [Float](repeating: 220, count: width * height)
        var seed: UInt32 = 12345
        func next(_ n: Int) -> Int {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Int(seed >> 8) % n
        }
        var x = 8
        while x < width - 12 {
            let w = 2 + next(2), top = 6 + next(6), bottom = height - 6 - next(6)
            for y in top..<bottom { for i in x..<(x + w) { px[y * width + i] = 30 } }
            if next(3) == 0 { for i in x..<min(width - 8, x + 9) { for y in (top + 10)..<(top + 12) { px[y * width + i] = 30 } } }
            x += w + 4 + next(8)
        }
        return soften(soften(px, alongRows: true), alongRows: false)
    }

    static func soften(_ px: [Float], alongRows: Bool) -> [Float] {
        var out = px
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let (a, b) = alongRows ? (px[y * width + x - 1], px[y * width + x + 1]) : (px[(y - 1) * width + x], px[(y + 1) * width + x])
                out[y * width + x] = (a + 2 * px[y * width + x] + b) / 4
            }
        }
        return out
    }

    /// `px` blurred by a box of `length` pixels along the rows or columns (edges repeated).
    static func blurred(_ px: [Float], length: Int, alongRows: Bool) -> [Float] {
        var out = px
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in 0..<length {
                    let o = k - length / 2
                    let (xx, yy) = alongRows ? (min(width - 1, max(0, x + o)), y) : (x, min(height - 1, max(0, y + o)))
                    sum += px[yy * width + xx]
                }
                out[y * width + x] = sum / Float(length)
            }
        }
        return out
    }

    static func image(_ px: [Float]) throws -> Image {
        try Image(bgr: px.flatMap { v in [UInt8](repeating: UInt8(max(0, min(255, v.rounded()))), count: 3) }, width: width, height: height)
    }

    /// The grey levels of an image of the test's size.
    static func levels(_ image: Image) throws -> [Float] {
        let n = Normalisation(rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0)
        let t = try image.tensor(nil, content: (width, height), canvas: (width, height), normalisation: n)
        return Array(t[0..<(width * height)]).map { $0 * 255 }
    }

    static let whole = Rect(x: 0, y: 0, width: Float(width), height: Float(height))

    @Test func aSharpPlateShowsNoMotionBlur() throws {
        let m = try Self.image(Self.plate()).motionBlur(in: Self.whole, maxLength: 13)
        #expect(m.rows.length < 4 && m.columns.length < 4, "\(m)")
        #expect(MotionBlur.likeliest(rows: m.rows, columns: m.columns, minLength: 4) == nil)
    }

    @Test(arguments: [(5, true), (7, true), (9, true), (6, false), (8, false)])
    func aBlurIsMeasuredAlongItsDirection(_ length: Int, _ alongRows: Bool) throws {
        let smeared = try Self.image(Self.blurred(Self.plate(), length: length, alongRows: alongRows))
        let m = try smeared.motionBlur(in: Self.whole, maxLength: 13)
        let blur = try #require(MotionBlur.likeliest(rows: m.rows, columns: m.columns, minLength: 4), "\(m)")
        #expect(blur.direction == (alongRows ? .rows : .columns) && abs(blur.length - length) <= 1, "\(m)")
    }

    /// Smeared along both directions (out of focus, or texture), a box is not taken for motion.
    @Test func aBoxSmearedBothWaysIsNotMotion() throws {
        let both = Self.blurred(Self.blurred(Self.plate(), length: 7, alongRows: true), length: 7, alongRows: false)
        let m = try Self.image(both).motionBlur(in: Self.whole, maxLength: 13)
        #expect(m.rows.length >= 4 && m.columns.length >= 4, "\(m)")
        #expect(MotionBlur.likeliest(rows: m.rows, columns: m.columns, minLength: 4) == nil)
    }

    /// Deconvolved, the picture is closer to the sharp one than the blurred one was.
    @Test func aBlurredPlateIsDeconvolved() throws {
        let sharp = Self.plate()
        let smeared = try Self.image(Self.blurred(sharp, length: 7, alongRows: true))
        let m = try smeared.motionBlur(in: Self.whole, maxLength: 13)
        let blur = try #require(MotionBlur.likeliest(rows: m.rows, columns: m.columns, minLength: 4))
        let restored = try smeared.deblurred(Self.whole, from: blur, balance: 0.01)
        func error(_ px: [Float]) -> Float {
            var sum: Float = 0
            for y in 0..<Self.height { for x in 12..<(Self.width - 12) { sum += abs(px[y * Self.width + x] - sharp[y * Self.width + x]) } }
            return sum / Float(Self.height * (Self.width - 24))
        }
        let before = error(try Self.levels(smeared)), after = error(try Self.levels(restored))
        let exact = error(
            try Self.levels(try smeared.deblurred(Self.whole, from: MotionBlur(direction: .rows, length: 7), balance: 0.01)))
        // With the very blur, half the error goes; with the one measured (a pixel off, as the lens's softening
        // moves the dip), less, but clearly some.
        #expect(exact < before / 2, "mean error \(before) blurred, \(exact) deconvolved with the very blur")
        #expect(after < before * 0.85, "mean error \(before) blurred, \(after) deconvolved with \(blur)")
        // The region is clipped to the image, and a region outside it or a blur out of range is refused.
        #expect(throws: VisionError.self) { try smeared.deblurred(Rect(x: 500, y: 500, width: 10, height: 10), from: blur, balance: 0.01) }
        #expect(throws: VisionError.self) {
            try smeared.deblurred(Self.whole, from: MotionBlur(direction: .rows, length: 1), balance: 0.01)
        }
        #expect(throws: VisionError.self) { try smeared.deblurred(Self.whole, from: blur, balance: 0) }
    }
}
