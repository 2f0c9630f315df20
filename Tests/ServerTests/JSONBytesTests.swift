import APIContract
import ExportFormats
import Foundation
import Hummingbird
import Storage
import Testing

@testable import Core
@testable import Server

@Suite struct JSONBytesTests {
    static func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    /// Checks that `JSONBytes.page` writes the document `JSONEncoder` writes for `{key: items, next_cursor}`.
    static func expectSameDocument<T: Encodable>(
        _ key: StaticString, _ items: [T], _ next: String?, _ write: (inout JSONBytes, T) -> Void
    ) throws {
        let expected = try JSONEncoder().encode(EncodablePage(key: key.description, items: items, next: next))
        let written = JSONBytes.page(key, items, nextCursor: next, itemSize: 100, write)
        #expect(try parsed(written.bytes) == parsed(Array(expected)))
    }

    /// A page of stored reads written by `JSONBytes` straight from the records is the document `JSONEncoder` writes for
    /// their API objects (`ImageLinks.json`) with the same expiry: every field set, every optional one absent, one image
    /// of two, text that needs escaping, and an id that does.
    @Test func aPageOfReadsIsTheDocumentJSONEncoderWrites() throws {
        let decision: [String: Any] = [
            "group_match": [
                "group_id": "grp_1", "group": "Staff \"A\" \\ night\n", "member_id": "mem_1", "member": "Zoë",
                "permit_id": "prm_1", "match": "fuzzy", "valid": false,
            ],
            "watchlist": ["list_id": "wl_1", "list": "Stolen", "reason": "reported\t2026", "match": "exact"],
            "access": ["decision": "deny", "reason": "watch list"],
        ]
        let full = PlateRead(
            id: "rd_1", tenantID: "tn_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.9375, format: "gb.current",
            country: "GB", box: (12, 40.5, 130.25, 29), cameraID: "cam_1", jobID: "job_1", frameTimeMillis: 1_500,
            capturedAt: 1_795_000_000_004, createdAt: 1_795_000_000_100, cropKey: "c/1.jpg", frameKey: "f/1.jpg",
            decision: String(decoding: try JSONSerialization.data(withJSONObject: decision), as: UTF8.self))
        var bare = PlateRead(
            id: "rd_2", tenantID: "tn_1", plate: "X1", display: "X1", confidence: 0, format: "unknown", country: nil,
            box: (0, 0, 1e-3, 2), cameraID: nil, jobID: nil, frameTimeMillis: nil, capturedAt: -1, createdAt: 0, cropKey: nil,
            frameKey: nil)
        var cropOnly = full
        cropOnly.id = "rd_3"; cropOnly.frameKey = nil; cropOnly.decision = nil
        bare.decision = "{}"
        var oddID = full
        oddID.id = "rd_\"4\\"
        let links = ImageLinks(signer: MediaSigner(secret: "test secret"), lifetimeSeconds: 3600)
        let expires: Int64 = 1_795_003_600
        for reads in [[full, bare, cropOnly, oddID], []] {
            let next = reads.isEmpty ? nil : "MTc5MDAwMDAwMDAwMDpyZF8x"
            let page = ReadsPage(reads: reads, links: links, next_cursor: next, expires: expires)
            let expected = try JSONEncoder().encode(
                EncodablePage(key: "reads", items: reads.map { links.json($0, expires: expires) }, next: page.next_cursor))
            #expect(try Self.parsed(page.written.bytes) == Self.parsed(Array(expected)))
        }
        let one = ReadsPage(reads: [cropOnly], links: links, next_cursor: nil, expires: expires).written.bytes
        let link = "\"crop_url\":\"/v1/reads/rd_3/image?kind=crop&expires=1795003600&signature="
        #expect(String(decoding: one, as: UTF8.self).contains(link))
    }

    /// Sessions are generated types: their page written by `JSONBytes` is what the API's `JSONEncoder` writes for
    /// the generated `Sessions` (times with milliseconds).
    @Test func aPageOfSessionsIsTheDocumentTheAPIEncoderWrites() throws {
        let full = ParkingSessionJSON(
            id: "pk_1", site: "Main \"North\"", plate: "AB12CDE", status: .closed, entryPassId: "ps_1", exitPassId: "ps_2",
            enteredAt: Date(epochMilliseconds: 1_790_000_000_004), exitedAt: Date(epochMilliseconds: 1_790_000_360_000),
            minutes: 6, permitHolder: true, groupId: "grp_1", charge: 250, currency: "GBP",
            createdAt: Date(epochMilliseconds: 1_790_000_000_120))
        let bare = ParkingSessionJSON(
            id: "pk_2", site: "", plate: "X1", status: .missedEntry, entryPassId: nil, exitPassId: nil, enteredAt: nil,
            exitedAt: nil, minutes: nil, permitHolder: false, groupId: nil, charge: nil, currency: nil,
            createdAt: Date(epochMilliseconds: 0))
        for page in [
            Components.Schemas.Sessions(sessions: [full, bare], nextCursor: "MTc5MDAwMDAwMDAwMDpwa18x"),
            Components.Schemas.Sessions(sessions: [], nextCursor: nil),
        ] {
            let expected = try APIJSONEncoder.make().encode(page)
            #expect(try Self.parsed(page.written.bytes) == Self.parsed(Array(expected)))
        }
    }

    @Test func aPageOfPassesIsTheDocumentJSONEncoderWrites() throws {
        let full = PassJSON(
            id: "ps_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.875, format: "gb.current", country: "GB",
            direction: "entry", movement: "approaching", camera_id: "cam_1", job_id: "job_\"1\"",
            first_seen_at: "2026-12-02T01:02:03.004Z", last_seen_at: "2026-12-02T01:02:05Z", first_seen_s: 0.25,
            last_seen_s: 2.5, frames: 17, box: BoxJSON(x: 1, y: 2.5, width: 80, height: 20),
            image_url: "/v1/passes/ps_1/image?kind=frame", crop_url: "/v1/passes/ps_1/image?kind=crop",
            reads_url: "/v1/reads?pass_id=ps_1&limit=500",
            group_match: .init(
                group_id: "grp_1", group: "Staff", member_id: "mem_1", member: "Ann", permit_id: "prm_1", match: "exact", valid: true),
            watchlist: nil, access: .init(decision: "allow", reason: "permit"))
        let bare = PassJSON(
            id: "ps_2", plate: "X1", display: "X1", confidence: 0, format: "unknown", country: nil, direction: "unknown",
            movement: "unknown", camera_id: nil, job_id: nil, first_seen_at: "", last_seen_at: "", first_seen_s: nil,
            last_seen_s: nil, frames: 0, box: BoxJSON(x: 0, y: 0, width: 0, height: 0), image_url: nil, crop_url: nil,
            reads_url: "", group_match: nil, watchlist: .init(list_id: "wl_1", list: "Ö", reason: "", match: "fuzzy"), access: nil)
        for page in [PassesPage(passes: [full, bare], next_cursor: "abc"), PassesPage(passes: [], next_cursor: nil)] {
            try Self.expectSameDocument("passes", page.passes, page.next_cursor) { w, p in p.write(into: &w) }
        }
    }
}

/// `{key: items, next_cursor}` as `JSONEncoder` writes it.
private struct EncodablePage<T: Encodable>: Encodable {
    var key: String, items: [T], next: String?
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(items, forKey: Key(stringValue: key))
        try c.encodeIfPresent(next, forKey: Key(stringValue: "next_cursor"))
    }
}
