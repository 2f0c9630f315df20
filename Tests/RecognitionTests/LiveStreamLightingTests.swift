import Recognition
import Testing

/// Which pictures a camera's status counts as poor for reading plates (``LiveStream/poorLight(_:)``).
struct LiveStreamLightingTests {
    @Test(arguments: [
        ((10, 97, 240), false),  // the car park's frames: median 56 to 140, levels over 200 apart
        ((5, 39, 230), true),  // dusk: half of the picture under level 40, highlights kept
        ((12, 20, 60), true),  // underexposed: dark and flat
        ((110, 160, 205), true),  // haze: bright but flat (95 levels apart)
        ((100, 150, 196), false),  // light haze: 96 levels apart
    ])
    func darkOrFlatPicturesArePoor(_ levels: (Int, Int, Int), _ poor: Bool) {
        #expect(LiveStream.poorLight((low: levels.0, median: levels.1, high: levels.2)) == poor)
    }
}
