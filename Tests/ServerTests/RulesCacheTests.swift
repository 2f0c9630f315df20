import Foundation
import Rules
@testable import Core
@testable import Server
import Storage
import Testing

/// The access-rules cache is keyed by the tenant's rules version, which every rules write bumps in its own
/// transaction: two processes (two caches on one database) see a change at once, with no invalidation by hand.
@Suite struct RulesCacheTests {
    @Test(arguments: Engine.available)
    func everyProcessSeesARulesChangeAtOnce(_ engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, _) = try await s.tenant()
        let here = RulesCache(store: s.store), there = RulesCache(store: s.store)
        #expect(try await here.rules(for: tenant).watch.isEmpty)
        #expect(try await there.rules(for: tenant).watch.isEmpty)

        let list = try await s.store.createWatchlist(tenantID: tenant.id, name: "stolen", reason: "police report")
        let entry = try await s.store.addWatchlistEntry(tenantID: tenant.id, listID: list.id, plate: "BD51SMR", note: "")
        #expect(try await here.rules(for: tenant).watch.map(\.plate) == ["BD51SMR"])
        #expect(try await there.rules(for: tenant).watch.map(\.plate) == ["BD51SMR"])

        let group = try await s.store.createGroup(tenantID: tenant.id, name: "staff", description: "")
        let member = Member(
            id: "mem_1", tenantID: tenant.id, groupID: group.id, name: "A", email: "", permitID: "", plate: "CX64PKW",
            validFrom: nil, validTo: nil, days: nil, hours: nil, createdAt: 0)
        try await s.store.addMembers([member])
        #expect(try await there.rules(for: tenant).permits.map(\.plate) == ["CX64PKW"])
        #expect(try await s.store.deleteWatchlistEntry(tenantID: tenant.id, listID: list.id, id: entry.id))
        #expect(try await here.rules(for: tenant).watch.isEmpty)

        // Another tenant's writes do not touch this tenant's version.
        let before = try await s.store.rulesVersion(tenantID: tenant.id)
        let (other, _) = try await s.tenant("other")
        _ = try await s.store.createAlertRule(tenantID: other.id, kind: "unknown_plate", cameraID: nil, site: nil)
        #expect(try await s.store.rulesVersion(tenantID: tenant.id) == before)
        #expect(try await s.store.rulesVersion(tenantID: other.id) == 1)
        await s.close()
    }
}
