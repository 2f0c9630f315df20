import APIContract
import Core
import Foundation
import Hummingbird
import Recognition
import Storage

/// `/healthz`, `/readyz` and `/openapi.json`.
struct HealthController {
    let store: Store
    let recognizer: any PlateRecognizing

    func addRoutes(to router: Router<AppContext>) {
        router.get("healthz") { _, _ in StatusJSON(status: "ok") }
        router.get("readyz", use: ready)
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }

    @Sendable func ready(_ request: Request, context: AppContext) async throws -> EditedResponse<StatusJSON> {
        var checks: [String: String] = ["models": recognizer.knownCountries.isEmpty ? "not loaded" : "loaded"]
        var ok = !recognizer.knownCountries.isEmpty
        do {
            try await store.ping()
            let pending = try await Migrations.pending(in: store.db)
            checks["database"] = pending.isEmpty ? "ok" : "migrations pending: \(pending.joined(separator: ", "))"
            ok = ok && pending.isEmpty
        } catch {
            checks["database"] = "unreachable"
            ok = false
        }
        return EditedResponse(
            status: ok ? .ok : .serviceUnavailable,
            response: StatusJSON(status: ok ? "ready" : "not ready", checks: .init(additionalProperties: checks)))
    }
}
