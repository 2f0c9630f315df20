import Foundation

/// Wall-clock helpers: times are stored as Unix epoch milliseconds.
public enum WallClock {
    public static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
