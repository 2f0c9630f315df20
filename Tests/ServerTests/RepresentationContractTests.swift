import APIContract
import Core
import ExportFormats
import Foundation
import Storage
import Testing

/// Reads, passes, upload jobs and alerts are answered with Core's own types because they are also the payloads of
/// events, webhooks and exports, which Core builds without the HTTP layer (docs/architecture.md). These tests hold
/// them to the document: each one, every field filled, is read as the type generated from the document and written
/// again, and must come back the same (a field the document lacks, or of another type or value set, fails).
@Suite struct RepresentationContractTests {
    static let decision = DecisionJSON.decode(
        """
        {"group_match": {"group_id": "grp_1", "group": "Staff", "member_id": "mem_1", "member": "A. Driver", "permit_id": "P-1",
         "match": "fuzzy", "valid": true},
         "watchlist": {"list_id": "wl_1", "list": "Barred", "reason": "stolen", "match": "exact"},
         "access": {"decision": "deny", "reason": "on the watch list"}}
        """)

    /// `value` as JSON, and that JSON read as `Generated` and written again; nulls count as absent (the document
    /// marks the fields that may be null).
    static func roundTrip<Generated: Codable>(_ value: some Encodable, as _: Generated.Type) throws -> (NSDictionary, NSDictionary) {
        let written = try JSONEncoder().encode(value)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { d in
            let s = try d.singleValueContainer().decode(String.self)
            guard let ms = JSONTime.parse(s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: d.codingPath, debugDescription: s))
            }
            return Date(epochMilliseconds: ms)
        }
        let generated = try decoder.decode(Generated.self, from: written)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, e in
            var c = e.singleValueContainer()
            try c.encode(JSONTime.string(date.epochMilliseconds) ?? "")
        }
        let again = try encoder.encode(generated)
        func object(_ data: Data) throws -> NSDictionary {
            try #require(JSONSerialization.jsonObject(with: data) as? NSDictionary)
        }
        return (try object(written).withoutNulls, try object(again).withoutNulls)
    }

    @Test func readsSayWhatTheDocumentSays() throws {
        let read = ReadJSON(
            id: "rd_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.97, box: BoxJSON(x: 10, y: 20.5, width: 120, height: 30),
            format: "gb_current", country: "gb", camera_id: "cam_1", job_id: "job_1", frame_time_s: 1.5,
            captured_at: "2026-12-03T10:00:00.125Z", image_url: "/v1/media/reads/rd_1/frame?sig=x",
            crop_url: "/v1/media/reads/rd_1/crop?sig=x", decision: Self.decision)
        let (written, document) = try Self.roundTrip(read, as: Components.Schemas.Read.self)
        #expect(written == document)
        #expect(written.count == 16)
    }

    @Test func passesSayWhatTheDocumentSays() throws {
        let pass = PassJSON(
            id: "ps_1", plate: "AB12CDE", display: "AB12 CDE", confidence: 0.91, format: "gb_current", country: "gb",
            direction: "entry", movement: "approaching", camera_id: "cam_1", job_id: "job_1",
            first_seen_at: "2026-12-03T10:00:00.000Z", last_seen_at: "2026-12-03T10:00:02.500Z", first_seen_s: 0.4,
            last_seen_s: 2.9, frames: 31, box: BoxJSON(x: 1, y: 2, width: 3, height: 4), image_url: "/i", crop_url: "/c",
            reads_url: "/v1/reads?pass_id=ps_1&limit=500", decision: Self.decision)
        let (written, document) = try Self.roundTrip(pass, as: Components.Schemas.Pass.self)
        #expect(written == document)
        #expect(written.count == 22)
    }

    @Test func uploadJobsSayWhatTheDocumentSays() throws {
        for status in Job.Status.allCases {
            let job = Job(
                id: "job_1", tenantID: "t_1", status: status, progress: 40, kind: .video, filename: "gate.mp4", mediaKey: "m",
                cameraID: "cam_1", country: "gb", webhookURL: nil, attempts: 1, maxAttempts: 3, worker: "w", framesTotal: 100,
                framesDone: 40, readsCount: 7, error: "a reason", createdAt: 1_764_756_000_000, startedAt: 1_764_756_001_000,
                finishedAt: 1_764_756_002_000)
            let (written, document) = try Self.roundTrip(JobJSON(job), as: Components.Schemas.Job.self)
            #expect(written == document, "\(status)")
            #expect(written.count == 16)
        }
    }

    @Test func alertsSayWhatTheDocumentSays() throws {
        for kind in Components.Schemas.Alert.KindPayload.allCases {
            let alert = Alert(
                id: "al_1", tenantID: "t_1", kind: kind.rawValue, plate: "AB12CDE", message: "seen", readID: "rd_1", passID: "ps_1",
                cameraID: "cam_1", createdAt: 1_764_756_000_000, acknowledgedAt: 1_764_756_100_000, acknowledgedBy: "ops@example.com")
            let (written, document) = try Self.roundTrip(AlertJSON(alert), as: Components.Schemas.Alert.self)
            #expect(written == document, "\(kind)")
            #expect(written.count == 11)
        }
    }

    @Test func aFieldTheDocumentLacksIsCaught() throws {
        struct Extra: Encodable {
            var id = "al_1", kind = "overstay", plate = "P", message = "m", created_at = "2026-12-03T10:00:00.000Z"
            var acknowledged = false, colour = "red"
        }
        let (written, document) = try Self.roundTrip(Extra(), as: Components.Schemas.Alert.self)
        #expect(written != document)
    }
}

extension NSDictionary {
    /// The same object without its null members, at every depth.
    fileprivate var withoutNulls: NSDictionary {
        var out: [String: Any] = [:]
        for case (let k as String, let v) in self where !(v is NSNull) {
            out[k] = (v as? NSDictionary)?.withoutNulls ?? v
        }
        return out as NSDictionary
    }
}
