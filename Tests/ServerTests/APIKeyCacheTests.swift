@testable import Storage
import Synchronization
import Testing

@testable import Core
@testable import Server

@Suite struct APIKeyCacheTests {
    final class Loads: Sendable {
        let count = Mutex(0)
        let exists: Bool
        init(exists: Bool = true) { self.exists = exists }
        func load(_ hash: String) async throws -> APIKeyCache.Entry? {
            count.withLock { $0 += 1 }
            guard exists else { return nil }
            let key = APIKey(
                id: "key_1", tenantID: "ten_1", name: "k", prefix: "manpr_abcdef", role: "admin", createdAt: 0, revokedAt: nil,
                lastUsedAt: nil)
            return (key, hash, Tenant(id: "ten_1", name: "t", plan: .starter, retentionDays: 30, createdAt: 0))
        }
    }

    @Test func aKeyIsAskedForOnceWhileItLivesAndAgainAfterAChange() async throws {
        let cache = APIKeyCache(lifetimeSeconds: 3600)
        let loads = Loads()
        for _ in 0..<5 { #expect(try await cache.key(hash: "h1", load: loads.load)?.key.id == "key_1") }
        #expect(loads.count.withLock { $0 } == 1)
        cache.removeAll()  // a revocation or a tenant change in this process
        _ = try await cache.key(hash: "h1", load: loads.load)
        #expect(loads.count.withLock { $0 } == 2)
    }

    @Test func unknownKeysAreNotKeptAndZeroMeansNoCache() async throws {
        let unknown = Loads(exists: false)
        let cache = APIKeyCache(lifetimeSeconds: 3600)
        for _ in 0..<3 { #expect(try await cache.key(hash: "nope", load: unknown.load) == nil) }
        #expect(unknown.count.withLock { $0 } == 3)
        let off = APIKeyCache(lifetimeSeconds: 0)
        let loads = Loads()
        for _ in 0..<3 { _ = try await off.key(hash: "h1", load: loads.load) }
        #expect(loads.count.withLock { $0 } == 3)
    }
}

extension APIKeyCacheTests {
    @Test func aKeyLoadedBeforeARevocationIsNotKeptAfterIt() async throws {
        let cache = APIKeyCache(lifetimeSeconds: 3600)
        let loads = Loads()
        // The revocation lands while the key is being loaded (another request revokes it meanwhile).
        _ = try await cache.key(hash: "h1") { hash in
            let entry = try await loads.load(hash)
            cache.removeAll()
            return entry
        }
        _ = try await cache.key(hash: "h1", load: loads.load)
        #expect(loads.count.withLock { $0 } == 2)
    }
}
