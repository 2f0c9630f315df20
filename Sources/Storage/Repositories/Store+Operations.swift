import Foundation

/// Figures of the whole deployment (all tenants) for the operator's metrics.
public struct OperationalCounts: Sendable {
    /// Upload jobs by status (`queued`, `running`, `done`, `failed`).
    public var jobs: [String: Int]
    /// Webhook deliveries by status (`pending` is the outbox depth).
    public var deliveries: [String: Int]
    /// The status JSON each enabled camera's runner last reported (nil before its first report).
    public var cameraStatuses: [String?]
}

extension Store {
    /// Counts for `/metrics`: a few grouped counts, no per-row work.
    public func operationalCounts() async throws -> OperationalCounts {
        func grouped(_ table: String) async throws -> [String: Int] {
            var out: [String: Int] = [:]
            for row in try await db.query("SELECT status, COUNT(*) AS n FROM \(table) GROUP BY status") {
                out[row.string("status")] = row.int("n") ?? 0
            }
            return out
        }
        let cameras = try await db.query("SELECT status FROM cameras WHERE enabled = 1").map { $0.text("status") }
        return OperationalCounts(
            jobs: try await grouped("jobs"), deliveries: try await grouped("webhook_deliveries"), cameraStatuses: cameras)
    }
}
