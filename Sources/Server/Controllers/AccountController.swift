import Core
import APIContract
import Foundation
import Hummingbird
import Storage

/// The tenant's own settings, usage against quota, and API keys (`/v1/tenant`, `/v1/usage`, `/v1/api-keys`).
struct AccountController {
    let store: Store
    let audit: AuditLog
    let apiKeys: APIKeyCache
    let signer: MediaSigner

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("tenant", use: tenant)
        group.patch("tenant", use: updateTenant)
        group.post("tenant/job-webhook-secret", use: rotateJobWebhookSecret)
        group.get("usage", use: usage)
        group.get("api-keys", use: keys)
        group.post("api-keys", use: createKey)
        group.delete("api-keys/{id}", use: revokeKey)
    }

    /// The tenant as the document's `Tenant` (generated), with `webhook_secret`: the secret that signs this tenant's
    /// job webhooks (HMAC-SHA256), shown only while it is the one derived from the server's secret; a tenant's own
    /// random secret is shown once, when made.
    typealias TenantWithSecret = Components.Schemas.Tenant

    /// The derived secret while the tenant has none of its own.
    func visibleSecret(_ t: Tenant) async throws -> String? {
        try await store.jobWebhookSecret(tenantID: t.id) == nil ? signer.webhookSecret(tenantID: t.id) : nil
    }

    @Sendable func tenant(_ request: Request, context: AppContext) async throws -> TenantWithSecret {
        let t = try context.requireTenant()
        return TenantWithSecret(tenant: TenantJSON(t), webhookSecret: try await visibleSecret(t))
    }

    typealias NewSecret = Components.Schemas.WebhookSecret

    /// A new random job-webhook secret for the tenant: it signs from now on and is in this answer only.
    @Sendable func rotateJobWebhookSecret(_ request: Request, context: AppContext) async throws -> EditedResponse<NewSecret> {
        let t = try context.requireTenant()
        let secret = "whsec_" + APIKeys.randomToken()
        try await store.setJobWebhookSecret(tenantID: t.id, secret: secret)
        await audit(context, tenantID: t.id, action: "job_webhook_secret.rotate")
        return EditedResponse(status: .created, response: NewSecret(webhookSecret: secret))
    }

    @Sendable func updateTenant(_ request: Request, context: AppContext) async throws -> TenantWithSecret {
        let t = try context.requireTenant()
        let update = try await decodeJSON(Components.Schemas.TenantUpdate.self, from: request)
        if let d = update.retentionDays, !(1...3650).contains(d) {
            throw APIError.badRequest("retention_days must be between 1 and 3650", code: .badParameter)
        }
        if let z = update.timeZone, TimeZone(identifier: z) == nil || z.isEmpty {
            throw APIError.badRequest("time_zone must be an IANA time zone such as Europe/London", code: .badParameter)
        }
        // 0 turns pseudonymisation off; at most the longest retention (ten years).
        if let h = update.pseudonymiseAfterHours, !(0...87_600).contains(h) {
            throw APIError.badRequest("pseudonymise_after_hours must be between 1 and 87600 (0: off)", code: .badParameter)
        }
        try await store.updateTenant(t.id, retentionDays: update.retentionDays, plan: nil, timeZone: update.timeZone)
        apiKeys.removeAll()  // requests authenticated by key carry the tenant's settings
        if let h = update.pseudonymiseAfterHours { try await store.setPseudonymiseAfterHours(t.id, hours: h == 0 ? nil : h) }
        await audit(
            context, tenantID: t.id, action: "settings.update",
            detail: [
                update.retentionDays.map { "retention_days=\($0)" }, update.timeZone.map { "time_zone=\($0)" },
                update.pseudonymiseAfterHours.map { "pseudonymise_after_hours=\($0)" },
            ]
            .compactMap { $0 }.joined(separator: " "))
        let fresh = try found(try await store.tenant(t.id), "tenant")
        return TenantWithSecret(tenant: TenantJSON(fresh), webhookSecret: try await visibleSecret(fresh))
    }

    @Sendable func usage(_ request: Request, context: AppContext) async throws -> UsageJSON {
        let t = try context.requireTenant()
        let month = Store.month()
        let used = try await store.usage(tenantID: t.id, month: month)
        return UsageJSON(
            month: month, plan: .init(rawValue: t.plan.rawValue) ?? .starter, plateReads: used, quota: t.plan.monthlyQuota,
            remaining: max(0, t.plan.monthlyQuota - used))
    }

    @Sendable func keys(_ request: Request, context: AppContext) async throws -> APIKeysList {
        let t = try context.requireTenant()
        return APIKeysList(apiKeys: try await store.keys(tenantID: t.id).map { APIKeyJSON($0) })
    }

    @Sendable func createKey(_ request: Request, context: AppContext) async throws -> EditedResponse<APIKeyJSON> {
        let t = try context.requireTenant()
        // The roles a key may have (the document's enum): the dashboard's but owner, and `ingest`.
        let body = try await decodeJSON(Components.Schemas.APIKeyInput.self, from: request)
        let role = body.role?.rawValue ?? "admin"
        let name = (body.name ?? "key").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else {
            throw APIError.badRequest("name must be 1 to 200 characters", code: .badParameter)
        }
        let secret = APIKeys.generate()
        let key = try await store.createKey(
            tenantID: t.id, name: name, prefix: APIKeys.prefix(secret), hash: APIKeys.hash(secret), role: role)
        await audit(context, tenantID: t.id, action: "api_key.create", target: key.id.rawValue, detail: "\(name) (\(role))")
        return EditedResponse(status: .created, response: APIKeyJSON(key, secret: secret))
    }

    @Sendable func revokeKey(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        let id = try context.parameters.require("id")
        guard try await store.revokeKey(tenantID: t.id, id: ID(id)) else { throw APIError.notFound("API key") }
        apiKeys.removeAll()
        return Response(status: .noContent)
    }
}
