import Foundation
import ExportFormats
import Logging
import Media
import Plates
import Storage

/// Subject access and erasure of one plate (UK GDPR articles 15 and 17), for the API and `microanpr privacy`.
public struct PrivacyRequests: Sendable {
    package let store: Store
    package let media: any MediaStore
    package let signer: MediaSigner
    package let logger: Logger

    public init(store: Store, media: any MediaStore, signer: MediaSigner, logger: Logger) {
        self.store = store; self.media = media; self.signer = signer; self.logger = logger
    }

    /// A typed plate in its stored form, nil when it is not a plate.
    public static func plate(_ text: String) -> String? {
        guard let p = PlateText.normalised(text), !p.isEmpty else { return nil }
        return p
    }

    /// The keyed hash that stands for a plate in the audit log of an erasure (not reversible without the secret).
    package func keyedHash(_ plate: String, tenantID: ID<Tenant>) -> String {
        "hmac-sha256:" + signer.signature("plate:\(tenantID):\(plate)")
    }

    /// What stands for a plate once the tenant's reads of it are pseudonymised: `~` and 24 hex digits of a keyed
    /// hash (HMAC-SHA256 with the server secret, per tenant). The same plate always gives the same pseudonym, so
    /// counts of vehicles and visits keep working, and a search for the plate finds its pseudonymised reads.
    public func pseudonym(_ plate: String, tenantID: ID<Tenant>) -> String {
        "~" + signer.signature("pseudonym:\(tenantID):\(plate)").prefix(24)
    }

    /// The forms a plate filter matches: the plate, and its pseudonym in the tenant.
    package func plateForms(_ plate: String, tenantID: ID<Tenant>) -> [String] {
        [plate, pseudonym(plate, tenantID: tenantID)]
    }

    /// Pseudonymises the tenant's reads older than its `pseudonymise_after_hours` (nothing when that is off):
    /// plate by plate, each in one transaction, then deletes their media. Returns the reads changed.
    @discardableResult
    public func pseudonymise(tenant: Tenant, now: Int64) async throws -> Int {
        guard let hours = tenant.pseudonymiseAfterHours else { return 0 }
        let before = now - Int64(hours) * 3_600_000
        var changed = 0
        while true {
            let plates = try await store.platesToPseudonymise(tenantID: tenant.id, before: before)
            for plate in plates {
                try Task.checkCancellation()
                let (reads, keys) = try await store.pseudonymise(
                    tenantID: tenant.id, plate: plate, pseudonym: pseudonym(plate, tenantID: tenant.id), before: before)
                await finishMediaDeletions(keys)
                changed += reads
            }
            if plates.count < 500 { break }
        }
        return changed
    }

    /// A ZIP: `subject.json` (every row held about the plate, by section) and the images of its reads and passes.
    public func subjectAccess(tenant: Tenant, plate: String) async throws -> [UInt8] {
        let records = try await store.subjectRecords(tenantID: tenant.id, plates: [plate, pseudonym(plate, tenantID: tenant.id)])
        var zip = ZIPArchive()
        var sections: [String: Any] = [:]
        var images = 0
        for (section, rows) in records {
            sections[section] = rows.map(Self.json)
            guard section == "reads" || section == "passes" else { continue }
            for row in rows {
                for (column, suffix) in [("frame_key", "frame"), ("crop_key", "crop")] {
                    guard let key = row.text(column), let data = try await media.get(key) else { continue }
                    zip.add("media/\(section)/\(row.string("id"))-\(suffix).jpg", Array(data))
                    images += 1
                }
            }
        }
        let document: [String: Any] = [
            "plate": plate, "tenant": tenant.name, "generated_at": JSONTime.string(WallClock.nowMillis()) ?? "",
            "about":
                "Everything this MicroANPR tenant holds about the plate: every section is the stored rows; times are RFC 3339 (UTC); images are in media/.",
            "sections": sections, "images": images,
        ]
        zip.add("subject.json", Array(try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])))
        return zip.finish()
    }

    /// A stored row as JSON: epoch-millisecond `_at` columns as RFC 3339 times.
    package static func json(_ row: SQLRow) -> [String: Any] {
        var o: [String: Any] = [:]
        for (k, v) in row.values {
            switch v {
            case .int(let i): o[k] = k.hasSuffix("_at") ? (JSONTime.string(i) ?? i) : i
            case .double(let d): o[k] = d
            case .text(let s): o[k] = s
            case .null: o[k] = NSNull()
            }
        }
        return o
    }

    /// Erases the plate (``Store/erase(tenantID:plate:includeLists:audit:)``), then deletes its media; the audit
    /// entry holds the keyed hash, and the plate as typed or stored is cut out of the reason.
    public func erase(
        tenantID: ID<Tenant>, plate: String, typed: String, reason: String, includeLists: Bool, actor: String, ip: String?
    ) async throws -> ErasureJSON {
        var reason = reason
        for form in Set([plate, typed.uppercased(), typed]) where !form.isEmpty {
            reason = reason.replacingOccurrences(of: form, with: "[plate]", options: .caseInsensitive)
        }
        let exports = try await exportsContaining(plate, tenantID: tenantID)
        let target = keyedHash(plate, tenantID: tenantID)
        let (counts, keys) = try await store.erase(
            tenantID: tenantID, plates: [plate, pseudonym(plate, tenantID: tenantID)], includeLists: includeLists,
            audit: (actor, target, "reason=\(reason)", ip))
        await finishMediaDeletions(keys)
        return ErasureJSON(
            plate: plate, reads: counts.reads, passes: counts.passes, parking_sessions: counts.parkingSessions,
            alerts: counts.alerts, events: counts.events, corrections: counts.corrections, members: counts.members,
            watchlist_entries: counts.watchlistEntries, media_files: counts.mediaFiles, exports_containing_plate: exports,
            audit_target: target)
    }

    /// Deletes the media an erasure left in `media_deletions` (these `keys`, or every pending one when nil: after
    /// a crash) and clears each row once its file is gone; a failure leaves the row for the next sweep.
    public func finishMediaDeletions(_ keys: [String]? = nil) async {
        do {
            let pending: [String]
            if let keys { pending = keys } else { pending = try await store.pendingMediaDeletions() }
            for key in pending {
                try await media.delete(key)
                try await store.finishMediaDeletion(key)
            }
        } catch {
            logger.warning("erasure media deletion left for the next sweep", metadata: ["error": "\(error)"])
        }
    }

    /// Finished export files of the tenant that hold the plate's text (they are not changed: the answer lists them
    /// so that the admin can delete them).
    package func exportsContaining(_ plate: String, tenantID: ID<Tenant>) async throws -> [String] {
        var found: [String] = []
        let needle = Data(plate.utf8)
        for job in try await store.exportJobs(tenantID: tenantID, limit: 500) where job.status == .done {
            let key = ExportJobWorker.mediaKey(job)
            let data: Data?
            if let path = try media.localPath(key) {
                data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            } else {
                data = try await media.get(key)
            }
            if let data, data.range(of: needle) != nil { found.append(job.id.rawValue) }
        }
        return found
    }
}

/// What an erasure deleted.
public struct ErasureJSON: Encodable, Sendable {
    public var plate: String
    public var reads: Int, passes: Int, parking_sessions: Int, alerts: Int, events: Int, corrections: Int, members: Int
    public var watchlist_entries: Int, media_files: Int
    /// Export jobs whose finished file holds the plate.
    public var exports_containing_plate: [String]
    /// What the audit log holds instead of the plate.
    public var audit_target: String
}
