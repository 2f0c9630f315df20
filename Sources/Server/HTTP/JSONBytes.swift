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
        time(key, value.epochMilliseconds)
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
    /// A time (epoch milliseconds) as the API writes one, written into the bytes without a string made for it.
    mutating func time(_ key: StaticString, _ millis: Int64) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        JSONTime.write(millis, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The `image_url` and `crop_url` of a stored read or pass (those of its images it has), as
    /// ``ImageLinks/urls(_:id:frameKey:cropKey:expires:)`` spells them, written into the bytes.
    mutating func imageLinks(
        _ collection: String, id: String, frameKey: String?, cropKey: String?, links: ImageLinks, expires: Int64
    ) {
        guard frameKey != nil || cropKey != nil else { return }
        if JSONText.needsEscape(id) {
            // Not an id this server makes: its links go through the escaping writer.
            let urls = links.urls(collection, id: id, frameKey: frameKey, cropKey: cropKey, expires: expires)
            field("image_url", urls.frame)
            field("crop_url", urls.crop)
            return
        }
        let signature = links.signature(id: id, expires: expires)
        func link(_ key: StaticString, _ kind: String) {
            self.key(key)
            bytes.append(UInt8(ascii: "\""))
            links.append(collection, id: id, kind: kind, expires: expires, signature: signature, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        if frameKey != nil { link("image_url", "frame") }
        if cropKey != nil { link("crop_url", "crop") }
    }

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
            w.time("captured_at", r.capturedAt)
            w.imageLinks("reads", id: r.id.rawValue, frameKey: r.frameKey, cropKey: r.cropKey, links: links, expires: expires)
            let decision = DecisionJSON.decode(r.decision)
            w.decision(decision?.group_match, decision?.watchlist, decision?.access)
        }
    }

    /// A stored pass as `JSONEncoder` writes its ``ImageLinks/json(_:expires:)``, straight from the record (as
    /// ``read(_:links:expires:)``).
    mutating func pass(_ p: Pass, links: ImageLinks, expires: Int64) {
        object { w in
            w.field("id", p.id.rawValue)
            w.field("plate", p.plate)
            w.field("display", p.display)
            w.field("confidence", p.confidence)
            w.field("format", p.format)
            w.field("country", p.country)
            w.field("direction", p.direction)
            w.field("movement", p.movement)
            w.field("camera_id", p.cameraID?.rawValue)
            w.field("job_id", p.jobID?.rawValue)
            w.time("first_seen_at", p.firstSeenAt)
            w.time("last_seen_at", p.lastSeenAt)
            w.field("first_seen_s", p.firstSeenSeconds)
            w.field("last_seen_s", p.lastSeenSeconds)
            w.field("frames", p.frames)
            w.box(BoxJSON(x: p.box[0], y: p.box[1], width: p.box[2], height: p.box[3]))
            w.imageLinks("passes", id: p.id.rawValue, frameKey: p.frameKey, cropKey: p.cropKey, links: links, expires: expires)
            w.field("reads_url", ImageLinks.readsURL(passID: p.id.rawValue))
            let decision = DecisionJSON.decode(p.decision)
            w.decision(decision?.group_match, decision?.watchlist, decision?.access)
        }
    }
}
