import Foundation
import Rules
import Testing

@Suite struct PlateMatcherTests {
    @Test func normalisation() {
        #expect(PlateMatcher.normalise("ab12 cde") == "AB12CDE")
        #expect(PlateMatcher.normalise("AB-12·CDE") == "AB12CDE")
    }

    @Test(arguments: [
        ("AB12CDE", "AB12CDE", PlateMatcher.Kind?.some(.exact)),
        ("A812CDE", "AB12CDE", .fuzzy),  // 8/B
        ("AB12CD0", "AB12CDO", .fuzzy),  // 0/O
        ("5O1Z", "S0I2", .fuzzy),  // several confusables at once
        ("AB12CDF", "AB12CDE", .fuzzy),  // one substitution
        ("AB12CD", "AB12CDE", .fuzzy),  // one deletion
        ("XAB12CDE", "AB12CDE", .fuzzy),  // one insertion
        ("AB12CFF", "AB12CDE", nil),  // two substitutions, not confusable
        ("AB1", "AB12CDE", nil),
        ("", "AB12CDE", nil),
    ])
    func matching(read: String, listed: String, expected: PlateMatcher.Kind?) {
        #expect(PlateMatcher.match(read, listed) == expected)
    }
}

@Suite struct AccessRulesTests {
    let utc = TimeZone(identifier: "UTC")!
    let gate = Checkpoint(cameraID: "cam_1", site: "north", unknownAccess: "deny")
    /// Monday 2026-11-23 10:00 UTC.
    let mondayTen: Int64 = 1_795_428_000_000

    func permit(
        _ plate: String, from: Int64? = nil, to: Int64? = nil, days: Set<Int>? = nil,
        hours: (start: Int, end: Int)? = nil
    ) -> Permit {
        Permit(
            memberID: "mem_1", memberName: "Ann", groupID: "grp_1", groupName: "Staff", permitID: "P-1", plate: plate,
            validFrom: from, validTo: to, days: days, hours: hours)
    }

    @Test func mondayTenIsWhatTheTestsThinkItIs() {
        var c = Calendar(identifier: .gregorian); c.timeZone = utc
        let d = c.dateComponents([.weekday, .hour], from: Date(timeIntervalSince1970: Double(mondayTen) / 1000))
        #expect(d.weekday == 2 && d.hour == 10)
    }

    @Test func exactAndFuzzyPermitsAllowAndReportTheMatch() {
        let rules = AccessRules(permits: [permit("AB12CDE")], watch: [], unknownPlateRules: [], timeZone: utc)
        let exact = rules.evaluate(plate: "AB12 CDE", at: mondayTen, checkpoint: gate)
        #expect(exact.decision == "allow" && exact.reason == "permit")
        #expect(exact.groupMatch?.match == .exact && exact.groupMatch?.permitID == "P-1" && exact.groupMatch?.group == "Staff")
        let fuzzy = rules.evaluate(plate: "A812CDE", at: mondayTen, checkpoint: gate)
        #expect(fuzzy.groupMatch?.match == .fuzzy && fuzzy.reason == "permit_fuzzy")
        let other = rules.evaluate(plate: "XY99ZZZ", at: mondayTen, checkpoint: gate)
        #expect(other.groupMatch == nil && other.decision == "deny" && other.reason == "unknown_plate")
        #expect(other.alerts.isEmpty, "no unknown-plate rule")
    }

    @Test func validityWindowDaysAndHours() {
        let hour: Int64 = 3_600_000
        #expect(permit("A", from: mondayTen + hour).isValid(at: mondayTen, in: utc) == false)
        #expect(permit("A", to: mondayTen).isValid(at: mondayTen, in: utc) == false, "the end is exclusive")
        #expect(permit("A", from: mondayTen - hour, to: mondayTen + hour).isValid(at: mondayTen, in: utc))
        #expect(permit("A", days: [1, 2, 3, 4, 5]).isValid(at: mondayTen, in: utc))
        #expect(permit("A", days: [6, 7]).isValid(at: mondayTen, in: utc) == false)
        #expect(permit("A", hours: (start: 7 * 60, end: 19 * 60)).isValid(at: mondayTen, in: utc))
        #expect(permit("A", hours: (start: 22 * 60, end: 6 * 60)).isValid(at: mondayTen, in: utc) == false, "night shift")
        #expect(permit("A", hours: (start: 22 * 60, end: 6 * 60)).isValid(at: mondayTen + 14 * hour, in: utc), "midnight wrap")
        // 10:00 UTC is 19:00 in Tokyo: outside 07:00-19:00 there.
        #expect(permit("A", hours: (start: 7 * 60, end: 19 * 60)).isValid(at: mondayTen, in: TimeZone(identifier: "Asia/Tokyo")!) == false)
    }

    @Test func permitOutsideItsWindowIsDeniedWithAnAlert() {
        let rules = AccessRules(permits: [permit("AB12CDE", days: [6, 7])], watch: [], unknownPlateRules: [], timeZone: utc)
        let e = rules.evaluate(plate: "AB12CDE", at: mondayTen, checkpoint: gate)
        #expect(e.decision == "deny" && e.reason == "permit_outside_validity")
        #expect(e.groupMatch?.valid == false)
        #expect(e.alerts.map(\.kind) == ["permit_invalid"])
    }

    @Test func watchListsDecideBeforePermitsAndAlwaysAlert() {
        let watch = [
            WatchEntry(listID: "wl_1", listName: "Stolen", reason: "stolen", plate: "AB12CDE"),
            WatchEntry(listID: "wl_2", listName: "VIP", reason: "vip", plate: "V1PCAR"),
        ]
        let rules = AccessRules(permits: [permit("AB12CDE")], watch: watch, unknownPlateRules: [], timeZone: utc)
        let stolen = rules.evaluate(plate: "AB12CDE", at: mondayTen, checkpoint: gate)
        #expect(stolen.decision == "deny" && stolen.reason == "watchlist_stolen")
        #expect(stolen.watch?.list == "Stolen" && stolen.alerts.map(\.kind) == ["watchlist"])
        let vip = rules.evaluate(plate: "V1PCAR", at: mondayTen, checkpoint: gate)
        #expect(vip.decision == "allow" && vip.reason == "watchlist_vip" && vip.alerts.map(\.kind) == ["watchlist"])
        let fuzzyStolen = rules.evaluate(plate: "A812CDE", at: mondayTen, checkpoint: gate)
        #expect(fuzzyStolen.watch?.match == .fuzzy && fuzzyStolen.decision == "deny")
    }

    @Test func unknownPlateRulesApplyByCameraOrSite() {
        let bySite = AccessRules(permits: [], watch: [], unknownPlateRules: [UnknownPlateRule(cameraID: nil, site: "north")], timeZone: utc)
        #expect(bySite.evaluate(plate: "ZZ99ZZZ", at: mondayTen, checkpoint: gate).alerts.map(\.kind) == ["unknown_plate"])
        let south = Checkpoint(cameraID: "cam_2", site: "south", unknownAccess: "allow")
        let e = bySite.evaluate(plate: "ZZ99ZZZ", at: mondayTen, checkpoint: south)
        #expect(e.alerts.isEmpty && e.decision == "allow")
        let byCamera = AccessRules(
            permits: [], watch: [], unknownPlateRules: [UnknownPlateRule(cameraID: "cam_2", site: nil)], timeZone: utc)
        #expect(byCamera.evaluate(plate: "ZZ99ZZZ", at: mondayTen, checkpoint: gate).alerts.isEmpty)
        #expect(byCamera.evaluate(plate: "ZZ99ZZZ", at: mondayTen, checkpoint: south).alerts.count == 1)
    }

    @Test func aValidPermitWinsOverAnExpiredOneForTheSamePlate() {
        var expired = permit("AB12CDE", to: mondayTen - 1)
        expired.memberID = "mem_old"
        let rules = AccessRules(permits: [expired, permit("AB12CDE")], watch: [], unknownPlateRules: [], timeZone: utc)
        let e = rules.evaluate(plate: "AB12CDE", at: mondayTen, checkpoint: gate)
        #expect(e.groupMatch?.memberID == "mem_1" && e.decision == "allow")
    }
}
