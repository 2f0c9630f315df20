import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Plates
import Storage
import Media

/// `/v1/reads` (filtered, cursor-paginated), one read, and its images; `/v1/jobs`.
struct ReadsController {
    let store: Store
    let audit: AuditLog
    let links: ImageLinks
    let privacy: PrivacyRequests
    let images: StoredImages

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("reads", use: list)
        group.get("reads/{id}", use: get)
        group.get("reads/{id}/image", use: image)
        group.post("reads/{id}/correction", use: correct)
        group.get("jobs", use: jobs)
        group.get("jobs/{id}", use: job)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> ReadsPage {
        let t = try context.requireTenant()
        let page = try await store.reads(tenantID: t.id, request.readQuery(tenantID: t.id, privacy: privacy))
        return ReadsPage(reads: page.reads, links: links, next_cursor: page.next?.token)
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> ReadJSON {
        let t = try context.requireTenant()
        let r = try found(try await store.read(tenantID: t.id, id: try context.requireID()), "read")
        return links.json(r)
    }

    /// An operator corrects a read's plate text: the read changes (search, lists, exports see the new
    /// text), the correction is kept (who, when, old and new text; `microanpr training-export` turns the
    /// corrected crops into training data) and audited.
    @Sendable func correct(_ request: Request, context: AppContext) async throws -> ReadJSON {
        let t = try context.requireTenant()
        let id = try context.requireID(PlateRead.self)
        let body = try await decodeJSON(Components.Schemas.ReadCorrection.self, from: request)
        let plate = try plateParameter(body.plate, field: "plate")
        guard plate.count >= 2 else { throw APIError.badRequest("plate must hold at least 2 letters or digits", code: .badParameter) }
        guard let (read, oldPlate) = try await store.correctRead(tenantID: t.id, id: id, plate: plate, actor: context.actor) else {
            throw APIError.notFound("read")
        }
        await audit(context, tenantID: t.id, action: "read.correct", target: id.rawValue, detail: "\(oldPlate) -> \(plate)")
        return links.json(read)
    }

    /// The crop (`kind=crop`, default) or frame (`kind=frame`) of a read: with the tenant's key, or with the
    /// signature of an `image_url`/`crop_url` that has not expired.
    @Sendable func image(_ request: Request, context: AppContext) async throws -> Response {
        try await images.response(request, context: context) { id, tenant in
            let r: PlateRead?
            if let tenant {
                r = try await store.read(tenantID: tenant, id: ID(id))
            } else {
                r = try await store.readAnyTenant(id: ID(id))
            }
            return r.map { ($0.cropKey, $0.frameKey) }
        }
    }

    @Sendable func jobs(_ request: Request, context: AppContext) async throws -> JobsList {
        let t = try context.requireTenant()
        let limit = try request.limitParameter()
        return JobsList(jobs: try await store.jobs(tenantID: t.id, limit: limit).map(JobJSON.init))
    }

    @Sendable func job(_ request: Request, context: AppContext) async throws -> JobJSON {
        let t = try context.requireTenant()
        let j = try found(try await store.job(tenantID: t.id, id: try context.requireID()), "job")
        return JobJSON(j)
    }
}
