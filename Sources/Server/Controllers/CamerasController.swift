import APIContract
import Core
import ExportFormats
import Foundation
import Hummingbird
import Recognition
import Storage

/// `/v1/cameras`: a tenant's cameras with site, direction and default country.
struct CamerasController {
    let store: Store
    /// Which hosts camera sources may be opened on.
    let cameraPolicy: OutboundPolicy
    /// Whether a camera may read a local file (`file://`).
    let allowFileSources: Bool
    let recognizer: any PlateRecognizing

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("cameras", use: list)
        group.post("cameras", use: create)
        group.get("cameras/{id}", use: get)
        group.patch("cameras/{id}", use: update)
        group.delete("cameras/{id}", use: delete)
        group.get("cameras/{id}/status", use: status)
    }

    /// A camera body: the document's `CameraInput`. Its `country` is matched without regard to case and a code
    /// outside the packs answers `unknown_country` naming them, as the recognition endpoints do, so that value
    /// is checked (and lower-cased) before the body is decoded.
    func body(_ request: Request) async throws -> Components.Schemas.CameraInput {
        var data = try await jsonBody(of: request)
        if var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let code = object["country"] as? String {
            object["country"] = try recognizer.country(code, camera: nil) ?? ""
            data = try JSONSerialization.data(withJSONObject: object)
        }
        return try decodeJSON(Components.Schemas.CameraInput.self, from: data, for: request)
    }

    func validated(_ b: Components.Schemas.CameraInput, into c: inout Camera) async throws {
        if let n = b.name {
            let n = n.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !n.isEmpty, n.count <= 200 else { throw APIError.badRequest("name must be 1 to 200 characters", code: .badParameter) }
            c.name = n
        }
        if let s = b.site {
            guard s.count <= 200 else { throw APIError.badRequest("site must be at most 200 characters", code: .badParameter) }
            c.site = s
        }
        if let d = b.direction { c.direction = Camera.Direction(rawValue: d.rawValue) ?? c.direction }
        if let country = b.country { c.country = country == ._empty_ ? nil : country.rawValue }
        if let s = b.sourceUrl {
            c.sourceURL = try await CameraSources.validate(
                s, allowFiles: allowFileSources, policy: cameraPolicy)
        }
        if let e = b.enabled { c.enabled = e }
        if let u = b.unknownAccess { c.unknownAccess = u.rawValue }
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> CamerasList {
        let t = try context.requireTenant()
        return CamerasList(
            cameras: try await store.cameras(tenantID: t.id).map { CameraJSON($0, credentials: context.role ?? .viewer >= .admin) })
    }

    @Sendable func create(_ request: Request, context: AppContext) async throws -> EditedResponse<CameraJSON> {
        let t = try context.requireTenant()
        let input = try await body(request)
        guard input.name != nil else { throw APIError.badRequest("name is required", code: .badParameter) }
        var c = Camera(id: "", tenantID: t.id, name: "", site: "", direction: .both, country: nil, createdAt: 0)
        try await validated(input, into: &c)
        let camera = try await store.createCamera(
            tenantID: t.id, name: c.name, site: c.site, direction: c.direction,
            country: c.country, sourceURL: c.sourceURL, enabled: c.enabled,
            unknownAccess: c.unknownAccess)
        return EditedResponse(status: .created, response: CameraJSON(camera, credentials: true))
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> CameraJSON {
        let t = try context.requireTenant()
        let c = try found(try await store.camera(tenantID: t.id, id: try context.requireID()), "camera")
        return CameraJSON(c, credentials: context.role ?? .viewer >= .admin)
    }

    @Sendable func update(_ request: Request, context: AppContext) async throws -> CameraJSON {
        let t = try context.requireTenant()
        guard var c = try await store.camera(tenantID: t.id, id: try context.requireID()) else {
            throw APIError.notFound("camera")
        }
        try await validated(try await body(request), into: &c)
        try await store.updateCamera(c)
        return CameraJSON(c, credentials: true)
    }

    /// The live status its runner last reported: `connected`, `connecting`, `error`; `offline` when no runner
    /// reported for 15 s; `idle` for cameras without a source or disabled.
    @Sendable func status(_ request: Request, context: AppContext) async throws -> CameraStatusJSON {
        let t = try context.requireTenant()
        let id = try context.requireID(Camera.self)
        guard let camera = try await store.camera(tenantID: t.id, id: id),
            let row = try await store.cameraStatus(tenantID: t.id, id: id)
        else { throw APIError.notFound("camera") }
        return camera.liveStatus(reported: row.status, heartbeat: row.heartbeat, now: WallClock.nowMillis())
    }

    @Sendable func delete(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        return try Response.deleted(try await store.deleteCamera(tenantID: t.id, id: try context.requireID()), "camera")
    }
}
