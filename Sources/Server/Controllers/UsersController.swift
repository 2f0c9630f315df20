import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Storage

/// Dashboard users of the tenant (`/v1/users`: list, invite, change role, remove) and the audit log
/// (`/v1/audit`). Admins manage users up to admin; only owners grant, change or remove the owner role, and the
/// last owner stays.
struct UsersController {
    let store: Store
    let audit: AuditLog
    let signIn: ServerConfiguration.SignIn
    /// The address invitation links start with (none: relative links).
    let publicURL: String?

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("users", use: list)
        group.post("users", use: invite)
        group.patch("users/{id}", use: update)
        group.delete("users/{id}", use: delete)
        group.get("audit", use: audit)
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> UsersList {
        let t = try context.requireTenant()
        return UsersList(users: try await store.users(tenantID: t.id).map { UserJSON($0) })
    }

    @Sendable func invite(_ request: Request, context: AppContext) async throws -> EditedResponse<InvitationJSON> {
        let t = try context.requireTenant()
        let body = try await decodeJSON(Components.Schemas.UserInvite.self, from: request)
        let email = body.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard Accounts.isEmail(email) else { throw APIError.badRequest("email must be an email address", code: .badParameter) }
        let role = try Self.role(body.role.rawValue)
        try Self.checkCanGrant(role, context: context)
        // Only this tenant's users count: whether another tenant has this address is none of the inviter's business.
        guard try await store.user(tenantID: t.id, email: email) == nil else {
            throw APIError(.conflict, .emailTaken, "a user with this email already exists in this tenant")
        }
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard name.count <= 200 else { throw APIError.badRequest("name must be at most 200 characters", code: .badParameter) }
        let (user, token) = try await Accounts.invite(
            store: store, tenantID: t.id, email: email, name: name, role: role,
            days: signIn.inviteDays)
        await audit(context, tenantID: t.id, action: "user.invite", target: user.email, detail: "role=\(role.rawValue)")
        let link = Accounts.inviteURL(token, publicURL: publicURL)
        return EditedResponse(status: .created, response: InvitationJSON(user: UserJSON(user), inviteToken: token, inviteUrl: link))
    }

    @Sendable func update(_ request: Request, context: AppContext) async throws -> UserJSON {
        let t = try context.requireTenant()
        let id = try context.requireID(User.self)
        let body = try await decodeJSON(Components.Schemas.UserRoleChange.self, from: request)
        let role = try Self.role(body.role.rawValue)
        let user = try found(try await store.user(tenantID: t.id, id: id), "user")
        try Self.checkCanGrant(role, context: context)
        try Self.checkCanGrant(user.role, context: context)
        if user.role == .owner && role != .owner { try await checkNotLastOwner(t.id) }
        try await store.setRole(tenantID: t.id, userID: id, role: role)
        if role != user.role {
            await audit(
                context, tenantID: t.id, action: "user.role_change", target: user.email,
                detail: "\(user.role.rawValue) -> \(role.rawValue)")
        }
        let fresh = try found(try await store.user(tenantID: t.id, id: id), "user")
        return UserJSON(fresh)
    }

    @Sendable func delete(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        let id = try context.requireID(User.self)
        let user = try found(try await store.user(tenantID: t.id, id: id), "user")
        try Self.checkCanGrant(user.role, context: context)
        if user.role == .owner { try await checkNotLastOwner(t.id) }
        return try Response.deleted(try await store.deleteUser(tenantID: t.id, id: id), "user")
    }

    @Sendable func audit(_ request: Request, context: AppContext) async throws -> AuditList {
        let t = try context.requireTenant()
        let limit = try request.limitParameter()
        var before: Int64?
        if let b = request.uri.queryParameters["before"] {
            guard let n = Int64(b), n > 0 else {
                throw APIError.badRequest("before must be a positive audit entry id", code: .badParameter)
            }
            before = n
        }
        let entries = try await store.auditLog(tenantID: t.id, before: before, limit: limit)
        return AuditList(entries: entries.map(AuditJSON.init), nextBefore: entries.count == limit ? entries.last.map { Int($0.id) } : nil)
    }

    static func role(_ s: String) throws -> Role {
        guard let r = Role(rawValue: s) else {
            throw APIError.badRequest("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))", code: .badParameter)
        }
        return r
    }

    /// Only an owner (or nobody) touches the owner role; API keys act as admin.
    static func checkCanGrant(_ role: Role, context: AppContext) throws {
        if role == .owner && context.role != .owner {
            throw APIError(.forbidden, .forbidden, "only an owner can grant, change or remove the owner role")
        }
    }

    func checkNotLastOwner(_ tenantID: ID<Tenant>) async throws {
        let owners = try await store.users(tenantID: tenantID).filter { $0.role == .owner && !$0.isPending }
        if owners.count <= 1 { throw APIError(.conflict, .lastOwner, "the tenant's last owner cannot be removed or demoted") }
    }
}

/// A dashboard user as the document's `User` (generated); `status` is `active`, `invited` (no password yet) or
/// `throttled` (sign-ins slowed down after wrong passwords).
typealias UserJSON = Components.Schemas.User

extension UserJSON: ResponseEncodable {
    init(_ u: User, now: Int64 = WallClock.nowMillis()) {
        self.init(
            id: u.id.rawValue, email: u.email, name: u.name, role: .init(rawValue: u.role.rawValue) ?? .viewer,
            status: u.isPending ? .invited : (u.lockedUntil ?? 0) > now ? .throttled : .active,
            createdAt: Date(epochMilliseconds: u.createdAt), lastLoginAt: u.lastLoginAt.map(Date.init(epochMilliseconds:)))
    }
}

typealias UsersList = Components.Schemas.Users

/// A new invitation as the document's `Invitation` (generated): the link is shown once (only its hash is stored).
typealias InvitationJSON = Components.Schemas.Invitation

/// The signed-in user and the token to send as `X-CSRF-Token` with every state-changing request, as the document's
/// `SignInSession` (generated).
typealias SessionJSON = Components.Schemas.SignInSession

/// An audit-log line as the document's `AuditEntry` (generated).
typealias AuditJSON = Components.Schemas.AuditEntry

extension AuditJSON: ResponseEncodable {
    init(_ e: AuditEntry) {
        self.init(
            id: Int(e.id), actor: e.actor, action: e.action, target: e.target, detail: e.detail, ip: e.ip,
            createdAt: Date(epochMilliseconds: e.createdAt))
    }
}

/// A page of the audit log; `nextBefore` is passed as `before` for the next (older) page, absent on the last page.
typealias AuditList = Components.Schemas.AuditPage
