import Core
import ArgumentParser
import Foundation
import Logging
import Server
import Storage

/// `microanpr privacy`: the API's privacy requests from the command line (the operator's own machine).
struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Answer a privacy request about one plate (UK GDPR): subject access or erasure.",
        subcommands: [SubjectAccess.self, Erase.self])

    /// Opens what a privacy request needs (database, media store, signer) and runs `body`.
    static func withRequests<T>(_ storage: StorageOptions, _ body: (PrivacyRequests, Store) async throws -> T) async throws -> T {
        var c = try storage.configuration()
        c.storage.signingSecret = environment("SIGNING_SECRET")
        return try await storage.withStore { store in
            let requests = PrivacyRequests(
                store: store, media: try MicroANPRServer.makeMediaStore(c), signer: try await MicroANPRServer.makeSigner(c, store: store),
                logger: Logger(label: "microanpr.privacy"))
            return try await body(requests, store)
        }
    }

    static func plate(_ text: String) throws -> String {
        guard let p = PrivacyRequests.plate(text) else {
            throw ValidationError("--plate must be a plate (letters, digits, spaces, dashes)")
        }
        return p
    }

    struct SubjectAccess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subject-access", abstract: "Write a ZIP of everything held about a plate (subject.json and its images).")
        @OptionGroup var storage: StorageOptions
        @Argument(help: "Tenant id.") var tenant: String
        @Option(help: "The plate (GY12 UBL = GY12UBL).") var plate: String
        @Option(help: "The ZIP file to write.") var out: String

        func run() async throws {
            try await runReportingErrors {
                let plate = try PrivacyCommand.plate(plate)
                let bytes = try await PrivacyCommand.withRequests(storage) { requests, store in
                    guard let t = try await store.tenant(ID(tenant)) else { throw ValidationError("no tenant \(tenant)") }
                    let zip = try await requests.subjectAccess(tenant: t, plate: plate)
                    try await store.audit(tenantID: t.id, actor: "cli", action: "privacy.subject_access", target: "plate:\(plate)")
                    return zip
                }
                try Data(bytes).write(to: URL(fileURLWithPath: out))
                print("{\"out\": \"\(out)\", \"bytes\": \(bytes.count)}")
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Erase a plate's reads, passes, sessions, alerts, events and images.")
        @OptionGroup var storage: StorageOptions
        @Argument(help: "Tenant id.") var tenant: String
        @Option(help: "The plate.") var plate: String
        @Option(help: "Why (kept in the audit log, without the plate).") var reason: String
        @Flag(help: "Also delete its group members and watch-list entries.") var includeLists = false

        func run() async throws {
            try await runReportingErrors {
                let p = try PrivacyCommand.plate(plate)
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must not be empty") }
                let result = try await PrivacyCommand.withRequests(storage) { requests, store in
                    guard try await store.tenant(ID(tenant)) != nil else { throw ValidationError("no tenant \(tenant)") }
                    return try await requests.erase(
                        tenantID: ID(tenant), plate: p, typed: plate, reason: reason, includeLists: includeLists, actor: "cli", ip: nil)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            }
        }
    }
}
