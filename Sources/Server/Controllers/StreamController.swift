import Core
import Foundation
import Hummingbird
import ServiceLifecycle
import Storage

/// `GET /v1/stream`: the tenant's events as server-sent events. Each event is `id: N`, `event: TYPE` and one
/// `data:` line holding the same JSON object as the webhook payload. `Last-Event-ID` (header, or
/// `last_event_id` query parameter) resumes from the stored events without gaps; `types` filters; a comment
/// line is sent as a heartbeat.
struct StreamController {
    let store: Store
    let bus: EventBus
    let signIn: ServerConfiguration.SignIn
    /// How long a client refused for load is told to wait.
    let retryAfterSeconds: Int

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("stream", use: stream)
    }

    @Sendable func stream(_ request: Request, context: AppContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let q = request.uri.queryParameters
        var resume: Int64?
        if let s = request.headers[.lastEventID] ?? q["last_event_id"].map(String.init) {
            guard let n = Int64(s.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                throw APIError.badRequest("Last-Event-ID must be an event id (a non-negative integer)", code: .badParameter)
            }
            resume = n
        }
        var types: Set<String>?
        if let t = q["types"] {
            let list = Set(t.split(separator: ",").map(String.init))
            guard !list.isEmpty, list.isSubset(of: Event.types) else {
                throw APIError.badRequest(
                    "types must list some of \(Event.types.joined(separator: ","))", code: .badParameter)
            }
            types = list
        }
        let (subscription, items, cursor): (UUID, AsyncStream<EventBus.Item>, Int64)
        do { (subscription, items, cursor) = try await bus.subscribe(tenantID: tenant.id) } catch {
            let scope =
                switch error {
                case .process: "this server";
                case .tenant: "this tenant"
                }
            var e = APIError(
                .serviceUnavailable, .tooManyStreams,
                "\(scope) has as many open event streams as it may; retry later or close another stream")
            e.headers[.retryAfter] = "\(retryAfterSeconds)"
            throw e
        }
        let (bus, store, signIn) = (bus, store, signIn)
        let (filter, resumeFrom) = (types, resume)
        // The credential the stream was opened with is checked again at every heartbeat: signing out, removing
        // the user, changing their role, ending the session or revoking the key ends the stream.
        let (sessionHash, startRole, keyID) = (context.session?.idHash, context.user?.role, context.apiKeyID)
        @Sendable func stillAllowed() async -> Bool {
            do {
                if let sessionHash {
                    guard let (_, user, _) = try await store.liveSession(idHash: sessionHash, signIn: signIn) else { return false }
                    return user.role == startRole
                }
                if let keyID { return try await store.isLiveKey(id: ID(keyID)) }
                return false
            } catch { return true }  // a database hiccup does not cut streams; the next heartbeat asks again
        }
        let body = ResponseBody { writer in
            defer { Task { await bus.unsubscribe(subscription) } }
            var sent = resumeFrom ?? cursor
            func write(_ e: Event, frame: ByteBuffer? = nil) async throws {
                sent = e.id
                if let filter, !filter.contains(e.type) { return }
                try await writer.write(frame ?? EventBus.frame(e))
            }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            // Stored events after the resume point, then live ones (skipping those already sent).
            while true {
                let page = try await store.events(tenantID: tenant.id, after: sent)
                for e in page { try await write(e) }
                if page.count < 500 { break }
            }
            // A graceful shutdown ends the stream (the server waits for open responses before it stops).
            try await withGracefulShutdownHandler {
                live: for await item in items {
                    switch item {
                    case .event(let e, let frame) where e.id > sent: try await write(e, frame: frame)
                    case .event: continue
                    case .heartbeat:
                        guard await stillAllowed() else { break live }
                        try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                    }
                }
            } onGracefulShutdown: {
                Task { await bus.unsubscribe(subscription) }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream", .cacheControl: "no-cache",
                .accelBuffering: "no",
            ], body: body)
    }
}
