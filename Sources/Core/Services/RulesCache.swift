import Foundation
import Rules
import Storage

/// Each tenant's permits, watch lists and alert rules as ``AccessRules``, loaded once per rules version: every
/// write to a tenant's rules bumps its version in the same transaction (``Store/rulesVersion(tenantID:)``), so a
/// read costs one primary-key lookup and sees every committed change, made by any process, at once. Nothing
/// invalidates the cache by hand.
package actor RulesCache {
    package let store: Store
    private var entries: [ID<Tenant>: (rules: AccessRules, version: Int64)] = [:]

    package init(store: Store) { self.store = store }

    package func rules(for tenant: Tenant) async throws -> AccessRules {
        // The version is read before the rules: rules loaded after a concurrent write are newer than the version
        // they are kept under, and the next call loads them again.
        let version = try await store.rulesVersion(tenantID: tenant.id)
        if let e = entries[tenant.id], e.version == version { return e.rules }
        let members = try await store.allMembers(tenantID: tenant.id)
        let watch = try await store.allWatchlistEntries(tenantID: tenant.id)
        let alertRules = try await store.alertRules(tenantID: tenant.id)
        let permits = members.map { m, group in
            Permit(
                memberID: m.id.rawValue, memberName: m.name, groupID: m.groupID.rawValue, groupName: group, permitID: m.permitID,
                plate: m.plate,
                validFrom: m.validFrom, validTo: m.validTo, days: m.days.flatMap(Schedule.days), hours: m.hours.flatMap(Schedule.hours))
        }
        let rules = AccessRules(
            permits: permits,
            watch: watch.map { e, list in WatchEntry(listID: list.id.rawValue, listName: list.name, reason: list.reason, plate: e.plate) },
            unknownPlateRules: alertRules.filter { $0.kind == "unknown_plate" }.map {
                UnknownPlateRule(cameraID: $0.cameraID?.rawValue, site: $0.site)
            },
            timeZone: TimeZone(identifier: tenant.timeZone) ?? .gmt)
        entries[tenant.id] = (rules, version)
        return rules
    }
}

/// Members' allowed days (`mon,tue,...`) and hours (`HH:MM-HH:MM`) as text in the API and the database.
package enum Schedule {
    package static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// 1 = Monday ... 7 = Sunday, or nil when the text is not a list of day names.
    package static func days(_ s: String) -> Set<Int>? {
        let parts = s.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var out = Set<Int>()
        for p in parts {
            guard let i = dayNames.firstIndex(of: String(p.prefix(3))), p.count == 3 else { return nil }
            out.insert(i + 1)
        }
        return out.isEmpty ? nil : out
    }

    /// Minutes after midnight, or nil when the text is not `HH:MM-HH:MM`.
    package static func hours(_ s: String) -> (start: Int, end: Int)? {
        let parts = s.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let a = minutes(parts[0]), let b = minutes(parts[1]), a != b else { return nil }
        return (a, b)
    }

    package static func minutes(_ s: String) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, hm[0].count <= 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return h * 60 + m
    }
}
