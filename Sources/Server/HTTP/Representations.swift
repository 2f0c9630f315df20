import APIContract
import Foundation
import ExportFormats
import Core
import Hummingbird
import Storage
import NIOFoundationEssentialsCompat

/// A page of stored reads, written straight from the records by ``JSONBytes``: the document `JSONEncoder` writes for
/// their ``ImageLinks/json(_:expires:)`` (held to it by `JSONBytesTests`), without a string made for each read's
/// time and links.
struct ReadsPage: ResponseGenerator, Sendable {
    var reads: [PlateRead]
    var links: ImageLinks
    var next_cursor: String?
    /// When the page's image links expire (epoch seconds): one time for the whole page.
    var expires: Int64

    init(reads: [PlateRead], links: ImageLinks, next_cursor: String?, expires: Int64? = nil) {
        self.reads = reads; self.links = links; self.next_cursor = next_cursor; self.expires = expires ?? links.expiry()
    }

    var written: JSONBytes {
        JSONBytes.page("reads", reads, nextCursor: next_cursor, itemSize: 600) { w, read in w.read(read, links: links, expires: expires) }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { written.response() }
}

struct RecogniseResponse: ResponseEncodable, Sendable {
    var reads: [ReadJSON]
}

/// A camera as the document's `Camera` (generated).
typealias CameraJSON = Components.Schemas.Camera

extension CameraJSON: ResponseEncodable {
    /// `credentials`: whether the source URL keeps its `user:password@` (admins, who manage cameras, see it;
    /// viewers and operators see `***@` in its place).
    init(_ c: Camera, credentials: Bool) {
        self.init(
            id: c.id.rawValue, name: c.name, site: c.site, direction: .init(rawValue: c.direction.rawValue) ?? .both,
            country: c.country, sourceUrl: credentials ? c.sourceURL : c.sourceURL.map(Self.withoutCredentials),
            enabled: c.enabled, unknownAccess: .init(rawValue: c.unknownAccess), createdAt: Date(epochMilliseconds: c.createdAt))
    }
}

typealias CamerasList = Components.Schemas.Cameras

/// A camera's live state as the document's `CameraStatus` (generated).
typealias CameraStatusJSON = Components.Schemas.CameraStatus

extension CameraStatusJSON: ResponseEncodable {}

extension Camera {
    /// Its live state from what its runner last reported (`reported`, a ``CameraReport``'s JSON) and when (`heartbeat`):
    /// `idle` without a source or disabled, `connecting` before any report, `offline` when none came for 15 s.
    func liveStatus(reported: String?, heartbeat: Int64?, now: Int64) -> CameraStatusJSON {
        var status = CameraStatusJSON(cameraId: id.rawValue, state: .idle)
        guard sourceURL != nil && enabled else { return status }
        if let r = CameraReport(json: reported) {
            status = CameraStatusJSON(
                cameraId: id.rawValue, state: .init(rawValue: r.state) ?? .error, fpsIn: r.fpsIn, fpsProcessed: r.fpsProcessed,
                lastFrameAt: r.lastFrameAt.flatMap(JSONTime.parse).map(Date.init(epochMilliseconds:)), lastError: r.lastError,
                reconnects: r.reconnects, retryInS: r.retryInSeconds, framesDropped: r.framesDropped, poorLight: r.poorLight,
                runner: r.runner)
        } else {
            status.state = .connecting
        }
        if heartbeat.map({ now - $0 > 15_000 }) ?? true { status.state = .offline }
        return status
    }
}

extension CameraJSON {
    /// `rtsp://user:pass@host/...` as `rtsp://***@host/...`; other URLs unchanged.
    static func withoutCredentials(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
            !url[scheme.upperBound..<at].contains("/")
        else { return url }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at...])
    }
}

/// An API key as the document's `APIKey` (generated); `api_key`, the secret, only in the answer that creates it.
typealias APIKeyJSON = Components.Schemas.APIKey

extension APIKeyJSON: ResponseEncodable {
    init(_ k: APIKey, secret: String? = nil) {
        self.init(
            id: k.id.rawValue, name: k.name, prefix: k.prefix, role: .init(rawValue: k.role),
            createdAt: Date(epochMilliseconds: k.createdAt), revokedAt: k.revokedAt.map(Date.init(epochMilliseconds:)), apiKey: secret)
    }
}

typealias APIKeysList = Components.Schemas.APIKeys

struct JobsList: ResponseEncodable, Sendable { var jobs: [JobJSON] }

struct JobAccepted: ResponseEncodable, Sendable {
    var job_id: String
    var status: String
}

/// This month's plate reads against the plan's quota, as the document's `Usage` (generated).
typealias UsageJSON = Components.Schemas.Usage

extension UsageJSON: ResponseEncodable {}

/// A tenant's settings as the document's `Tenant.tenant` (generated).
typealias TenantJSON = Components.Schemas.Tenant.TenantPayload

extension TenantJSON {
    init(_ t: Tenant) {
        self.init(
            id: t.id.rawValue, name: t.name, plan: .init(rawValue: t.plan.rawValue) ?? .starter, retentionDays: t.retentionDays,
            timeZone: t.timeZone, pseudonymiseAfterHours: t.pseudonymiseAfterHours ?? 0, createdAt: Date(epochMilliseconds: t.createdAt))
    }
}

extension Components.Schemas.Tenant: ResponseEncodable {}

/// Health and readiness as the document's `Status` (generated).
typealias StatusJSON = Components.Schemas.Status

extension StatusJSON: ResponseEncodable {}

/// Decodes a JSON request body (at most 64 KiB) with a clear 400 for anything else. The body's fields are the ones
/// `openapi.yaml` documents for the request's operation.
func decodeJSON<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
    try decodeJSON(type, from: try await jsonBody(of: request), for: request)
}

/// The bytes of a JSON request body: 413 above 64 KiB.
func jsonBody(of request: Request) async throws -> Data {
    do {
        return Data(buffer: try await request.body.collect(upTo: 64 * 1024))
    } catch {
        throw APIError(.contentTooLarge, .payloadTooLarge, "JSON body above 64 KiB")
    }
}

/// Decodes a JSON body already read from `request`, with the fields the document gives its operation (and no
/// others, where the document closes the body).
func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, for request: Request) throws -> T {
    let body = RouteTable.shared.body(method: request.method.rawValue, path: request.uri.path)
    return try decodeJSON(type, from: data, fields: body?.fields ?? [], closed: body?.closed ?? false, allowed: body?.allowed ?? [:])
}

/// Refuses the fields of a JSON body read by hand that the document does not give the request's operation, where
/// it closes the body (as ``decodeJSON(_:from:for:)`` does).
func refuseUndocumentedFields(_ object: [String: Any], for request: Request) throws {
    guard let body = RouteTable.shared.body(method: request.method.rawValue, path: request.uri.path), body.closed else { return }
    do { try JSONBody.refuseUnknown(object, known: body.fields) } catch { throw APIError.badRequest(error.message, code: .badJson) }
}

/// Decodes a JSON object with a clear 400 for anything else: `bad_json` for a wrong shape, `bad_parameter` for a
/// value outside the document's `enum`.
func decodeJSON<T: Decodable>(
    _ type: T.Type, from data: Data, fields known: Set<String>, closed: Bool = false, allowed: [String: [String]] = [:]
) throws -> T {
    do {
        return try JSONBody.decode(type, from: data, fields: known, closed: closed, allowed: allowed)
    } catch {
        throw APIError.badRequest(error.message, code: error.rule ? .badParameter : .badJson)
    }
}

// The core's representations (also the events' payloads) are answered as they are.
extension ReadJSON: ResponseEncodable {}
extension PassJSON: ResponseEncodable {}
extension JobJSON: ResponseEncodable {}
extension AlertJSON: ResponseEncodable {}

// The lists and the other answers generated from the document, answered as they are.
extension Components.Schemas.Cameras: ResponseEncodable {}
extension Components.Schemas.APIKeys: ResponseEncodable {}
extension Components.Schemas.Users: ResponseEncodable {}
extension Components.Schemas.AuditPage: ResponseEncodable {}
extension Components.Schemas.Invitation: ResponseEncodable {}
extension Components.Schemas.SignInSession: ResponseEncodable {}
extension Components.Schemas.Groups: ResponseEncodable {}
extension Components.Schemas.Members: ResponseEncodable {}
extension Components.Schemas.Watchlists: ResponseEncodable {}
extension Components.Schemas.WatchlistEntries: ResponseEncodable {}
extension Components.Schemas.AlertRules: ResponseEncodable {}
extension Components.Schemas.Webhooks: ResponseEncodable {}
extension Components.Schemas.Deliveries: ResponseEncodable {}
extension Components.Schemas.WebhookSecret: ResponseEncodable {}
extension Components.Schemas.OverstayRules: ResponseEncodable {}
extension Components.Schemas.ExportJobs: ResponseEncodable {}
