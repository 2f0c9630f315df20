import APIContract
import Core
import Foundation
import ExportFormats
import Hummingbird
import Media
import Storage

/// Exports as background jobs, for large ones: `POST /v1/export-jobs` queues an export of a dataset for a filter,
/// an ``ExportJobWorker`` writes the file with progress (`GET /v1/export-jobs/{id}`: rows done, rows in all, percent),
/// and `GET /v1/export-jobs/{id}/download` serves it until it expires. Same datasets, formats and filters as
/// `GET /v1/exports/{dataset}`; audited when queued.
struct ExportJobsController {
    let store: Store
    let audit: AuditLog
    let media: any MediaStore
    /// Where export files are written while they are made.
    let exportDirectory: String
    /// The rows of an export (the same code as a download), to refuse bad filters when a job is queued.
    let exports: any ExportWriting

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.post("export-jobs", use: create)
        group.get("export-jobs", use: list)
        group.get("export-jobs/{id}", use: show)
        group.get("export-jobs/{id}/download", use: download)
        group.delete("export-jobs/{id}", use: delete)
    }

    /// The filters each dataset takes (anything else is refused, so a misspelt filter never exports everything).
    static let filters: [String: Set<String>] = [
        "reads": ["plate", "plate_prefix", "camera_id", "job_id", "pass_id", "from", "to", "min_confidence"],
        "passes": ["plate", "plate_prefix", "camera_id", "job_id", "from", "to", "min_confidence"],
        "sessions": ["site", "status", "from", "to"],
        "members": ["group_id"],
        "alerts": [],
    ]

    /// A filter value: text, number or boolean in the JSON body, passed on as query text.
    struct FilterValue: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                text = s
            } else if let i = try? c.decode(Int64.self) {
                text = String(i)
            } else if let d = try? c.decode(Double.self) {
                text = String(d)
            } else {
                text = String(try c.decode(Bool.self))
            }
        }
    }

    /// The document's `ExportJobInput`, decoded by hand: its filters are strings, numbers or booleans
    /// (`type: [string, number, boolean]`), which swift-openapi-generator 1.14 generates as strings only, so the
    /// generated type would refuse `"min_confidence": 0.9`.
    struct CreateBody: Decodable {
        var dataset: String
        var format: String?
        var filters: [String: FilterValue]?
    }

    typealias ExportJobsPage = Components.Schemas.ExportJobs

    @Sendable func create(_ request: Request, context: AppContext) async throws -> EditedResponse<ExportJobJSON> {
        let t = try context.requireTenant()
        let b = try await decodeJSON(CreateBody.self, from: request)
        guard let allowed = Self.filters[b.dataset] else {
            throw APIError.badRequest(
                "dataset must be one of \(Self.filters.keys.sorted().joined(separator: ", "))"
                    + " (the SQL dump of the tenant streams from GET /v1/exports/tenant)", code: .badParameter)
        }
        let format = b.format ?? "csv"
        guard ExportFile.formats.contains(format) else {
            throw APIError.badRequest(
                "format must be csv, xlsx or jsonl (PDF reports stream from GET /v1/exports/{dataset}?format=pdf)",
                code: .badParameter)
        }
        let filters = b.filters ?? [:]
        if let bad = filters.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest(
                "unknown filter \(bad) for \(b.dataset) (known: \(allowed.sorted().joined(separator: ", ")))",
                code: .badParameter)
        }
        if let long = filters.first(where: { $0.value.text.count > 200 }) {
            throw APIError.badRequest("filter \(long.key) must be at most 200 characters", code: .badParameter)
        }
        var components = URLComponents()
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        components.percentEncodedQueryItems = filters.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value.text.addingPercentEncoding(withAllowedCharacters: unreserved))
        }
        let query = components.percentEncodedQuery ?? ""
        // The worker applies the filters exactly as GET /v1/exports does: refuse bad ones now.
        _ = try exports.export(dataset: b.dataset, format: format, query: query, tenant: t)
        let job = ExportJob(
            id: ID(Identifier.make("exp")), tenantID: t.id, dataset: b.dataset, format: format, query: query,
            createdBy: context.actor, createdAt: WallClock.nowMillis())
        try await store.insertExportJob(job)
        await audit(
            context, tenantID: t.id, action: "export", target: b.dataset,
            detail: "job=\(job.id) format=\(format)" + (query.isEmpty ? "" : " query=\(query)"))
        var response = EditedResponse(status: .accepted, response: ExportJobJSON(job))
        response.headers[.location] = "/v1/export-jobs/\(job.id)"
        return response
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> ExportJobsPage {
        let t = try context.requireTenant()
        let limit = try request.limitParameter(default: 50)
        return ExportJobsPage(exports: try await store.exportJobs(tenantID: t.id, limit: limit).map(ExportJobJSON.init))
    }

    func job(_ context: AppContext) async throws -> ExportJob {
        let t = try context.requireTenant()
        let job = try found(try await store.exportJob(tenantID: t.id, id: try context.requireID()), "export job")
        return job
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> ExportJobJSON {
        ExportJobJSON(try await job(context))
    }

    @Sendable func download(_ request: Request, context: AppContext) async throws -> Response {
        let job = try await job(context)
        guard job.status == .done else {
            throw APIError(
                .conflict, .notReady, "the export is \(job.status.rawValue)" + (job.status == .failed ? "" : " (\(job.progress)%)"))
        }
        let gone = APIError(.gone, .expired, "the export file is no longer kept; queue the export again")
        let key = ExportJobWorker.mediaKey(job)
        let body: ResponseBody
        if let path = try media.localPath(key) {
            // A folder store (shared by every process): streamed from disk.
            guard FileManager.default.fileExists(atPath: path) else { throw gone }
            body = try await FileIO().loadFile(path: path, context: context)
        } else {
            guard let data = try await media.get(key) else { throw gone }
            body = ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        }
        let stamp = String((JSONTime.string(job.createdAt) ?? "").prefix(10))
        var headers = ExportFile.headers(format: job.format, filename: "\(job.dataset)-\(stamp)-\(job.id).\(job.format)")
        if let bytes = job.bytes { headers[.contentLength] = String(bytes) }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Deletes the export and its file; a running export stops at its next page.
    @Sendable func delete(_ request: Request, context: AppContext) async throws -> Response {
        let job = try await job(context)
        // Anyone who may export may cancel their own export; someone else's needs an admin.
        guard job.createdBy == context.actor || context.role ?? .viewer >= .admin else {
            throw APIError(.forbidden, .forbidden, "this export was started by someone else; only its author or an admin may delete it")
        }
        guard try await store.deleteExportJob(tenantID: job.tenantID, id: job.id) else { throw APIError.notFound("export job") }
        await ExportJobWorker.removeFiles(job, directory: exportDirectory, media: media, logger: context.logger)
        return Response(status: .noContent)
    }
}

extension Request {
    /// A request carrying an export's stored filters, parsed by the same code as `GET /v1/exports/{dataset}`.
    static func exportQuery(_ query: String) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/v1/exports?" + query),
            body: RequestBody(buffer: ByteBuffer()))
    }
}

/// An export job as the document's `ExportJob` (generated): its filters as query text, and where to download the
/// file once it is done.
typealias ExportJobJSON = Components.Schemas.ExportJob

extension ExportJobJSON: ResponseEncodable {
    init(_ e: ExportJob) {
        let filters = Dictionary(
            Request.exportQuery(e.query).uri.queryParameters.map { (String($0.key), String($0.value)) },
            uniquingKeysWith: { a, _ in a })
        self.init(
            id: e.id.rawValue, dataset: .init(rawValue: e.dataset) ?? .reads, format: .init(rawValue: e.format) ?? .csv,
            filters: .init(additionalProperties: filters), status: .init(rawValue: e.status.rawValue) ?? .queued,
            progress: e.progress, rowsDone: e.rowsDone, rowsTotal: e.rowsTotal, bytes: e.bytes, error: e.error,
            createdBy: e.createdBy, createdAt: Date(epochMilliseconds: e.createdAt),
            startedAt: e.startedAt.map(Date.init(epochMilliseconds:)), finishedAt: e.finishedAt.map(Date.init(epochMilliseconds:)),
            expiresAt: e.expiresAt.map(Date.init(epochMilliseconds:)),
            downloadUrl: e.status == .done ? "/v1/export-jobs/\(e.id)/download" : nil)
    }
}
