import Foundation

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
