import Core
import Foundation
import ExportFormats
import Hummingbird
import Storage
import Media

/// `GET /v1/exports/{dataset}?format=csv|jsonl&...`: the tenant's reads, passes, parking sessions or alerts for a
/// filter and time range, streamed page by page (memory stays flat however many rows), as RFC 4180 CSV (UTF-8,
/// header row) or JSON Lines (one API object per line). Reads and passes take the `/v1/reads` filters; sessions
/// `site`, `status`, `from`, `to`. Every export is audited.
struct ExportsController {
    let store: Store
    let audit: AuditLog
    let links: ImageLinks
    let media: any MediaStore
    let privacy: PrivacyRequests
    let parking: ServerConfiguration.Parking
    static let datasets = ["reads", "passes", "sessions", "alerts", "members", "tenant"]
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
        if let d = request.uri.queryParameters["dialect"], !["sqlite", "postgres", "postgresql"].contains(String(d)) {
            throw APIError.badRequest("dialect must be sqlite or postgres", code: .badParameter)
        }
        if dataset == "tenant" { return try await dump(request, context: context, tenant: t) }
        if request.uri.queryParameters["format"] == "pdf" { return try await pdf(request, context: context, tenant: t, dataset: dataset) }
        let format = request.uri.queryParameters["format"].map(String.init) ?? "csv"
        let rows = try self.rows(dataset: dataset, format: format, request: request, tenant: t)
        await audit(
            context, tenantID: t.id, action: "export", target: dataset,
            detail: "format=\(format)" + (request.uri.query.map { " query=\($0)" } ?? ""))
        let stamp = String((JSONTime.string(WallClock.nowMillis()) ?? "").prefix(10))
        let body = ResponseBody { writer in
            try await Self.write(rows, format: format, to: { try await writer.write($0) })
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: ExportFile.headers(format: format, filename: "\(dataset)-\(stamp).\(format)"), body: body)
    }

    /// The rows of a CSV, Excel or JSON Lines export of `dataset` for the request's filters (validated here).
    func rows(dataset: String, format: String, request: Request, tenant t: Tenant) throws -> Rows {
        guard ExportFile.formats.contains(format) else {
            throw APIError.badRequest("format must be csv, jsonl, xlsx or pdf (sql: the tenant dataset)", code: .badParameter)
        }
        if let site = request.uri.queryParameters["site"], site.count > 200 {
            throw APIError.badRequest("site must be at most 200 characters", code: .badParameter)
        }
        let status = try ParkingSession.statusParameter(request.uri.queryParameters["status"].map(String.init))
        switch dataset {
        case "reads", "passes":
            var q = try request.readQuery(tenantID: t.id, privacy: privacy)
            q.limit = Self.page
            q.after = nil
            return dataset == "reads" ? readRows(t, q, format) : passRows(t, q, format)
        case "sessions":
            let query = request.uri.queryParameters
            let (from, to) = try request.timeRange(required: false)
            return sessionRows(
                t, site: query["site"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }, status: status, from: from, to: to, format)
        case "members":
            return memberRows(t, groupID: request.uri.queryParameters["group_id"].map(String.init), format)
        case "alerts":
            return alertRows(t, format)
        default:
            throw APIError.badRequest("dataset \(dataset) exports as format=sql only", code: .badParameter)
        }
    }

    /// Writes the export in `format`, one chunk per page of rows; `written` gets the number of rows so far.
    static func write(
        _ rows: Rows, format: String, to sink: (ByteBuffer) async throws -> Void,
        written: (Int) async throws -> Void = { _ in }
    ) async throws {
        var count = 0
        switch format {
        case "csv":
            try await sink(ByteBuffer(string: CSV.line(rows.header)))
            try await rows.pages { records in
                var chunk = ""
                for case .cells(let c) in records { chunk += CSV.line(c.map(\.csv)) }
                try await sink(ByteBuffer(string: chunk))
                count += records.count
                try await written(count)
            }
        case "xlsx":
            var sheet = XLSXStream()
            try await sink(ByteBuffer(bytes: sheet.begin(header: rows.header)))
            try await rows.pages { records in
                let cells = records.compactMap { if case .cells(let c) = $0 { c } else { nil } }
                let bytes: [UInt8]
                do { bytes = try sheet.rows(cells) } catch let e as XLSXStream.TooLarge {
                    throw DomainError(.tooLarge, .exportTooLarge, e.description)
                }
                try await sink(ByteBuffer(bytes: bytes))
                count += records.count
                try await written(count)
            }
            try await sink(ByteBuffer(bytes: sheet.finish()))
        default:
            try await rows.pages { records in
                var chunk = ""
                for case .json(let j) in records { chunk += j }
                try await sink(ByteBuffer(string: chunk))
                count += records.count
                try await written(count)
            }
        }
    }

    /// `GET /v1/exports/tenant?format=sql&dialect=sqlite|postgres`: the tenant's own data as a SQL script (schema and
    /// INSERTs) for an empty database of that engine; admin only (it holds webhook secrets).
    func dump(_ request: Request, context: AppContext, tenant t: Tenant) async throws -> Response {
        let q = request.uri.queryParameters
        guard (q["format"].map(String.init) ?? "sql") == "sql" else {
            throw APIError.badRequest("the tenant dataset exports as format=sql only", code: .badParameter)
        }
        let dialect: SQLDialect
        switch q["dialect"].map(String.init) ?? "sqlite" {
        case "sqlite": dialect = .sqlite
        case "postgres", "postgresql": dialect = .postgres
        default: throw APIError.badRequest("dialect must be sqlite or postgres", code: .badParameter)
        }
        await audit(context, tenantID: t.id, action: "export", target: "tenant", detail: "format=sql dialect=\(dialect)")
        let store = store
        let body = ResponseBody { writer in
            try await store.dump(tenantID: t.id, for: dialect) { chunk in try await writer.write(ByteBuffer(string: chunk)) }
            try await writer.finish(nil)
        }
        let stamp = String((JSONTime.string(WallClock.nowMillis()) ?? "").prefix(10))
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/sql; charset=utf-8",
                .contentDisposition:
                    "attachment; filename=\"microanpr-\(t.id)-\(stamp)-\(dialect == .postgres ? "postgres" : "sqlite").sql\"",
                .cacheControl: "no-store",
            ], body: body)
    }

    static func pdfTime(_ t: Int64) -> String { String((JSONTime.string(t) ?? "").prefix(19)).replacingOccurrences(of: "T", with: " ") }

    /// Rows in a PDF report at most (a report is for reading; exports of any size are CSV, Excel or JSON Lines).
    static let maxPDFRows = 5_000

    /// `format=pdf` for reads and passes: a summary page, then pages of rows with their plate crops.
    func pdf(_ request: Request, context: AppContext, tenant t: Tenant, dataset: String) async throws -> Response {
        guard dataset == "reads" || dataset == "passes" else {
            throw APIError.badRequest("PDF reports are made of reads or passes", code: .badParameter)
        }
        var query = try request.readQuery(tenantID: t.id, privacy: privacy)
        query.limit = PDFReport.rowsPerPage
        query.after = nil
        let firstQuery = query
        await audit(
            context, tenantID: t.id, action: "export", target: dataset,
            detail: "format=pdf" + (request.uri.query.map { " query=\($0)" } ?? ""))
        let (store, media, cameras) = (store, media, try await store.cameras(tenantID: t.id))
        let names = Dictionary(cameras.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        let filters = request.uri.query ?? "none"
        let body = ResponseBody { writer in
            var report = PDFReport(title: "MicroANPR \(dataset) report", headers: ["Plate", "Time (UTC)", "Camera", "Conf.", "Access"])
            try await writer.write(ByteBuffer(bytes: report.begin()))
            var count = 0, plates = Set<String>(), decisions: [String: Int] = [:], perCamera: [String: Int] = [:]
            var first: Int64?, last: Int64?
            var pageNumber = 1
            var q = firstQuery
            while count < Self.maxPDFRows {
                var rows: [PDFReport.Row] = []
                let next: PageCursor?
                func add(
                    plate: String, display: String, time: Int64, camera: String?, confidence: Double, decision: String?, crop: String?
                ) async {
                    let d = DecisionJSON.decode(decision)?.access.decision ?? "-"
                    let image = try? await crop.asyncMap { try await media.get($0) } ?? nil
                    rows.append(
                        PDFReport.Row(
                            crop: image.map { [UInt8]($0) }, plate: display,
                            columns: [
                                Self.pdfTime(time),
                                String((camera.map { names[$0] ?? $0 } ?? "-").prefix(14)),
                                String(format: "%.0f%%", confidence * 100), d,
                            ]))
                    count += 1; plates.insert(plate); decisions[d, default: 0] += 1
                    perCamera[camera.map { names[$0] ?? $0 } ?? "no camera", default: 0] += 1
                    first = min(first ?? time, time); last = max(last ?? time, time)
                }
                if dataset == "reads" {
                    let page = try await store.reads(tenantID: t.id, q)
                    for r in page.reads {
                        await add(
                            plate: r.plate, display: r.display, time: r.capturedAt, camera: r.cameraID?.rawValue,
                            confidence: r.confidence, decision: r.decision, crop: r.cropKey)
                    }
                    next = page.next
                } else {
                    let page = try await store.passes(tenantID: t.id, q)
                    for p in page.passes {
                        await add(
                            plate: p.plate, display: p.display, time: p.firstSeenAt, camera: p.cameraID?.rawValue,
                            confidence: p.confidence, decision: p.decision, crop: p.cropKey)
                    }
                    next = page.next
                }
                if !rows.isEmpty { try await writer.write(ByteBuffer(bytes: report.page(rows, number: pageNumber))) }
                pageNumber += 1
                guard let next else { break }
                q.after = next
            }
            var lines: [(String, String)] = [
                ("Tenant", t.name), ("Generated", Self.pdfTime(WallClock.nowMillis()) + " UTC"),
                ("Filters", String(filters.prefix(70))),
                ("\(dataset.capitalized)", "\(count)" + (count >= Self.maxPDFRows ? " (report limit; export CSV for all)" : "")),
                ("Distinct plates", "\(plates.count)"),
                ("From", first.map { Self.pdfTime($0) } ?? "-"), ("To", last.map { Self.pdfTime($0) } ?? "-"),
            ]
            for (k, v) in decisions.sorted(by: { $0.key < $1.key }) { lines.append(("Access \(k)", "\(v)")) }
            for (k, v) in perCamera.sorted(by: { $0.value > $1.value }).prefix(12) { lines.append(("Camera \(k)", "\(v)")) }
            try await writer.write(ByteBuffer(bytes: report.summary(lines)))
            try await writer.write(ByteBuffer(bytes: report.finish()))
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf",
                .contentDisposition: "attachment; filename=\"\(dataset)-report.pdf\"", .cacheControl: "no-store",
            ], body: body)
    }

    /// One exported row: typed cells (CSV, Excel) or a JSON line.
    enum Record: Sendable { case cells([ExportCell]), json(String) }

    /// A header and a producer of pages of records.
    struct Rows: Sendable {
        var header: [String]
        /// How many rows the export will hold (for progress).
        var count: @Sendable () async throws -> Int
        var pages: @Sendable (([Record]) async throws -> Void) async throws -> Void
    }

    static func jsonText(_ value: some Encodable) -> String {
        String(decoding: (try? APIJSONEncoder.make().encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    static func decisionFields(_ d: String?) -> [ExportCell] {
        let j = DecisionJSON.decode(d)
        return [j?.group_match?.group, j?.group_match?.member, j?.watchlist?.list, j?.access.decision, j?.access.reason].map(text)
    }

    static func text(_ s: String?) -> ExportCell { s.map { .text($0) } ?? .empty }
    static func time(_ t: Int64?) -> ExportCell { t.map { .time($0) } ?? .empty }
    static func jsonLine(_ value: some Encodable) -> Record { .json(jsonText(value)) }

    func readRows(_ t: Tenant, _ query: ReadQuery, _ format: String) -> Rows {
        let (store, links) = (store, links)
        return Rows(
            header: [
                "id", "plate", "display", "confidence", "country", "format", "camera_id", "job_id", "pass_id", "captured_at",
                "box_x", "box_y", "box_width", "box_height", "group", "member", "watchlist", "access", "access_reason",
            ],
            count: { try await store.countReads(tenantID: t.id, query) }
        ) { emit in
            var q = query
            while true {
                let (reads, next) = try await store.reads(tenantID: t.id, q)
                let records = reads.map { r -> Record in
                    if format == "jsonl" { return Self.jsonLine(links.json(r)) }
                    return .cells(
                        [
                            .text(r.id.rawValue), .text(r.plate), .text(r.display), .number(r.confidence), Self.text(r.country),
                            .text(r.format),
                            Self.text(r.cameraID?.rawValue), Self.text(r.jobID?.rawValue), Self.text(r.passID?.rawValue),
                            .time(r.capturedAt),
                            .number(r.box.x), .number(r.box.y), .number(r.box.width), .number(r.box.height),
                        ] + Self.decisionFields(r.decision))
                }
                if !records.isEmpty { try await emit(records) }
                guard let next else { return }
                q.after = next
            }
        }
    }

    func passRows(_ t: Tenant, _ query: ReadQuery, _ format: String) -> Rows {
        let (store, links) = (store, links)
        return Rows(
            header: [
                "id", "plate", "display", "confidence", "country", "direction", "movement", "camera_id", "job_id",
                "first_seen_at", "last_seen_at", "frames", "group", "member", "watchlist", "access", "access_reason",
            ],
            count: { try await store.countPasses(tenantID: t.id, query) }
        ) { emit in
            var q = query
            while true {
                let (passes, next) = try await store.passes(tenantID: t.id, q)
                let records = passes.map { p -> Record in
                    if format == "jsonl" { return Self.jsonLine(links.json(p)) }
                    return .cells(
                        [
                            .text(p.id.rawValue), .text(p.plate), .text(p.display), .number(p.confidence), Self.text(p.country),
                            .text(p.direction),
                            .text(p.movement), Self.text(p.cameraID?.rawValue), Self.text(p.jobID?.rawValue), .time(p.firstSeenAt),
                            .time(p.lastSeenAt),
                            .number(Double(p.frames)),
                        ] + Self.decisionFields(p.decision))
                }
                if !records.isEmpty { try await emit(records) }
                guard let next else { return }
                q.after = next
            }
        }
    }

    func sessionRows(_ t: Tenant, site: String?, status: String?, from: Int64?, to: Int64?, _ format: String) -> Rows {
        let store = store
        let filter = parking.sessionFilter(tenantID: t.id, site: site, status: status, from: from, to: to)
        return Rows(
            header: [
                "id", "site", "plate", "status", "entered_at", "exited_at", "minutes", "permit_holder", "charge", "currency",
                "entry_pass_id", "exit_pass_id",
            ],
            count: { try await store.countSessions(filter) }
        ) { emit in
            var before: (Int64, String)?
            while true {
                let list = try await store.sessions(filter, limit: Self.page, before: before)
                let records = list.map { s -> Record in
                    if format == "jsonl" { return Self.jsonLine(ParkingSessionJSON(s)) }
                    let minutes = s.enteredAt.flatMap { a in s.exitedAt.map { b in ExportCell.number(Double((b - a) / 60_000)) } } ?? .empty
                    return .cells([
                        .text(s.id.rawValue), .text(s.site), .text(s.plate), .text(s.status), Self.time(s.enteredAt), Self.time(s.exitedAt),
                        minutes, .text(s.permit ? "true" : "false"), s.charge.map { .number(Double($0)) } ?? .empty,
                        Self.text(s.currency), Self.text(s.entryPassID?.rawValue), Self.text(s.exitPassID?.rawValue),
                    ])
                }
                if !records.isEmpty { try await emit(records) }
                guard list.count == Self.page, let last = list.last else { return }
                before = (last.startedAt, last.id.rawValue)
            }
        }
    }

    /// Members of every group (or of `group_id`), group by group.
    func memberRows(_ t: Tenant, groupID: String?, _ format: String) -> Rows {
        let store = store
        return Rows(
            header: ["id", "group_id", "group", "name", "email", "permit_id", "plate", "valid_from", "valid_to", "days", "hours"],
            count: { try await store.countMembers(tenantID: t.id, groupID: groupID.map { ID($0) }) }
        ) { emit in
            for g in try await store.groups(tenantID: t.id) where groupID == nil || g.id.rawValue == groupID {
                let records = try await store.members(tenantID: t.id, groupID: g.id).map { m -> Record in
                    if format == "jsonl" { return Self.jsonLine(MemberJSON(m)) }
                    return .cells([
                        .text(m.id.rawValue), .text(g.id.rawValue), .text(g.name), .text(m.name), .text(m.email), .text(m.permitID),
                        .text(m.plate),
                        Self.time(m.validFrom), Self.time(m.validTo), Self.text(m.days), Self.text(m.hours),
                    ])
                }
                if !records.isEmpty { try await emit(records) }
            }
        }
    }

    func alertRows(_ t: Tenant, _ format: String) -> Rows {
        let store = store
        return Rows(
            header: [
                "id", "kind", "plate", "message", "camera_id", "read_id", "pass_id", "created_at", "acknowledged_at",
                "acknowledged_by",
            ],
            count: { try await store.countAlerts(tenantID: t.id) }
        ) { emit in
            var before: (Int64, String)?
            while true {
                let list = try await store.alerts(tenantID: t.id, acknowledged: nil, kind: nil, limit: Self.page, before: before)
                let records = list.map { a -> Record in
                    if format == "jsonl" { return Self.jsonLine(AlertJSON(a)) }
                    return .cells([
                        .text(a.id.rawValue), .text(a.kind), .text(a.plate), .text(a.message), Self.text(a.cameraID?.rawValue),
                        Self.text(a.readID?.rawValue),
                        Self.text(a.passID?.rawValue), .time(a.createdAt), Self.time(a.acknowledgedAt), Self.text(a.acknowledgedBy),
                    ])
                }
                if !records.isEmpty { try await emit(records) }
                guard list.count == Self.page, let last = list.last else { return }
                before = (last.createdAt, last.id.rawValue)
            }
        }
    }
}

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}

extension ExportsController: ExportWriting {
    /// An export job's rows: its stored query read as a download's would be.
    func export(dataset: String, format: String, query: String, tenant: Tenant) throws -> ExportSource {
        let rows: Rows
        do {
            rows = try self.rows(dataset: dataset, format: format, request: .exportQuery(query), tenant: tenant)
        } catch let e as APIError {
            // The job fails with the same message a download of this query would have answered.
            throw DomainError(.invalid, e.code, e.message)
        }
        return ExportSource(
            count: rows.count,
            write: { sink, written in try await Self.write(rows, format: format, to: sink, written: written) })
    }
}
