import Foundation
import Storage

/// Counts sign-in attempts per client address in a sliding minute (beyond the limit sign-in answers 429), and
/// slows down sign-ins for an email after repeated wrong passwords: never a lock, which would let a stranger keep
/// the owner out, and the same for emails that have no account, so that the delay does not tell which exist.
/// Per process.
package actor LoginLimiter {
    package let perMinute: Int
    /// Wrong passwords for one email before its sign-ins are slowed down...
    package let slowAfter: Int
    /// ... by this many seconds, doubling with each further failure up to `maxDelay`...
    package let baseDelay: Double
    package let maxDelay: Double
    /// ... until this long after its last failure (or a success).
    package let window: Int64
    private var attempts: [String: [Int64]] = [:]
    private var failures: [String: (count: Int, last: Int64)] = [:]

    package init(perMinute: Int, slowAfter: Int = 5, baseDelay: Double = 2, maxDelay: Double = 30, windowMillis: Int64 = 15 * 60_000) {
        self.perMinute = perMinute; self.slowAfter = slowAfter; self.baseDelay = baseDelay; self.maxDelay = maxDelay
        window = windowMillis
    }

    /// Seconds to wait before checking a password for `email` (0: none).
    package func delay(for email: String, now: Int64 = WallClock.nowMillis()) -> Double {
        guard let f = failures[email.lowercased()], now - f.last < window, f.count >= slowAfter else { return 0 }
        return min(maxDelay, baseDelay * pow(2, Double(f.count - slowAfter)))
    }

    /// Counts a wrong password (or an unknown email); true when this failure starts the slow-down.
    package func failed(_ email: String, now: Int64 = WallClock.nowMillis()) -> Bool {
        let key = email.lowercased()
        let previous = failures[key].flatMap { now - $0.last < window ? $0.count : nil } ?? 0
        failures[key] = (previous + 1, now)
        if failures.count > 100_000 { failures = failures.filter { now - $0.value.last < window } }
        return previous + 1 == slowAfter
    }

    package func succeeded(_ email: String) { failures[email.lowercased()] = nil }

    /// Records an attempt; returns the seconds to wait when over the limit (the attempt is then not counted).
    package func admit(_ address: String, now: Int64 = WallClock.nowMillis()) -> Int? {
        let recent = (attempts[address] ?? []).filter { now - $0 < 60_000 }
        if recent.count >= perMinute {
            attempts[address] = recent
            return Int((60_000 - (now - recent[0])) / 1000) + 1
        }
        attempts[address] = recent + [now]
        if attempts.count > 10_000 { attempts = attempts.filter { now - ($0.value.last ?? 0) < 60_000 } }
        return nil
    }
}
