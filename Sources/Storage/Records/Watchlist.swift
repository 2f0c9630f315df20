import Foundation

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
