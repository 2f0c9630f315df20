import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Storage
import Media

/// `/v1/webhooks`: subscriptions (URL, event filter, secret), their delivery log and manual redelivery.
struct WebhooksController {
    let store: Store
    /// Wakes the dispatcher when a delivery is queued again.
    let outbox: Doorbell
    /// Where webhooks may go.
    let webhookPolicy: OutboundPolicy

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("webhooks", use: list)
        group.post("webhooks", use: create)
        group.get("webhooks/{id}", use: get)
        group.patch("webhooks/{id}", use: update)
        group.delete("webhooks/{id}", use: delete)
        group.get("webhooks/{id}/deliveries", use: deliveries)
        group.get("webhooks/{id}/deliveries/{delivery_id}", use: delivery)
        group.post("webhooks/{id}/deliveries/{delivery_id}/redeliver", use: redeliver)
    }

    func checkedEvents(_ e: [String]?) throws -> [String]? {
        guard let e else { return nil }
        guard !e.isEmpty, e.allSatisfy({ $0 == "*" || Event.types.contains($0) }) else {
            throw APIError.badRequest("events must list some of \(Event.types.joined(separator: ", ")) or \"*\"", code: .badParameter)
        }
        return Array(Set(e)).sorted()
    }

    func hook(_ context: AppContext) async throws -> (Tenant, Webhook) {
        let t = try context.requireTenant()
        let w = try found(try await store.webhook(tenantID: t.id, id: try context.requireID()), "webhook")
        return (t, w)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> WebhooksJSON {
        let t = try context.requireTenant()
        return WebhooksJSON(webhooks: try await store.webhooks(tenantID: t.id).map { WebhookJSON($0) })
    }

    /// The secret is in this answer only (generated when not given).
    @Sendable func create(_ request: Request, context: AppContext) async throws -> EditedResponse<WebhookJSON> {
        let t = try context.requireTenant()
        let b = try await decodeJSON(Components.Schemas.WebhookCreate.self, from: request)
        let url = b.url
        if let s = b.secret, !(16...200).contains(s.count) {
            throw APIError.badRequest("secret must be 16 to 200 characters", code: .badParameter)
        }
        let events = try checkedEvents(b.events?.map(\.rawValue)) ?? ["*"]  // cheap checks first: the URL's costs a DNS lookup
        let target = try await WebhookTarget.validate(url, policy: webhookPolicy)
        var g = SystemRandomNumberGenerator()
        let secret = b.secret ?? "whsec_" + Hex.string((0..<32).map { _ in UInt8.random(in: 0...255, using: &g) })
        let w = try await store.createWebhook(tenantID: t.id, url: target, events: events, secret: secret)
        return EditedResponse(status: .created, response: WebhookJSON(w, showSecret: true))
    }

    @Sendable func get(_ request: Request, context: AppContext) async throws -> WebhookJSON { WebhookJSON(try await hook(context).1) }

    @Sendable func update(_ request: Request, context: AppContext) async throws -> WebhookJSON {
        var (_, w) = try await hook(context)
        let b = try await decodeJSON(Components.Schemas.WebhookInput.self, from: request)
        if b.secret != nil { throw APIError.badRequest("the secret cannot be changed; create a new webhook", code: .badParameter) }
        if let e = try checkedEvents(b.events?.map(\.rawValue)) { w.events = e }
        if let u = b.url { w.url = try await WebhookTarget.validate(u, policy: webhookPolicy) }
        if let e = b.enabled { w.enabled = e }
        try await store.updateWebhook(w)
        let fresh = try found(try await store.webhook(tenantID: w.tenantID, id: w.id), "webhook")
        return WebhookJSON(fresh)
    }

    @Sendable func delete(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        return try Response.deleted(try await store.deleteWebhook(tenantID: t.id, id: try context.requireID()), "webhook")
    }

    @Sendable func deliveries(_ request: Request, context: AppContext) async throws -> DeliveriesJSON {
        let (t, w) = try await hook(context)
        let limit = try request.limitParameter()
        return DeliveriesJSON(
            deliveries: try await store.deliveries(tenantID: t.id, webhookID: w.id, limit: limit).map { DeliveryJSON($0) })
    }

    @Sendable func delivery(_ request: Request, context: AppContext) async throws -> DeliveryJSON {
        let (t, w) = try await hook(context)
        guard let d = try await store.delivery(tenantID: t.id, webhookID: w.id, id: ID(try context.parameters.require("delivery_id")))
        else {
            throw APIError.notFound("delivery")
        }
        return DeliveryJSON(d, attempts: try await store.attempts(deliveryID: d.id))
    }

    @Sendable func redeliver(_ request: Request, context: AppContext) async throws -> EditedResponse<DeliveryJSON> {
        let (t, w) = try await hook(context)
        guard let d = try await store.redeliver(tenantID: t.id, webhookID: w.id, id: ID(try context.parameters.require("delivery_id")))
        else {
            throw APIError.notFound("delivery")
        }
        outbox.ring()
        return EditedResponse(status: .accepted, response: DeliveryJSON(d))
    }
}

/// A webhook as the document's `Webhook` (generated); its secret only where `showSecret` (when it is made).
typealias WebhookJSON = Components.Schemas.Webhook

extension WebhookJSON: ResponseEncodable {
    init(_ w: Webhook, showSecret: Bool = false) {
        self.init(
            id: w.id.rawValue, url: w.url, events: w.events, enabled: w.enabled, consecutiveFailures: w.consecutiveFailures,
            disabledReason: w.disabledReason, secret: showSecret ? w.secret : nil, createdAt: Date(epochMilliseconds: w.createdAt))
    }
}
typealias WebhooksJSON = Components.Schemas.Webhooks

/// A webhook delivery as the document's `Delivery` (generated), with its attempts' log when asked for one.
typealias DeliveryJSON = Components.Schemas.Delivery

extension DeliveryJSON: ResponseEncodable {
    init(_ d: Delivery, attempts log: [DeliveryAttempt]? = nil) {
        self.init(
            id: d.id.rawValue, webhookId: d.webhookID.rawValue, eventId: Int(d.eventID), event: d.eventType,
            status: .init(rawValue: d.status) ?? .pending, attempts: d.attempts,
            nextAttemptAt: d.status == "pending" ? Date(epochMilliseconds: d.nextAttemptAt) : nil,
            lastStatus: d.lastStatus, lastError: d.lastError, lastResponseMs: d.lastResponseMillis,
            createdAt: Date(epochMilliseconds: d.createdAt), deliveredAt: d.deliveredAt.map(Date.init(epochMilliseconds:)),
            log: log?.map {
                .init(
                    attempt: $0.attempt, at: Date(epochMilliseconds: $0.at), status: $0.status, responseMs: $0.responseMillis,
                    error: $0.error)
            })
    }
}
typealias DeliveriesJSON = Components.Schemas.Deliveries
