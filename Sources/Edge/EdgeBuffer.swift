import Foundation
import Recognition
import Tracking

/// The edge agent's on-disk queue of vehicle passes waiting for the server.
///
/// Each pass is one folder under `pending/` (`pass.json`, optional `crop.jpg` and `frame.jpg`), written in a
/// temporary folder and renamed into place, so a crash leaves either the whole pass or nothing. The folder name
/// starts with the time it was buffered (delivery keeps that order) and ends with the pass's idempotency key,
/// which the server uses to store each pass once however often it is sent. Passes the server refuses for good
/// (a 4xx other than auth, quota or rate limits) move to `rejected/` with the server's answer, never deleted.
public struct EdgeBuffer: Sendable {
    /// One buffered pass.
    public struct Entry: Sendable {
        public var name: String
        public var idempotencyKey: String
        public var json: Data
        public var crop: Data?
        public var frame: Data?
    }

    public let directory: URL
    var pending: URL { directory.appendingPathComponent("pending") }
    var rejected: URL { directory.appendingPathComponent("rejected") }
    var incoming: URL { directory.appendingPathComponent("incoming") }

    public init(directory: URL) throws {
        self.directory = directory
        let fm = FileManager.default
        for d in [pending, rejected, incoming] { try fm.createDirectory(at: d, withIntermediateDirectories: true) }
        // Half-written passes of a crash (never renamed into pending/) are dropped.
        for name in (try? fm.contentsOfDirectory(atPath: incoming.path)) ?? [] {
            try? fm.removeItem(at: incoming.appendingPathComponent(name))
        }
    }

    /// Buffers a pass; returns its idempotency key.
    @discardableResult
    public func add(_ result: PassResult, origin: Int64, cameraID: String?) throws -> String {
        let key = UUID().uuidString.lowercased()
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        let name = String(format: "%014lld-%@", millis, key)
        let tmp = incoming.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try Self.json(result.pass, origin: origin, cameraID: cameraID).write(to: tmp.appendingPathComponent("pass.json"))
        if let crop = result.crop { try Data(crop).write(to: tmp.appendingPathComponent("crop.jpg")) }
        if let frame = result.frame { try Data(frame).write(to: tmp.appendingPathComponent("frame.jpg")) }
        try FileManager.default.moveItem(at: tmp, to: pending.appendingPathComponent(name))
        return key
    }

    /// The buffered passes, oldest first.
    public func entries() -> [Entry] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: pending.path)) ?? []).sorted()
        return names.compactMap { name in
            let dir = pending.appendingPathComponent(name)
            guard let json = try? Data(contentsOf: dir.appendingPathComponent("pass.json")) else { return nil }
            return Entry(
                name: name, idempotencyKey: String(name.split(separator: "-", maxSplits: 1).last ?? ""),
                json: json, crop: try? Data(contentsOf: dir.appendingPathComponent("crop.jpg")),
                frame: try? Data(contentsOf: dir.appendingPathComponent("frame.jpg")))
        }
    }

    public var count: Int { ((try? FileManager.default.contentsOfDirectory(atPath: pending.path)) ?? []).count }

    /// Forgets a delivered pass.
    public func remove(_ entry: Entry) throws {
        try FileManager.default.removeItem(at: pending.appendingPathComponent(entry.name))
    }

    /// Moves a pass the server refused for good to `rejected/`, with the server's answer beside it.
    public func reject(_ entry: Entry, answer: String) throws {
        let target = rejected.appendingPathComponent(entry.name)
        try FileManager.default.moveItem(at: pending.appendingPathComponent(entry.name), to: target)
        try Data(answer.utf8).write(to: target.appendingPathComponent("answer.txt"))
    }

    /// The body of `POST /v1/passes` for a pass (times are absolute, from `origin` in milliseconds since 1970).
    static func json(_ p: VehiclePass, origin: Int64, cameraID: String?) throws -> Data {
        func time(_ seconds: Double) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.string(from: Date(timeIntervalSince1970: Double(origin) / 1000 + seconds))
        }
        var object: [String: Any] = [
            "plate": p.text, "display": p.display, "confidence": p.confidence, "format": p.format,
            "movement": p.direction.rawValue, "first_seen_at": time(p.firstSeen), "last_seen_at": time(p.lastSeen),
            "best_read": p.bestIndex,
            "reads": p.observations.map { o -> [String: Any] in
                var r: [String: Any] = [
                    "plate": o.text, "display": o.display, "confidence": o.confidence, "format": o.format,
                    "box": ["x": o.box.x, "y": o.box.y, "width": o.box.width, "height": o.box.height],
                    "captured_at": time(o.time),
                ]
                if let c = o.country { r["country"] = c }
                return r
            },
        ]
        if let c = p.country { object["country"] = c }
        if let cameraID { object["camera_id"] = cameraID }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
