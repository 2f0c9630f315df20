import Foundation

/// What an erasure removed, by kind.
public struct ErasureCounts: Sendable, Equatable {
    public var reads = 0, passes = 0, parkingSessions = 0, alerts = 0, events = 0, corrections = 0, members = 0,
        watchlistEntries = 0, mediaFiles = 0
    public init() {}
}

/// Subject access and erasure of one plate (UK GDPR articles 15 and 17), and media deletions that survive a crash.
extension Store {
    /// Every row about `plate` (normalised) in a tenant, by section, as stored.
    public func subjectRecords(tenantID: String, plate: String) async throws -> [(section: String, rows: [SQLRow])] {
        let sections: [(String, String)] = [
            ("reads", "SELECT * FROM reads WHERE tenant_id = ? AND plate = ? ORDER BY captured_at, id"),
            ("passes", "SELECT * FROM passes WHERE tenant_id = ? AND plate = ? ORDER BY first_seen_at, id"),
            ("parking_sessions", "SELECT * FROM parking_sessions WHERE tenant_id = ? AND plate = ? ORDER BY created_at, id"),
            (
                "group_memberships",
                "SELECT m.*, g.name AS group_name FROM members m JOIN groups g ON g.id = m.group_id WHERE m.tenant_id = ? AND m.plate = ? ORDER BY m.created_at, m.id"
            ),
            (
                "watchlist_entries",
                "SELECT e.*, w.name AS watchlist_name FROM watchlist_entries e JOIN watchlists w ON w.id = e.list_id WHERE e.tenant_id = ? AND e.plate = ? ORDER BY e.created_at, e.id"
            ),
            ("alerts", "SELECT * FROM alerts WHERE tenant_id = ? AND plate = ? ORDER BY created_at, id"),
            (
                "corrections",
                "SELECT * FROM read_corrections WHERE tenant_id = ? AND (old_plate = ? OR new_plate = ?) ORDER BY created_at, id"
            ),
        ]
        var out: [(String, [SQLRow])] = []
        for (section, sql) in sections {
            let rows = section == "corrections"
                ? try await db.query(sql, tenantID, plate, plate) : try await db.query(sql, tenantID, plate)
            out.append((section, rows))
        }
        return out
    }

    /// Deletes everything about `plate` in a tenant in one transaction (reads, passes, parking sessions with their
    /// charges, alerts, events and their pending webhook deliveries, corrections; group members and watch-list
    /// entries only with `includeLists`). The media files of the deleted rows are recorded in `media_deletions`
    /// in the same transaction, so that a crash before they are deleted leaves them to ``pendingMediaDeletions``;
    /// the caller deletes them and calls ``finishMediaDeletion``. `audit` is written in the same transaction.
    public func erase(
        tenantID: String, plate: String, includeLists: Bool, audit: (actor: String, target: String, detail: String, ip: String?)
    ) async throws -> (counts: ErasureCounts, mediaKeys: [String]) {
        let now = WallClock.nowMillis()
        return try await db.transaction { tx in
            var c = ErasureCounts()
            var keys = Set<String>()
            for table in ["reads", "passes"] {
                for row in try await tx.query("SELECT crop_key, frame_key FROM \(table) WHERE tenant_id = ? AND plate = ?", tenantID, plate) {
                    for k in [row.text("crop_key"), row.text("frame_key")] { if let k, !k.isEmpty { keys.insert(k) } }
                }
            }
            // A frame is shared by every read of its image: it goes only when no other plate's read keeps it.
            for k in keys {
                let kept = try await tx.first(
                    "SELECT 1 AS x FROM reads WHERE tenant_id = ? AND plate <> ? AND (frame_key = ? OR crop_key = ?) LIMIT 1",
                    tenantID, plate, k, k)
                if kept != nil { keys.remove(k) }
            }
            /// Deletes and counts in one statement (both engines have RETURNING).
            func delete(_ sql: String, _ binds: any SQLBindable...) async throws -> Int {
                try await tx.query(sql + " RETURNING 1 AS x", binds.map(\.sqlValue)).count
            }
            // Events name the plate in their JSON payload ("plate":"AB12CDE": a normalised plate has no LIKE wildcard).
            let pattern = "%\"plate\":\"\(plate)\"%"
            try await tx.query(
                "DELETE FROM webhook_deliveries WHERE tenant_id = ? AND event_id IN (SELECT id FROM events WHERE tenant_id = ? AND payload LIKE ?)",
                [.text(tenantID), .text(tenantID), .text(pattern)])
            c.events = try await delete("DELETE FROM events WHERE tenant_id = ? AND payload LIKE ?", tenantID, pattern)
            c.corrections = try await delete(
                "DELETE FROM read_corrections WHERE tenant_id = ? AND (old_plate = ? OR new_plate = ?)", tenantID, plate, plate)
            c.alerts = try await delete("DELETE FROM alerts WHERE tenant_id = ? AND plate = ?", tenantID, plate)
            c.parkingSessions = try await delete("DELETE FROM parking_sessions WHERE tenant_id = ? AND plate = ?", tenantID, plate)
            c.reads = try await delete("DELETE FROM reads WHERE tenant_id = ? AND plate = ?", tenantID, plate)
            c.passes = try await delete("DELETE FROM passes WHERE tenant_id = ? AND plate = ?", tenantID, plate)
            if includeLists {
                c.members = try await delete("DELETE FROM members WHERE tenant_id = ? AND plate = ?", tenantID, plate)
                c.watchlistEntries = try await delete("DELETE FROM watchlist_entries WHERE tenant_id = ? AND plate = ?", tenantID, plate)
                try await tx.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = ?", tenantID)
            }
            for k in keys {
                try await tx.query(
                    "INSERT INTO media_deletions (media_key, tenant_id, created_at) VALUES (?, ?, ?) ON CONFLICT (media_key) DO NOTHING",
                    k, tenantID, now)
            }
            c.mediaFiles = keys.count
            try await tx.query(
                "INSERT INTO audit_log (tenant_id, actor, action, target, detail, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                tenantID, audit.actor, "privacy.erasure", audit.target, audit.detail, audit.ip, now)
            return (c, keys.sorted())
        }
    }

    /// Media files an erasure still has to delete (left by a crash between the transaction and the deletion).
    public func pendingMediaDeletions(limit: Int = 500) async throws -> [String] {
        try await db.query("SELECT media_key FROM media_deletions ORDER BY created_at, media_key LIMIT ?", limit).map { $0.string("media_key") }
    }

    /// Deletes audit entries of one action older than `before` (the lookups' own retention).
    public func deleteAuditEntries(action: String, before: Int64) async throws {
        try await db.query("DELETE FROM audit_log WHERE action = ? AND created_at < ?", action, before)
    }

    public func finishMediaDeletion(_ key: String) async throws {
        try await db.query("DELETE FROM media_deletions WHERE media_key = ?", key)
    }
}
