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
            throw DecodingError.valueNotFound([Band].self, .init(codingPath: c.codingPath + [CodingKeys.bands], debugDescription: "bands must not be null"))
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

    public init(currency: String = "GBP", graceMinutes: Int = 0, weekday: Rates, weekend: Rates? = nil,
                bankHoliday: Rates? = nil, dailyCap: Int? = nil, permitHoldersFree: Bool = true,
                ukBankHolidays: Bool = true, extraBankHolidays: [String] = []) {
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
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: c.codingPath + [key], debugDescription: "\(key.stringValue) must not be null"))
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
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) { p.append("currency must be a 3-letter ISO code such as GBP") }
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
    /// Local date `YYYY-MM-DD`.
    public var date: String
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

/// Prices stays with a tariff in a time zone. Reusable and thread-safe (value type).
public struct TariffEngine: Sendable {
    public let tariff: Tariff
    let calendar: Calendar
    let extra: Set<String>

    public init(tariff: Tariff, timeZone: TimeZone) {
        self.tariff = tariff
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        calendar = c
        extra = Set(tariff.extraBankHolidays)
    }

    /// The kind of a local day.
    public func dayType(year: Int, month: Int, day: Int, weekday: Int) -> DayType {
        let key = String(format: "%04d-%02d-%02d", year, month, day)
        if extra.contains(key) || (tariff.ukBankHolidays && HolidayCache.englandAndWales(year).contains(key)) { return .bankHoliday }
        return weekday == 1 || weekday == 7 ? .weekend : .weekday
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
        var start = Date(timeIntervalSince1970: Double(entry) / 1000)
        let end = Date(timeIntervalSince1970: Double(exit) / 1000)
        while start < end {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: start)
            let midnight = calendar.nextDate(after: start, matching: DateComponents(hour: 0, minute: 0, second: 0),
                                             matchingPolicy: .nextTime) ?? end
            let partEnd = min(midnight, end)
            // Minutes of real elapsed time (a DST day has 23 or 25 hours); a started minute counts.
            let minutes = Int((partEnd.timeIntervalSince(start) / 60).rounded(.up))
            let type = dayType(year: parts.year!, month: parts.month!, day: parts.day!, weekday: parts.weekday!)
            var price = tariff.rates(type).price(minutes: minutes)
            var capped = false
            if let cap = tariff.dailyCap, price > cap { price = cap; capped = true }
            lines.append(QuoteLine(date: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!),
                                   dayType: type, minutes: minutes, price: price, capped: capped))
            start = partEnd
        }
        return Quote(currency: tariff.currency, total: lines.reduce(0) { $0 + $1.price }, minutes: totalMinutes, lines: lines,
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
