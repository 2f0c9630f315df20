import Foundation

/// A stored event: its id orders a tenant's events (SSE ids, resume, webhook outbox).
public struct Event: Sendable, Equatable {
    public var id: Int64
    public var tenantID: ID<Tenant>
    /// plate.detected, pass.completed, alert.raised, job.updated.
    public var type: String
    /// The JSON object sent to SSE clients and webhooks.
    public var payload: String
    public var createdAt: Int64
}
