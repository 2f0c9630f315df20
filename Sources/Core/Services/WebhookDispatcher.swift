import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Delivers the webhook outbox: due deliveries are leased (one process each, `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), POSTed signed, and logged per attempt. A failure is retried after the base delay doubling up to
/// an hour (with jitter) until the retry window (24 h) has passed; a lease that runs out (crash) makes the
/// delivery due again, so every event is delivered at least once. A webhook that fails `webhookMaxFailures`
/// times in a row is disabled and an `alert.raised` event says so.
package struct WebhookDispatcher: Service {
    package let env: ServerEnvironment
    /// This process's name on the deliveries it leases.
    package let name: String

    package init(env: ServerEnvironment, name: String) { self.env = env; self.name = name }

    /// A lease is this long: well beyond an attempt (its timeout), so a live sender never loses one.
    package var leaseMillis: Int64 { Int64(max(120, 2 * env.configuration.webhooks.timeoutSeconds) * 1000) }

    package func run() async throws {
        let concurrency = max(1, env.configuration.webhooks.concurrency)
        let inFlight = InFlight()
        await cancelWhenGracefulShutdown {
            // Up to `concurrency` requests at once; a slow target holds only its own slot.
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    let free = concurrency - inFlight.count
                    if free <= 0 {
                        try? await Task.sleep(for: .milliseconds(10))
                        continue
                    }
                    let batch: [(Delivery, Webhook, Event)]
                    do {
                        batch = try await env.store.claimDeliveries(
                            worker: name, limit: free, staleBefore: WallClock.nowMillis() - leaseMillis)
                    } catch {
                        env.logger.error("webhook outbox unavailable", metadata: ["error": "\(error)"])
                        try? await Task.sleep(for: .seconds(2))
                        continue
                    }
                    if batch.isEmpty {
                        await env.outbox.wait(timeout: inFlight.count > 0 ? .milliseconds(50) : .milliseconds(500))
                        continue
                    }
                    for item in batch {
                        inFlight.add(1)
                        group.addTask {
                            await attempt(item)
                            inFlight.add(-1)
                        }
                    }
                }
            }
        }
    }

    package func attempt(_ item: (Delivery, Webhook, Event)) async {
        let (d, hook, event) = item
        let c = env.configuration.webhooks
        let r = await WebhookTarget.send(
            url: hook.url, body: Data(event.json.utf8), secret: hook.secret,
            policy: env.webhookPolicy,
            extraHeaders: [
                "X-MicroANPR-Event": event.type, "X-MicroANPR-Event-Id": String(event.id),
                "X-MicroANPR-Delivery": d.id.rawValue,
            ],
            timeout: env.configuration.webhooks.timeoutSeconds)
        // Cut short by a shutdown: the delivery is due again at once (for this or another process), not after
        // its lease. Database writes run in their own task: a cancelled one would refuse them.
        if Task.isCancelled && r.status == nil {
            let (store, name) = (env.store, name)
            await Task { try? await store.releaseDelivery(d.id, worker: name) }.value
            return
        }
        await Task { await record(d, hook: hook, result: r) }.value
    }

    /// Logs the attempt and schedules what follows; raises the alert when it disabled the webhook.
    package func record(_ d: Delivery, hook: Webhook, result r: (status: Int?, error: String?, millis: Int)) async {
        let c = env.configuration.webhooks
        let now = WallClock.nowMillis()
        let ok = r.status.map { (200..<300).contains($0) } ?? false
        let outcome: Store.AttemptOutcome
        if ok {
            outcome = .delivered
        } else {
            let delay = min(c.retryBaseSeconds * pow(2, Double(d.attempts)), 3600) * Double.random(in: 0.9...1.1)
            let next = now + Int64(delay * 1000)
            outcome = next > d.createdAt + Int64(c.retryWindowSeconds * 1000) ? .gaveUp : .retry(at: next)
        }
        let error = ok ? nil : (r.error ?? "HTTP \(r.status ?? 0)")
        switch outcome {
        case .delivered: env.metrics.webhookAttempt(outcome: "delivered")
        case .retry: env.metrics.webhookAttempt(outcome: "retry")
        case .gaveUp: env.metrics.webhookAttempt(outcome: "gave_up")
        }
        do {
            let disabled = try await env.store.recordAttempt(
                d, at: now, status: r.status, responseMillis: r.millis, error: error,
                outcome: outcome, maxConsecutiveFailures: c.maxFailures)
            if disabled {
                env.logger.warning("webhook disabled", metadata: ["webhook": "\(hook.id)", "tenant": "\(hook.tenantID)"])
                let alert = Alert(
                    id: ID(Identifier.make("alr")), tenantID: hook.tenantID, kind: "webhook_disabled", plate: "",
                    message:
                        "webhook \(hook.id) (\(hook.url)) disabled after \(c.maxFailures) failed deliveries in a row; last: \(error ?? "")",
                    readID: nil, passID: nil, cameraID: nil, createdAt: now)
                struct Data: Encodable { var alert: AlertJSON; var webhook_id: String }
                try await env.store.recordEvents(
                    tenantID: hook.tenantID,
                    [
                        NewEvent(
                            type: "alert.raised",
                            payload: env.eventPayload("alert.raised", data: Data(alert: AlertJSON(alert), webhook_id: hook.id.rawValue)),
                            alert: alert)
                    ])
                env.eventsStored(hook.tenantID)
            }
        } catch {
            env.logger.error("webhook attempt not recorded", metadata: ["delivery": "\(d.id)", "error": "\(error)"])
        }
    }
}

/// Requests in flight, shared by the dispatcher loop and its tasks.
package final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    package var count: Int { lock.withLock { value } }
    package func add(_ n: Int) { lock.withLock { value += n } }
}
