import Foundation

/// Times as text: RFC 3339 in UTC with milliseconds, the form of every time in the API's JSON and in exports.
public enum JSONTime {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (formatted by hand: a formatter per call costs more than a whole query).
    public static func string(_ millis: Int64?) -> String? {
        guard let millis else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(millis, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `millis` as ``string(_:)`` does (24 bytes for years 0 to 9999) straight into `out`.
    public static func write(_ millis: Int64, into out: inout [UInt8]) {
        write(millis) { out.append($0) }
    }

    /// The 24 bytes of `millis` in order, each given to `put`: the date from the day count by H. Hinnant's
    /// civil_from_days (no `gmtime_r`, no string per field; a list page formats 50 to 100 times).
    private static func write(_ millis: Int64, _ put: (UInt8) -> Void) {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = Int(seconds - days * 86_400)
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        // At least `width` digits (a year beyond 9999 gets all of its own; one before year 0 a minus sign first).
        func digits(_ v: Int, _ width: Int) {
            if v < 0 { put(45) }
            let v = abs(v)
            var divisor = 1, n = 1
            while n < width || divisor * 10 <= v { divisor *= 10; n += 1 }
            var rest = v
            while divisor > 0 {
                put(UInt8(48 + rest / divisor)); rest %= divisor; divisor /= 10
            }
        }
        digits(year, 4); put(45); digits(month, 2); put(45); digits(day, 2); put(84)
        digits(inDay / 3600, 2); put(58); digits(inDay / 60 % 60, 2); put(58); digits(inDay % 60, 2)
        put(46); digits(ms, 3); put(90)
    }

    /// Parses an RFC 3339 time (`2026-11-22T08:00:00Z`, `2026-11-22T08:00:00.5+01:00`; fractions beyond
    /// milliseconds are cut) to epoch milliseconds; nil for anything else, including dates that do not exist. By
    /// hand: a formatter per call (they are not safe to share) cost a quarter of a list request's CPU.
    public static func parse(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard (48...57).contains(b[k]) else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ options: [UInt8]) -> Bool {
            guard i < b.count, options.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect([45]), let month = digits(2), expect([45]), let day = digits(2),
            expect([84, 116]), let hour = digits(2), expect([58]), let minute = digits(2), expect([58]), let second = digits(2),
            (1...12).contains(month), hour < 24, minute < 60, second < 61
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        var millis = 0
        if i < b.count, b[i] == 46 {  // "."
            i += 1
            var n = 0, scale = 100
            while i < b.count, (48...57).contains(b[i]) {
                millis += Int(b[i] - 48) * scale
                scale /= 10
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
        }
        var offset = 0
        if expect([90, 122]) {  // "Z"
        } else if i < b.count, b[i] == 43 || b[i] == 45 {  // "+" or "-"
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect([58]), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 60 + om)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = ((days * 24 + hour) * 60 + minute - offset) * 60 + min(second, 59)
        return Int64(seconds) * 1000 + Int64(millis)
    }
}

extension Date {
    /// The date of epoch milliseconds, the form every time is stored in.
    public init(epochMilliseconds ms: Int64) { self.init(timeIntervalSince1970: Double(ms) / 1000) }
    /// Epoch milliseconds, rounded to the nearest.
    public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
