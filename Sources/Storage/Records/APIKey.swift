import Foundation

/// An API key as stored: only its prefix (for display) and its SHA-256 hash.
public struct APIKey: Sendable, Equatable {
    public var id: ID<APIKey>
    public var tenantID: ID<Tenant>
    public var name: String
    public var prefix: String
    /// `admin`, `operator`, `viewer` (the dashboard's roles) or `ingest` (send images, videos and passes only).
    public var role: String = "admin"
    public var createdAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?
}
