import Core
import ArgumentParser
import Foundation
import Media
import Server
import Storage

/// Writes a tenant's corrected reads as training data: the plate crops and `labels.csv`
/// (`file,plate_text,read_id,old_plate,corrected_by,corrected_at`), the format `make train CORRECTIONS=DIR`
/// reads, so a site can fine-tune the reader on its own cameras.
struct TrainingExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-export",
        abstract: "Write a tenant's corrected reads (plate crops and labels.csv) as training data for make train.")

    @Option(help: "Tenant id.") var tenant: String
    @Option(help: "Output folder (created; must be empty or absent).") var out: String
    @OptionGroup var storage: StorageOptions

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
            let written = try await storage.withStore { store -> (Int, Int) in
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
                var rows = ["file,plate_text,read_id,old_plate,corrected_by,corrected_at"]
                var skipped = 0
                var bar = ProgressBar(total: order.count, label: "training-export")
                let iso8601 = ISO8601DateFormatter()
                for (i, id) in order.enumerated() {
                    bar.update(i + 1)
                    let k = latest[id]!
                    guard let read = try await store.read(tenantID: ID(tenant), id: id), let key = read.cropKey,
                        let data = try await media.get(key)
                    else { skipped += 1; continue }
                    let ext = (key as NSString).pathExtension.isEmpty ? "jpg" : (key as NSString).pathExtension
                    let file = "crops/\(id).\(ext)"
                    try data.write(to: dir.appendingPathComponent(file))
                    let when = iso8601.string(from: Date(timeIntervalSince1970: Double(k.createdAt) / 1000))
                    // Fields are letters, digits, ids and emails: quoted so that a comma in an actor name cannot shift columns.
                    rows.append(
                        [file, read.plate, id.rawValue, k.oldPlate, k.actor, when].map {
                            "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\""
                        }
                        .joined(separator: ","))
                }
                try (rows.joined(separator: "\n") + "\n").write(
                    to: dir.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
                return (rows.count - 1, skipped)
            }
            print(
                "wrote \(written.0) corrected crops to \(out)"
                    + (written.1 > 0 ? " (\(written.1) skipped: read or crop no longer stored)" : ""))
        }
    }
}
