import Foundation

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
