import ArgumentParser
import Foundation
import Plates

/// Prints the built-in plate-format packs, so that tools outside Swift (the plate renderer in `training/`)
/// draw their strings from the same grammar the recogniser checks against.
struct FormatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the built-in plate-format packs (--json: the packs as JSON, one source of truth for the renderer).")

    @Flag(help: "Print the packs as a JSON array of {country, name, formats: [{id, pattern, ...}], ...}.")
    var json = false

    @Option(help: "Only this country pack (gb, de, us, ...).")
    var country: String?

    func run() throws {
        var packs = FormatPack.all
        if let country {
            do { packs = [try FormatPack.named(country)] } catch {
                printError(
                    "error: --country \(country): unknown pack (expected one of \(FormatPack.all.map { $0.country.lowercased() }.joined(separator: ", ")))"
                )
                throw ExitCode(2)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(packs))
            FileHandle.standardOutput.write(Data("\n".utf8))
            return
        }
        for pack in packs {
            print("\(pack.country) \(pack.name)")
            for f in pack.formats { print("  \(f.id.padding(toLength: 16, withPad: " ", startingAt: 0)) \(f.pattern)  (\(f.description))") }
        }
    }
}
