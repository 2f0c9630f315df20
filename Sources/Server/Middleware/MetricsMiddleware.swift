import Core
import Foundation
import Hummingbird

/// Counts every answered request by method, route pattern and status, with its duration (``ServerMetrics``).
/// Requests that match no route are counted under `NotFound`, so that scanners cannot create series.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            record(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "NotFound"
        metrics.request(method: request.method.rawValue, route: route, status: status, duration: ContinuousClock.now - start)
    }
}
