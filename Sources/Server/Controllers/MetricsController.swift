import Core
import Foundation
import Hummingbird
import Recognition
import Storage

/// `GET /metrics`: the Prometheus text format, for a scraper holding `MICROANPR_METRICS_TOKEN` as its bearer
/// token. Without the variable there is no endpoint (404), so that nothing about the deployment shows by default.
struct MetricsController {
    let store: Store
    let bus: EventBus
    let metrics: ServerMetrics
    /// The bearer token `GET /metrics` asks for (none: open).
    let token: String?

    func addRoutes(to router: Router<AppContext>) {
        router.get("metrics", use: metrics)
    }

    @Sendable func metrics(_ request: Request, context: AppContext) async throws -> Response {
        guard let token = token else { throw APIError.notFound("route") }
        let sent = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        guard APIKeys.constantTimeEqual(sent, token) else {
            var e = APIError(.unauthorized, .unauthorized, "send the metrics token: Authorization: Bearer MICROANPR_METRICS_TOKEN")
            e.headers[.wwwAuthenticate] = "Bearer"
            throw e
        }
        let body = try await metrics.scrape(store: store, sseClients: await bus.subscriberCount)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
