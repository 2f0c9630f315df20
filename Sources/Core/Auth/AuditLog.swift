import Logging
import Storage

/// The tenants' audit log: who did what, to what, and from where.
package struct AuditLog: Sendable {
    let store: Store
    let logger: Logger

    package init(store: Store, logger: Logger) {
        self.store = store; self.logger = logger
    }

    /// Writes an audit log line; a failure is logged, never lost silently, and does not fail the work it records.
    package func record(
        actor: String, ip: String?, tenantID: ID<Tenant>, action: String, target: String? = nil, detail: String? = nil
    ) async {
        do {
            try await store.audit(tenantID: tenantID, actor: actor, action: action, target: target, detail: detail, ip: ip)
        } catch {
            logger.error("audit log write failed", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }
}
