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

    /// The same for a page of stored passes (three links: frame, crop and the pass's reads).
    @Test func aPageOfPassesIsTheDocumentJSONEncoderWrites() throws {
        let decision: [String: Any] = [
            "group_match": [
                "group_id": "grp_1", "group": "Staff", "member_id": "mem_1", "member": "Ann", "permit_id": "prm_1",
                "match": "exact", "valid": true,
            ],
            "access": ["decision": "allow", "reason": "permit"],
        ]
        let full = Pass(
            id: "ps_1", tenantID: "tn_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.875, format: "gb.current",
            country: "GB", direction: "entry", movement: "approaching", cameraID: "cam_1", jobID: "job_\"1\"",
            firstSeenAt: 1_795_000_000_004, lastSeenAt: 1_795_000_002_000, firstSeenSeconds: 0.25, lastSeenSeconds: 2.5,
            frames: 17, box: [1, 2.5, 80, 20], cropKey: "c/1.jpg", frameKey: "f/1.jpg", createdAt: 1_795_000_003_000,
            decision: String(decoding: try JSONSerialization.data(withJSONObject: decision), as: UTF8.self))
        var bare = Pass(
            id: "ps_2", tenantID: "tn_1", plate: "X1", display: "X1", confidence: 0, format: "unknown", country: nil,
            direction: "unknown", movement: "unknown", cameraID: nil, jobID: nil, firstSeenAt: 0, lastSeenAt: 0,
            firstSeenSeconds: nil, lastSeenSeconds: nil, frames: 0, box: [0, 0, 0, 0], cropKey: nil, frameKey: nil, createdAt: 0,
            decision: #"{"watchlist":{"list_id":"wl_1","list":"Ö","reason":"","match":"fuzzy"},"access":{"decision":"deny","reason":"x"}}"#)
        var frameOnly = full
        frameOnly.id = "ps_3"; frameOnly.cropKey = nil
        bare.id = "ps_\\2"
        let links = ImageLinks(signer: MediaSigner(secret: "test secret"), lifetimeSeconds: 600)
        let expires: Int64 = 1_795_000_600
        for passes in [[full, bare, frameOnly], []] {
            let page = PassesPage(passes: passes, links: links, next_cursor: passes.isEmpty ? nil : "abc", expires: expires)
            let expected = try JSONEncoder().encode(
                EncodablePage(key: "passes", items: passes.map { links.json($0, expires: expires) }, next: page.next_cursor))
            #expect(try Self.parsed(page.written.bytes) == Self.parsed(Array(expected)))
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
