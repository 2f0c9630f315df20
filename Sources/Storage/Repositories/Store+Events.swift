import Foundation

/// An event to store: its type, its JSON object (without `id`, added from the stored row), and the alert
/// it announces, stored with it.
public struct NewEvent: Sendable {
    public var type: String
    public var payload: String
    public var alert: Alert?
    public init(type: String, payload: String, alert: Alert? = nil) { self.type = type; self.payload = payload; self.alert = alert }
}

/// Events (the ordered log behind SSE and webhooks) and the webhook outbox.
extension Store {
    /// The PostgreSQL channel that tells every process a tenant has new events (payload: the tenant id).
    public static let eventsChannel = "microanpr_events"

    /// Stores events (and their alerts) in one transaction, with one outbox row per webhook that wants each.
    /// On PostgreSQL the tenant's event inserts are serialised (an advisory lock), so ids commit in order and a
    /// reader resuming after id N never skips a later-committed smaller id; other processes are notified.
    @discardableResult
    public func recordEvents(tenantID: ID<Tenant>, _ events: [NewEvent]) async throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let dialect = db.dialect
        return try await db.transaction { tx in
            try await Self.appendEvents(tenantID: tenantID, events, into: tx, dialect: dialect)
        }
    }

    /// Stores events inside the caller's transaction (see ``recordEvents(tenantID:_:)``).
    static func appendEvents(
        tenantID: ID<Tenant>, _ events: [NewEvent], into tx: any SQLDatabase, dialect: SQLDialect
    ) async throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let postgres = dialect == .postgres
        do {
            if postgres { try await tx.query("SELECT pg_advisory_xact_lock(hashtext(?))", tenantID) }
            let hooks = try await tx.query("SELECT * FROM webhooks WHERE tenant_id = ? AND enabled = 1", tenantID).map(Self.webhook)
            var stored: [Event] = []
            let now = WallClock.nowMillis()
            for e in events {
                if let a = e.alert {
                    try await tx.query(
                        """
                        INSERT INTO alerts (id, tenant_id, kind, plate, message, read_id, pass_id, camera_id, detail, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, a.id, tenantID, a.kind, a.plate, a.message, a.readID, a.passID, a.cameraID, "{}", a.createdAt)
                }
                guard
                    let row = try await tx.query(
                        "INSERT INTO events (tenant_id, type, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                        tenantID, e.type, e.payload, now
                    ).first, let id = row.int("id")
                else {
                    throw StorageError("event insert returned no id")
                }
                stored.append(Event(id: Int64(id), tenantID: tenantID, type: e.type, payload: e.payload, createdAt: now))
                for h in hooks where h.wants(e.type) {
                    try await tx.query(
                        """
                        INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, status, attempts,
                          next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                        """, Identifier.make("dlv"), tenantID, h.id, Int64(id), e.type, now, now)
                }
            }
            if postgres { try await tx.query("SELECT pg_notify(?, ?)", Self.eventsChannel, tenantID) }
            return stored
        }
    }

    /// A tenant's events after `id`, oldest first.
    public func events(tenantID: ID<Tenant>, after id: Int64, limit: Int = 500) async throws -> [Event] {
        try await db.query("SELECT * FROM events WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?", tenantID, id, limit).map(Self.event)
    }

    /// The newest event id of a tenant (0 when none).
    public func lastEventID(tenantID: ID<Tenant>) async throws -> Int64 {
        Int64(try await db.first("SELECT MAX(id) AS id FROM events WHERE tenant_id = ?", tenantID)?.int("id") ?? 0)
    }

    /// Retention: deletes events and alerts older than `before`, with deliveries that are no longer pending
    /// (a delivery still being retried keeps its event until it ends).
    public func deleteEvents(tenantID: ID<Tenant>, createdBefore before: Int64) async throws {
        try await db.transaction { tx in
            try await tx.query(
                """
                DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT d.id FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
                  WHERE d.tenant_id = ? AND e.created_at < ? AND d.status <> 'pending')
                """, tenantID, before)
            try await tx.query(
                """
                DELETE FROM webhook_deliveries WHERE tenant_id = ? AND status <> 'pending'
                  AND event_id IN (SELECT id FROM events WHERE tenant_id = ? AND created_at < ?)
                """, tenantID, tenantID, before)
            try await tx.query(
                """
                DELETE FROM events WHERE tenant_id = ? AND created_at < ?
                  AND id NOT IN (SELECT event_id FROM webhook_deliveries WHERE tenant_id = ?)
                """, tenantID, before, tenantID)
            try await tx.query("DELETE FROM alerts WHERE tenant_id = ? AND created_at < ?", tenantID, before)
        }
    }

    static func event(_ r: SQLRow) -> Event {
        Event(
            id: Int64(r.int("id") ?? 0), tenantID: ID(r.string("tenant_id")), type: r.string("type"), payload: r.string("payload"),
            createdAt: Int64(r.int("created_at") ?? 0))
    }

    /// Calls `notified` with a tenant id whenever any process stores events for it (PostgreSQL LISTEN);
    /// returns only when cancelled or the connection fails. On SQLite (one process) it just waits.
    public func listenForEvents(_ notified: @escaping @Sendable (ID<Tenant>) async -> Void) async throws {
        try await db.listen(channel: Self.eventsChannel) { await notified(ID($0)) }
    }

    // MARK: Webhooks

    public func createWebhook(tenantID: ID<Tenant>, url: String, events: [String], secret: String) async throws -> Webhook {
        let w = Webhook(
            id: ID(Identifier.make("wh")), tenantID: tenantID, url: url, events: events, secret: secret, enabled: true,
            consecutiveFailures: 0, disabledReason: nil, createdAt: WallClock.nowMillis())
        try await db.query(
            """
            INSERT INTO webhooks (id, tenant_id, url, events, secret, enabled, consecutive_failures, created_at)
            VALUES (?, ?, ?, ?, ?, 1, 0, ?)
            """, w.id, tenantID, url, events.joined(separator: ","), secret, w.createdAt)
        return w
    }

    public func webhooks(tenantID: ID<Tenant>) async throws -> [Webhook] {
        try await db.query("SELECT * FROM webhooks WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map(Self.webhook)
    }

    public func webhook(tenantID: ID<Tenant>, id: ID<Webhook>) async throws -> Webhook? {
        try await db.first("SELECT * FROM webhooks WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.webhook)
    }

    /// Saves url, events and enabled; enabling clears the failure run.
    public func updateWebhook(_ w: Webhook) async throws {
        try await db.query(
            """
            UPDATE webhooks SET url = ?, events = ?, enabled = ?,
              consecutive_failures = CASE WHEN ? = 1 AND enabled = 0 THEN 0 ELSE consecutive_failures END,
              disabled_reason = CASE WHEN ? = 1 THEN NULL ELSE disabled_reason END
            WHERE tenant_id = ? AND id = ?
            """, w.url, w.events.joined(separator: ","), w.enabled ? 1 : 0, w.enabled ? 1 : 0, w.enabled ? 1 : 0, w.tenantID, w.id)
    }

    public func deleteWebhook(tenantID: ID<Tenant>, id: ID<Webhook>) async throws -> Bool {
        try await db.transaction { tx in
            try await tx.query(
                """
                DELETE FROM webhook_attempts WHERE delivery_id IN
                  (SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?)
                """, tenantID, id)
            try await tx.query("DELETE FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ?", tenantID, id)
            return try await !tx.query("DELETE FROM webhooks WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
        }
    }

    static func webhook(_ r: SQLRow) -> Webhook {
        Webhook(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), url: r.string("url"),
            events: r.string("events").split(separator: ",").map(String.init), secret: r.string("secret"),
            enabled: (r.int("enabled") ?? 0) != 0, consecutiveFailures: r.int("consecutive_failures") ?? 0,
            disabledReason: r.text("disabled_reason"), createdAt: Int64(r.int("created_at") ?? 0))
    }

    // MARK: Deliveries (the outbox)

    /// Takes up to `limit` due deliveries for `worker` (``Lease``: others skip them while `worker` lives; a lease
    /// whose heartbeat is before `staleBefore` is taken over, so a crashed sender's deliveries are retried: at least
    /// once). Three queries whatever the batch size: the deliveries, then their webhooks and events.
    public func claimDeliveries(worker: String, limit: Int, staleBefore: Int64) async throws -> [(Delivery, Webhook, Event)] {
        let now = WallClock.nowMillis(), lease = Lease.deliveries
        let skipLocked = db.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await db.query(
            """
            UPDATE webhook_deliveries SET \(lease.take)
            WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? AND \(lease.isFree)
                         AND webhook_id IN (SELECT id FROM webhooks WHERE enabled = 1)
                         ORDER BY next_attempt_at LIMIT ?\(skipLocked))
            RETURNING *
            """, worker, now, now, staleBefore, limit
        ).map(Self.delivery)
        guard !rows.isEmpty else { return [] }
        let hookIDs = Array(Set(rows.map(\.webhookID))), eventIDs = Array(Set(rows.map(\.eventID)))
        // Ids come from rows of this batch; each delivery is matched with its own tenant's webhook and event below.
        let hooks = try await db.query("SELECT * FROM webhooks WHERE id IN \(Self.placeholders(hookIDs.count))", hookIDs.map(\.sqlValue))
            .map(Self.webhook)
        let events = try await db.query("SELECT * FROM events WHERE id IN \(Self.placeholders(eventIDs.count))", eventIDs.map(SQLValue.int))
            .map(Self.event)
        let hookByID = Dictionary(hooks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let eventByID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return rows.compactMap { d in
            guard let h = hookByID[d.webhookID], h.tenantID == d.tenantID, let e = eventByID[d.eventID], e.tenantID == d.tenantID
            else { return nil }
            return (d, h, e)
        }
    }

    /// What became of an attempt.
    public enum AttemptOutcome: Sendable { case delivered, retry(at: Int64), gaveUp }

    /// Logs an attempt and updates the delivery and its webhook's failure run. Returns true when this attempt
    /// disabled the webhook (`maxConsecutiveFailures` failed attempts in a row).
    public func recordAttempt(
        _ d: Delivery, at: Int64, status: Int?, responseMillis: Int, error: String?,
        outcome: AttemptOutcome, maxConsecutiveFailures: Int
    ) async throws -> Bool {
        try await db.transaction { tx in
            let attempt = d.attempts + 1
            try await tx.query(
                """
                INSERT INTO webhook_attempts (delivery_id, attempt, at, status, response_ms, error) VALUES (?, ?, ?, ?, ?, ?)
                """, d.id, attempt, at, status, responseMillis, error)
            switch outcome {
            case .delivered:
                try await tx.query(
                    """
                    UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL,
                      last_response_ms = ?, delivered_at = ?, worker = NULL WHERE id = ?
                    """, attempt, status, responseMillis, at, d.id)
                try await tx.query("UPDATE webhooks SET consecutive_failures = 0 WHERE id = ?", d.webhookID)
                return false
            case .retry, .gaveUp:
                let state: String, nextAt: Int64
                if case .retry(let n) = outcome { (state, nextAt) = ("pending", n) } else { (state, nextAt) = ("failed", at) }
                try await tx.query(
                    """
                    UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?,
                      last_response_ms = ?, worker = NULL WHERE id = ?
                    """, state, attempt, nextAt, status, error, responseMillis, d.id)
                let row = try await tx.query(
                    """
                    UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
                      enabled = CASE WHEN consecutive_failures + 1 >= ? THEN 0 ELSE enabled END,
                      disabled_reason = CASE WHEN consecutive_failures + 1 >= ? AND enabled = 1
                        THEN ? ELSE disabled_reason END
                    WHERE id = ? RETURNING enabled, consecutive_failures
                    """, maxConsecutiveFailures, maxConsecutiveFailures,
                    "disabled after \(maxConsecutiveFailures) failed deliveries in a row", d.webhookID
                ).first
                return row.map { ($0.int("enabled") ?? 1) == 0 && ($0.int("consecutive_failures") ?? 0) == maxConsecutiveFailures } ?? false
            }
        }
    }

    /// Gives up a lease without an attempt (shutdown): the delivery is due again at once.
    public func releaseDelivery(_ id: ID<Delivery>, worker: String) async throws {
        try await releaseLease(.deliveries, id: id, holder: worker)
    }

    public func deliveries(tenantID: ID<Tenant>, webhookID: ID<Webhook>, limit: Int) async throws -> [Delivery] {
        try await db.query(
            """
            SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?
            """, tenantID, webhookID, limit
        ).map(Self.delivery)
    }

    public func delivery(tenantID: ID<Tenant>, webhookID: ID<Webhook>, id: ID<Delivery>) async throws -> Delivery? {
        try await db.first("SELECT * FROM webhook_deliveries WHERE tenant_id = ? AND webhook_id = ? AND id = ?", tenantID, webhookID, id)
            .map(Self.delivery)
    }

    public func attempts(deliveryID: ID<Delivery>) async throws -> [DeliveryAttempt] {
        try await db.query("SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt", deliveryID).map { r in
            DeliveryAttempt(
                attempt: r.int("attempt") ?? 0, at: Int64(r.int("at") ?? 0), status: r.int("status"),
                responseMillis: r.int("response_ms") ?? 0, error: r.text("error"))
        }
    }

    /// Queues a delivery again now (manual redelivery), whatever its state.
    public func redeliver(tenantID: ID<Tenant>, webhookID: ID<Webhook>, id: ID<Delivery>) async throws -> Delivery? {
        try await db.query(
            """
            UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, worker = NULL
            WHERE tenant_id = ? AND webhook_id = ? AND id = ?
            """, WallClock.nowMillis(), tenantID, webhookID, id)
        return try await delivery(tenantID: tenantID, webhookID: webhookID, id: id)
    }

    static func delivery(_ r: SQLRow) -> Delivery {
        Delivery(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), webhookID: ID(r.string("webhook_id")),
            eventID: Int64(r.int("event_id") ?? 0), eventType: r.string("event_type"), status: r.string("status"),
            attempts: r.int("attempts") ?? 0, nextAttemptAt: Int64(r.int("next_attempt_at") ?? 0),
            lastStatus: r.int("last_status"), lastError: r.text("last_error"), lastResponseMillis: r.int("last_response_ms"),
            createdAt: Int64(r.int("created_at") ?? 0), deliveredAt: r.int("delivered_at").map(Int64.init))
    }
}
