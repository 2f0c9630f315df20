import Foundation

/// A camera of a tenant.
public struct Camera: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable { case entry, exit, both }
    public var id: ID<Camera>
    public var tenantID: ID<Tenant>
    public var name: String
    public var site: String
    public var direction: Direction
    /// The country format used for this camera's reads unless a call names one.
    public var country: String?
    public var createdAt: Int64
    /// A live source: `rtsp://`, `http(s)://` (MJPEG or any stream FFmpeg reads) or a local file played in a loop.
    public var sourceURL: String?
    public var enabled: Bool
    /// Access decision for a plate in no group and on no list: `allow` or `deny`.
    public var unknownAccess: String

    public init(
        id: ID<Camera>, tenantID: ID<Tenant>, name: String, site: String, direction: Direction, country: String?,
        createdAt: Int64, sourceURL: String? = nil, enabled: Bool = true, unknownAccess: String = "deny"
    ) {
        self.id = id; self.tenantID = tenantID; self.name = name; self.site = site; self.direction = direction
        self.country = country; self.createdAt = createdAt; self.sourceURL = sourceURL; self.enabled = enabled
        self.unknownAccess = unknownAccess
    }
}
