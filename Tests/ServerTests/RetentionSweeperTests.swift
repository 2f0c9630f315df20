import Core
import Foundation
import Storage
import Testing

@Suite("Retention sweeper, on SQLite and PostgreSQL")
struct RetentionSweeperTests {
    /// A day larger than many batches is deleted whole with the sweeper pausing between its batches (the default,
    /// which leaves the machine to the requests being served), and without pausing; what is newer stays.
    @Test(arguments: Engine.available)
    func aDayOfManyBatchesIsDeletedWholeWithAndWithoutPauses(engine: Engine) async throws {
        for percent in [100, 0] {
            let s = try await TestServer.make(engine) { $0.retention.pausePercent = percent }
            let (tenant, _) = try await s.tenant()
            // 1,300 reads over 13 days: 100 a day, the newest seconds ago; batches are 100 (SQLite) or 500 reads.
            try await s.store.seed(tenantID: tenant.id, kind: .reads, range: 1...1_300, of: 1_300, days: 13, plates: 50)
            try await s.store.seed(tenantID: tenant.id, kind: .passes, range: 1...1_300, of: 1_300, days: 13, plates: 50)
            #expect(try await s.store.countReads(tenantID: tenant.id) == 1_300)
            // Seen from 87 days later, the reads of the first 10 days are past the tenant's retention of 90 days.
            let later = WallClock.nowMillis() + 87 * 86_400_000
            let deleted = try await RetentionSweeper(env: s.env).sweep(now: later)
            #expect((999...1_001).contains(deleted), "pause \(percent)%: \(deleted)")
            #expect(try await s.store.countReads(tenantID: tenant.id) == 1_300 - deleted)
            await s.close()
        }
    }
}
