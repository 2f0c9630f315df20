import Foundation

/// What a dashboard user may do; each role includes the ones below it.
public enum Role: String, Sendable, CaseIterable, Comparable, Codable {
    case viewer, `operator`, admin, owner

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}

/// A person who signs in to a tenant's dashboard. Emails are unique across the server (lower-cased).
public struct User: Sendable, Equatable {
    public var id: ID<User>
    public var tenantID: ID<Tenant>
    public var email: String
    public var name: String
    public var role: Role
    /// Nil until an invitation is accepted.
    public var passwordHash: String?
    public var failedLogins: Int
    public var lockedUntil: Int64?
    public var createdAt: Int64
    public var lastLoginAt: Int64?
    public var inviteExpiresAt: Int64?

    /// Invited and not yet accepted.
    public var isPending: Bool { passwordHash == nil }
}

/// A signed-in browser: the cookie holds a random token whose SHA-256 is the row's key.
public struct UserSession: Sendable, Equatable {
    public var idHash: String
    public var userID: ID<User>
    public var tenantID: ID<Tenant>
    public var csrfToken: String
    public var expiresAt: Int64
    public var lastSeenAt: Int64

    public init(idHash: String, userID: ID<User>, tenantID: ID<Tenant>, csrfToken: String, expiresAt: Int64, lastSeenAt: Int64) {
        self.idHash = idHash; self.userID = userID; self.tenantID = tenantID; self.csrfToken = csrfToken
        self.expiresAt = expiresAt; self.lastSeenAt = lastSeenAt
    }
}

/// One line of a tenant's audit log.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var tenantID: ID<Tenant>
    /// `user:<email>`, `key:<id>` or `system`.
    public var actor: String
    public var action: String
    public var target: String?
    public var detail: String?
    public var ip: String?
    public var createdAt: Int64
}

/// Users, sessions and the audit log.
extension Store {
    // MARK: Users

    /// Creates a user: with a password hash (active at once) or with an invitation hash (pending).
    public func createUser(
        tenantID: ID<Tenant>, email: String, name: String, role: Role, passwordHash: String?,
        inviteHash: String? = nil, inviteExpiresAt: Int64? = nil
    ) async throws -> User {
        let u = User(
            id: ID(Identifier.make("usr")), tenantID: tenantID, email: email.lowercased(), name: name, role: role,
            passwordHash: passwordHash, failedLogins: 0, lockedUntil: nil, createdAt: WallClock.nowMillis(),
            lastLoginAt: nil, inviteExpiresAt: inviteExpiresAt)
        try await db.query(
            """
            INSERT INTO users (id, tenant_id, email, name, role, password_hash, invite_hash, invite_expires_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, u.id, tenantID, u.email, name, role.rawValue, passwordHash, inviteHash, inviteExpiresAt, u.createdAt)
        return u
    }

    /// The users with this email in every tenant (an email is unique within a tenant only): for signing in,
    /// which finds the account by its password.
    public func users(email: String) async throws -> [User] {
        try await db.query("SELECT * FROM users WHERE email = ? ORDER BY created_at, id", email.lowercased()).map(Self.user)
    }

    public func user(tenantID: ID<Tenant>, email: String) async throws -> User? {
        try await db.first("SELECT * FROM users WHERE tenant_id = ? AND email = ?", tenantID, email.lowercased()).map(Self.user)
    }

    public func user(tenantID: ID<Tenant>, id: ID<User>) async throws -> User? {
        try await db.first("SELECT * FROM users WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.user)
    }

    public func users(tenantID: ID<Tenant>) async throws -> [User] {
        try await db.query("SELECT * FROM users WHERE tenant_id = ? ORDER BY created_at, id", tenantID).map(Self.user)
    }

    /// The pending user invited with this token hash, while the invitation is valid.
    public func invitedUser(inviteHash: String, now: Int64 = WallClock.nowMillis()) async throws -> User? {
        try await db.first(
            "SELECT * FROM users WHERE invite_hash = ? AND password_hash IS NULL AND invite_expires_at > ?",
            inviteHash, now
        ).map(Self.user)
    }

    /// Sets a user's password (accepting an invitation, changing or resetting it) and ends the lockout.
    public func setPassword(userID: ID<User>, hash: String) async throws {
        try await db.query(
            """
            UPDATE users SET password_hash = ?, invite_hash = NULL, invite_expires_at = NULL, failed_logins = 0,
              locked_until = NULL WHERE id = ?
            """, hash, userID)
    }

    public func setName(userID: ID<User>, name: String) async throws {
        try await db.query("UPDATE users SET name = ? WHERE id = ?", name, userID)
    }

    public func setRole(tenantID: ID<Tenant>, userID: ID<User>, role: Role) async throws {
        try await db.query("UPDATE users SET role = ? WHERE tenant_id = ? AND id = ?", role.rawValue, tenantID, userID)
    }

    /// Deletes a user and signs them out everywhere.
    public func deleteUser(tenantID: ID<Tenant>, id: ID<User>) async throws -> Bool {
        try await db.transaction { tx in
            try await tx.query("DELETE FROM sessions WHERE user_id = ? AND tenant_id = ?", id, tenantID)
            return try await !tx.query("DELETE FROM users WHERE tenant_id = ? AND id = ? RETURNING id", tenantID, id).isEmpty
        }
    }

    /// Counts a failed sign-in; locks the account for `lockMillis` when `maxFailures` is reached. Returns the
    /// lock's end when it is locked now.
    public func recordFailedLogin(userID: ID<User>, maxFailures: Int, lockMillis: Int64) async throws -> Int64? {
        let now = WallClock.nowMillis()
        guard
            let r = try await db.first(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
                userID), let n = r.int("failed_logins")
        else { return nil }
        guard n >= maxFailures else { return nil }
        try await db.query("UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?", now + lockMillis, userID)
        return now + lockMillis
    }

    public func recordLogin(userID: ID<User>) async throws {
        try await db.query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
            WallClock.nowMillis(), userID)
    }

    static func user(_ r: SQLRow) -> User {
        User(
            id: ID(r.string("id")), tenantID: ID(r.string("tenant_id")), email: r.string("email"), name: r.string("name"),
            role: Role(rawValue: r.string("role")) ?? .viewer, passwordHash: r.text("password_hash"),
            failedLogins: r.int("failed_logins") ?? 0, lockedUntil: r.int("locked_until").map(Int64.init),
            createdAt: Int64(r.int("created_at") ?? 0), lastLoginAt: r.int("last_login_at").map(Int64.init),
            inviteExpiresAt: r.int("invite_expires_at").map(Int64.init))
    }

    // MARK: Sessions

    public func createSession(_ s: UserSession) async throws {
        try await db.query(
            """
            INSERT INTO sessions (id_hash, user_id, tenant_id, csrf_token, created_at, expires_at, last_seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, s.idHash, s.userID, s.tenantID, s.csrfToken, WallClock.nowMillis(), s.expiresAt, s.lastSeenAt)
    }

    /// The live session with this token hash and its user.
    /// A live session: not idle past its expiry, and signed in after `createdAfter` (its absolute lifetime).
    /// A live session with its user and the user's tenant, in one query (every dashboard request makes it).
    public func session(
        idHash: String, now: Int64 = WallClock.nowMillis(), createdAfter: Int64 = 0
    ) async throws -> (UserSession, User, Tenant)? {
        guard
            let r = try await db.first(
                """
                SELECT s.id_hash, s.user_id, s.csrf_token, s.expires_at, s.last_seen_at, u.*, t.name AS tenant_name,
                  t.plan AS tenant_plan, t.retention_days AS tenant_retention_days, t.created_at AS tenant_created_at,
                  t.time_zone AS tenant_time_zone, t.pseudonymise_after_hours AS tenant_pseudonymise_after_hours
                FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id
                WHERE s.id_hash = ? AND s.expires_at > ? AND s.created_at > ?
                """, idHash, now, createdAfter)
        else { return nil }
        let s = UserSession(
            idHash: r.string("id_hash"), userID: ID(r.string("user_id")), tenantID: ID(r.string("tenant_id")),
            csrfToken: r.string("csrf_token"), expiresAt: Int64(r.int("expires_at") ?? 0),
            lastSeenAt: Int64(r.int("last_seen_at") ?? 0))
        // The user's tenant_id is the tenant's id: its other columns are aliased tenant_*.
        return (s, Self.user(r), Self.tenant(r, prefix: "tenant_"))
    }

    /// Slides a session's expiry forward (called at most once a minute per session).
    public func touchSession(idHash: String, expiresAt: Int64) async throws {
        try await db.query(
            "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?",
            WallClock.nowMillis(), expiresAt, idHash)
    }

    public func deleteSession(idHash: String) async throws {
        try await db.query("DELETE FROM sessions WHERE id_hash = ?", idHash)
    }

    /// Signs a user out everywhere but `keeping` (after a password or role change).
    public func deleteSessions(userID: ID<User>, keeping: String? = nil) async throws {
        try await db.query("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, keeping ?? "")
    }

    /// Removes expired sessions (retention sweep).
    public func deleteExpiredSessions(now: Int64 = WallClock.nowMillis()) async throws {
        try await db.query("DELETE FROM sessions WHERE expires_at <= ?", now)
    }

    // MARK: Audit log

    public func audit(
        tenantID: ID<Tenant>, actor: String, action: String, target: String? = nil, detail: String? = nil,
        ip: String? = nil
    ) async throws {
        try await db.query(
            """
            INSERT INTO audit_log (tenant_id, actor, action, target, detail, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, tenantID, actor, action, target, detail, ip, WallClock.nowMillis())
    }

    /// A page of the audit log, newest first, before the id `before`.
    public func auditLog(tenantID: ID<Tenant>, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await db.query(
            """
            SELECT * FROM audit_log WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?
            """, tenantID, before ?? Int64.max, limit
        ).map { r in
            AuditEntry(
                id: Int64(r.int("id") ?? 0), tenantID: ID(r.string("tenant_id")), actor: r.string("actor"),
                action: r.string("action"), target: r.text("target"), detail: r.text("detail"), ip: r.text("ip"),
                createdAt: Int64(r.int("created_at") ?? 0))
        }
    }
}
