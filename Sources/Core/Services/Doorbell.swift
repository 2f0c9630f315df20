import Foundation
import Rules
import Storage

/// Wakes a waiting task early (rings are coalesced); the waiter also wakes on its own after a timeout.
package final class Doorbell: @unchecked Sendable {
    private let lock = NSLock()
    private var rung = false

    package func ring() { lock.withLock { rung = true } }

    /// Returns soon after a ring (or at once when rung since the last wait), or after `timeout`.
    package func wait(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && !Task.isCancelled {
            if lock.withLock({
                defer { rung = false }; return rung
            }) {
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
