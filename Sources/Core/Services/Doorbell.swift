import Foundation
import Rules
import Storage

/// Wakes a waiting task early (rings are coalesced); the waiter also wakes on its own after a timeout.
///
/// A waiter sleeps until it is rung or its timeout passes, and nothing runs meanwhile: an idle server does not
/// wake up to look at a flag (it did every 10 ms, a hundred wake-ups a second for nothing).
package final class Doorbell: @unchecked Sendable {
    private let lock = NSLock()
    /// Rung while nobody waited: the next wait returns at once.
    private var rung = false
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    /// Waits cancelled before they started waiting (they return at once when they do).
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 0

    package init() {}

    /// Wakes every task waiting now, or, when none is, the next one to wait.
    package func ring() {
        let woken = lock.withLock {
            if waiters.isEmpty { rung = true }
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for w in woken { w.resume() }
    }

    /// Returns soon after a ring (or at once when rung since the last wait), after `timeout`, or when the task is
    /// cancelled.
    package func wait(timeout: Duration) async {
        if lock.withLock({ () -> Bool in
            defer { rung = false }
            return rung
        }) {
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForRing() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns when rung, or when the task is cancelled.
    private func waitForRing() async {
        let id = lock.withLock {
            nextID &+= 1
            return nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = lock.withLock { () -> Bool in
                    if cancelled.contains(id) { return true }
                    if rung {
                        rung = false
                        return true
                    }
                    waiters[id] = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                if let c = waiters.removeValue(forKey: id) { return c }
                cancelled.insert(id)
                return nil
            }
            waiting?.resume()
        }
        lock.withLock { _ = cancelled.remove(id) }
    }
}
