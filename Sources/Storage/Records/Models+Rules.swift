/// A permit group (staff, residents, contractors...).
public struct Group: Sendable, Equatable {
    public var id: ID<Group>
    public var tenantID: ID<Tenant>
    public var name: String
    public var description: String
    public var createdAt: Int64
}

/// A member of a group: a person with a permit for one plate.
public struct Member: Sendable, Equatable {
    public var id: ID<Member>
    public var tenantID: ID<Tenant>
    public var groupID: ID<Group>
    public var name: String
    public var email: String
    public var permitID: String
    /// Normalised plate (A-Z, 0-9).
    public var plate: String
    public var validFrom: Int64?
    public var validTo: Int64?
    /// Allowed weekdays as `mon,tue,...` (all when nil).
    public var days: String?
    /// Allowed hours as `HH:MM-HH:MM` in the tenant's time zone (all day when nil).
    public var hours: String?
    public var createdAt: Int64

    public init(
        id: ID<Member>, tenantID: ID<Tenant>, groupID: ID<Group>, name: String, email: String, permitID: String, plate: String,
        validFrom: Int64?, validTo: Int64?, days: String?, hours: String?, createdAt: Int64
    ) {
        self.id = id; self.tenantID = tenantID; self.groupID = groupID; self.name = name; self.email = email
        self.permitID = permitID; self.plate = plate; self.validFrom = validFrom; self.validTo = validTo
        self.days = days; self.hours = hours; self.createdAt = createdAt
    }
}

/// A watch list: plates flagged with one reason.
public struct Watchlist: Sendable, Equatable {
    public var id: ID<Watchlist>
    public var tenantID: ID<Tenant>
    public var name: String
    /// stolen, banned, vip or other.
    public var reason: String
    public var createdAt: Int64
}

public struct WatchlistEntry: Sendable, Equatable {
    public var id: ID<WatchlistEntry>
    public var tenantID: ID<Tenant>
    public var listID: ID<Watchlist>
    public var plate: String
    public var note: String
    public var createdAt: Int64
}

/// An alert rule for plates in no group, at a camera, a site, or everywhere (both nil).
public struct AlertRule: Sendable, Equatable {
    public var id: ID<AlertRule>
    public var tenantID: ID<Tenant>
    /// unknown_plate (watch-list and permit-validity alerts are always on).
    public var kind: String
    public var cameraID: ID<Camera>?
    public var site: String?
    public var createdAt: Int64
}

/// A stored alert.
public struct Alert: Sendable, Equatable {
    public var id: ID<Alert>
    public var tenantID: ID<Tenant>
    /// watchlist, unknown_plate, permit_invalid or webhook_disabled.
    public var kind: String
    public var plate: String
    public var message: String
    public var readID: ID<PlateRead>?
    public var passID: ID<Pass>?
    public var cameraID: ID<Camera>?
    public var createdAt: Int64
    public var acknowledgedAt: Int64?
    public var acknowledgedBy: String?

    public init(
        id: ID<Alert>, tenantID: ID<Tenant>, kind: String, plate: String, message: String, readID: ID<PlateRead>?, passID: ID<Pass>?,
        cameraID: ID<Camera>?, createdAt: Int64, acknowledgedAt: Int64? = nil, acknowledgedBy: String? = nil
    ) {
        self.id = id; self.tenantID = tenantID; self.kind = kind; self.plate = plate; self.message = message
        self.readID = readID; self.passID = passID; self.cameraID = cameraID; self.createdAt = createdAt
        self.acknowledgedAt = acknowledgedAt; self.acknowledgedBy = acknowledgedBy
    }
}

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
