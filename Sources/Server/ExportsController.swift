import Foundation
import Hummingbird
import Storage

/// `GET /v1/exports/{dataset}?format=csv|jsonl&...`: the tenant's reads, passes, parking sessions or alerts for a
/// filter and time range, streamed page by page (memory stays flat however many rows), as RFC 4180 CSV (UTF-8,
/// header row) or JSON Lines (one API object per line). Reads and passes take the `/v1/reads` filters; sessions
/// `site`, `status`, `from`, `to`. Every export is audited.
struct ExportsController {
    let env: ServerEnvironment
    static let datasets = ["reads", "passes", "sessions", "alerts"]
    static let page = 1000

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("exports/{dataset}", use: export)
    }

    @Sendable func export(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        let dataset = try context.parameters.require("dataset")
        guard Self.datasets.contains(dataset) else {
            throw APIError.notFound("dataset \(dataset) (known: \(Self.datasets.joined(separator: ", ")))")
        }
        let format = request.uri.queryParameters["format"].map(String.init) ?? "csv"
        guard ["csv", "jsonl"].contains(format) else {
            throw APIError.badRequest("format must be csv or jsonl (xlsx, pdf and sql are not available yet)", code: "bad_parameter")
        }
        if let site = request.uri.queryParameters["site"], site.count > 200 {
            throw APIError.badRequest("site must be at most 200 characters", code: "bad_parameter")
        }
        let rows: Rows
        switch dataset {
        case "reads", "passes":
            var q = try ReadsController.listQuery(request)
            q.limit = Self.page
            q.after = nil
            rows = dataset == "reads" ? readRows(t, q, format) : passRows(t, q, format)
        case "sessions":
            let query = request.uri.queryParameters
            let (from, to) = try ParkingController.range(request, required: false)
            let status = query["status"].map(String.init)
            if let status, !ParkingController.statuses.contains(status) { throw APIError.badRequest("unknown status \(status)", code: "bad_parameter") }
            rows = sessionRows(t, site: query["site"].map(String.init), status: status, from: from, to: to, format)
        default:
            rows = alertRows(t, format)
        }
        await env.audit(context, tenantID: t.id, action: "export", target: dataset,
                        detail: "format=\(format)" + (request.uri.query.map { " query=\($0)" } ?? ""))
        let stamp = String((JSONTime.string(Clock.nowMillis()) ?? "").prefix(10))
        let body = ResponseBody { writer in
            if format == "csv" { try await writer.write(ByteBuffer(string: CSV.line(rows.header))) }
            try await rows.pages { chunk in try await writer.write(ByteBuffer(string: chunk)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
            .contentDisposition: "attachment; filename=\"\(dataset)-\(stamp).\(format)\"",
            .cacheControl: "no-store",
        ], body: body)
    }

    /// A CSV header and a producer of text chunks (one per page of rows).
    struct Rows: Sendable {
        var header: [String]
        var pages: @Sendable ((String) async throws -> Void) async throws -> Void
    }

    static func jsonLine(_ value: some Encodable) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    static func decisionFields(_ d: String?) -> [String] {
        let j = DecisionJSON.decode(d)
        return [j?.group_match?.group ?? "", j?.group_match?.member ?? "", j?.watchlist?.list ?? "", j?.access.decision ?? "",
                j?.access.reason ?? ""]
    }

    func readRows(_ t: Tenant, _ query: ReadQuery, _ format: String) -> Rows {
        let (store, env) = (env.store, env)
        return Rows(header: ["id", "plate", "display", "confidence", "country", "format", "camera_id", "job_id", "pass_id", "captured_at",
                             "box_x", "box_y", "box_width", "box_height", "group", "member", "watchlist", "access", "access_reason"]) { emit in
            var q = query
            while true {
                let (reads, next) = try await store.reads(tenantID: t.id, q)
                var chunk = ""
                for r in reads {
                    if format == "jsonl" { chunk += Self.jsonLine(env.json(r)); continue }
                    chunk += CSV.line([r.id, r.plate, r.display, String(format: "%.4f", r.confidence), r.country ?? "", r.format,
                                       r.cameraID ?? "", r.jobID ?? "", r.passID ?? "", JSONTime.string(r.capturedAt) ?? "",
                                       "\(r.box.x)", "\(r.box.y)", "\(r.box.width)", "\(r.box.height)"] + Self.decisionFields(r.decision))
                }
                if !chunk.isEmpty { try await emit(chunk) }
                guard let next else { return }
                q.after = next
            }
        }
    }

    func passRows(_ t: Tenant, _ query: ReadQuery, _ format: String) -> Rows {
        let (store, env) = (env.store, env)
        return Rows(header: ["id", "plate", "display", "confidence", "country", "direction", "movement", "camera_id", "job_id",
                             "first_seen_at", "last_seen_at", "frames", "group", "member", "watchlist", "access", "access_reason"]) { emit in
            var q = query
            while true {
                let (passes, next) = try await store.passes(tenantID: t.id, q)
                var chunk = ""
                for p in passes {
                    if format == "jsonl" { chunk += Self.jsonLine(env.json(p)); continue }
                    chunk += CSV.line([p.id, p.plate, p.display, String(format: "%.4f", p.confidence), p.country ?? "", p.direction, p.movement,
                                       p.cameraID ?? "", p.jobID ?? "", JSONTime.string(p.firstSeenAt) ?? "",
                                       JSONTime.string(p.lastSeenAt) ?? "", "\(p.frames)"] + Self.decisionFields(p.decision))
                }
                if !chunk.isEmpty { try await emit(chunk) }
                guard let next else { return }
                q.after = next
            }
        }
    }

    func sessionRows(_ t: Tenant, site: String?, status: String?, from: Int64?, to: Int64?, _ format: String) -> Rows {
        let store = env.store
        return Rows(header: ["id", "site", "plate", "status", "entered_at", "exited_at", "minutes", "permit_holder", "charge", "currency",
                             "entry_pass_id", "exit_pass_id"]) { emit in
            var before: (Int64, String)?
            while true {
                let list = try await store.sessions(tenantID: t.id, site: site, plate: nil, status: status, from: from, to: to,
                                                    limit: Self.page, before: before)
                var chunk = ""
                for s in list {
                    if format == "jsonl" {
                        let data = (try? JSONSerialization.data(withJSONObject: ParkingController.json(s), options: [.sortedKeys])) ?? Data()
                        chunk += String(decoding: data, as: UTF8.self) + "\n"
                        continue
                    }
                    let minutes = s.enteredAt.flatMap { a in s.exitedAt.map { b in "\((b - a) / 60_000)" } } ?? ""
                    chunk += CSV.line([s.id, s.site, s.plate, s.status, JSONTime.string(s.enteredAt) ?? "", JSONTime.string(s.exitedAt) ?? "",
                                       minutes, s.permit ? "true" : "false", s.charge.map { "\($0)" } ?? "", s.currency ?? "",
                                       s.entryPassID ?? "", s.exitPassID ?? ""])
                }
                if !chunk.isEmpty { try await emit(chunk) }
                guard list.count == Self.page, let last = list.last else { return }
                before = (last.createdAt, last.id)
            }
        }
    }

    func alertRows(_ t: Tenant, _ format: String) -> Rows {
        let store = env.store
        return Rows(header: ["id", "kind", "plate", "message", "camera_id", "read_id", "pass_id", "created_at", "acknowledged_at",
                             "acknowledged_by"]) { emit in
            var before: (Int64, String)?
            while true {
                let list = try await store.alerts(tenantID: t.id, acknowledged: nil, kind: nil, limit: Self.page, before: before)
                var chunk = ""
                for a in list {
                    if format == "jsonl" { chunk += Self.jsonLine(AlertJSON(a)); continue }
                    chunk += CSV.line([a.id, a.kind, a.plate, a.message, a.cameraID ?? "", a.readID ?? "", a.passID ?? "",
                                       JSONTime.string(a.createdAt) ?? "", JSONTime.string(a.acknowledgedAt) ?? "", a.acknowledgedBy ?? ""])
                }
                if !chunk.isEmpty { try await emit(chunk) }
                guard list.count == Self.page, let last = list.last else { return }
                before = (last.createdAt, last.id)
            }
        }
    }
}

extension HTTPFields.Element.Name {
    static var contentDisposition: Self { Self("Content-Disposition")! }
}
