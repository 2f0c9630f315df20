import Foundation
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
        let (_, slow, _) = await bus.subscribe(tenantID: tenant.id)
        let (_, fast, _) = await bus.subscribe(tenantID: tenant.id)
        let reader = Task {
            var ids: [Int64] = []
            for await item in fast {
                if case .event(let e) = item { ids.append(e.id) }
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
}
