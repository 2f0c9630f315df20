import Foundation
import Parking
import Testing

@Suite("Tariff engine")
struct TariffTests {
    /// Up to 1 h £2, up to 2 h £3.50, then £1.50 per started hour; weekends £1 an hour flat; bank holidays free;
    /// capped at £12 a day; 10 minutes' grace.
    static let tariff = Tariff(
        currency: "GBP", graceMinutes: 10,
        weekday: Rates(bands: [Band(upToMinutes: 60, price: 200), Band(upToMinutes: 120, price: 350)], hourly: 150),
        weekend: Rates(hourly: 100), bankHoliday: Rates(hourly: 0), dailyCap: 1200)
    static let london = TimeZone(identifier: "Europe/London")!

    /// Epoch milliseconds of a London wall-clock time.
    static func t(_ s: String) -> Int64 {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = london
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return Int64(f.date(from: s)!.timeIntervalSince1970 * 1000)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String, entry: String, exit: String, total: Int, lines: Int = 1, permit: Bool = false, free: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "within grace", entry: "2026-11-18 09:00", exit: "2026-11-18 09:10", total: 0, lines: 0, free: "grace"),
        Case(name: "just past grace", entry: "2026-11-18 09:00", exit: "2026-11-18 09:11", total: 200),
        Case(name: "exactly one hour (band boundary)", entry: "2026-11-18 09:00", exit: "2026-11-18 10:00", total: 200),
        Case(name: "one hour and a minute", entry: "2026-11-18 09:00", exit: "2026-11-18 10:01", total: 350),
        Case(name: "exactly two hours", entry: "2026-11-18 09:00", exit: "2026-11-18 11:00", total: 350),
        Case(name: "two hours and a minute: one started hour more", entry: "2026-11-18 09:00", exit: "2026-11-18 11:01", total: 500),
        Case(name: "five hours", entry: "2026-11-18 09:00", exit: "2026-11-18 14:00", total: 350 + 3 * 150),
        Case(name: "capped day", entry: "2026-11-18 06:00", exit: "2026-11-18 22:00", total: 1200),
        Case(
            name: "across midnight: two days priced apart", entry: "2026-11-18 23:00", exit: "2026-11-19 01:30", total: 200 + 350, lines: 2),
        Case(name: "weekend hourly", entry: "2026-11-21 10:00", exit: "2026-11-21 12:30", total: 300),
        Case(name: "Friday into Saturday", entry: "2026-11-20 23:30", exit: "2026-11-21 02:00", total: 200 + 200, lines: 2),
        Case(name: "Christmas Day 2026 is a bank holiday", entry: "2026-12-25 10:00", exit: "2026-12-25 15:00", total: 0),
        Case(name: "Boxing Day substitute: Monday 28 December 2026", entry: "2026-12-28 10:00", exit: "2026-12-28 15:00", total: 0),
        Case(name: "Easter Monday 2027", entry: "2027-03-29 10:00", exit: "2027-03-29 12:00", total: 0),
        Case(
            name: "multi-day stay: three capped days and a part", entry: "2026-11-16 08:00", exit: "2026-11-19 01:30",
            total: 1200 + 1200 + 1200 + 350, lines: 4),
        Case(name: "permit holder", entry: "2026-11-18 09:00", exit: "2026-11-18 14:00", total: 0, lines: 0, permit: true, free: "permit"),
        // The clocks go back at 02:00 on 25 October 2026: that Sunday has 25 hours; 00:00-04:00 is 5 real hours.
        Case(name: "DST end: a 25-hour Sunday", entry: "2026-10-25 00:00", exit: "2026-10-25 04:00", total: 500),
        // The clocks go forward at 01:00 on 29 March 2026: 00:00-03:00 is 2 real hours (weekend rate).
        Case(name: "DST start: a 23-hour Sunday", entry: "2026-03-29 00:00", exit: "2026-03-29 03:00", total: 200),
    ]

    @Test(arguments: cases)
    func quotes(_ c: Case) {
        let q = TariffEngine(tariff: Self.tariff, timeZone: Self.london).quote(
            entry: Self.t(c.entry), exit: Self.t(c.exit), permitHolder: c.permit)
        #expect(q.total == c.total)
        #expect(q.lines.count == c.lines)
        #expect(q.freeReason == c.free)
        #expect(q.lines.reduce(0) { $0 + $1.price } == (c.free == nil ? c.total : 0))
    }

    @Test func capMarksTheLine() {
        let q = TariffEngine(tariff: Self.tariff, timeZone: Self.london).quote(
            entry: Self.t("2026-11-18 06:00"), exit: Self.t("2026-11-18 22:00"))
        #expect(q.lines.first?.capped == true)
        #expect(q.lines.first?.minutes == 16 * 60)
    }

    @Test func englandAndWalesBankHolidays() {
        #expect(
            BankHolidays.englandAndWales(2026) == [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                "2026-08-31", "2026-12-25", "2026-12-28",
            ])
        #expect(
            BankHolidays.englandAndWales(2027) == [
                "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
                "2027-08-30", "2027-12-27", "2027-12-28",
            ])
        #expect(BankHolidays.englandAndWales(2028).contains("2028-01-03"), "New Year's Day on a Saturday moves to Monday")
        #expect(BankHolidays.englandAndWales(2022).contains("2022-12-27"), "Christmas on a Sunday: Tuesday 27th")
    }

    @Test func extraBankHolidaysAndTimeZones() {
        var t = Self.tariff
        t.extraBankHolidays = ["2026-11-18"]
        let q = TariffEngine(tariff: t, timeZone: Self.london).quote(entry: Self.t("2026-11-18 09:00"), exit: Self.t("2026-11-18 14:00"))
        #expect(q.total == 0 && q.lines.first?.dayType == .bankHoliday)
        // The same instants in New York fall on another local day split.
        let ny = TariffEngine(tariff: Self.tariff, timeZone: TimeZone(identifier: "America/New_York")!)
            .quote(entry: Self.t("2026-11-18 23:00"), exit: Self.t("2026-11-19 01:30"))
        #expect(ny.lines.count == 1 && ny.total == 500)
    }

    @Test func invalidTariffsAreExplained() {
        var t = Self.tariff
        t.currency = "pounds"
        t.weekday.bands = [Band(upToMinutes: 120, price: 300), Band(upToMinutes: 60, price: 200)]
        t.extraBankHolidays = ["25/12/2026"]
        #expect(t.problems().count == 3)
        #expect(Self.tariff.problems().isEmpty)
    }

    @Test func seedShapeTariffIsHourly() {
        let q = TariffEngine(tariff: Tariff(weekday: Rates(hourly: 250)), timeZone: Self.london)
            .quote(entry: Self.t("2026-11-18 09:00"), exit: Self.t("2026-11-18 11:30"))
        #expect(q.total == 750)
    }

    /// The day split and day types checked against Foundation's calendar for random stays in three time zones.
    @Test(arguments: ["Europe/London", "America/New_York", "Australia/Sydney"])
    func matchesTheCalendarOnRandomStays(zone: String) {
        let tz = TimeZone(identifier: zone)!
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let engine = TariffEngine(tariff: Self.tariff, timeZone: tz)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let entry = 1_767_225_600_000 + Int64(g.next() % (2 * 365 * 86_400_000))
            let exit = entry + Int64(g.next() % (4 * 86_400_000))
            let q = engine.quote(entry: entry, exit: exit)
            guard q.freeReason == nil else { continue }
            // Reference: split at the calendar's local midnights.
            // Milliseconds kept as integers (a Double date loses the last millisecond).
            var startMs = entry
            var expected: [(String, Int, Bool)] = []
            while startMs < exit {
                let start = Date(timeIntervalSince1970: Double(startMs) / 1000)
                let c = cal.dateComponents([.year, .month, .day, .weekday], from: start)
                let midnight = cal.date(byAdding: .day, value: 1, to: cal.startOfDay(for: start))!
                let nextMs = min(Int64((midnight.timeIntervalSince1970 * 1000).rounded()), exit)
                let date = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
                expected.append((date, Int((nextMs - startMs + 59_999) / 60_000), c.weekday == 1 || c.weekday == 7))
                startMs = nextMs
            }
            #expect(q.lines.map(\.date) == expected.map(\.0), "\(entry)-\(exit)")
            #expect(q.lines.map(\.minutes) == expected.map(\.1), "\(entry)-\(exit)")
            #expect(zip(q.lines, expected).allSatisfy { l, e in l.dayType == .bankHoliday || (l.dayType == .weekend) == e.2 })
        }
    }
}
