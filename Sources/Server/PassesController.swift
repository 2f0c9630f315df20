import Foundation
import Hummingbird
import Storage

/// `/v1/passes`: vehicle passes from videos (one per vehicle), filtered and paginated like reads.
struct PassesController {
    let env: ServerEnvironment

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("passes", use: list)
        group.get("passes/{id}", use: get)
        group.get("passes/{id}/image", use: image)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> PassesPage {
        let t = try context.requireTenant()
        let page = try await env.store.passes(tenantID: t.id, try ReadsController.listQuery(request))
        return PassesPage(passes: page.passes.map(env.json), next_cursor: page.next?.token)
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> PassJSON {
        let t = try context.requireTenant()
        guard let p = try await env.store.pass(tenantID: t.id, id: try context.parameters.require("id")) else {
            throw APIError.notFound("pass")
        }
        return env.json(p)
    }

    @Sendable func image(_ request: Request, context: AppContext) async throws -> Response {
        try await ReadsController.image(request, context: context, env: env) { id, tenant in
            let p: Pass?
            if let tenant { p = try await env.store.pass(tenantID: tenant, id: id) } else { p = try await env.store.passAnyTenant(id: id) }
            return p.map { ($0.cropKey, $0.frameKey) }
        }
    }
}

struct PassJSON: ResponseEncodable, Sendable {
    var id: String
    var plate: String
    var display: String
    var confidence: Double
    var format: String
    var country: String?
    /// entry, exit or unknown (from the movement and the camera's direction).
    var direction: String
    /// approaching, leaving, stationary or unknown.
    var movement: String
    var camera_id: String?
    var job_id: String?
    var first_seen_at: String
    var last_seen_at: String
    var first_seen_s: Double?
    var last_seen_s: Double?
    var frames: Int
    var box: BoxJSON
    var image_url: String?
    var crop_url: String?
    var reads_url: String
}

struct PassesPage: ResponseEncodable, Sendable {
    var passes: [PassJSON]
    var next_cursor: String?
}

extension ServerEnvironment {
    func json(_ p: Pass) -> PassJSON {
        let expires = Clock.nowMillis() / 1000 + Int64(configuration.signedURLSeconds)
        func url(_ kind: String, _ key: String?) -> String? {
            key.map { _ in "/v1/passes/\(p.id)/image?" + signer.query(readID: p.id, kind: kind, expires: expires) }
        }
        return PassJSON(id: p.id, plate: p.plate, display: p.display, confidence: p.confidence, format: p.format,
                        country: p.country, direction: p.direction, movement: p.movement, camera_id: p.cameraID,
                        job_id: p.jobID, first_seen_at: JSONTime.string(p.firstSeenAt) ?? "",
                        last_seen_at: JSONTime.string(p.lastSeenAt) ?? "", first_seen_s: p.firstSeenSeconds,
                        last_seen_s: p.lastSeenSeconds, frames: p.frames,
                        box: BoxJSON(x: p.box[0], y: p.box[1], width: p.box[2], height: p.box[3]),
                        image_url: url("frame", p.frameKey), crop_url: url("crop", p.cropKey),
                        reads_url: "/v1/reads?pass_id=\(p.id)&limit=500")
    }
}
