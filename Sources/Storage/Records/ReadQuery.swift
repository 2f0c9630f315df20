import Foundation

/// Filters for listing reads; `after` is an opaque cursor from a previous page.
public struct ReadQuery: Sendable {
    public var plate: String?
    /// Other stored forms of `plate` that match it too: its pseudonym (`~...`) in the tenant.
    public var plateAliases: [String] = []
    public var platePrefix: String?
    public var cameraID: ID<Camera>?
    public var jobID: ID<Job>?
    public var passID: ID<Pass>?
    public var from: Int64?
    public var to: Int64?
    public var minConfidence: Double?
    public var limit: Int = 50
    public var after: PageCursor?
    public init() {}
}
