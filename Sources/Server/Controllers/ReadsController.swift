import Core
import Foundation
import ExportFormats
import Hummingbird
import Plates
import Storage
import Media

/// `/v1/reads` (filtered, cursor-paginated), one read, and its images; `/v1/jobs`.
struct ReadsController {
    let env: ServerEnvironment

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("reads", use: list)
        group.get("reads/{id}", use: get)
        group.get("reads/{id}/image", use: image)
        group.post("reads/{id}/correction", use: correct)
        group.get("jobs", use: jobs)
        group.get("jobs/{id}", use: job)
    }

    /// Plates are compared in their stored form (``PlateText``).
    static func normalisedPlate(_ s: String, field: String) throws -> String {
        guard let p = PlateText.normalised(s) else {
            throw APIError.badRequest("\(field) may hold only \(PlateText.rule)", code: .badParameter)
        }
        return p
    }

    /// The filters and page of a list request (`/v1/reads`, `/v1/passes`).
    /// A plate filter matches the tenant's pseudonymised reads of the plate too.
    static func listQuery(_ request: Request, tenantID: ID<Tenant>, env: ServerEnvironment) throws -> ReadQuery {
        // Empty text filters count as absent; typed parameters must parse.
        var q: [String: String] = [:]
        let text: Set<String> = ["plate", "plate_prefix", "camera_id", "job_id", "pass_id", "cursor"]
        for (k, v) in request.uri.queryParameters where !(v.isEmpty && text.contains(String(k))) { q[String(k)] = String(v) }
        var query = ReadQuery()
        if let p = q["plate"] {
            let plate = try Self.normalisedPlate(p, field: "plate")
            query.plate = plate
            query.plateAliases = Array(env.plateForms(plate, tenantID: tenantID).dropFirst())
        }
        if let p = q["plate_prefix"] { query.platePrefix = try Self.normalisedPlate(p, field: "plate_prefix") }
        query.cameraID = q["camera_id"].map { ID($0) }
        query.jobID = q["job_id"].map { ID($0) }
        query.passID = q["pass_id"].map { ID($0) }
        for (name, keyPath) in [("from", \ReadQuery.from), ("to", \ReadQuery.to)] {
            if let s = q[name] {
                guard let t = JSONTime.parse(s) else {
                    throw APIError.badRequest("\(name) must be an RFC 3339 time such as 2026-11-22T08:00:00Z", code: .badParameter)
                }
                query[keyPath: keyPath] = t
            }
        }
        if let m = q["min_confidence"] {
            guard let v = Double(m), (0...1).contains(v) else {
                throw APIError.badRequest("min_confidence must be a number from 0 to 1", code: .badParameter)
            }
            query.minConfidence = v
        }
        query.limit = try request.limitParameter(default: query.limit)
        query.after = try request.cursorParameter()
        return query
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> ReadsPage {
        let t = try context.requireTenant()
        let page = try await env.store.reads(tenantID: t.id, try Self.listQuery(request, tenantID: t.id, env: env))
        return ReadsPage(reads: page.reads.map(env.json), next_cursor: page.next?.token)
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> ReadJSON {
        let t = try context.requireTenant()
        let r = try found(try await env.store.read(tenantID: t.id, id: try context.requireID()), "read")
        return env.json(r)
    }

    struct CorrectionBody: Decodable { var plate: String }

    /// An operator corrects a read's plate text: the read changes (search, lists, exports see the new
    /// text), the correction is kept (who, when, old and new text; `microanpr training-export` turns the
    /// corrected crops into training data) and audited.
    @Sendable func correct(_ request: Request, context: AppContext) async throws -> ReadJSON {
        let t = try context.requireTenant()
        let id = try context.requireID(PlateRead.self)
        let body = try await decodeJSON(CorrectionBody.self, from: request)
        let plate = try Self.normalisedPlate(body.plate, field: "plate")
        guard plate.count >= 2 else { throw APIError.badRequest("plate must hold at least 2 letters or digits", code: .badParameter) }
        guard let (read, oldPlate) = try await env.store.correctRead(tenantID: t.id, id: id, plate: plate, actor: context.actor) else {
            throw APIError.notFound("read")
        }
        await env.audit(context, tenantID: t.id, action: "read.correct", target: id.rawValue, detail: "\(oldPlate) -> \(plate)")
        return env.json(read)
    }

    /// The crop (`kind=crop`, default) or frame (`kind=frame`) of a read: with the tenant's key, or with the
    /// signature of an `image_url`/`crop_url` that has not expired.
    @Sendable func image(_ request: Request, context: AppContext) async throws -> Response {
        try await Self.image(request, context: context, env: env) { id, tenant in
            let r: PlateRead?
            if let tenant {
                r = try await env.store.read(tenantID: tenant, id: ID(id))
            } else {
                r = try await env.store.readAnyTenant(id: ID(id))
            }
            return r.map { ($0.cropKey, $0.frameKey) }
        }
    }

    /// Serves a stored image of a resource found by `lookup(id, tenant)` (tenant nil when a valid signature
    /// authorises the request instead of a key).
    static func image(
        _ request: Request, context: AppContext, env: ServerEnvironment,
        lookup: (String, ID<Tenant>?) async throws -> (crop: String?, frame: String?)?
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        let q = request.uri.queryParameters
        let kind = q["kind"].map(String.init) ?? "crop"
        guard kind == "crop" || kind == "frame" else { throw APIError.badRequest("kind must be crop or frame", code: .badParameter) }
        if let e = q["expires"], Int64(String(e)) == nil {
            throw APIError.badRequest("expires must be Unix seconds", code: .badParameter)
        }
        let keys: (crop: String?, frame: String?)?
        if let sig = q["signature"] {
            guard let expires = q["expires"].flatMap({ Int64(String($0)) }),
                env.signer.isValid(readID: id, kind: kind, expires: expires, signature: String(sig), now: WallClock.nowMillis() / 1000)
            else { throw APIError(.forbidden, .badSignature, "the signed URL is invalid or has expired") }
            keys = try await lookup(id, nil)
        } else {
            keys = try await lookup(id, try context.requireTenant().id)
        }
        guard let keys, let key = kind == "crop" ? keys.crop : keys.frame, let data = try await env.media.get(key) else {
            throw APIError.notFound("image")
        }
        var headers = HTTPFields()
        headers[.contentType] =
            key.hasSuffix(".png")
            ? "image/png"
            : key.hasSuffix(".webp")
                ? "image/webp"
                : key.hasSuffix(".bmp") ? "image/bmp" : "image/jpeg"
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func jobs(_ request: Request, context: AppContext) async throws -> JobsList {
        let t = try context.requireTenant()
        let limit = try request.limitParameter()
        return JobsList(jobs: try await env.store.jobs(tenantID: t.id, limit: limit).map(JobJSON.init))
    }

    @Sendable func job(_ request: Request, context: AppContext) async throws -> JobJSON {
        let t = try context.requireTenant()
        let j = try found(try await env.store.job(tenantID: t.id, id: try context.requireID()), "job")
        return JobJSON(j)
    }
}
