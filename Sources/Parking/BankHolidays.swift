import Foundation

/// Bank holidays of England and Wales by rule (New Year's Day, Good Friday, Easter Monday, early May, spring,
/// summer, Christmas and Boxing Day, with weekend substitutes). One-off holidays (a jubilee, a coronation) are
/// not rules: a tariff lists them in `extraBankHolidays`.
public enum BankHolidays {
    /// `YYYY-MM-DD` dates of `year`.
    public static func englandAndWales(_ year: Int) -> Set<String> {
        var days: [DateComponents] = []
        func date(_ m: Int, _ d: Int) -> DateComponents { DateComponents(year: year, month: m, day: d) }
        let cal = gregorian
        func weekday(_ c: DateComponents) -> Int { cal.component(.weekday, from: cal.date(from: c)!) }  // 1 = Sunday
        func adding(_ c: DateComponents, _ n: Int) -> DateComponents {
            cal.dateComponents([.year, .month, .day], from: cal.date(byAdding: .day, value: n, to: cal.date(from: c)!)!)
        }
        // New Year's Day, moved to Monday from a weekend.
        let ny = date(1, 1)
        days.append(weekday(ny) == 7 ? adding(ny, 2) : weekday(ny) == 1 ? adding(ny, 1) : ny)
        let easter = easterSunday(year)
        days.append(adding(easter, -2))
        days.append(adding(easter, 1))
        func firstMonday(_ m: Int) -> DateComponents { var c = date(m, 1); while weekday(c) != 2 { c = adding(c, 1) }; return c }
        func lastMonday(_ m: Int) -> DateComponents {
            var c = adding(date(m == 12 ? 1 : m + 1, 1), -1)
            if m == 12 { c = date(12, 31) }
            while weekday(c) != 2 { c = adding(c, -1) }
            return c
        }
        days.append(firstMonday(5))
        days.append(lastMonday(5))
        days.append(lastMonday(8))
        // Christmas and Boxing Day with substitutes: Sat/Sun Christmas moves to the 27th, Boxing Day to the next free weekday.
        let xmas = date(12, 25), boxing = date(12, 26)
        switch weekday(xmas) {
        case 7: days += [date(12, 27), date(12, 28)]  // Saturday: Mon 27 and Tue 28
        case 1: days += [date(12, 27), boxing]  // Sunday: Boxing Day Mon 26, Christmas Tue 27
        case 6: days += [xmas, date(12, 28)]  // Friday: Boxing Day Saturday -> Mon 28
        default: days += [xmas, boxing]
        }
        return Set(days.map { String(format: "%04d-%02d-%02d", $0.year!, $0.month!, $0.day!) })
    }

    /// Easter Sunday (anonymous Gregorian algorithm).
    static func easterSunday(_ y: Int) -> DateComponents {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return DateComponents(year: y, month: month, day: day)
    }

    static let gregorian: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
