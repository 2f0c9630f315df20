import Testing

@testable import Recognition

/// Video strides are counted at 25 fps and kept as an interval in time at other frame rates: the tracker's
/// timings (a track ends after 2 s without a read, only its own plate continues it after 0.7 s) assume reads
/// about 0.28 s apart.
@Suite struct FrameSourceTests {
    @Test func aStrideIsTheSameIntervalInTimeAtEveryFrameRate() {
        #expect(FrameSource.frames(7, fps: 25) == 7)
        #expect(FrameSource.frames(7, fps: 29) == 8)
        #expect(FrameSource.frames(7, fps: 50) == 14)
        #expect(FrameSource.frames(7, fps: 10) == 3)
        // A camera slower than the interval has every frame read; a stride never falls below one frame.
        #expect(FrameSource.frames(7, fps: 2) == 1)
        #expect(FrameSource.frames(0, fps: 25) == 1)
        #expect(FrameSource.frames(28, fps: 10) == 11)
    }
}
