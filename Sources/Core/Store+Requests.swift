import Storage

extension Store {
    /// Refuses work for a tenant over its monthly quota (429).
    package func checkQuota(_ tenant: Tenant) async throws {
        let used = try await usage(tenantID: tenant.id)
        if used >= tenant.plan.monthlyQuota {
            throw DomainError(
                .limitReached, .quotaExceeded,
                "monthly quota of \(tenant.plan.monthlyQuota) plate reads for plan \(tenant.plan.rawValue) used up (\(used) read)",
                retryAfterSeconds: 3600)
        }
    }

    /// The tenant's camera named by a request (nil when none is named), or 404 (`unknown_camera`).
    package func camera(named id: String?, tenant: Tenant) async throws -> Camera? {
        guard let id, !id.isEmpty else { return nil }
        guard let c = try await camera(tenantID: tenant.id, id: ID(id)) else {
            throw DomainError(.notFound, .unknownCamera, "camera \(id) not found")
        }
        return c
    }
}
