import Core
import ArgumentParser
import Foundation
import Media
import Server
import Storage

/// `microanpr backup`: one archive (tar) of a running deployment: the database as of the backup's start (SQLite
/// `VACUUM INTO`, PostgreSQL `pg_dump`) and every media file its rows refer to, from the local folder or S3.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a deployment (database and media) into one archive while it keeps running.")

    @OptionGroup var storage: StorageOptions
    @Option(help: "The archive to write (a tar file; written beside as FILE.partial, then renamed).") var out: String

    func run() async throws {
        try await runReportingErrors {
            let c = try storage.configuration()
            let target = URL(fileURLWithPath: out)
            let staging = URL(fileURLWithPath: out + ".staging")
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("media"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: staging) }
            let url = c.storage.resolvedDatabaseURL
            let postgres = url.hasPrefix("postgres")
            let started = Date()
            // The database first: every row it holds was committed before the copy began, and its media are
            // fetched afterwards (a file is stored before the row that refers to it).
            let store = try await Store.open(url: url)
            let keys: [String]
            let migrations: [String]
            do {
                if postgres {
                    try runTool(
                        "pg_dump",
                        [
                            "--format=custom", "--no-owner", "--no-privileges", "--file",
                            staging.appendingPathComponent("database.pgdump").path, "--dbname", PostgresDatabase.libpqURL(url),
                        ])
                    keys = try await store.mediaKeys()
                } else {
                    let copy = staging.appendingPathComponent("database.sqlite").path
                    try await store.snapshotSQLite(to: copy)
                    let snapshot = try await Store.open(url: copy)
                    keys = (try? await snapshot.mediaKeys()) ?? []
                    await snapshot.close()
                }
                migrations = Migrations.all.map(\.name)
                await store.close()
            } catch {
                await store.close()
                throw error
            }
            let media = try MicroANPRServer.makeMediaStore(c)
            var copied = 0, missing = 0
            for (i, key) in keys.enumerated() {
                if let data = try await media.get(key) {
                    let file = staging.appendingPathComponent("media").appendingPathComponent(key)
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: file)
                    copied += 1
                } else {
                    missing += 1  // deleted meanwhile (retention): its row is gone from the live database too
                }
                progress("backup: media", i + 1, keys.count)
            }
            let manifest: [String: Any] = [
                "format": 1, "engine": postgres ? "postgres" : "sqlite", "created_at": ISO8601DateFormatter().string(from: started),
                "migrations": migrations, "media_files": copied, "media_missing": missing,
            ]
            try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
                .write(to: staging.appendingPathComponent("manifest.json"))
            let partial = out + ".partial"
            try runTool("tar", ["-cf", partial, "-C", staging.path, "."])
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(atPath: partial, toPath: target.path)
            print(
                String(
                    data: try JSONSerialization.data(
                        withJSONObject: [
                            "archive": target.path, "media_files": copied, "media_missing": missing, "engine": manifest["engine"]!,
                        ], options: [.sortedKeys]),
                    encoding: .utf8)!)
        }
    }
}

/// `microanpr restore`: an archive written by `backup` into an empty deployment (refused when the target
/// database or media folder already holds anything).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore an archive written by `microanpr backup` into an empty deployment.")

    @OptionGroup var storage: StorageOptions
    @Argument(help: "The archive written by microanpr backup.") var archive: String

    func run() async throws {
        try await runReportingErrors {
            let c = try storage.configuration()
            guard FileManager.default.fileExists(atPath: archive) else { throw ValidationError("no archive at \(archive)") }
            let staging = FileManager.default.temporaryDirectory.appendingPathComponent("microanpr-restore-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: staging) }
            try runTool("tar", ["-xf", archive, "-C", staging.path])
            guard let data = try? Data(contentsOf: staging.appendingPathComponent("manifest.json")),
                let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any], manifest["format"] as? Int == 1,
                let engine = manifest["engine"] as? String
            else { throw ValidationError("\(archive) is not an archive written by microanpr backup") }
            let url = c.storage.resolvedDatabaseURL
            let postgres = url.hasPrefix("postgres")
            guard (engine == "postgres") == postgres else {
                throw ValidationError(
                    "this archive holds a \(engine == "postgres" ? "PostgreSQL" : "SQLite") database: restore it with \(engine == "postgres" ? "--database-url postgres://..." : "--data-dir (and no PostgreSQL URL)")"
                )
            }
            // Only into an empty target: a restore never mixes with or overwrites data.
            let mediaRoot = URL(fileURLWithPath: c.storage.dataDirectory).appendingPathComponent("media")
            if c.storage.s3 == nil, let items = try? FileManager.default.contentsOfDirectory(atPath: mediaRoot.path), !items.isEmpty {
                throw ValidationError("\(mediaRoot.path) is not empty: restore into an empty deployment")
            }
            if postgres {
                let store = try await Store.open(url: url)
                let empty = try await store.isEmpty()
                await store.close()
                guard empty else { throw ValidationError("the database is not empty: restore into an empty database") }
                try runTool(
                    "pg_restore",
                    [
                        "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", PostgresDatabase.libpqURL(url),
                        staging.appendingPathComponent("database.pgdump").path,
                    ])
            } else {
                if let size = (try? FileManager.default.attributesOfItem(atPath: url))?[.size] as? Int, size > 0 {
                    throw ValidationError("\(url) exists: restore into an empty data folder")
                }
                try FileManager.default.createDirectory(
                    at: URL(fileURLWithPath: url).deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(atPath: url)
                try FileManager.default.copyItem(atPath: staging.appendingPathComponent("database.sqlite").path, toPath: url)
            }
            let media = try MicroANPRServer.makeMediaStore(c)
            try await media.prepare()
            let source = staging.appendingPathComponent("media")
            let files = (FileManager.default.enumerator(atPath: source.path)?.allObjects as? [String] ?? []).filter {
                var dir: ObjCBool = false
                return FileManager.default.fileExists(atPath: source.appendingPathComponent($0).path, isDirectory: &dir) && !dir.boolValue
            }
            for (i, key) in files.enumerated() {
                let bytes = try Data(contentsOf: source.appendingPathComponent(key))
                try await media.put(key, data: bytes, contentType: key.hasSuffix(".jpg") ? "image/jpeg" : "application/octet-stream")
                progress("restore: media", i + 1, files.count)
            }
            // The restored database may be older than this binary: bring it up to date now, not at first start.
            let store = try await Store.open(url: url)
            let applied = try await Migrations.apply(to: store.db)
            await store.close()
            print(
                String(
                    data: try JSONSerialization.data(
                        withJSONObject: ["restored": archive, "engine": engine, "media_files": files.count, "migrations_applied": applied],
                        options: [.sortedKeys]),
                    encoding: .utf8)!)
        }
    }
}

/// Runs a tool (pg_dump, pg_restore, tar) found on PATH or in Debian's PostgreSQL folder; its stderr on failure.
func runTool(_ name: String, _ arguments: [String]) throws {
    let candidates =
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
        + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().reversed().map {
            "/usr/lib/postgresql/\($0)/bin/\(name)"
        } ?? [])
    guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw ValidationError("\(name) is not installed (Debian: apt-get install \(name == "tar" ? "tar" : "postgresql-client"))")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let text = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw ValidationError(
            "\(name) failed: \(String(decoding: text.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}

/// A percentage on stderr, rewritten in place on a terminal, every 10% otherwise.
func progress(_ what: String, _ done: Int, _ total: Int) {
    guard total > 0 else { return }
    let pct = done * 100 / total
    let previous = (done - 1) * 100 / total
    if isatty(2) != 0 {
        FileHandle.standardError.write(Data("\r\(what) \(done)/\(total) (\(pct)%)\(done == total ? "\n" : "")".utf8))
    } else if done == total || pct / 10 != previous / 10 {
        FileHandle.standardError.write(Data("\(what) \(done)/\(total) (\(pct)%)\n".utf8))
    }
}
