import Core
import ArgumentParser
import Foundation
import Media
import Server
import Storage

/// Writes a tenant's corrected reads as training data: the plate crops and `labels.csv`
/// (`file,plate_text,read_id,old_plate,corrected_by,corrected_at,source`), the format `make train CORRECTIONS=DIR`
/// reads, so a site can fine-tune the readers on its own cameras. With `--sure N` also up to N reads nobody corrected
/// that were read surely (source `sure`, labelled with their own reading): the site's plates the readers already
/// read, which a retrained reader must go on reading.
struct TrainingExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-export",
        abstract: "Write a tenant's corrected reads (plate crops and labels.csv) as training data for make train.")

    @Option(help: "Tenant id.") var tenant: String
    @Option(help: "Output folder (created; must be empty or absent).") var out: String
    @Option(
        help: ArgumentHelp(
            "Also export up to this many reads nobody corrected, read at --sure-confidence or more in a format (newest "
                + "first, at most 3 of one plate), labelled with their own reading; 0: corrections only."))
    var sure: Int = 0
    @Option(help: "The confidence (0-1) from which an uncorrected read counts as sure for --sure.")
    var sureConfidence: Double = 0.98
    @OptionGroup var storage: StorageOptions

    func validate() throws {
        guard sure >= 0 else { throw ValidationError("--sure \(sure): expected 0 or more reads") }
        guard sureConfidence > 0, sureConfidence <= 1 else {
            throw ValidationError("--sure-confidence \(sureConfidence): expected a number above 0 and at most 1")
        }
    }

    func run() async throws {
        let dir = URL(fileURLWithPath: out)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: dir.path), !existing.isEmpty {
            printError("error: --out \(out): the folder is not empty")
            throw ExitCode(2)
        }
        try await runReportingErrors {
            var c = ServerConfiguration()
            storage.apply(to: &c)
            c.storage.s3 = try s3Settings()
            let media = try MicroANPRServer.makeMediaStore(c)
            let written = try await storage.withStore { store -> (Int, Int, Int) in
                guard try await store.tenant(ID(tenant)) != nil else { throw ValidationError("no tenant \(tenant)") }
                // The last correction of each read wins; reads deleted since (retention) are skipped.
                var latest: [ID<PlateRead>: ReadCorrection] = [:]
                var order: [ID<PlateRead>] = []
                var after: Int64 = 0
                let pageSize = 500
                while true {
                    let page = try await store.corrections(tenantID: ID(tenant), after: after, limit: pageSize)
                    for k in page {
                        if latest[k.readID] == nil { order.append(k.readID) }
                        latest[k.readID] = k
                    }
                    guard let last = page.last, page.count == pageSize else { break }
                    after = last.id
                }
                try FileManager.default.createDirectory(at: dir.appendingPathComponent("crops"), withIntermediateDirectories: true)
                var rows = ["file,plate_text,read_id,old_plate,corrected_by,corrected_at,source"]
                var skipped = 0
                /// Writes a read's crop and its row; false when the crop is no longer stored.
                func write(_ read: PlateRead, _ fields: [String]) async throws -> Bool {
                    guard let key = read.cropKey, let data = try await media.get(key) else { return false }
                    let ext = (key as NSString).pathExtension.isEmpty ? "jpg" : (key as NSString).pathExtension
                    let file = "crops/\(read.id).\(ext)"
                    try data.write(to: dir.appendingPathComponent(file))
                    // Fields are letters, digits, ids and emails: quoted so that a comma in an actor name cannot shift columns.
                    rows.append(
                        ([file, read.plate, read.id.rawValue] + fields).map {
                            "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\""
                        }
                        .joined(separator: ","))
                    return true
                }
                var bar = ProgressBar(total: order.count, label: "training-export")
                let iso8601 = ISO8601DateFormatter()
                for (i, id) in order.enumerated() {
                    bar.update(i + 1)
                    let k = latest[id]!
                    let when = iso8601.string(from: Date(timeIntervalSince1970: Double(k.createdAt) / 1000))
                    guard let read = try await store.read(tenantID: ID(tenant), id: id),
                        try await write(read, [k.oldPlate, k.actor, when, "correction"])
                    else { skipped += 1; continue }
                }
                let corrected = rows.count - 1
                // Sure reads, newest first: a few of each plate, so that they stand for many vehicles, not the regulars.
                var perPlate: [String: Int] = [:]
                var surePage = ReadQuery()
                surePage.minConfidence = sureConfidence
                surePage.limit = 500
                var sureBar = ProgressBar(total: sure, label: "training-export: sure reads")
                var found = 0
                while found < sure {
                    let page = try await store.reads(tenantID: ID(tenant), surePage)
                    for read in page.reads where found < sure {
                        guard latest[read.id] == nil, read.format != "unknown", read.format != "corrected",
                            perPlate[read.plate, default: 0] < 3, try await write(read, ["", "", "", "sure"])
                        else { continue }
                        perPlate[read.plate, default: 0] += 1
                        found += 1
                        sureBar.update(found)
                    }
                    guard let next = page.next else { break }
                    surePage.after = next
                }
                try (rows.joined(separator: "\n") + "\n").write(
                    to: dir.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
                return (corrected, found, skipped)
            }
            print(
                "wrote \(written.0) corrected crops" + (sure > 0 ? " and \(written.1) sure reads" : "") + " to \(out)"
                    + (written.2 > 0 ? " (\(written.2) skipped: read or crop no longer stored)" : ""))
        }
    }
}
