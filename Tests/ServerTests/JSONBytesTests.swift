import Foundation
import Hummingbird
import Testing

@testable import Server

@Suite struct JSONBytesTests {
    static func parsed(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
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
            struct Codable: Encodable {
                var reads: [ReadJSON]
                var next_cursor: String?
            }
            let expected = try JSONEncoder().encode(Codable(reads: page.reads, next_cursor: page.next_cursor))
            var w = JSONBytes()
            w.object { w in
                w.array("reads", page.reads) { w, r in r.write(into: &w) }
                w.field("next_cursor", page.next_cursor)
            }
            #expect(try Self.parsed(w.bytes) == Self.parsed(Array(expected)))
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
            struct Codable: Encodable {
                var passes: [PassJSON]
                var next_cursor: String?
            }
            let expected = try JSONEncoder().encode(Codable(passes: page.passes, next_cursor: page.next_cursor))
            var w = JSONBytes()
            w.object { w in
                w.array("passes", page.passes) { w, p in p.write(into: &w) }
                w.field("next_cursor", page.next_cursor)
            }
            #expect(try Self.parsed(w.bytes) == Self.parsed(Array(expected)))
        }
    }
}
