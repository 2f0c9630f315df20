import Foundation

/// A billing plan with its monthly quota of plate reads.
public enum Plan: String, Sendable, CaseIterable, Codable {
    case starter, pro, enterprise

    /// Plate reads allowed per calendar month (UTC).
    public var monthlyQuota: Int {
        switch self {
        case .starter: 1_000
        case .pro: 100_000
        case .enterprise: 10_000_000
        }
    }
}

/// A customer; every other row belongs to exactly one.
public struct Tenant: Sendable, Equatable {
    public var id: ID<Tenant>
    public var name: String
    public var plan: Plan
    public var retentionDays: Int
    public var createdAt: Int64
    /// IANA time zone of the tenant's sites: permits' allowed days and hours are in local time.
    public var timeZone: String = "UTC"
    /// Hours after which reads of plates on no list and in no open parking session are pseudonymised; nil: never.
    public var pseudonymiseAfterHours: Int? = nil
}
