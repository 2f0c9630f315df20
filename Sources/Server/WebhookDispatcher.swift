import Foundation
import Logging
import ServiceLifecycle
import Storage
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers the webhook outbox: due deliveries are leased (one process each, `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), POSTed signed, and logged per attempt. A failure is retried after the base delay doubling up to
/// an hour (with jitter) until the retry window (24 h) has passed; a lease that runs out (crash) makes the
/// delivery due again, so every event is delivered at least once. A webhook that fails `webhookMaxFailures`
/// times in a row is disabled and an `alert.raised` event says so.
struct WebhookDispatcher: Service {
    let env: ServerEnvironment

    func run() async throws {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 10
        c.httpMaximumConnectionsPerHost = env.configuration.webhookConcurrency
        let session = URLSession(configuration: c)
        let concurrency = max(1, env.configuration.webhookConcurrency)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let batch: [(Delivery, Webhook, Event)]
                do {
                    batch = try await env.store.claimDeliveries(limit: concurrency * 4, leaseMillis: 120_000)
                } catch {
                    env.logger.error("webhook outbox unavailable", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(2))
                    continue
                }
                if batch.isEmpty {
                    await env.outbox.wait(timeout: .milliseconds(500))
                    continue
                }
                await withTaskGroup(of: Void.self) { group in
                    var running = 0
                    for item in batch {
                        if running >= concurrency { await group.next(); running -= 1 }
                        group.addTask { await attempt(item, session: session) }
                        running += 1
                    }
                }
            }
        }
    }

    func attempt(_ item: (Delivery, Webhook, Event), session: URLSession) async {
        let (d, hook, event) = item
        let c = env.configuration
        let r = await WebhookTarget.send(url: hook.url, body: Data(event.json.utf8), secret: hook.secret,
                                         allowPrivate: c.allowPrivateWebhooks,
                                         extraHeaders: ["X-MicroANPR-Event": event.type, "X-MicroANPR-Event-Id": String(event.id),
                                                        "X-MicroANPR-Delivery": d.id],
                                         session: session)
        let now = Clock.nowMillis()
        let ok = r.status.map { (200..<300).contains($0) } ?? false
        let outcome: Store.AttemptOutcome
        if ok {
            outcome = .delivered
        } else {
            let delay = min(c.webhookRetryBaseSeconds * pow(2, Double(d.attempts)), 3600) * Double.random(in: 0.9...1.1)
            let next = now + Int64(delay * 1000)
            outcome = next > d.createdAt + Int64(c.webhookRetryWindowSeconds * 1000) ? .gaveUp : .retry(at: next)
        }
        let error = ok ? nil : (r.error ?? "HTTP \(r.status ?? 0)")
        do {
            let disabled = try await env.store.recordAttempt(d, at: now, status: r.status, responseMillis: r.millis, error: error,
                                                             outcome: outcome, maxConsecutiveFailures: c.webhookMaxFailures)
            if disabled {
                env.logger.warning("webhook disabled", metadata: ["webhook": "\(hook.id)", "tenant": "\(hook.tenantID)"])
                let alert = Alert(id: Identifier.make("alr"), tenantID: hook.tenantID, kind: "webhook_disabled", plate: "",
                                  message: "webhook \(hook.id) (\(hook.url)) disabled after \(c.webhookMaxFailures) failed deliveries in a row; last: \(error ?? "")",
                                  readID: nil, passID: nil, cameraID: nil, createdAt: now)
                struct Data: Encodable { var alert: AlertJSON; var webhook_id: String }
                try await env.store.recordEvents(tenantID: hook.tenantID, [NewEvent(
                    type: "alert.raised", payload: env.eventPayload("alert.raised", data: Data(alert: AlertJSON(alert), webhook_id: hook.id)),
                    alert: alert)])
                env.eventsStored(hook.tenantID)
            }
        } catch {
            env.logger.error("webhook attempt not recorded", metadata: ["delivery": "\(d.id)", "error": "\(error)"])
        }
    }
}
