import Foundation

/// A webhook subscription.
public struct Webhook: Sendable, Equatable {
    public var id: ID<Webhook>
    public var tenantID: ID<Tenant>
    public var url: String
    /// Event types delivered (all when it holds "*").
    public var events: [String]
    public var secret: String
    public var enabled: Bool
    public var consecutiveFailures: Int
    public var disabledReason: String?
    public var createdAt: Int64

    public func wants(_ type: String) -> Bool { enabled && (events.contains("*") || events.contains(type)) }
}

/// One event to deliver to one webhook (the outbox row), with its state.
public struct Delivery: Sendable, Equatable {
    public var id: ID<Delivery>
    public var tenantID: ID<Tenant>
    public var webhookID: ID<Webhook>
    public var eventID: Int64
    public var eventType: String
    /// pending, delivered or failed (gave up after the retry window).
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var lastStatus: Int?
    public var lastError: String?
    public var lastResponseMillis: Int?
    public var createdAt: Int64
    public var deliveredAt: Int64?
}

/// One HTTP attempt of a delivery.
public struct DeliveryAttempt: Sendable, Equatable {
    public var attempt: Int
    public var at: Int64
    public var status: Int?
    public var responseMillis: Int
    public var error: String?
}
