import Synchronization

/// One-character plate prefixes that many of a tenant's rows start with, each remembered for `lifetimeMillis`: SQLite
/// walks its time index for them without asking again (`Store.fewRowsStart`). A prefix stays common as rows arrive; one
/// that retention or erasure made rare is asked about again within the lifetime.
final class CommonPrefixes: Sendable {
    let lifetimeMillis: Int64 = 300_000
    /// Beyond this many entries, expired ones are dropped (tables x tenants x first characters).
    let capacity = 10_000
    private let seen = Mutex<[String: Int64]>([:])

    func contains(_ key: String, now: Int64) -> Bool {
        seen.withLock { seen in seen[key].map { now - $0 < lifetimeMillis } ?? false }
    }

    func insert(_ key: String, now: Int64) {
        seen.withLock { seen in
            if seen.count >= capacity { seen = seen.filter { now - $0.value < lifetimeMillis } }
            if seen.count < capacity { seen[key] = now }
        }
    }
}
