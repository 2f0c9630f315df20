import Core
import Foundation
import ExportFormats
import Hummingbird
import Storage

/// JSON written field by field straight to bytes, for the hottest responses (a page of 50 reads), where Codable's
/// `JSONEncoder` took a third of a list request's CPU in a profile (docs/scale.md). Nil fields are left out, as
/// synthesized `Encodable` leaves them out, so both give the same document (tested).
struct JSONBytes {
    var bytes: [UInt8] = []
    /// No field written yet in the object being written.
    private var fresh = true

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// Writes an object whose fields `body` writes.
    mutating func object(_ body: (inout JSONBytes) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = fresh
        fresh = true
        body(&self)
        fresh = outer
        bytes.append(UInt8(ascii: "}"))
    }

    /// Writes the key of the next field (its value follows).
    /// Keys are the API's own names (literals: nothing to escape), copied as they are.
    mutating func key(_ key: StaticString) {
        if !fresh { bytes.append(UInt8(ascii: ",")) }
        fresh = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        JSONText.string(value, into: &bytes)
    }

    mutating func field(_ key: StaticString, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        JSONText.number(value, into: &bytes)
    }

    mutating func field(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        self.key(key)
        JSONText.integer(Int64(value), into: &bytes)
    }

    /// A time as the API's encoder writes one (``APIJSONEncoder``: RFC 3339 in UTC with milliseconds).
    mutating func field(_ key: StaticString, _ value: Date?) {
        guard let value else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        JSONTime.write(value.epochMilliseconds, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func field(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes an array field, each element by `element`.
    mutating func array<T>(_ key: StaticString, _ items: [T], _ element: (inout JSONBytes, T) -> Void) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A page of a list (`{"<key>": [...], "next_cursor": ...}`), each item written by `item`.
    static func page<T>(
        _ key: StaticString, _ items: [T], nextCursor: String?, itemSize: Int, _ item: (inout JSONBytes, T) -> Void
    ) -> JSONBytes {
        var w = JSONBytes(capacity: 512 + items.count * itemSize)
        w.object { w in
            w.array(key, items, item)
            w.field("next_cursor", nextCursor)
        }
        return w
    }

    /// The response carrying these bytes, as Hummingbird's `JSONEncoder` would send it.
    func response(status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONBytes {
    /// The rules' decision stored with a read or a pass (each part left out when absent).
    mutating func decision(_ group: DecisionJSON.GroupMatch?, _ watch: DecisionJSON.WatchHit?, _ access: DecisionJSON.Access?) {
        if let g = group {
            key("group_match")
            object { w in
                w.field("group_id", g.group_id)
                w.field("group", g.group)
                w.field("member_id", g.member_id)
                w.field("member", g.member)
                w.field("permit_id", g.permit_id)
                w.field("match", g.match)
                w.field("valid", g.valid)
            }
        }
        if let h = watch {
            key("watchlist")
            object { w in
                w.field("list_id", h.list_id)
                w.field("list", h.list)
                w.field("reason", h.reason)
                w.field("match", h.match)
            }
        }
        if let a = access {
            key("access")
            object { w in
                w.field("decision", a.decision)
                w.field("reason", a.reason)
            }
        }
    }

    /// A plate's box in its frame.
    mutating func box(_ box: BoxJSON) {
        key("box")
        object { w in
            w.field("x", box.x)
            w.field("y", box.y)
            w.field("width", box.width)
            w.field("height", box.height)
        }
    }
}

extension JSONBytes {
    /// A stored read as `JSONEncoder` writes its ``ImageLinks/json(_:expires:)`` (same keys, nil fields left out),
    /// straight from the record: its time and its links are written into the bytes, not made as strings first.
    mutating func read(_ r: PlateRead, links: ImageLinks, expires: Int64) {
        object { w in
            w.field("id", r.id.rawValue)
            w.field("plate", r.plate)
            w.field("display", r.display)
            w.field("confidence", r.confidence)
            w.box(BoxJSON(x: r.box.x, y: r.box.y, width: r.box.width, height: r.box.height))
            w.field("format", r.format)
            w.field("country", r.country)
            w.field("camera_id", r.cameraID?.rawValue)
            w.field("job_id", r.jobID?.rawValue)
            w.field("frame_time_s", r.frameTimeMillis.map { Double($0) / 1000 })
            w.key("captured_at")
            w.bytes.append(UInt8(ascii: "\""))
            JSONTime.write(r.capturedAt, into: &w.bytes)
            w.bytes.append(UInt8(ascii: "\""))
            if r.frameKey != nil || r.cropKey != nil {
                let id = r.id.rawValue
                if JSONText.needsEscape(id) {
                    // Not an id this server makes: its links go through the escaping writer.
                    let urls = links.urls("reads", id: id, frameKey: r.frameKey, cropKey: r.cropKey, expires: expires)
                    w.field("image_url", urls.frame)
                    w.field("crop_url", urls.crop)
                } else {
                    let signature = links.signature(id: id, expires: expires)
                    func link(_ key: StaticString, _ kind: String) {
                        w.key(key)
                        w.bytes.append(UInt8(ascii: "\""))
                        links.append("reads", id: id, kind: kind, expires: expires, signature: signature, to: &w.bytes)
                        w.bytes.append(UInt8(ascii: "\""))
                    }
                    if r.frameKey != nil { link("image_url", "frame") }
                    if r.cropKey != nil { link("crop_url", "crop") }
                }
            }
            let decision = DecisionJSON.decode(r.decision)
            w.decision(decision?.group_match, decision?.watchlist, decision?.access)
        }
    }
}

extension PassJSON {
    /// This pass as `JSONEncoder` writes it (same keys, nil fields left out).
    func write(into w: inout JSONBytes) {
        w.object { w in
            w.field("id", id)
            w.field("plate", plate)
            w.field("display", display)
            w.field("confidence", confidence)
            w.field("format", format)
            w.field("country", country)
            w.field("direction", direction)
            w.field("movement", movement)
            w.field("camera_id", camera_id)
            w.field("job_id", job_id)
            w.field("first_seen_at", first_seen_at)
            w.field("last_seen_at", last_seen_at)
            w.field("first_seen_s", first_seen_s)
            w.field("last_seen_s", last_seen_s)
            w.field("frames", frames)
            w.box(box)
            w.field("image_url", image_url)
            w.field("crop_url", crop_url)
            w.field("reads_url", reads_url)
            w.decision(group_match, watchlist, access)
        }
    }
}
