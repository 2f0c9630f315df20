/// The line of characters found inside a plate box (see ``Image/textLine(in:)``).
public struct TextLine: Sendable, Equatable {
    /// A rotated rectangle along the line, as high as the characters and as long as the box (a parallelogram
    /// with vertical sides when `sheared`).
    public var quad: Quad
    /// The line's angle in degrees, clockwise.
    public var degrees: Float
    /// Where the full-height characters begin and end, as fractions of the quad's length.
    public var span: ClosedRange<Float>
    /// Whether clearly smaller characters (stacked letters, a state name, a sticker) lie outside `span`.
    public var decorated: Bool
    /// Whether the line slopes while its characters stay upright (a plate seen from the side): `quad` is then
    /// sheared, not rotated.
    public var sheared: Bool

    public init(quad: Quad, degrees: Float, span: ClosedRange<Float> = 0...1, decorated: Bool = false, sheared: Bool = false) {
        self.quad = quad; self.degrees = degrees; self.span = span; self.decorated = decorated; self.sheared = sheared
    }

    /// The part of `quad` between the ends of `span`: the registration without what stands beside it.
    public var spanQuad: Quad {
        let p = quad.points
        func at(_ a: Point, _ b: Point, _ t: Float) -> Point { Point(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t) }
        return Quad(
            at(p[0], p[1], span.lowerBound), at(p[0], p[1], span.upperBound),
            at(p[3], p[2], span.upperBound), at(p[3], p[2], span.lowerBound))
    }
}
