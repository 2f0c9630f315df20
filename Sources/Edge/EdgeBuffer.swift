import APIContract
import Foundation
import OpenAPIRuntime
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

    /// The body of `POST /v1/passes` for a pass (times are absolute, from `origin` in milliseconds since 1970),
    /// as the API document's `PassInput`.
    static func input(_ p: VehiclePass, origin: Int64, cameraID: String?) -> Components.Schemas.PassInput {
        func time(_ seconds: Double) -> Date { Date(timeIntervalSince1970: Double(origin) / 1000 + seconds) }
        return Components.Schemas.PassInput(
            plate: p.text, display: p.display, confidence: p.confidence, format: p.format, country: p.country,
            movement: .init(rawValue: p.direction.rawValue), cameraId: cameraID,
            firstSeenAt: time(p.firstSeen), lastSeenAt: time(p.lastSeen), bestRead: p.bestIndex,
            reads: p.observations.map { o in
                .init(
                    plate: o.text, display: o.display, format: o.format, country: o.country, confidence: o.confidence,
                    box: .init(x: o.box.x, y: o.box.y, width: o.box.width, height: o.box.height), capturedAt: time(o.time))
            })
    }

    static func json(_ p: VehiclePass, origin: Int64, cameraID: String?) throws -> Data {
        try PassCoding.encoder.encode(input(p, origin: origin, cameraID: cameraID))
    }
}

/// How the buffer writes and reads `pass.json`: the API's JSON, times with milliseconds (frame times need them; the
/// client sends them the same way, ``EdgeAgent``).
enum PassCoding {
    static let dates: any DateTranscoder = .iso8601WithFractionalSeconds

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(try dates.encode(date))
        }
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in try dates.decode(try decoder.singleValueContainer().decode(String.self)) }
        return d
    }
}
