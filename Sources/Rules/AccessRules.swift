import Foundation

/// A member of a permit group, as the rules see it.
public struct Permit: Sendable, Equatable {
    public var memberID: String
    public var memberName: String
    public var groupID: String
    public var groupName: String
    public var permitID: String
    /// Normalised plate.
    public var plate: String
    /// Validity window, milliseconds since 1970 (either end open when nil).
    public var validFrom: Int64?
    public var validTo: Int64?
    /// Allowed weekdays, 1 = Monday ... 7 = Sunday (all when nil).
    public var days: Set<Int>?
    /// Allowed time of day in minutes after midnight, `start..<end` (wrapping past midnight when end <= start;
    /// all day when nil).
    public var hours: (start: Int, end: Int)?

    public init(
        memberID: String, memberName: String, groupID: String, groupName: String, permitID: String, plate: String,
        validFrom: Int64? = nil, validTo: Int64? = nil, days: Set<Int>? = nil, hours: (start: Int, end: Int)? = nil
    ) {
        self.memberID = memberID; self.memberName = memberName; self.groupID = groupID; self.groupName = groupName
        self.permitID = permitID; self.plate = plate; self.validFrom = validFrom; self.validTo = validTo
        self.days = days; self.hours = hours
    }

    public static func == (a: Permit, b: Permit) -> Bool {
        a.memberID == b.memberID && a.plate == b.plate && a.validFrom == b.validFrom && a.validTo == b.validTo
            && a.days == b.days && a.hours?.start == b.hours?.start && a.hours?.end == b.hours?.end
    }

    /// Whether the permit holds at `millis` in `timeZone` (window, weekday and time of day).
    public func isValid(at millis: Int64, in timeZone: TimeZone) -> Bool {
        if let validFrom, millis < validFrom { return false }
        if let validTo, millis >= validTo { return false }
        guard days != nil || hours != nil else { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        if let days {
            // Calendar weekday: 1 = Sunday ... 7 = Saturday.
            let isoDay = ((c.weekday ?? 1) + 5) % 7 + 1
            if !days.contains(isoDay) { return false }
        }
        if let hours {
            let minute = (c.hour ?? 0) * 60 + (c.minute ?? 0)
            let inside =
                hours.end > hours.start
                ? (hours.start..<hours.end).contains(minute)
                : (minute >= hours.start || minute < hours.end)
            if !inside { return false }
        }
        return true
    }
}

/// A plate on a watch list.
public struct WatchEntry: Sendable, Equatable {
    public var listID: String
    public var listName: String
    /// stolen, banned, vip or other.
    public var reason: String
    /// Normalised plate.
    public var plate: String

    public init(listID: String, listName: String, reason: String, plate: String) {
        self.listID = listID; self.listName = listName; self.reason = reason; self.plate = plate
    }
}

/// Where a plate was seen, for the rules that depend on it.
public struct Checkpoint: Sendable {
    public var cameraID: String?
    public var site: String?
    /// What to do with a plate in no group and on no list: "allow" or "deny".
    public var unknownAccess: String

    public init(cameraID: String?, site: String?, unknownAccess: String) {
        self.cameraID = cameraID; self.site = site; self.unknownAccess = unknownAccess
    }
}

/// A rule that raises an alert for plates in no group, at one camera, at one site, or everywhere.
public struct UnknownPlateRule: Sendable {
    public var cameraID: String?
    public var site: String?
    public init(cameraID: String?, site: String?) { self.cameraID = cameraID; self.site = site }

    func applies(to c: Checkpoint) -> Bool {
        if let cameraID, cameraID != c.cameraID { return false }
        if let site, site != c.site { return false }
        return true
    }
}

/// What the rules decided for one plate.
public struct Evaluation: Sendable {
    public struct GroupMatch: Sendable, Equatable {
        public var groupID: String, group: String, memberID: String, member: String, permitID: String
        public var match: PlateMatcher.Kind
        /// Whether the permit holds now (window, days, hours).
        public var valid: Bool
    }
    public struct WatchHit: Sendable, Equatable {
        public var listID: String, list: String, reason: String
        public var match: PlateMatcher.Kind
    }
    public struct Alert: Sendable, Equatable {
        /// watchlist, unknown_plate or permit_invalid.
        public var kind: String
        public var message: String
    }
    public var groupMatch: GroupMatch?
    public var watch: WatchHit?
    /// allow or deny.
    public var decision: String
    /// Why: watchlist_<reason>, permit, permit_fuzzy, permit_outside_validity, unknown_plate.
    public var reason: String
    public var alerts: [Alert]
}

/// A tenant's permits, watch lists and alert rules, evaluated for each plate read.
public struct AccessRules: Sendable {
    public var permits: [Permit]
    public var watch: [WatchEntry]
    public var unknownPlateRules: [UnknownPlateRule]
    public var timeZone: TimeZone
    /// Permits and watch entries by skeleton, for exact and confusable matches without a scan.
    let permitsBySkeleton: [String: [Int]]
    let watchBySkeleton: [String: [Int]]

    public init(permits: [Permit], watch: [WatchEntry], unknownPlateRules: [UnknownPlateRule], timeZone: TimeZone) {
        self.permits = permits; self.watch = watch; self.unknownPlateRules = unknownPlateRules; self.timeZone = timeZone
        permitsBySkeleton = Dictionary(grouping: permits.indices, by: { PlateMatcher.skeleton(permits[$0].plate) })
        watchBySkeleton = Dictionary(grouping: watch.indices, by: { PlateMatcher.skeleton(watch[$0].plate) })
    }

    /// The best match of `plate` among `plates`: exact first, then confusable, then one edit (earliest listed).
    static func best(
        _ plate: String, among indices: [Int], bySkeleton: [String: [Int]], plateOf: (Int) -> String
    )
        -> (Int, PlateMatcher.Kind)?
    {
        let same = bySkeleton[PlateMatcher.skeleton(plate)] ?? []
        if let i = same.first(where: { plateOf($0) == plate }) { return (i, .exact) }
        if let i = same.first { return (i, .fuzzy) }
        for i in indices where PlateMatcher.match(plate, plateOf(i)) != nil { return (i, .fuzzy) }
        return nil
    }

    /// Matches a read plate at a checkpoint and time: group match, watch list hit, access decision, alerts.
    public func evaluate(plate raw: String, at millis: Int64, checkpoint: Checkpoint) -> Evaluation {
        let plate = PlateMatcher.normalise(raw)
        var alerts: [Evaluation.Alert] = []
        var groupMatch: Evaluation.GroupMatch?
        // Among several members with the plate, a valid permit wins.
        let exactOrConfusable = (permitsBySkeleton[PlateMatcher.skeleton(plate)] ?? [])
            .sorted { (permits[$0].plate == plate ? 0 : 1) < (permits[$1].plate == plate ? 0 : 1) }
        let candidates =
            exactOrConfusable.isEmpty
            ? permits.indices.filter { PlateMatcher.match(plate, permits[$0].plate) != nil } : exactOrConfusable
        let chosen = candidates.first { permits[$0].isValid(at: millis, in: timeZone) } ?? candidates.first
        if let i = chosen {
            let p = permits[i]
            groupMatch = .init(
                groupID: p.groupID, group: p.groupName, memberID: p.memberID, member: p.memberName,
                permitID: p.permitID, match: p.plate == plate ? .exact : .fuzzy,
                valid: p.isValid(at: millis, in: timeZone))
        }
        var watchHit: Evaluation.WatchHit?
        if let (i, kind) = Self.best(plate, among: Array(watch.indices), bySkeleton: watchBySkeleton, plateOf: { watch[$0].plate }) {
            let w = watch[i]
            watchHit = .init(listID: w.listID, list: w.listName, reason: w.reason, match: kind)
            alerts.append(
                .init(kind: "watchlist", message: "\(plate) is on watch list \(w.listName) (\(w.reason), \(kind.rawValue) match)"))
        }
        let decision: String, reason: String
        if let w = watchHit, ["stolen", "banned"].contains(w.reason) {
            (decision, reason) = ("deny", "watchlist_\(w.reason)")
        } else if let g = groupMatch {
            if g.valid {
                (decision, reason) = ("allow", g.match == .exact ? "permit" : "permit_fuzzy")
            } else {
                (decision, reason) = ("deny", "permit_outside_validity")
                alerts.append(
                    .init(kind: "permit_invalid", message: "\(plate): permit \(g.permitID) of \(g.member) (\(g.group)) is not valid now"))
            }
        } else if let w = watchHit, w.reason == "vip" {
            (decision, reason) = ("allow", "watchlist_vip")
        } else {
            (decision, reason) = (checkpoint.unknownAccess == "allow" ? "allow" : "deny", "unknown_plate")
            if unknownPlateRules.contains(where: { $0.applies(to: checkpoint) }) {
                alerts.append(.init(kind: "unknown_plate", message: "\(plate) is in no group (camera \(checkpoint.cameraID ?? "none"))"))
            }
        }
        return Evaluation(groupMatch: groupMatch, watch: watchHit, decision: decision, reason: reason, alerts: alerts)
    }
}
