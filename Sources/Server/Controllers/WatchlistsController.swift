import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Rules
import Storage

/// `/v1/watchlists` (plates flagged stolen, banned, vip or other), `/v1/alert-rules` (unknown plates at a
/// camera or site) and `/v1/alerts` (listed, acknowledged).
struct WatchlistsController {
    let store: Store

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("watchlists", use: lists)
        group.post("watchlists", use: createList)
        group.get("watchlists/{id}", use: getList)
        group.delete("watchlists/{id}", use: deleteList)
        group.get("watchlists/{id}/entries", use: entries)
        group.post("watchlists/{id}/entries", use: addEntry)
        group.delete("watchlists/{id}/entries/{entry_id}", use: deleteEntry)
        group.get("alert-rules", use: rules)
        group.post("alert-rules", use: createRule)
        group.delete("alert-rules/{id}", use: deleteRule)
        group.get("alerts", use: alerts)
        group.get("alerts/{id}", use: alert)
        group.post("alerts/{id}/acknowledge", use: acknowledge)
    }

    func list(_ context: AppContext) async throws -> (Tenant, Watchlist) {
        let t = try context.requireTenant()
        let w = try found(try await store.watchlist(tenantID: t.id, id: try context.requireID()), "watch list")
        return (t, w)
    }

    @Sendable func lists(_ request: Request, context: AppContext) async throws -> WatchlistsJSON {
        let t = try context.requireTenant()
        return WatchlistsJSON(watchlists: try await store.watchlists(tenantID: t.id).map(WatchlistJSON.init))
    }

    @Sendable func createList(_ request: Request, context: AppContext) async throws -> EditedResponse<WatchlistJSON> {
        let t = try context.requireTenant()
        let b = try await decodeJSON(Components.Schemas.WatchlistInput.self, from: request)
        let name = try textField(b.name, "name", max: 200, required: true)!
        let w = try await store.createWatchlist(tenantID: t.id, name: name, reason: b.reason.rawValue)
        return EditedResponse(status: .created, response: WatchlistJSON(w))
    }

    @Sendable func getList(_ request: Request, context: AppContext) async throws -> WatchlistJSON {
        WatchlistJSON(try await list(context).1)
    }

    @Sendable func deleteList(_ request: Request, context: AppContext) async throws -> Response {
        let (t, w) = try await list(context)
        _ = try await store.deleteWatchlist(tenantID: t.id, id: w.id)
        return Response(status: .noContent)
    }

    @Sendable func entries(_ request: Request, context: AppContext) async throws -> WatchlistEntriesJSON {
        let (t, w) = try await list(context)
        return WatchlistEntriesJSON(
            entries: try await store.watchlistEntries(tenantID: t.id, listID: w.id).map(WatchlistEntryJSON.init))
    }

    @Sendable func addEntry(_ request: Request, context: AppContext) async throws -> EditedResponse<WatchlistEntryJSON> {
        let (t, w) = try await list(context)
        let b = try await decodeJSON(Components.Schemas.WatchlistEntryInput.self, from: request)
        guard let plate = PlateMatcher.listPlate(b.plate) else {
            throw APIError.badRequest(PlateMatcher.listPlateRule, code: .badParameter)
        }
        let note = try textField(b.note, "note", max: 1000, required: false) ?? ""
        let e = try await store.addWatchlistEntry(tenantID: t.id, listID: w.id, plate: plate, note: note)
        return EditedResponse(status: .created, response: WatchlistEntryJSON(e))
    }

    @Sendable func deleteEntry(_ request: Request, context: AppContext) async throws -> Response {
        let (t, w) = try await list(context)
        guard try await store.deleteWatchlistEntry(tenantID: t.id, listID: w.id, id: ID(try context.parameters.require("entry_id")))
        else {
            throw APIError.notFound("entry")
        }
        return Response(status: .noContent)
    }

    @Sendable func rules(_ request: Request, context: AppContext) async throws -> AlertRulesJSON {
        let t = try context.requireTenant()
        return AlertRulesJSON(alertRules: try await store.alertRules(tenantID: t.id).map(AlertRuleJSON.init))
    }

    @Sendable func createRule(_ request: Request, context: AppContext) async throws -> EditedResponse<AlertRuleJSON> {
        let t = try context.requireTenant()
        // `kind` takes the one value the document gives (watch-list and permit-validity alerts are always on).
        let b = try await decodeJSON(Components.Schemas.AlertRuleInput.self, from: request)
        let camera = try await store.camera(named: b.cameraId, tenant: t)
        let site = try textField(b.site, "site", max: 200, required: false).flatMap { $0.isEmpty ? nil : $0 }
        let r = try await store.createAlertRule(tenantID: t.id, kind: b.kind.rawValue, cameraID: camera?.id, site: site)
        return EditedResponse(status: .created, response: AlertRuleJSON(r))
    }

    @Sendable func deleteRule(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        return try Response.deleted(try await store.deleteAlertRule(tenantID: t.id, id: try context.requireID()), "alert rule")
    }

    @Sendable func alerts(_ request: Request, context: AppContext) async throws -> AlertsJSON {
        let t = try context.requireTenant()
        let q = request.uri.queryParameters
        var acknowledged: Bool?
        if let a = q["acknowledged"] {
            guard a == "true" || a == "false" else { throw APIError.badRequest("acknowledged must be true or false", code: .badParameter) }
            acknowledged = a == "true"
        }
        let kinds = ["watchlist", "unknown_plate", "permit_invalid", "webhook_disabled", "overstay"]
        let kind = q["kind"].map(String.init)
        if let kind, !kinds.contains(kind) {
            throw APIError.badRequest("kind must be one of \(kinds.joined(separator: ", "))", code: .badParameter)
        }
        let limit = try request.limitParameter()
        let before = try request.cursorParameter().map { ($0.time, $0.id) }
        let page = try await store.alerts(tenantID: t.id, acknowledged: acknowledged, kind: kind, limit: limit, before: before)
        let next = page.count == limit ? page.last.map { PageCursor(time: $0.createdAt, id: $0.id).token } : nil
        return AlertsJSON(alerts: page.map(AlertJSON.init), next_cursor: next)
    }

    @Sendable func alert(_ request: Request, context: AppContext) async throws -> AlertJSON {
        let t = try context.requireTenant()
        let a = try found(try await store.alert(tenantID: t.id, id: try context.requireID()), "alert")
        return AlertJSON(a)
    }

    @Sendable func acknowledge(_ request: Request, context: AppContext) async throws -> AlertJSON {
        let t = try context.requireTenant()
        let by = context.actor
        let a = try found(try await store.acknowledgeAlert(tenantID: t.id, id: try context.requireID(), by: by), "alert")
        return AlertJSON(a)
    }
}

/// A watch list as the document's `Watchlist` (generated).
typealias WatchlistJSON = Components.Schemas.Watchlist

extension WatchlistJSON: ResponseEncodable {
    init(_ w: Watchlist) {
        self.init(
            id: w.id.rawValue, name: w.name, reason: .init(rawValue: w.reason) ?? .other, createdAt: Date(epochMilliseconds: w.createdAt))
    }
}

typealias WatchlistsJSON = Components.Schemas.Watchlists
/// A watch-list entry as the document's `WatchlistEntry` (generated).
typealias WatchlistEntryJSON = Components.Schemas.WatchlistEntry

extension WatchlistEntryJSON: ResponseEncodable {
    init(_ e: WatchlistEntry) {
        self.init(
            id: e.id.rawValue, listId: e.listID.rawValue, plate: e.plate, note: e.note, createdAt: Date(epochMilliseconds: e.createdAt))
    }
}

typealias WatchlistEntriesJSON = Components.Schemas.WatchlistEntries
/// An alert rule as the document's `AlertRule` (generated).
typealias AlertRuleJSON = Components.Schemas.AlertRule

extension AlertRuleJSON: ResponseEncodable {
    init(_ r: AlertRule) {
        self.init(
            id: r.id.rawValue, kind: .init(rawValue: r.kind) ?? .unknownPlate, cameraId: r.cameraID?.rawValue, site: r.site,
            createdAt: Date(epochMilliseconds: r.createdAt))
    }
}
typealias AlertRulesJSON = Components.Schemas.AlertRules
struct AlertsJSON: ResponseEncodable, Sendable { var alerts: [AlertJSON]; var next_cursor: String? }
