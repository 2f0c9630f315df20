import Foundation
import Logging
import Hummingbird

/// Adds `Server-Timing: app;dur=MS` (time until the handler answered) so that browsers and clients see the
/// server's share of a request.
struct ServerTimingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let d = ContinuousClock.now - start
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        response.headers[.serverTiming] = "app;dur=\((ms * 10).rounded() / 10)"
        return response
    }
}
