import Foundation
import Testing
import TestSupport
import Vision

/// FFmpeg opens what a file names (playlists, concat lists, SDP, image sequences); the vision core must not, so
/// an uploaded "video" cannot make the server read its own files or reach its network.
@Suite struct VideoSourceTests {
    static let video = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/video/alprVideo.mp4")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: video.path)))
    func aRealVideoStillOpens() throws {
        let v = try Video(path: Self.video.path)
        #expect(v.width > 0)
        #expect(try v.next() != nil)
    }

    /// A phone's video stores its frames as the sensor saw them and the turn that shows them upright in its
    /// metadata: frames come upright, as players show them (OpenCV 4.6 alone turns them upside down).
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func framesComeUprightWhateverTheStoredRotation() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func ffmpeg(_ arguments: [String]) throws {
            try #require(try run("/usr/bin/env", ["ffmpeg", "-v", "error", "-y"] + arguments).status == 0, "ffmpeg \(arguments)")
        }
        // Upright: 96 x 64, the top half white, the bottom half black.
        let stored = dir.appendingPathComponent("stored.mp4").path
        for (name, turn, rotate) in [("ccw", "transpose=2", "270"), ("cw", "transpose=1", "90"), ("flip", "hflip,vflip", "180")] {
            try ffmpeg([
                "-f", "lavfi", "-i", "color=c=white:s=96x32:d=0.4", "-f", "lavfi", "-i", "color=c=black:s=96x32:d=0.4",
                "-filter_complex", "[0][1]vstack,\(turn),format=yuv420p", "-c:v", "mpeg4", "-q:v", "2", stored,
            ])
            let tagged = dir.appendingPathComponent("\(name).mp4").path
            try ffmpeg(["-i", stored, "-metadata:s:v:0", "rotate=\(rotate)", "-c", "copy", tagged])
            let video = try Video(path: tagged)
            #expect(video.width == 96 && video.height == 64, "\(name): \(video.width)x\(video.height)")
            let frame = try #require(try video.next()?.image)
            #expect(frame.width == 96 && frame.height == 64, "\(name): frame \(frame.width)x\(frame.height)")
            let grey = try frame.tensor(
                nil, content: (96, 64), canvas: (96, 64), normalisation: .init(rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0))
            let plane = Array(grey[0..<(96 * 64)])
            let top = plane[0..<(96 * 32)].reduce(0, +) / Float(96 * 32), bottom = plane[(96 * 32)...].reduce(0, +) / Float(96 * 32)
            #expect(top > bottom + 0.5, "\(name): top \(top), bottom \(bottom)")
        }
    }

    /// Skipped frames that nothing refers to are not decoded (B-frames); the frame handed out after a skip must
    /// still be exactly the one asked for, with its own time, whether the file places its frames by timestamps
    /// (MP4) or has none (a raw H.264 stream, where frames are counted).
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func skippingHandsOutTheFrameAskedFor() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 60 frames at 25 fps; frame n is flat grey at luma 16 + 3n, so its index can be read back from its pixels.
        // H.264 with B-frames in MP4, in MPEG-TS (whose clock starts at 1.4 s) and raw (no timestamps); HEVC with
        // B-frames in Matroska; MJPEG in AVI (every frame stands alone, so none needs decoding when skipped).
        let encoders: [String: [String]] = [
            "bframes.mp4": ["-c:v", "libx264", "-bf", "3", "-g", "30", "-crf", "8"],
            "stream.ts": ["-c:v", "libx264", "-bf", "3", "-g", "30", "-crf", "8"],
            "raw.h264": ["-c:v", "libx264", "-bf", "3", "-g", "30", "-crf", "8"],
            "hevc.mkv": ["-c:v", "libx265", "-x265-params", "bframes=4:keyint=30:log-level=error", "-crf", "8"],
            "mjpeg.avi": ["-c:v", "mjpeg", "-q:v", "2"],
        ]
        for (name, encoder) in encoders.sorted(by: { $0.key < $1.key }) {
            let path = dir.appendingPathComponent(name).path
            let made = try run(
                "/usr/bin/env",
                [
                    "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "nullsrc=s=64x48:r=25:d=2.4,geq=lum='16+3*N':cb=128:cr=128",
                ] + encoder + ["-pix_fmt", name.hasSuffix(".avi") ? "yuvj420p" : "yuv420p", path])
            try #require(made.status == 0, "ffmpeg could not make \(name)")
            let video = try Video(path: path)
            func index(_ frame: Image) throws -> Int {
                let grey = try frame.tensor(
                    nil, content: (64, 48), canvas: (64, 48),
                    normalisation: .init(rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0))
                let mean = grey[0..<(64 * 48)].reduce(0, +) / Float(64 * 48)  // 0-1, full range
                return Int(((Double(mean) * 219 + 16) - 16) / 3 + 0.5)
            }
            var seen: [Int] = []
            var times: [Double] = []
            // The first frame, then every 7th, then the one right after (no skip), then every 7th again.
            let skips = [0, 6, 6, 0, 6, 6, 6, 6, 6]
            for skip in skips {
                guard let (frame, millis) = try video.next(skipping: skip) else { break }
                seen.append(try index(frame))
                times.append(millis)
            }
            #expect(seen == [0, 7, 14, 15, 22, 29, 36, 43, 50], "\(name): \(seen)")
            if !name.hasSuffix(".h264") {
                #expect(zip(seen, times).allSatisfy { abs(Double($0) * 40 - $1) < 1 }, "\(name): times \(times)")
            }
            // Past the end: nil, not an error.
            #expect(try video.next(skipping: 20) == nil)
        }
    }

    /// Frames whose width is not a multiple of 16 pixels (1080 x 1920 phone videos, 1000 x 720): the colour
    /// converter writes past the last pixel, so the frame buffer has spare bytes after it (the crash that caused is
    /// caught by `VideoCLITests.videosOfAnyWidthAreRead`; within this small process it went unnoticed). Every
    /// frame is decoded whole: its size, and both edges of its last row in the right colour.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func framesOfAnyWidthDecodeWithoutCorruptingMemory() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (width, height) in [(1000, 720), (360, 640), (1016, 96), (18, 34)] {
            let path = dir.appendingPathComponent("\(width)x\(height).mp4").path
            // The left part black, the right quarter white.
            let made = try run(
                "/usr/bin/env",
                [
                    "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=\(width)x\(height):r=25:d=1.6",
                    "-vf", "drawbox=x=\(width * 3 / 4):y=0:w=\(width):h=\(height):color=white:t=fill", "-c:v", "libx264",
                    "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv444p", path,
                ])
            try #require(made.status == 0, "ffmpeg could not make \(width)x\(height)")
            let video = try Video(path: path)
            var frames = 0
            while let (frame, _) = try video.next() {
                #expect(frame.width == width && frame.height == height, "\(width)x\(height): frame \(frame.width)x\(frame.height)")
                let grey = try frame.tensor(
                    nil, content: (width, height), canvas: (width, height),
                    normalisation: .init(rgb: false, mean: [0, 0, 0], std: [1, 1, 1], padPixel: 0))
                let lastRow = (height - 1) * width
                #expect(grey[lastRow + width - 1] > 0.9 && grey[lastRow] < 0.1, "\(width)x\(height) frame \(frames)")
                frames += 1
            }
            #expect(frames == 40, "\(width)x\(height): \(frames) frames")
        }
    }

    /// The pixel limit is checked against the size a video declares when opened; a stream that switches to much
    /// larger frames later (two raw H.264 streams joined) is refused at that frame, not decoded into memory.
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the video"))
    func framesLargerThanDeclaredAreRefused() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var joined: [UInt8] = []
        for size in ["64x48", "640x480"] {
            let part = dir.appendingPathComponent("\(size).h264").path
            let made = try run(
                "/usr/bin/env",
                [
                    "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=\(size):r=25:d=0.4", "-c:v", "libx264", "-pix_fmt",
                    "yuv420p", part,
                ])
            try #require(made.status == 0, "ffmpeg could not make \(size)")
            joined += try Array(Data(contentsOf: URL(fileURLWithPath: part)))
        }
        let path = dir.appendingPathComponent("joined.h264")
        try Data(joined).write(to: path)
        let video = try Video(path: path.path)
        #expect(video.width == 64 && video.height == 48)
        var small = 0
        #expect(throws: VisionError.self) {
            while let (frame, _) = try video.next() {
                #expect(frame.width == 64)
                small += 1
            }
        }
        #expect(small == 10)
    }

    /// Each file below would decode the real video (or fetch a URL) if its format were allowed.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: video.path)))
    func filesThatNameOtherResourcesAreRefused() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = Self.video.path
        let listener = try CountingListener()
        defer { listener.stop() }
        let files: [String: String] = [
            "concat.mp4": "ffconcat version 1.0\nfile '\(real)'\n",
            "playlist.mp4": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://\(real)\n#EXT-X-ENDLIST\n",
            "remote.m3u8": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:\(listener.port)/segment.ts\n#EXT-X-ENDLIST\n",
            "session.sdp":
                "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video \(listener.port) RTP/AVP 96\na=rtpmap:96 H264/90000\n",
        ]
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            #expect(throws: VisionError.self, "\(name) must not open") { _ = try Video(path: url.path) }
        }
        #expect(listener.connections == 0)
    }

    /// An HTTP camera's address is checked before it is opened (the outbound policy); FFmpeg must not then follow
    /// a redirect to an address nobody checked.
    @Test func httpCamerasAreNotFollowedThroughRedirects() throws {
        let target = try CountingListener()
        defer { target.stop() }
        let redirecting = try RedirectingListener(to: "http://127.0.0.1:\(target.port)/camera.mjpg")
        defer { redirecting.stop() }
        #expect(throws: VisionError.self) { _ = try Video(stream: "http://127.0.0.1:\(redirecting.port)/camera.mjpg") }
        #expect(redirecting.connections >= 1)
        #expect(target.connections == 0)
    }

    @Test func streamsMustBeCameraProtocols() {
        for url in [
            "file:///etc/hostname", "/etc/hostname", "ftp://127.0.0.1/x", "concat:/a|/b", "subfile:,,start,0,end,10,,:/etc/hostname",
        ] {
            #expect(throws: VisionError.self, "\(url)") { _ = try Video(stream: url) }
        }
    }
}

/// A loopback TCP listener that counts connections (none are expected), answering each with `handle` if given.
final class CountingListener: @unchecked Sendable {
    private let fd: Int32
    let port: Int
    private let lock = NSLock()
    private var count = 0
    private var thread: Thread?
    private let handle: (@Sendable (Int32) -> Void)?

    init(handle: (@Sendable (Int32) -> Void)? = nil) throws {
        self.handle = handle
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, len) } }
        guard bound == 0, listen(listening, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &len) }
        }
        fd = listening
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
        self.thread = thread
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            lock.withLock { count += 1 }
            handle?(c)
            close(c)
        }
    }

    var connections: Int { lock.withLock { count } }
    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}

/// A loopback HTTP server that answers every request with a redirect to `location`.
final class RedirectingListener: @unchecked Sendable {
    private let listener: CountingListener

    init(to location: String) throws {
        listener = try CountingListener { connection in
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(connection, &buffer, buffer.count)
            let answer = "HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = answer.utf8CString.withUnsafeBufferPointer { write(connection, $0.baseAddress, $0.count - 1) }
        }
    }

    var port: Int { listener.port }
    var connections: Int { listener.connections }
    func stop() { listener.stop() }
}
