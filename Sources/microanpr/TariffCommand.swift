import ArgumentParser
import Foundation
import Parking

struct TariffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tariff", abstract: "Price parking stays with a tariff file (JSON, as PUT /v1/tariffs takes it).",
        subcommands: [Quote.self, BenchQuotes.self])

    struct Options: ParsableArguments {
        @Option(help: "Tariff JSON file.") var tariff: String
        @Option(help: "IANA time zone of the site.") var timeZone: String = "Europe/London"

        func engine() throws -> TariffEngine {
            guard let data = FileManager.default.contents(atPath: tariff) else { throw ValidationError("cannot read \(tariff)") }
            let t: Tariff
            do { t = try JSONDecoder().decode(Tariff.self, from: data) } catch {
                throw ValidationError("\(tariff) is not a valid tariff: \(error)")
            }
            let problems = t.problems()
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
            guard let zone = TimeZone(identifier: timeZone) else { throw ValidationError("unknown time zone \(timeZone)") }
            return TariffEngine(tariff: t, timeZone: zone)
        }
    }

    struct Quote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Price one stay: prints each day's part and the total (minor units).")
        @OptionGroup var options: Options
        @Option(help: "Entry time, RFC 3339.") var entry: String
        @Option(help: "Exit time, RFC 3339.") var exit: String
        @Flag(help: "The vehicle holds a valid permit.") var permitHolder = false

        func run() async throws {
            let f = ISO8601DateFormatter()
            guard let a = f.date(from: entry), let b = f.date(from: exit), b >= a else {
                throw ValidationError("--entry and --exit must be RFC 3339 times (e.g. 2026-11-18T09:00:00Z), exit not before entry")
            }
            let q = try options.engine().quote(
                entry: Int64(a.timeIntervalSince1970 * 1000), exit: Int64(b.timeIntervalSince1970 * 1000),
                permitHolder: permitHolder)
            for l in q.lines { print("\(l.date) \(l.dayType.rawValue) \(l.minutes) min \(l.price)\(l.capped ? " (capped)" : "")") }
            print("total \(q.total) \(q.currency)" + (q.freeReason.map { " (free: \($0))" } ?? ""))
        }
    }

    struct BenchQuotes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench", abstract: "Quote random stays (10 min to 3 days) and report quotes per second.")
        @OptionGroup var options: Options
        @Option(help: "How many stays.") var sessions: Int = 1_000_000

        func run() async throws {
            let engine = try options.engine()
            var g = SystemRandomNumberGenerator()
            let start: Int64 = 1_767_225_600_000  // 2026-01-01
            let stays = (0..<sessions).map { _ -> (Int64, Int64) in
                let a = start + Int64(g.next() % (365 * 86_400_000))
                return (a, a + 600_000 + Int64(g.next() % (3 * 86_400_000)))
            }
            let clock = ContinuousClock()
            var total = 0
            let elapsed = clock.measure {
                for (a, b) in stays { total &+= engine.quote(entry: a, exit: b).total }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(String(format: "%d quotes in %.2f s: %.0f quotes/s (checksum %d)", sessions, seconds, Double(sessions) / seconds, total))
        }
    }
}
