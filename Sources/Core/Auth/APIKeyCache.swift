import Foundation
import Storage
import Synchronization

/// API keys recently presented, with their tenant, kept for a few seconds: a list request then costs the database
/// one query (its own) instead of two (issue 24: every statement is planned afresh on PostgreSQL). Only keys that
/// exist are kept, so unknown keys cannot fill it.
///
/// A key revoked, or a tenant's settings changed, through this process is forgotten at once; through another
/// process (several servers on one PostgreSQL, or the CLI) the change is seen within `lifetime`
/// (`MICROANPR_API_KEY_CACHE_SECONDS`, 0: no cache).
package final class APIKeyCache: Sendable {
    package typealias Entry = (key: APIKey, hash: String, tenant: Tenant)

    private struct Kept { var entry: Entry; var until: ContinuousClock.Instant }
    private struct State {
        var kept: [String: Kept] = [:]
        /// Bumped by `removeAll`: a key loaded before a revocation is not kept after it.
        var generation = 0
    }
    private let state = Mutex(State())
    private let lifetime: Duration
    private let capacity: Int

    package init(lifetimeSeconds: Double, capacity: Int = 10_000) {
        lifetime = .milliseconds(Int64(max(0, lifetimeSeconds) * 1000))
        self.capacity = capacity
    }

    /// The key of `hash`: kept, or from `load` (then kept while it lives).
    package func key(hash: String, load: (String) async throws -> Entry?) async throws -> Entry? {
        guard lifetime > .zero else { return try await load(hash) }
        let now = ContinuousClock.now
        let (kept, generation) = state.withLock { ($0.kept[hash], $0.generation) }
        if let kept, kept.until > now { return kept.entry }
        let entry = try await load(hash)
        state.withLock { s in
            guard s.generation == generation else { return }
            guard let entry else {
                s.kept.removeValue(forKey: hash)
                return
            }
            // Over capacity (many keys in use at once): start again rather than track ages.
            if s.kept.count >= capacity { s.kept.removeAll(keepingCapacity: true) }
            s.kept[hash] = Kept(entry: entry, until: now + lifetime)
        }
        return entry
    }

    /// Forgets every key: after a revocation or a change to a tenant.
    package func removeAll() {
        state.withLock { s in
            s.kept.removeAll()
            s.generation += 1
        }
    }
}
