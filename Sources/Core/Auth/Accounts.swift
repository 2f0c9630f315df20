import Foundation
import Storage

/// Creating users outside a request (the CLI) and inside one share these.
public enum Accounts {
    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return s.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".") && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    /// Creates a pending user; returns it with the invitation token (only its hash is stored).
    public static func invite(
        store: Store, tenantID: ID<Tenant>, email: String, name: String, role: Role,
        days: Double
    ) async throws -> (User, String) {
        let token = APIKeys.randomToken()
        let expires = WallClock.nowMillis() + Int64(days * 86_400_000)
        let user = try await store.createUser(
            tenantID: tenantID, email: email, name: name.isEmpty ? email : name, role: role,
            passwordHash: nil, inviteHash: APIKeys.hash(token), inviteExpiresAt: expires)
        return (user, token)
    }

    /// The dashboard link that accepts an invitation.
    public static func inviteURL(_ token: String, publicURL: String?) -> String {
        (publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "") + "/#/accept?token=\(token)"
    }
}
