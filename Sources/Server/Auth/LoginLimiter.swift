import Foundation
import Storage

/// Counts sign-in attempts per client address in a sliding minute; beyond the limit sign-in answers 429.
/// Per process (the per-account lockout, kept in the database, holds across processes).
actor LoginLimiter {
    let perMinute: Int
    private var attempts: [String: [Int64]] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Records an attempt; returns the seconds to wait when over the limit (the attempt is then not counted).
    func admit(_ address: String, now: Int64 = WallClock.nowMillis()) -> Int? {
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
