import Foundation

/// A free loopback TCP port (bound, read, released).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A video file served as an HTTP MJPEG stream (`multipart/x-mixed-replace`) by an `ffmpeg` child process,
/// looped at real time, to one client: a stand-in for an IP camera that can be killed and restarted.
public final class MJPEGServer: @unchecked Sendable {
    public let port: Int
    let video: URL
    var process: Process?

    public init(video: URL, port: Int = freeLoopbackPort()) {
        self.video = video; self.port = port
    }

    public var url: String { "http://127.0.0.1:\(port)/camera.mjpg" }

    /// Starts serving (ffmpeg waits for the client before it reads the file).
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        p.arguments = [
            "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", video.path, "-q:v", "5",
            "-f", "mpjpeg", "-listen", "1", url,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
    }

    /// Kills the server as a crash would (SIGKILL), dropping the connection.
    public func kill() {
        guard let p = process else { return }
        if p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        process = nil
    }

    deinit { kill() }
}
