import Core
import ArgumentParser
import Foundation
import Server
import Storage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage dashboard users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a dashboard user to a tenant. Prints {\"user_id\", \"invite_url\"}: the link sets the password "
                + "(shown once); with --password-stdin the password is read from stdin instead and the user is active at once.")
        @Argument(help: "Tenant id.") var tenant: String
        @Option(help: "Email address (the sign-in name).") var email: String
        @Option(help: "owner, admin, operator or viewer.") var role: String = "owner"
        @Option(help: "Display name (default: the email).") var name: String?
        @Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false
        @Option(help: "Base URL of the dashboard for the link ($MICROANPR_PUBLIC_URL).") var publicURL: String?
        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be owner, admin, operator or viewer") }
            guard Accounts.isEmail(email.lowercased()) else { throw ValidationError("--email must be an email address") }
        }

        func run() async throws {
            try await runReportingErrors {
                var password: String?
                if passwordStdin {
                    guard let line = readLine(strippingNewline: true), PasswordHasher.lengths.contains(line.count) else {
                        throw ValidationError(
                            "the password on stdin must be \(PasswordHasher.lengths.lowerBound) to \(PasswordHasher.lengths.upperBound) characters"
                        )
                    }
                    password = line
                }
                let out: [String: String] = try await storage.withStore { store in
                    try await Migrations.apply(to: store.db)
                    guard try await store.tenant(ID(tenant)) != nil else { throw ValidationError("no tenant \(tenant)") }
                    guard try await store.user(tenantID: ID(tenant), email: email) == nil else {
                        throw ValidationError("a user with this email already exists in tenant \(tenant)")
                    }
                    let r = Role(rawValue: role)!
                    if let password {
                        let hash = try await PasswordHasher().hash(password)
                        let u = try await store.createUser(
                            tenantID: ID(tenant), email: email, name: name ?? email, role: r, passwordHash: hash)
                        try await store.audit(
                            tenantID: ID(tenant), actor: "cli", action: "user.create", target: u.email, detail: "role=\(role)")
                        return ["user_id": u.id.rawValue]
                    }
                    let (u, token) = try await Accounts.invite(
                        store: store, tenantID: ID(tenant), email: email, name: name ?? "",
                        role: r, days: 7)
                    try await store.audit(
                        tenantID: ID(tenant), actor: "cli", action: "user.invite", target: u.email, detail: "role=\(role)")
                    return [
                        "user_id": u.id.rawValue,
                        "invite_url": Accounts.inviteURL(token, publicURL: publicURL ?? environment("PUBLIC_URL")),
                    ]
                }
                let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: json, as: UTF8.self))
            }
        }
    }
}
