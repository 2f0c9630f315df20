import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Plates
import Recognition
import Storage
import Tracking

/// `/v1/passes`: vehicle passes (one per vehicle) from videos, cameras and edge agents, filtered and paginated
/// like reads; `POST /v1/passes` ingests a pass found elsewhere (an edge agent) exactly once per idempotency key.
struct PassesController {
    /// The ingest of passes (media, rows, decisions and events together), and the limits.
    let env: ServerEnvironment
    let images: StoredImages

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("passes", use: list)
        group.post("passes", use: ingest)
        group.get("passes/{id}", use: get)
        group.get("passes/{id}/image", use: image)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> PassesPage {
        let t = try context.requireTenant()
        let page = try await env.store.passes(tenantID: t.id, request.readQuery(tenantID: t.id, privacy: env.privacy))
        return PassesPage(passes: page.passes, links: env.links, next_cursor: page.next?.token)
    }

    /// A pass sent by an edge agent: multipart with a `pass` part (JSON, the document's `PassInput`, generated into
    /// `APIContract`) and optional `crop` and `frame` JPEG parts, or the JSON alone. The `Idempotency-Key` header makes
    /// a retry after a lost response answer the pass stored the first time (200) instead of storing it again (201);
    /// the same key with a different pass (plate, first sighting or camera) is a 409.
    @Sendable func ingest(_ request: Request, context: AppContext) async throws -> EditedResponse<PassJSON> {
        let tenant = try context.requireTenant()
        guard let key = request.headers[.idempotencyKey], !key.isEmpty else {
            throw APIError.badRequest(
                "an Idempotency-Key header is required (a unique id per pass, reused on retries)",
                code: .missingIdempotencyKey)
        }
        guard key.count <= 200, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            throw APIError.badRequest("Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 - _ . :", code: .badIdempotencyKey)
        }
        let body = try await request.collectBody(limit: env.configuration.http.maxUploadBytes)
        let contentType = request.headers[.contentType] ?? ""
        var json = Data(body), crop: [UInt8]?, frame: [UInt8]?
        if let form = try Multipart(body: body, contentType: contentType) {
            guard let part = form.part("pass") else {
                throw APIError.badRequest("multipart body has no field named \"pass\"", code: .missingPass)
            }
            json = Data(part.data)
            let maxPixels = env.configuration.recognition.maxImagePixels
            crop = try form.part("crop").map { p in
                _ = try probeUpload(Array(p.data), maxPixels: maxPixels); return Array(p.data)
            }
            frame = try form.part("frame").map { p in
                _ = try probeUpload(Array(p.data), maxPixels: maxPixels); return Array(p.data)
            }
        } else if !contentType.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, .unsupportedMediaType, "send multipart/form-data or application/json")
        }
        let input = try decodeJSON(Components.Schemas.PassInput.self, from: json, for: request)
        let camera = try await env.store.camera(named: input.cameraId, tenant: tenant)
        let (pass, origin) = try input.vehiclePass()
        /// The pass stored earlier under this key, when it is this same pass (a key names one pass only).
        func replay() async throws -> EditedResponse<PassJSON>? {
            guard let earlier = try await env.store.pass(tenantID: tenant.id, idempotencyKey: key) else { return nil }
            guard earlier.plate == pass.text, earlier.firstSeenAt == origin, earlier.cameraID == camera?.id else {
                throw APIError(.conflict, .idempotencyKeyReused, "Idempotency-Key \(key) was used for a different pass")
            }
            return EditedResponse(status: .ok, response: env.links.json(earlier))
        }
        if let earlier = try await replay() { return earlier }
        try await env.store.checkQuota(tenant)
        do {
            let stored = try await env.storePasses(
                [PassResult(pass: pass, crop: crop, frame: frame)], tenant: tenant,
                camera: camera, jobID: nil, origin: origin, idempotencyKey: key, countingUsage: true)
            return EditedResponse(status: .created, response: env.links.json(stored[0]))
        } catch {
            // The same key sent twice at once: the unique index let one through.
            if let earlier = try await replay() { return earlier }
            throw error
        }
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> PassJSON {
        let t = try context.requireTenant()
        let p = try found(try await env.store.pass(tenantID: t.id, id: try context.requireID()), "pass")
        return env.links.json(p)
    }

    @Sendable func image(_ request: Request, context: AppContext) async throws -> Response {
        try await images.response(request, context: context) { id, tenant in
            let p: Pass?
            if let tenant {
                p = try await env.store.pass(tenantID: tenant, id: ID(id))
            } else {
                p = try await env.store.passAnyTenant(id: ID(id))
            }
            return p.map { ($0.cropKey, $0.frameKey) }
        }
    }
}

extension Components.Schemas.PassInput {

    /// Checks every field the document's types cannot (ranges, plate text, order of times) and builds the pass with
    /// times relative to `origin` (its first sighting, in milliseconds since 1970).
    func vehiclePass() throws -> (VehiclePass, origin: Int64) {
        func bad(_ message: String) -> APIError { APIError.badRequest(message, code: .badPass) }
        func checkPlate(_ p: String) throws {
            guard PlateText.isStored(p) else {
                throw bad("plate must be 1-\(PlateText.maxLength) characters A-Z 0-9")
            }
        }
        func checkConfidence(_ c: Double) throws {
            guard c.isFinite, (0...1).contains(c) else { throw bad("confidence must be between 0 and 1") }
        }
        func checkCountry(_ c: String?) throws -> String? {
            guard let c else { return nil }
            guard c.count == 2, c.allSatisfy({ $0.isASCII && $0.isLetter }) else { throw bad("country must be a 2-letter code") }
            return c.uppercased()
        }
        try checkPlate(plate)
        try checkConfidence(confidence)
        let first = firstSeenAt.epochMilliseconds, last = lastSeenAt.epochMilliseconds
        guard last >= first, last - first <= 7 * 86_400_000 else { throw bad("last_seen_at must be after first_seen_at (at most 7 days)") }
        guard (1...5000).contains(reads.count) else { throw bad("a pass needs 1 to 5000 reads") }
        let direction = movement.flatMap { Direction(rawValue: $0.rawValue) } ?? .unknown
        var observations: [Observation] = []
        for r in reads {
            try checkPlate(r.plate)
            try checkConfidence(r.confidence)
            let b = r.box
            guard [b.x, b.y, b.width, b.height].allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 100_000 }) else {
                throw bad("reads[].box must hold non-negative pixel values")
            }
            observations.append(
                Observation(
                    time: Double(r.capturedAt.epochMilliseconds - first) / 1000, box: Box(x: b.x, y: b.y, width: b.width, height: b.height),
                    text: r.plate, display: r.display, format: r.format ?? "unknown",
                    country: try checkCountry(r.country), confidence: r.confidence))
        }
        let best =
            bestRead ?? observations.indices.filter { observations[$0].text == plate }
            .max { observations[$0].confidence < observations[$1].confidence } ?? 0
        guard observations.indices.contains(best) else { throw bad("best_read must be an index of reads") }
        if let d = display, d.isEmpty || d.count > 24 { throw bad("display must be 1-24 characters") }
        let pass = VehiclePass(
            text: plate, display: display ?? plate, format: format ?? "unknown",
            country: try checkCountry(country), confidence: confidence, firstSeen: 0,
            lastSeen: Double(last - first) / 1000, direction: direction, observations: observations,
            bestIndex: best)
        return (pass, first)
    }
}

/// A page of stored passes, written straight from the records as ``ReadsPage`` is.
struct PassesPage: ResponseGenerator, Sendable {
    var passes: [Pass]
    var links: ImageLinks
    var next_cursor: String?
    /// When the page's image links expire (epoch seconds).
    var expires: Int64

    init(passes: [Pass], links: ImageLinks, next_cursor: String?, expires: Int64? = nil) {
        self.passes = passes; self.links = links; self.next_cursor = next_cursor; self.expires = expires ?? links.expiry()
    }

    var written: JSONBytes {
        JSONBytes.page("passes", passes, nextCursor: next_cursor, itemSize: 700) { w, p in w.pass(p, links: links, expires: expires) }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { written.response() }
}
