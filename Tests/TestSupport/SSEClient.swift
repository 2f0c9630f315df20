import Foundation

/// A minimal HTTP/1.1 client for `text/event-stream` responses over a loopback socket (chunked or not), for
/// tests and benchmarks: reads events with a timeout without blocking Swift's cooperative threads for long.
public final class SSEClient: @unchecked Sendable {
    public struct Event: Sendable {
        public var id: String?
        public var event: String?
        public var data: String
        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
    }

    let fd: Int32
    var raw: [UInt8] = []
    var body: [UInt8] = []
    var chunked = false
    var headersDone = false
    public private(set) var status = 0
    var chunkRemaining = 0
    var closed = false

    public init(port: Int, path: String, headers: [String: String] = [:]) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { close(fd); throw SSEError("connect failed") }
        var tv = timeval(tv_sec: 0, tv_usec: 20_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (k, v) in headers { request += "\(k): \(v)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { close(fd); throw SSEError("send failed") }
    }

    deinit { close(fd) }

    public func disconnect() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Whether the server ends the stream within `timeout` seconds (events until then are read and dropped).
    public func closedByServer(within timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !closed && Date() < deadline {
            _ = pump()
            await Task.yield()
        }
        return closed
    }

    /// Reads what arrived (a short blocking read); false when the connection is closed.
    func pump() -> Bool {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buf, buf.count, 0)
        if n == 0 { closed = true; return false }
        if n < 0 { return !closed }
        raw += buf[0..<n]
        decode()
        return true
    }

    func decode() {
        if !headersDone {
            guard let end = find([13, 10, 13, 10], in: raw) else { return }
            let head = String(decoding: raw[0..<end], as: UTF8.self)
            status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
            chunked = head.lowercased().contains("transfer-encoding: chunked")
            raw.removeFirst(end + 4)
            headersDone = true
        }
        if !chunked { body += raw; raw = []; return }
        while true {
            if chunkRemaining > 0 {
                let n = min(chunkRemaining, raw.count)
                body += raw[0..<n]; raw.removeFirst(n); chunkRemaining -= n
                if chunkRemaining > 0 { return }
                chunkRemaining = -2  // expect CRLF
            }
            if chunkRemaining == -2 {
                guard raw.count >= 2 else { return }
                raw.removeFirst(2); chunkRemaining = 0
            }
            guard let eol = find([13, 10], in: raw) else { return }
            let size = Int(String(decoding: raw[0..<eol], as: UTF8.self).split(separator: ";").first ?? "", radix: 16) ?? 0
            raw.removeFirst(eol + 2)
            if size == 0 { closed = true; return }
            chunkRemaining = size
        }
    }

    func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }

    /// The next event (comments and heartbeats skipped), or nil after `timeout` seconds or when closed.
    public func next(timeout: Double) async -> Event? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let e = takeEvent() { return e }
            if closed || Date() > deadline { return nil }
            if !pump() { if let e = takeEvent() { return e }; return nil }
            await Task.yield()
        }
    }

    /// The HTTP status once headers arrived (waits up to `timeout`).
    public func responseStatus(timeout: Double) async -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while !headersDone && !closed && Date() < deadline { _ = pump(); await Task.yield() }
        return status
    }

    func takeEvent() -> Event? {
        while let end = find([10, 10], in: body) {
            let block = String(decoding: body[0..<end], as: UTF8.self)
            body.removeFirst(end + 2)
            var e = Event(id: nil, event: nil, data: "")
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { continue }
                if line.hasPrefix("id: ") { e.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { e.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { e.data += String(line.dropFirst(6)); hasData = true }
            }
            if hasData { return e }
        }
        return nil
    }
}

public struct SSEError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
