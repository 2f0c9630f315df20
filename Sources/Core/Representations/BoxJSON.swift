/// A plate's box in the image, in pixels.
package struct BoxJSON: Codable, Sendable {
    package var x: Double, y: Double, width: Double, height: Double

    package init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
}
