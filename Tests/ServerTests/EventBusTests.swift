import Foundation
@testable import Core
@testable import Server
import Storage
import Testing

@Suite("Event bus")
struct EventBusTests {
    /// A client that does not read is dropped once it is `queueLimit` events behind; another client keeps
    /// getting every event.
    @Test func aSlowSubscriberIsDroppedWithoutHoldingOthersBack() async throws {
        let s = try await TestServer.make(.sqlite)
        let (tenant, _) = try await s.tenant()
        let bus = EventBus(store: s.store, queueLimit: 5)
        let (_, slow, _) = try await bus.subscribe(tenantID: tenant.id)
        let (_, fast, _) = try await bus.subscribe(tenantID: tenant.id)
        let reader = Task {
            var ids: [Int64] = []
            for await item in fast {
                if case .event(let e, _) = item { ids.append(e.id) }
                if ids.count == 20 { break }
            }
            return ids
        }
        for _ in 0..<20 {
            try await s.store.recordEvents(tenantID: tenant.id, [NewEvent(type: "plate.detected", payload: "{}")])
            await bus.wake(tenant.id)
            try await Task.sleep(for: .milliseconds(20))
        }
        let ids = await reader.value
        #expect(ids.count == 20 && ids == ids.sorted())
        // The slow one got its 5 and was then finished.
        var got = 0
        for await item in slow { if case .event = item { got += 1 } }
        #expect(got == 5)
        #expect(await bus.subscriberCount <= 1)
        await s.close()
    }

    /// Streams beyond the per-tenant cap and the per-process cap are refused; a slot freed by a client that
    /// left is granted again.
    @Test func streamsBeyondTheCapsAreRefusedAndSlotsComeBack() async throws {
        let s = try await TestServer.make(.sqlite)
        let (a, _) = try await s.tenant()
        let (b, _) = try await s.tenant()
        let bus = EventBus(store: s.store, maxClients: 3, maxClientsPerTenant: 2)
        // The streams are kept: a stream that is dropped ends its subscription.
        let (first, s1, _) = try await bus.subscribe(tenantID: a.id)
        let (_, s2, _) = try await bus.subscribe(tenantID: a.id)
        await #expect(throws: EventBus.Refusal.tenant(limit: 2)) { _ = try await bus.subscribe(tenantID: a.id) }
        let (_, s3, _) = try await bus.subscribe(tenantID: b.id)
        await #expect(throws: EventBus.Refusal.process(limit: 3)) { _ = try await bus.subscribe(tenantID: b.id) }
        #expect(await bus.refused == 2)
        await bus.unsubscribe(first)
        let (_, s4, _) = try await bus.subscribe(tenantID: a.id)
        #expect(await bus.subscriberCount == 3)
        withExtendedLifetime((s1, s2, s3, s4)) {}
        await s.close()
    }

    /// The budget keeps an eighth of the open-file limit (at least 96) for everything but connections, and
    /// leaves room for API requests beside the streams.
    @Test func theBudgetLeavesRoomBesideConnectionsAndStreams() {
        let small = FileDescriptorBudget.make(soft: 256, hard: 256, before: 256)
        #expect(small.connections == 160 && small.streams == 144)
        let large = FileDescriptorBudget.make(soft: 20000, hard: 20000, before: 1024)
        #expect(large.connections == 17500 && large.streams < large.connections && large.streams > 10_000)
    }
}
