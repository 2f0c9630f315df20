import Foundation
@testable import Core
import Testing

/// The doorbell that wakes the webhook dispatcher: a ring wakes a waiter long before its timeout, rings are
/// coalesced, and a cancelled waiter returns. Waits that should end early are given a minute, so that a doorbell
/// that does not wake them fails the test (a bound of 30 s) instead of passing slowly.
@Suite("Doorbell")
struct DoorbellTests {
    static let long = Duration.seconds(60)

    func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return ContinuousClock.now - start
    }

    /// A task that waits on `bell` a minute at most, given 100 ms to start waiting; its value is how long it waited.
    func waiter(on bell: Doorbell) async -> Task<Duration, Never> {
        let waiter = Task { await elapsed { await bell.wait(timeout: Self.long) } }
        try? await Task.sleep(for: .milliseconds(100))
        return waiter
    }

    @Test func aRingBeforeTheWaitEndsItAtOnce() async {
        let bell = Doorbell()
        bell.ring()
        #expect(await elapsed { await bell.wait(timeout: Self.long) } < .seconds(30))
    }

    @Test func aRingWakesATaskWaiting() async {
        let bell = Doorbell()
        let waiter = await waiter(on: bell)
        bell.ring()
        #expect(await waiter.value < .seconds(30))
    }

    @Test func ringsAreCoalescedAndAWaitWithoutOneTimesOut() async {
        let bell = Doorbell()
        bell.ring()
        bell.ring()
        #expect(await elapsed { await bell.wait(timeout: Self.long) } < .seconds(30))
        // Both rings were used up by the first wait: the second waits for its timeout.
        #expect(await elapsed { await bell.wait(timeout: .milliseconds(200)) } >= .milliseconds(200))
    }

    @Test func everyTaskWaitingIsWoken() async {
        let bell = Doorbell()
        let waiters = (0..<3).map { _ in Task { await elapsed { await bell.wait(timeout: Self.long) } } }
        // Rung until all have returned: a task that started waiting after a ring is woken by the next one.
        let ringer = Task {
            while !Task.isCancelled {
                bell.ring()
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        for w in waiters { #expect(await w.value < .seconds(30)) }
        ringer.cancel()
    }

    @Test func aCancelledWaiterReturns() async {
        let bell = Doorbell()
        let waiter = await waiter(on: bell)
        waiter.cancel()
        #expect(await waiter.value < .seconds(30))
        // The cancelled wait left no ring behind.
        #expect(await elapsed { await bell.wait(timeout: .milliseconds(200)) } >= .milliseconds(200))
    }
}
