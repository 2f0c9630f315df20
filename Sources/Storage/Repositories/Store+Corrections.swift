import Foundation

/// An operator's correction of a read's plate text.
public struct ReadCorrection: Sendable, Equatable {
    public var id: Int64
    public var tenantID: ID<Tenant>
    public var readID: ID<PlateRead>
    public var oldPlate: String
    public var newPlate: String
    /// `user:<email>`, `key:<id>` or `cli`.
    public var actor: String
    public var createdAt: Int64
}

extension Store {
    /// Sets a read's plate to `plate` (already normalised: upper-case letters and digits) and records who
    /// changed it from what, in one transaction. The display form becomes the plate itself and the format
    /// `corrected`. Returns the updated read and the plate it had, or nil when the tenant has no such read.
    public func correctRead(
        tenantID: ID<Tenant>, id: ID<PlateRead>, plate: String, actor: String
    ) async throws
        -> (read: PlateRead, oldPlate: String)?
    {
        let now = WallClock.nowMillis()
        return try await db.transaction { tx in
            guard var read = try await tx.first("SELECT * FROM reads WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.read) else {
                return nil
            }
            let oldPlate = read.plate
            (read.plate, read.display, read.format) = (plate, plate, "corrected")
            try await tx.query(
                "UPDATE reads SET plate = ?, display = ?, format = ? WHERE tenant_id = ? AND id = ?",
                read.plate, read.display, read.format, tenantID, id)
            try await tx.query(
                """
                INSERT INTO read_corrections (tenant_id, read_id, old_plate, new_plate, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, tenantID, id, oldPlate, plate, actor, now)
            return (read, oldPlate)
        }
    }

    /// The tenant's corrections, oldest first, after the correction with id `after` (keyset pages).
    public func corrections(tenantID: ID<Tenant>, after: Int64 = 0, limit: Int = 500) async throws -> [ReadCorrection] {
        try await db.query(
            """
            SELECT id, tenant_id, read_id, old_plate, new_plate, actor, created_at FROM read_corrections
            WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?
            """, tenantID, after, Int64(limit)
        ).map { r in
            ReadCorrection(
                id: Int64(r.int("id") ?? 0), tenantID: ID(r.string("tenant_id")), readID: ID(r.string("read_id")),
                oldPlate: r.string("old_plate"), newPlate: r.string("new_plate"),
                actor: r.string("actor"), createdAt: Int64(r.int("created_at") ?? 0))
        }
    }
}
