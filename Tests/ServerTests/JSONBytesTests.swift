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
}
