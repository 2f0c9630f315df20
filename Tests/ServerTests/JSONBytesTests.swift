import APIContract
import ExportFormats
import Foundation
import Hummingbird
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

    /// The page written by `JSONBytes` is the document `JSONEncoder` writes for the same values: every field set,
    /// every optional one absent, and text that needs escaping.
    @Test func aPageOfReadsIsTheDocumentJSONEncoderWrites() throws {
        let full = ReadJSON(
            id: "rd_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.9375,
            box: BoxJSON(x: 12, y: 40.5, width: 130.25, height: 29), format: "gb.current", country: "GB",
            camera_id: "cam_1", job_id: "job_1", frame_time_s: 1.5, captured_at: "2026-12-02T01:02:03.004Z",
            image_url: "/v1/reads/rd_1/image?kind=frame&expires=1&sig=ab", crop_url: "/v1/reads/rd_1/image?kind=crop",
            group_match: .init(
                group_id: "grp_1", group: "Staff \"A\" \\ night\n", member_id: "mem_1", member: "Zoë", permit_id: "prm_1",
                match: "fuzzy", valid: false),
            watchlist: .init(list_id: "wl_1", list: "Stolen", reason: "reported\t2026", match: "exact"),
            access: .init(decision: "deny", reason: "watch list"))
        let bare = ReadJSON(
            id: nil, plate: "X1", display: "X1", confidence: 0, box: BoxJSON(x: 0, y: 0, width: 1e-3, height: 2),
            format: "unknown", country: nil, camera_id: nil, job_id: nil, frame_time_s: nil, captured_at: "",
            image_url: nil, crop_url: nil, group_match: nil, watchlist: nil, access: nil)
        for page in [
            ReadsPage(reads: [full, bare], next_cursor: "MTc5MDAwMDAwMDAwMDpyZF8x"), ReadsPage(reads: [], next_cursor: nil),
        ] {
            try Self.expectSameDocument("reads", page.reads, page.next_cursor) { w, r in r.write(into: &w) }
        }
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
