import Foundation

/// The kind of day a part of a stay falls on; each has its own rates (missing ones fall back to weekday).
public enum DayType: String, Sendable, Codable, CaseIterable {
    case weekday, weekend
    case bankHoliday = "bank_holiday"
}

/// The price of a stay of up to `upToMinutes` minutes (within one day).
public struct Band: Sendable, Codable, Equatable {
    public var upToMinutes: Int
    /// Minor units (pence, cents).
    public var price: Int
    public init(upToMinutes: Int, price: Int) { self.upToMinutes = upToMinutes; self.price = price }
    enum CodingKeys: String, CodingKey { case upToMinutes = "up_to_minutes", price }
}

/// Rates of one kind of day: bands first, then `hourly` for every started hour beyond the last band (or from
/// the start when there are no bands).
public struct Rates: Sendable, Codable, Equatable {
    public var bands: [Band]
    public var hourly: Int
    public init(bands: [Band] = [], hourly: Int) { self.bands = bands; self.hourly = hourly }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.bands), try c.decodeNil(forKey: .bands) {
            throw DecodingError.valueNotFound(
                [Band].self, .init(codingPath: c.codingPath + [CodingKeys.bands], debugDescription: "bands must not be null"))
        }
        bands = try c.decodeIfPresent([Band].self, forKey: .bands) ?? []
        hourly = try c.decode(Int.self, forKey: .hourly)
    }
    enum CodingKeys: String, CodingKey { case bands, hourly }

    /// The price of `minutes` of parking on one day, before the daily cap.
    public func price(minutes: Int) -> Int {
        guard minutes > 0 else { return 0 }
        if let band = bands.first(where: { minutes <= $0.upToMinutes }) { return band.price }
        let covered = bands.last?.upToMinutes ?? 0
        let base = bands.last?.price ?? 0
        let hours = (minutes - covered + 59) / 60
        return base + hours * hourly
    }
}

/// A site's tariff. Money is in integer minor units of `currency`.
///
/// A stay is split at local midnights (in `timeZone`); each day's part is priced with the rates of its kind of
/// day (`weekday`, `weekend`, `bank_holiday`), capped at `dailyCap`, and the parts are added. A stay no longer
/// than `graceMinutes` is free, and so is a permit holder's when `permitHoldersFree`.
public struct Tariff: Sendable, Codable, Equatable {
    public var currency: String
    public var graceMinutes: Int
    public var weekday: Rates
    public var weekend: Rates?
    public var bankHoliday: Rates?
    public var dailyCap: Int?
    public var permitHoldersFree: Bool
    /// Whether England and Wales bank holidays count (by rule), besides `extraBankHolidays` (`YYYY-MM-DD`).
    public var ukBankHolidays: Bool
    public var extraBankHolidays: [String]

    public init(
        currency: String = "GBP", graceMinutes: Int = 0, weekday: Rates, weekend: Rates? = nil,
        bankHoliday: Rates? = nil, dailyCap: Int? = nil, permitHoldersFree: Bool = true,
        ukBankHolidays: Bool = true, extraBankHolidays: [String] = []
    ) {
        self.currency = currency; self.graceMinutes = graceMinutes; self.weekday = weekday; self.weekend = weekend
        self.bankHoliday = bankHoliday; self.dailyCap = dailyCap; self.permitHoldersFree = permitHoldersFree
        self.ukBankHolidays = ukBankHolidays; self.extraBankHolidays = extraBankHolidays
    }

    enum CodingKeys: String, CodingKey {
        case currency, weekday, weekend
        case graceMinutes = "grace_minutes", bankHoliday = "bank_holiday", dailyCap = "daily_cap"
        case permitHoldersFree = "permit_holders_free", ukBankHolidays = "uk_bank_holidays", extraBankHolidays = "extra_bank_holidays"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // An optional field is absent or has a value: an explicit null is an error, not "unset".
        for key in c.allKeys where try c.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: c.codingPath + [key], debugDescription: "\(key.stringValue) must not be null"))
        }
        currency = try c.decodeIfPresent(String.self, forKey: .currency) ?? "GBP"
        graceMinutes = try c.decodeIfPresent(Int.self, forKey: .graceMinutes) ?? 0
        weekday = try c.decode(Rates.self, forKey: .weekday)
        weekend = try c.decodeIfPresent(Rates.self, forKey: .weekend)
        bankHoliday = try c.decodeIfPresent(Rates.self, forKey: .bankHoliday)
        dailyCap = try c.decodeIfPresent(Int.self, forKey: .dailyCap)
        permitHoldersFree = try c.decodeIfPresent(Bool.self, forKey: .permitHoldersFree) ?? true
        ukBankHolidays = try c.decodeIfPresent(Bool.self, forKey: .ukBankHolidays) ?? true
        extraBankHolidays = try c.decodeIfPresent([String].self, forKey: .extraBankHolidays) ?? []
    }

    /// Problems that make the tariff unusable, in words; empty when it is valid.
    public func problems() -> [String] {
        var p: [String] = []
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            p.append("currency must be a 3-letter ISO code such as GBP")
        }
        if graceMinutes < 0 || graceMinutes > 1440 { p.append("grace_minutes must be 0 to 1440") }
        if let cap = dailyCap, cap < 0 { p.append("daily_cap must not be negative") }
        for (name, r) in [("weekday", weekday), ("weekend", weekend), ("bank_holiday", bankHoliday)] {
            guard let r else { continue }
            if r.hourly < 0 || r.hourly > 10_000_000 { p.append("\(name).hourly must be 0 to 10,000,000 minor units") }
            if r.bands.count > 48 { p.append("\(name) has more than 48 bands") }
            for (a, b) in zip(r.bands, r.bands.dropFirst()) where b.upToMinutes <= a.upToMinutes {
                p.append("\(name) bands must have increasing up_to_minutes")
            }
            if r.bands.contains(where: { $0.upToMinutes < 1 || $0.upToMinutes > 1440 || $0.price < 0 || $0.price > 10_000_000 }) {
                p.append("\(name) bands need up_to_minutes 1 to 1440 and a price 0 to 10,000,000")
            }
        }
        for d in extraBankHolidays where Tariff.day(d) == nil { p.append("extra_bank_holidays: \(d) is not a YYYY-MM-DD date") }
        return p
    }

    static func day(_ s: String) -> DateComponents? {
        let parts = s.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, s.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        return DateComponents(year: parts[0], month: parts[1], day: parts[2])
    }

    /// The rates of a kind of day.
    public func rates(_ type: DayType) -> Rates {
        switch type {
        case .weekday: weekday
        case .weekend: weekend ?? weekday
        case .bankHoliday: bankHoliday ?? weekend ?? weekday
        }
    }
}

/// One day's part of a quoted stay.
public struct QuoteLine: Sendable, Equatable {
    /// Days since 1970-01-01 of the local date.
    public var day: Int64
    public var year: Int, month: Int, dayOfMonth: Int
    /// Local date `YYYY-MM-DD`.
    public var date: String { String(format: "%04d-%02d-%02d", year, month, dayOfMonth) }
    public var dayType: DayType
    public var minutes: Int
    public var price: Int
    public var capped: Bool
}

/// The charge for a stay.
public struct Quote: Sendable, Equatable {
    public var currency: String
    public var total: Int
    public var minutes: Int
    public var lines: [QuoteLine]
    /// Why it is free, when it is: `grace` or `permit`.
    public var freeReason: String?
}

/// Prices stays with a tariff in a time zone. Reusable and thread-safe (value type). Day boundaries, weekdays
/// and bank holidays are found with integer arithmetic over precomputed time-zone transitions and holiday sets
/// (no calendar calls per quote).
public struct TariffEngine: Sendable {
    public let tariff: Tariff
    let timeZone: TimeZone
    /// UTC seconds of each offset change in the precomputed range, and the offset from then on.
    let transitions: [(at: Int64, offset: Int64)]
    let range: ClosedRange<Int64>
    /// Bank holidays as day numbers since 1970-01-01 (local calendar days).
    let holidays: Set<Int64>

    public init(tariff: Tariff, timeZone: TimeZone, now: Date = Date()) {
        self.tariff = tariff
        self.timeZone = timeZone
        let year = Calendar(identifier: .gregorian).component(.year, from: now)
        var c = DateComponents(); c.year = year - 10; c.month = 1; c.day = 1
        var utc = Calendar(identifier: .gregorian); utc.timeZone = TimeZone(identifier: "UTC")!
        let start = utc.date(from: c)!, end = utc.date(from: DateComponents(year: year + 11, month: 1, day: 1))!
        var list: [(Int64, Int64)] = [(Int64(start.timeIntervalSince1970), Int64(timeZone.secondsFromGMT(for: start)))]
        var t = start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: t), next < end {
            list.append((Int64(next.timeIntervalSince1970), Int64(timeZone.secondsFromGMT(for: next))))
            t = next
        }
        transitions = list
        range = Int64(start.timeIntervalSince1970)...Int64(end.timeIntervalSince1970)
        var days = Set<Int64>()
        for y in (year - 10)...(year + 10) {
            if tariff.ukBankHolidays { for d in HolidayCache.englandAndWales(y) { if let n = Self.dayNumber(d) { days.insert(n) } } }
        }
        for d in tariff.extraBankHolidays { if let n = Self.dayNumber(d) { days.insert(n) } }
        holidays = days
    }

    /// Day number of a `YYYY-MM-DD` date.
    static func dayNumber(_ s: String) -> Int64? {
        guard let c = Tariff.day(s) else { return nil }
        return daysFromCivil(Int64(c.year!), Int64(c.month!), Int64(c.day!))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    /// UTC offset in seconds at a UTC second.
    func offset(_ t: Int64) -> Int64 {
        guard range.contains(t) else { return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))) }
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid].at <= t { lo = mid } else { hi = mid - 1 }
        }
        return transitions[lo].offset
    }

    /// The kind of a local day (day number since 1970-01-01).
    func dayType(day: Int64) -> DayType {
        if holidays.contains(day) { return .bankHoliday }
        let weekday = ((day % 7) + 10) % 7  // 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday: 3)
        return weekday >= 5 ? .weekend : .weekday
    }

    /// The charge for a stay from `entry` to `exit` (epoch milliseconds).
    public func quote(entry: Int64, exit: Int64, permitHolder: Bool = false) -> Quote {
        let totalMinutes = Int(max(0, exit - entry) / 60_000)
        if exit - entry <= Int64(tariff.graceMinutes) * 60_000 {
            return Quote(currency: tariff.currency, total: 0, minutes: totalMinutes, lines: [], freeReason: "grace")
        }
        if permitHolder && tariff.permitHoldersFree {
            return Quote(currency: tariff.currency, total: 0, minutes: totalMinutes, lines: [], freeReason: "permit")
        }
        var lines: [QuoteLine] = []
        var start = entry
        while start < exit {
            let seconds = Int64((Double(start) / 1000).rounded(.down))
            let day = Int64((Double(seconds + offset(seconds)) / 86_400).rounded(.down))
            // The next local midnight in UTC: with the offset in force then (a DST change during the day).
            let nextLocal = (day + 1) * 86_400
            var midnight = nextLocal - offset(nextLocal - offset(seconds))
            if midnight <= seconds { midnight = nextLocal - offset(seconds) }
            let partEnd = min(midnight * 1000, exit)
            // Minutes of real elapsed time (a DST day has 23 or 25 hours); a started minute counts.
            let minutes = Int((partEnd - start + 59_999) / 60_000)
            let type = dayType(day: day)
            var price = tariff.rates(type).price(minutes: minutes)
            var capped = false
            if let cap = tariff.dailyCap, price > cap { price = cap; capped = true }
            let (y, m, d) = Self.civilFromDays(day)
            lines.append(
                QuoteLine(
                    day: day, year: Int(y), month: Int(m), dayOfMonth: Int(d), dayType: type, minutes: minutes,
                    price: price, capped: capped))
            start = partEnd
        }
        return Quote(
            currency: tariff.currency, total: lines.reduce(0) { $0 + $1.price }, minutes: totalMinutes, lines: lines,
            freeReason: nil)
    }
}

/// Bank holidays per year, computed once.
enum HolidayCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var years: [Int: Set<String>] = [:]

    static func englandAndWales(_ year: Int) -> Set<String> {
        lock.lock(); defer { lock.unlock() }
        if let s = years[year] { return s }
        let s = BankHolidays.englandAndWales(year)
        years[year] = s
        return s
    }
}
