import Storage

extension ServerConfiguration.SignIn {
    /// How long a session lives without requests.
    package var sessionLifetimeMillis: Int64 { Int64(sessionIdleMinutes * 60_000) }
}

extension Store {
    /// The live session of a cookie's hash, its user and tenant: not idle past its expiry, and signed in within
    /// `sessionMaxHours` (its absolute lifetime).
    package func liveSession(
        idHash: String, signIn: ServerConfiguration.SignIn, now: Int64 = WallClock.nowMillis()
    ) async throws -> (UserSession, User, Tenant)? {
        try await session(idHash: idHash, now: now, createdAfter: now - Int64(signIn.sessionMaxHours * 3_600_000))
    }
}
