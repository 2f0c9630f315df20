import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Storage

/// Fans a tenant's stored events out to the SSE clients of this process.
///
/// Events are always read back from the database (by id, in order), so every process sees every event
/// whichever process stored it: a local insert wakes the bus directly, another process's insert wakes it
/// through PostgreSQL NOTIFY (``EventListener``), and a poll every second covers a lost notification. Each
/// client has a bounded queue: a client that falls `queueLimit` events behind is dropped (it reconnects
/// with `Last-Event-ID` and resumes from the database), never slowing the others.
package actor EventBus {
    /// An event with its SSE frame, encoded once for every subscriber (10,000 streams need not build
    /// 10,000 copies of the same bytes), or a heartbeat.
    package enum Item: Sendable { case event(Event, frame: ByteBuffer), heartbeat }

    /// The SSE frame of an event: `id`, `event` and one `data` line.
    package static func frame(_ e: Event) -> ByteBuffer { ByteBuffer(string: "id: \(e.id)\nevent: \(e.type)\ndata: \(e.json)\n\n") }

    package struct Subscriber {
        var tenantID: ID<Tenant>
        var continuation: AsyncStream<Item>.Continuation
    }

    /// Why a stream was refused: the process or the tenant holds as many streams as it may.
    package enum Refusal: Error, Equatable { case process(limit: Int), tenant(limit: Int) }

    package let store: Store
    package let queueLimit: Int
    /// At most this many streams in this process, and per tenant (running out of file descriptors must not
    /// be a question of how many browsers are open).
    package let maxClients: Int
    package let maxClientsPerTenant: Int
    package let logger: Logger
    private var subscribers: [UUID: Subscriber] = [:]
    /// Streams per tenant, counted from the moment a slot is granted (before the first await, so that
    /// concurrent subscriptions cannot overshoot the caps).
    private var perTenant: [ID<Tenant>: Int] = [:]
    private var slots = 0
    /// Refusals since start, and since the last log line (one line per `logInterval` at most).
    private(set) var refused = 0
    private var refusedSinceLog = 0
    private var lastLog: ContinuousClock.Instant?
    private let logInterval: Duration = .seconds(10)
    /// Per tenant with subscribers: the last event id fanned out, and whether a fetch is running / wanted.
    private var cursors: [ID<Tenant>: Int64] = [:]
    private var fetching: Set<ID<Tenant>> = []
    private var wanted: Set<ID<Tenant>> = []

    package init(
        store: Store, queueLimit: Int = 1000, maxClients: Int = .max, maxClientsPerTenant: Int = .max,
        logger: Logger = Logger(label: "microanpr.events")
    ) {
        self.store = store; self.queueLimit = queueLimit
        self.maxClients = maxClients; self.maxClientsPerTenant = maxClientsPerTenant; self.logger = logger
    }

    /// A stream of the tenant's events stored from now on (and heartbeats); ends when the client is dropped.
    /// Also returns the last event id already fanned out before this subscription (events after it reach
    /// the stream or are in the database). Throws ``Refusal`` when a cap is reached.
    package func subscribe(tenantID: ID<Tenant>) async throws(Refusal) -> (UUID, AsyncStream<Item>, Int64) {
        let refusal: Refusal? =
            slots >= maxClients
            ? .process(limit: maxClients)
            : perTenant[tenantID, default: 0] >= maxClientsPerTenant ? .tenant(limit: maxClientsPerTenant) : nil
        if let refusal {
            noteRefusal(refusal)
            throw refusal
        }
        slots += 1
        perTenant[tenantID, default: 0] += 1
        if cursors[tenantID] == nil {
            cursors[tenantID] = (try? await store.lastEventID(tenantID: tenantID)) ?? 0
        }
        let (stream, continuation) = AsyncStream<Item>.makeStream(bufferingPolicy: .bufferingOldest(queueLimit))
        let id = UUID()
        subscribers[id] = Subscriber(tenantID: tenantID, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return (id, stream, cursors[tenantID] ?? 0)
    }

    /// Ends every stream (graceful shutdown: SSE responses finish).
    package func closeAll() {
        for id in subscribers.keys { unsubscribe(id) }
    }

    private func noteRefusal(_ refusal: Refusal) {
        refused += 1
        refusedSinceLog += 1
        let now = ContinuousClock.now
        if let last = lastLog, now - last < logInterval { return }
        lastLog = now
        let what =
            switch refusal {
            case .process(let n): "the process holds \(n) streams (MICROANPR_SSE_MAX_CLIENTS)"
            case .tenant(let n): "a tenant holds \(n) streams (MICROANPR_SSE_MAX_CLIENTS_PER_TENANT)"
            }
        logger.warning(
            "SSE streams refused with 503", metadata: ["refused": "\(refusedSinceLog)", "why": "\(what)", "total": "\(refused)"])
        refusedSinceLog = 0
    }

    package func unsubscribe(_ id: UUID) {
        guard let s = subscribers.removeValue(forKey: id) else { return }
        slots -= 1
        if let n = perTenant[s.tenantID] { perTenant[s.tenantID] = n > 1 ? n - 1 : nil }
        s.continuation.finish()
        if !subscribers.values.contains(where: { $0.tenantID == s.tenantID }) { cursors[s.tenantID] = nil }
    }

    package var subscriberCount: Int { subscribers.count }

    /// New events may exist for `tenantID`: read them once and hand them to its subscribers.
    package func wake(_ tenantID: ID<Tenant>) async {
        guard cursors[tenantID] != nil else { return }
        if fetching.contains(tenantID) { wanted.insert(tenantID); return }
        fetching.insert(tenantID)
        defer { fetching.remove(tenantID) }
        repeat {
            wanted.remove(tenantID)
            guard let after = cursors[tenantID],
                let events = try? await store.events(tenantID: tenantID, after: after), !events.isEmpty
            else { continue }
            guard cursors[tenantID] != nil else { return }
            cursors[tenantID] = events.last!.id
            let frames = events.map { ($0, Self.frame($0)) }
            for (id, s) in subscribers where s.tenantID == tenantID {
                for (e, frame) in frames {
                    if case .dropped = s.continuation.yield(.event(e, frame: frame)) {
                        // Too slow: dropped so that it cannot hold the others back.
                        unsubscribe(id)
                        break
                    }
                }
            }
            if events.count == 500 { wanted.insert(tenantID) }
        } while wanted.contains(tenantID)
    }

    /// Every tenant with subscribers (for the safety poll).
    package var tenants: [ID<Tenant>] { Array(cursors.keys) }

    package func heartbeat() {
        for s in subscribers.values { s.continuation.yield(.heartbeat) }
    }
}

/// Keeps the ``EventBus`` fed: PostgreSQL notifications from every process (reconnecting when the
/// connection drops), a poll every second, and heartbeats to every SSE client.
package struct EventListener: Service {
    package let bus: EventBus
    package let store: Store
    package let logger: Logger
    package let heartbeat: Duration

    package init(bus: EventBus, store: Store, logger: Logger, heartbeat: Duration) {
        self.bus = bus; self.store = store; self.logger = logger; self.heartbeat = heartbeat
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            try await store.listenForEvents { tenant in await bus.wake(tenant) }
                        } catch {
                            if Task.isCancelled { break }
                            logger.warning("event notifications lost, listening again", metadata: ["error": "\(error)"])
                        }
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        for t in await bus.tenants { await bus.wake(t) }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: heartbeat)
                        await bus.heartbeat()
                    }
                }
                await group.waitForAll()
            }
            await bus.closeAll()
        }
    }
}
