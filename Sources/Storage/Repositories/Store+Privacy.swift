import Foundation

/// What an erasure removed, by kind.
public struct ErasureCounts: Sendable, Equatable {
    public var reads = 0, passes = 0, parkingSessions = 0, alerts = 0, events = 0, corrections = 0, members = 0,
        watchlistEntries = 0, mediaFiles = 0
    public init() {}
}

/// Subject access and erasure of one plate (UK GDPR articles 15 and 17), and media deletions that survive a crash.
extension Store {
    /// Every row about a plate in a tenant, by section, as stored. `plates`: its stored forms (normalised, and its
    /// pseudonym: pseudonymised rows are still personal data to the operator who holds the key).
    public func subjectRecords(tenantID: ID<Tenant>, plates: [String]) async throws -> [(section: String, rows: [SQLRow])] {
        let any = Self.placeholders(plates.count)
        let sections: [(String, String)] = [
            ("reads", "SELECT * FROM reads WHERE tenant_id = ? AND plate IN \(any) ORDER BY captured_at, id"),
            ("passes", "SELECT * FROM passes WHERE tenant_id = ? AND plate IN \(any) ORDER BY first_seen_at, id"),
            ("parking_sessions", "SELECT * FROM parking_sessions WHERE tenant_id = ? AND plate IN \(any) ORDER BY created_at, id"),
            (
                "group_memberships",
                "SELECT m.*, g.name AS group_name FROM members m JOIN groups g ON g.id = m.group_id WHERE m.tenant_id = ? AND m.plate IN \(any) ORDER BY m.created_at, m.id"
            ),
            (
                "watchlist_entries",
                "SELECT e.*, w.name AS watchlist_name FROM watchlist_entries e JOIN watchlists w ON w.id = e.list_id WHERE e.tenant_id = ? AND e.plate IN \(any) ORDER BY e.created_at, e.id"
            ),
            ("alerts", "SELECT * FROM alerts WHERE tenant_id = ? AND plate IN \(any) ORDER BY created_at, id"),
            (
                "corrections",
                "SELECT * FROM read_corrections WHERE tenant_id = ? AND (old_plate IN \(any) OR new_plate IN \(any)) ORDER BY created_at, id"
            ),
        ]
        let forms = plates.map(SQLValue.text)
        var out: [(String, [SQLRow])] = []
        for (section, sql) in sections {
            out.append((section, try await db.query(sql, [tenantID.sqlValue] + forms + (section == "corrections" ? forms : []))))
        }
        return out
    }

    /// `(?, ?, ...)` for an IN list of `n` values.
    static func placeholders(_ n: Int) -> String { "(" + Array(repeating: "?", count: max(n, 1)).joined(separator: ", ") + ")" }

    /// Deletes everything about a plate (`plates`: its stored forms, normalised and pseudonymised) in a tenant in one
    /// transaction (reads, passes, parking sessions with their charges, alerts, events and their pending webhook
    /// deliveries, corrections; group members and watch-list entries only with `includeLists`). The media files of
    /// the deleted rows are recorded in `media_deletions` in the same transaction, so that a crash before they are
    /// deleted leaves them to ``pendingMediaDeletions``; the caller deletes them and calls ``finishMediaDeletion``.
    /// `audit` is written in the same transaction.
    public func erase(
        tenantID: ID<Tenant>, plates: [String], includeLists: Bool, audit: (actor: String, target: String, detail: String, ip: String?)
    ) async throws -> (counts: ErasureCounts, mediaKeys: [String]) {
        let now = WallClock.nowMillis()
        let any = Self.placeholders(plates.count)
        let forms = plates.map(SQLValue.text)
        return try await db.transaction { tx in
            var c = ErasureCounts()
            let keys = try await Self.releasedMedia(
                tx, tenantID: tenantID, of: "plate IN \(any)", forms, keptBy: "plate NOT IN \(any)", forms)
            /// Deletes and counts in one statement (both engines have RETURNING).
            func delete(_ sql: String, _ binds: [SQLValue]) async throws -> Int {
                try await tx.query(sql + " RETURNING 1 AS x", [tenantID.sqlValue] + binds).count
            }
            // Events name the plate in their JSON payload ("plate":"AB12CDE": a stored plate has no LIKE wildcard).
            for plate in plates {
                let pattern = "%\"plate\":\"\(plate)\"%"
                try await tx.query(
                    "DELETE FROM webhook_deliveries WHERE tenant_id = ? AND event_id IN (SELECT id FROM events WHERE tenant_id = ? AND payload LIKE ?)",
                    [tenantID.sqlValue, tenantID.sqlValue, .text(pattern)])
                c.events += try await delete("DELETE FROM events WHERE tenant_id = ? AND payload LIKE ?", [.text(pattern)])
            }
            c.corrections = try await delete(
                "DELETE FROM read_corrections WHERE tenant_id = ? AND (old_plate IN \(any) OR new_plate IN \(any))", forms + forms)
            c.alerts = try await delete("DELETE FROM alerts WHERE tenant_id = ? AND plate IN \(any)", forms)
            c.parkingSessions = try await delete("DELETE FROM parking_sessions WHERE tenant_id = ? AND plate IN \(any)", forms)
            c.reads = try await delete("DELETE FROM reads WHERE tenant_id = ? AND plate IN \(any)", forms)
            c.passes = try await delete("DELETE FROM passes WHERE tenant_id = ? AND plate IN \(any)", forms)
            if includeLists {
                c.members = try await delete("DELETE FROM members WHERE tenant_id = ? AND plate IN \(any)", forms)
                c.watchlistEntries = try await delete("DELETE FROM watchlist_entries WHERE tenant_id = ? AND plate IN \(any)", forms)
                try await tx.query("UPDATE tenants SET rules_version = rules_version + 1 WHERE id = ?", tenantID)
            }
            try await Self.queueMediaDeletions(tx, keys, tenantID: tenantID, now: now)
            c.mediaFiles = keys.count
            try await tx.query(
                "INSERT INTO audit_log (tenant_id, actor, action, target, detail, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                tenantID, audit.actor, "privacy.erasure", audit.target, audit.detail, audit.ip, now)
            return (c, keys.sorted())
        }
    }

    /// The crop and frame files of the reads and passes that `rows` selects (a WHERE clause after the tenant), less
    /// those a read or pass that `keptBy` selects still names: a frame is shared by every read of its image.
    static func releasedMedia(
        _ tx: any SQLDatabase, tenantID: ID<Tenant>, of rows: String, _ rowBinds: [SQLValue], keptBy: String, _ keptBinds: [SQLValue]
    ) async throws -> Set<String> {
        var keys = Set<String>()
        for table in ["reads", "passes"] {
            let found = try await tx.query(
                "SELECT crop_key, frame_key FROM \(table) WHERE tenant_id = ? AND \(rows.replacingOccurrences(of: "{time}", with: table == "reads" ? "captured_at" : "last_seen_at"))",
                [tenantID.sqlValue] + rowBinds)
            for row in found {
                for k in [row.text("crop_key"), row.text("frame_key")] { if let k, !k.isEmpty { keys.insert(k) } }
            }
        }
        for k in keys {
            for table in ["reads", "passes"] {
                let time = table == "reads" ? "captured_at" : "last_seen_at"
                let kept = try await tx.query(
                    "SELECT 1 AS x FROM \(table) WHERE tenant_id = ? AND (frame_key = ? OR crop_key = ?) AND \(keptBy.replacingOccurrences(of: "{time}", with: time)) LIMIT 1",
                    [tenantID.sqlValue, .text(k), .text(k)] + keptBinds)
                if !kept.isEmpty { keys.remove(k); break }
            }
        }
        return keys
    }

    /// Records media files to delete in the caller's transaction (``pendingMediaDeletions`` survives a crash).
    static func queueMediaDeletions(_ tx: any SQLDatabase, _ keys: Set<String>, tenantID: ID<Tenant>, now: Int64) async throws {
        for k in keys {
            try await tx.query(
                "INSERT INTO media_deletions (media_key, tenant_id, created_at) VALUES (?, ?, ?) ON CONFLICT (media_key) DO NOTHING",
                k, tenantID, now)
        }
    }

    // MARK: Pseudonymisation

    /// Up to `limit` plates of the tenant still in clear in reads captured before `before`, that are in no group,
    /// on no watch list and in no open parking session: the ones pseudonymisation replaces. Pseudonyms start with
    /// `~`, which sorts after every letter and digit, so `plate < '~'` is a range on the (tenant, plate) index that
    /// skips the rows already done.
    public func platesToPseudonymise(tenantID: ID<Tenant>, before: Int64, limit: Int = 500) async throws -> [String] {
        try await db.query(
            """
            SELECT DISTINCT plate FROM reads WHERE tenant_id = ? AND plate < '~' AND captured_at < ?
              AND plate NOT IN (SELECT plate FROM members WHERE tenant_id = ?)
              AND plate NOT IN (SELECT plate FROM watchlist_entries WHERE tenant_id = ?)
              AND plate NOT IN (SELECT plate FROM parking_sessions WHERE tenant_id = ? AND status = 'open')
            ORDER BY plate LIMIT ?
            """, tenantID, before, tenantID, tenantID, tenantID, limit
        ).map { $0.string("plate") }
    }

    /// Replaces `plate` by `pseudonym` in one transaction in the tenant's reads and passes older than `before` (whose
    /// crop and frame files are queued for deletion), its closed parking sessions and their alerts, corrections and
    /// events of that age. Returns the media keys to delete (then ``finishMediaDeletion``) and the reads changed.
    public func pseudonymise(
        tenantID: ID<Tenant>, plate: String, pseudonym: String, before: Int64
    ) async throws -> (reads: Int, mediaKeys: [String]) {
        let now = WallClock.nowMillis()
        return try await db.transaction { tx in
            let keys = try await Self.releasedMedia(
                tx, tenantID: tenantID, of: "plate = ? AND {time} < ?", [.text(plate), .int(before)],
                keptBy: "plate < '~' AND NOT (plate = ? AND {time} < ?)", [.text(plate), .int(before)])
            var displays = Set([plate])
            for r in try await tx.query(
                "SELECT DISTINCT display FROM reads WHERE tenant_id = ? AND plate = ? AND captured_at < ?", tenantID, plate, before)
            {
                displays.insert(r.string("display"))
            }
            let reads = try await tx.query(
                """
                UPDATE reads SET plate = ?, display = ?, crop_key = NULL, frame_key = NULL
                WHERE tenant_id = ? AND plate = ? AND captured_at < ? RETURNING 1 AS x
                """, pseudonym, pseudonym, tenantID, plate, before
            ).count
            try await tx.query(
                """
                UPDATE passes SET plate = ?, display = ?, crop_key = NULL, frame_key = NULL
                WHERE tenant_id = ? AND plate = ? AND last_seen_at < ?
                """, pseudonym, pseudonym, tenantID, plate, before)
            try await tx.query(
                "UPDATE parking_sessions SET plate = ? WHERE tenant_id = ? AND plate = ? AND status <> 'open' AND updated_at < ?",
                pseudonym, tenantID, plate, before)
            // Alert messages begin with the plate ("AB12CDE is in no group ...").
            try await tx.query(
                """
                UPDATE alerts SET plate = ?, message = CASE WHEN SUBSTR(message, 1, CAST(? AS INTEGER)) = ? THEN ? || SUBSTR(message, CAST(? AS INTEGER)) ELSE message END
                WHERE tenant_id = ? AND plate = ? AND created_at < ?
                """, pseudonym, plate.utf8.count, plate, pseudonym, plate.utf8.count + 1, tenantID, plate, before)
            try await tx.query(
                """
                UPDATE read_corrections SET old_plate = CASE WHEN old_plate = ? THEN ? ELSE old_plate END,
                  new_plate = CASE WHEN new_plate = ? THEN ? ELSE new_plate END
                WHERE tenant_id = ? AND (old_plate = ? OR new_plate = ?) AND created_at < ?
                """, plate, pseudonym, plate, pseudonym, tenantID, plate, plate, before)
            for e in try await tx.query(
                "SELECT id, payload FROM events WHERE tenant_id = ? AND created_at < ? AND payload LIKE ?",
                tenantID, before, "%\"plate\":\"\(plate)\"%")
            {
                let rewritten = Self.replacing(displays, with: pseudonym, plate: plate, inJSON: e.string("payload"))
                try await tx.query("UPDATE events SET payload = ? WHERE id = ?", rewritten, e.int("id") ?? 0)
            }
            try await Self.queueMediaDeletions(tx, keys, tenantID: tenantID, now: now)
            return (reads, keys.sorted())
        }
    }

    /// `json` with every string value that is one of `forms` (the plate and its displays) replaced by `pseudonym`,
    /// and every one that begins with the plate and a space or colon (alert messages) begun with it instead.
    static func replacing(_ forms: Set<String>, with pseudonym: String, plate: String, inJSON json: String) -> String {
        func walk(_ v: Any) -> Any {
            switch v {
            case let s as String:
                if forms.contains(s) { return pseudonym }
                for sep in [" ", ":"] where s.hasPrefix(plate + sep) { return pseudonym + s.dropFirst(plate.count) }
                return s
            case let a as [Any]: return a.map(walk)
            case let o as [String: Any]: return o.mapValues(walk)
            default: return v
            }
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
            let data = try? JSONSerialization.data(withJSONObject: walk(object), options: [.sortedKeys, .withoutEscapingSlashes]),
            let out = String(data: data, encoding: .utf8)
        else { return json }
        return out
    }

    /// Media files an erasure still has to delete (left by a crash between the transaction and the deletion).
    public func pendingMediaDeletions(limit: Int = 500) async throws -> [String] {
        try await db.query("SELECT media_key FROM media_deletions ORDER BY created_at, media_key LIMIT ?", limit).map {
            $0.string("media_key")
        }
    }

    /// Deletes audit entries of one action older than `before` (the lookups' own retention).
    public func deleteAuditEntries(action: String, before: Int64) async throws {
        try await db.query("DELETE FROM audit_log WHERE action = ? AND created_at < ?", action, before)
    }

    public func finishMediaDeletion(_ key: String) async throws {
        try await db.query("DELETE FROM media_deletions WHERE media_key = ?", key)
    }
}
