import Foundation

/// Times as text: RFC 3339 in UTC with milliseconds, the form of every time in the API's JSON and in exports.
public enum JSONTime {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` (formatted by hand: a formatter per call costs more than a whole query).
    public static func string(_ millis: Int64?) -> String? {
        guard let millis else { return nil }
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(seconds) * 1000)
        var t = tm()
        gmtime_r(&seconds, &t)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return
            "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)).\(pad(Int32(ms), 3))Z"
    }

    /// Parses RFC 3339 (with or without fractions).
    public static func parse(_ s: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Int64(d.timeIntervalSince1970 * 1000) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Int64(d.timeIntervalSince1970 * 1000) }
        return nil
    }
}
