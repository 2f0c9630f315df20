import Foundation
import ExportFormats
import Hummingbird
import Media
import Plates
import Storage

/// Privacy requests under UK GDPR for one plate: `GET /v1/privacy/subject-access?plate=` (a ZIP of every row and
/// image held about it) and `POST /v1/privacy/erasures` (delete it; the audit entry keeps only a keyed hash).
/// Admins only.
struct PrivacyController {
    let env: ServerEnvironment

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("privacy/subject-access", use: subjectAccess)
        group.post("privacy/erasures", use: erase)
    }

    func plate(_ text: String?, field: String) throws -> String {
        guard let text, let p = PlateText.normalised(text), !p.isEmpty else {
            throw APIError.badRequest("\(field) must be a plate: \(PlateText.rule)", code: .badParameter)
        }
        return p
    }

    /// The keyed hash that stands for a plate in the audit log of an erasure (not reversible without the secret).
    func keyedHash(_ plate: String, tenantID: String) -> String { "hmac-sha256:" + env.signer.signature("plate:\(tenantID):\(plate)") }

    @Sendable func subjectAccess(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        let plate = try plate(request.uri.queryParameters["plate"].map(String.init), field: "plate")
        let records = try await env.store.subjectRecords(tenantID: t.id, plate: plate)
        var zip = ZIPArchive()
        var sections: [String: Any] = [:]
        var images = 0
        for (section, rows) in records {
            sections[section] = rows.map(Self.json)
            guard section == "reads" || section == "passes" else { continue }
            for row in rows {
                for (column, suffix) in [("frame_key", "frame"), ("crop_key", "crop")] {
                    guard let key = row.text(column), let data = try await env.media.get(key) else { continue }
                    zip.add("media/\(section)/\(row.string("id"))-\(suffix).jpg", Array(data))
                    images += 1
                }
            }
        }
        let document: [String: Any] = [
            "plate": plate, "tenant": t.name, "generated_at": JSONTime.string(WallClock.nowMillis()) ?? "",
            "about": "Everything this MicroANPR tenant holds about the plate: every section is the stored rows; times are RFC 3339 (UTC); images are in media/.",
            "sections": sections, "images": images,
        ]
        zip.add("subject.json", Array(try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])))
        await env.audit(context, tenantID: t.id, action: "privacy.subject_access", target: "plate:\(plate)")
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/zip", .contentDisposition: "attachment; filename=\"subject-access-\(plate).zip\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: zip.finish())))
    }

    /// A stored row as JSON: epoch-millisecond `_at` columns as RFC 3339 times.
    static func json(_ row: SQLRow) -> [String: Any] {
        var o: [String: Any] = [:]
        for (k, v) in row.values {
            switch v {
            case .int(let i): o[k] = k.hasSuffix("_at") ? (JSONTime.string(i) ?? i) : i
            case .double(let d): o[k] = d
            case .text(let s): o[k] = s
            case .null: o[k] = NSNull()
            }
        }
        return o
    }

    struct Erasure: Decodable { var plate: String; var reason: String; var include_lists: Bool? }

    @Sendable func erase(_ request: Request, context: AppContext) async throws -> EditedResponse<ErasureJSON> {
        let t = try context.requireTenant()
        let body = try await decodeJSON(Erasure.self, from: request, fields: ["plate", "reason", "include_lists"])
        let plate = try plate(body.plate, field: "plate")
        var reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw APIError.badRequest("reason must be 1 to 500 characters (why the plate is erased)", code: .badParameter)
        }
        // The audit entry must not keep the plate in clear, even inside the reason.
        for form in Set([plate, body.plate.uppercased()]) where !form.isEmpty {
            reason = reason.replacingOccurrences(of: form, with: "[plate]", options: .caseInsensitive)
        }
        let exports = try await exportsContaining(plate, tenantID: t.id)
        let (counts, keys) = try await env.store.erase(
            tenantID: t.id, plate: plate, includeLists: body.include_lists ?? false,
            audit: (context.actor, keyedHash(plate, tenantID: t.id), "reason=\(reason)", context.clientIP))
        await env.finishMediaDeletions(keys)
        return EditedResponse(
            status: .ok,
            response: ErasureJSON(
                plate: plate, reads: counts.reads, passes: counts.passes, parking_sessions: counts.parkingSessions,
                alerts: counts.alerts, events: counts.events, corrections: counts.corrections, members: counts.members,
                watchlist_entries: counts.watchlistEntries, media_files: counts.mediaFiles, exports_containing_plate: exports,
                audit_target: keyedHash(plate, tenantID: t.id)))
    }

    /// Finished export files of the tenant that hold the plate's text (they are not changed: the answer lists them
    /// so that the admin can delete them).
    func exportsContaining(_ plate: String, tenantID: String) async throws -> [String] {
        var found: [String] = []
        let needle = Data(plate.utf8)
        for job in try await env.store.exportJobs(tenantID: tenantID, limit: 500) where job.status == .done {
            let key = ExportJobWorker.mediaKey(job)
            let data: Data?
            if let path = try env.media.localPath(key) {
                data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } else {
                data = try await env.media.get(key)
            }
            if let data, data.range(of: needle) != nil { found.append(job.id) }
        }
        return found
    }
}

struct ErasureJSON: ResponseEncodable, Sendable {
    var plate: String
    var reads: Int, passes: Int, parking_sessions: Int, alerts: Int, events: Int, corrections: Int, members: Int
    var watchlist_entries: Int, media_files: Int
    /// Export jobs whose finished file holds the plate.
    var exports_containing_plate: [String]
    /// What the audit log holds instead of the plate.
    var audit_target: String
}
