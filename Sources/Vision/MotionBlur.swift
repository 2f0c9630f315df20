import CVision

/// A plate smeared by its car's motion while the shutter was open: the direction and length (in image pixels) of
/// the box blur it looks most like (``Image/motionBlur(in:maxLength:)``).
public struct MotionBlur: Sendable, Equatable {
    /// Along the rows (a car crossing the view) or along the columns (a car coming towards the camera or
    /// leaving it, seen from above).
    public enum Direction: Sendable { case rows, columns }
    public var direction: Direction
    /// How many pixels each point is smeared over.
    public var length: Int

    public init(direction: Direction, length: Int) {
        self.direction = direction; self.length = length
    }

    /// The blur of the two measured (one per direction) when exactly one is at least `minLength` pixels long, else
    /// nil. A sharp plate's derivative dips at its strokes' width (2-3 pixels); motion smears a plate along one
    /// direction and leaves it sharp across it, while a box that looks smeared both ways is texture or out of focus
    /// (reading such boxes again, most of them no plate, cost half the extra reads and found few plates).
    public static func likeliest(rows: MotionBlur, columns: MotionBlur, minLength: Int) -> MotionBlur? {
        switch (rows.length >= minLength, columns.length >= minLength) {
        case (true, false): rows
        case (false, true): columns
        default: nil
        }
    }
}

extension Image {
    /// How `box` looks smeared along its rows and along its columns: in each direction the length from 2 to
    /// `maxLength` pixels at which the autocorrelation of the grey levels' derivative dips lowest (a blur by a box
    /// of L pixels makes the derivative the difference of two copies of the sharp picture L apart). A box too
    /// small to measure gives length 0.
    public func motionBlur(in box: Rect, maxLength: Int) throws(VisionError) -> (rows: MotionBlur, columns: MotionBlur) {
        var lengths: [Int32] = [0, 0]
        try VisionError.check(
            cvn_image_motion_blur(handle, box.x, box.y, box.width, box.height, Int32(maxLength), &lengths))
        return (
            MotionBlur(direction: .rows, length: Int(lengths[0])),
            MotionBlur(direction: .columns, length: Int(lengths[1]))
        )
    }

    /// `region` of this image, as a new image, deconvolved from `blur` (a Wiener filter with noise-to-signal ratio
    /// `balance`: larger is smoother, with less ringing and less sharpness).
    public func deblurred(_ region: Rect, from blur: MotionBlur, balance: Float) throws(VisionError) -> Image {
        var out: OpaquePointer?
        try VisionError.check(
            cvn_image_deblur(
                handle, region.x, region.y, region.width, region.height, blur.direction == .columns ? 1 : 0,
                Int32(blur.length), balance, &out))
        return Image(handle: out!)
    }
}
