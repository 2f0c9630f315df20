import Core
import APIContract
import Foundation
import ExportFormats
import Hummingbird
import Parking
import Storage

/// Tariffs per site (`/v1/tariffs`), quotes (`POST /v1/tariffs/quote`), parking sessions (`/v1/sessions`),
/// overstay rules (`/v1/overstay-rules`) and the revenue report (`/v1/reports/revenue`).
struct ParkingController {
    let store: Store
    let audit: AuditLog
    let privacy: PrivacyRequests
    let parking: ServerConfiguration.Parking

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("tariffs", use: tariffs)
        group.put("tariffs", use: setTariff)
        group.delete("tariffs", use: deleteTariff)
        group.post("tariffs/quote", use: quote)
        group.get("sessions", use: sessions)
        group.get("sessions/{id}", use: session)
        group.get("overstay-rules", use: overstayRules)
        group.post("overstay-rules", use: createOverstayRule)
        group.delete("overstay-rules/{id}", use: deleteOverstayRule)
        group.get("reports/revenue", use: revenue)
        group.get("reports/summary", use: summary)
    }

    // MARK: Tariffs

    @Sendable func tariffs(_ request: Request, context: AppContext) async throws -> Components.Schemas.SiteTariffs {
        let t = try context.requireTenant()
        let list = try await store.tariffs(tenantID: t.id).compactMap { row -> Components.Schemas.SiteTariff? in
            guard let tariff = try? JSONDecoder().decode(Tariff.self, from: Data(row.definition.utf8)) else { return nil }
            return .init(site: row.site, tariff: .init(tariff))
        }
        return .init(tariffs: list)
    }

    /// `PUT /v1/tariffs`'s body: the Parking module's `Tariff` decodes the tariff (the document's `Tariff`, the shape it
    /// stores) and says what is wrong with one that decodes (`Tariff.problems()`).
    struct SiteTariffBody: Decodable { var site: String; var tariff: Tariff }

    /// `PUT /v1/tariffs` `{"site", "tariff": {...}}`: sets the site's tariff (replacing any).
    @Sendable func setTariff(_ request: Request, context: AppContext) async throws -> Components.Schemas.SiteTariff {
        let t = try context.requireTenant()
        let b = try await decodeJSON(SiteTariffBody.self, from: request)
        let site = try textField(b.site, "site", max: 200, required: true)!
        try Self.check(b.tariff)
        let canonical = String(decoding: try JSONEncoder().encode(b.tariff), as: UTF8.self)
        try await store.setTariff(tenantID: t.id, site: site, definition: canonical)
        await audit(context, tenantID: t.id, action: "tariff.set", target: site)
        return .init(site: site, tariff: .init(b.tariff))
    }

    /// A tariff that decodes but cannot price a stay answers `bad_tariff` with every reason.
    static func check(_ tariff: Tariff) throws {
        let problems = tariff.problems()
        guard problems.isEmpty else { throw APIError.badRequest(problems.joined(separator: "; "), code: .badTariff) }
    }

    @Sendable func deleteTariff(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        guard let site = request.uri.queryParameters["site"].map(String.init), !site.isEmpty else {
            throw APIError.badRequest("site is required", code: .badParameter)
        }
        return try Response.deleted(try await store.deleteTariff(tenantID: t.id, site: site), "tariff of site \(site)")
    }

    /// A quote for a stay. Three shapes:
    /// - `{"site", "entered_at", "exited_at", "permit_holder"}`: the site's tariff;
    /// - `{"tariff": {...}, "entered_at", "exited_at", "permit_holder"}`: a tariff given inline;
    /// - the original design's `{"dayType", "duration", "baseRate", "startDate", "endDate"}`: `baseRate` per
    ///   started hour in currency units (`2.5`), for `duration` hours (`3` or `"3"`) on a day of `dayType`, or
    ///   from `startDate` to `endDate`.
    struct QuoteBody: Decodable {
        var site: String?, tariff: Tariff?, entered_at: String?, exited_at: String?, permit_holder: Bool?
        var dayType: String?, duration: LenientNumber?, baseRate: LenientNumber?, startDate: String?, endDate: String?
    }

    @Sendable func quote(_ request: Request, context: AppContext) async throws -> Components.Schemas.Quote {
        let t = try context.requireTenant()
        let data = Data(try await request.collectBody(limit: 64 * 1024))
        let b = try decodeJSON(QuoteBody.self, from: data, for: request)
        let zone = TimeZone(identifier: t.timeZone) ?? .gmt
        func time(_ key: String, _ value: String?) throws -> Int64? {
            guard let value else { return nil }
            guard let ms = JSONTime.parse(value) else { throw APIError.badRequest("\(key) must be an RFC 3339 time", code: .badParameter) }
            return ms
        }
        // Every time given must parse, whichever shape is used.
        let (enteredAt, exitedAt) = (try time("entered_at", b.entered_at), try time("exited_at", b.exited_at))
        let (startDate, endDate) = (try time("startDate", b.startDate), try time("endDate", b.endDate))
        if let tariff = b.tariff { try Self.check(tariff) }
        let engine: TariffEngine
        let entry: Int64, exit: Int64
        if b.baseRate != nil || b.dayType != nil || b.duration != nil {
            if let d = b.duration?.value, !(0...8784).contains(d) {
                throw APIError.badRequest("duration must be 0 to 8784 hours", code: .badParameter)
            }
            guard let perHour = b.baseRate?.value, (0...100_000).contains(perHour) else {
                throw APIError.badRequest(
                    "baseRate (the price per started hour in currency units, e.g. 2.5; 0 to 100000) is required", code: .badParameter)
            }
            if let d = b.dayType, !["weekday", "weekend", "bank_holiday", "bankHoliday", "holiday"].contains(d) {
                throw APIError.badRequest("dayType must be weekday, weekend or bank_holiday", code: .badParameter)
            }
            let rates = Rates(hourly: Int((perHour * 100).rounded()))
            engine = TariffEngine(tariff: Tariff(weekday: rates, weekend: rates, bankHoliday: rates, ukBankHolidays: false), timeZone: zone)
            if let s = startDate, let e = endDate {
                (entry, exit) = (s, e)
            } else {
                // A stay of that length: the hourly tariff prices every kind of day alike.
                guard let hours = b.duration?.value else {
                    throw APIError.badRequest("duration (hours, up to a year) or startDate and endDate are required", code: .badParameter)
                }
                (entry, exit) = (0, Int64((hours * 3_600_000).rounded()))
            }
        } else {
            guard let s = enteredAt, let e = exitedAt else {
                throw APIError.badRequest(
                    "entered_at and exited_at are required (or the dayType/duration/baseRate shape)", code: .badParameter)
            }
            (entry, exit) = (s, e)
            if let tariff = b.tariff {
                engine = TariffEngine(tariff: tariff, timeZone: zone)
            } else {
                guard let site = b.site, !site.isEmpty else {
                    throw APIError.badRequest("site (with a tariff) or tariff is required", code: .badParameter)
                }
                let e = try found(try await ParkingService.engine(store: store, tenantID: t.id, site: site), "tariff of site \(site)")
                engine = e
            }
        }
        guard exit >= entry else { throw APIError.badRequest("the stay ends before it starts", code: .badParameter) }
        guard exit - entry <= 366 * 86_400_000 else {
            throw APIError.badRequest("stays longer than a year are not quoted", code: .badParameter)
        }
        return .init(engine.quote(entry: entry, exit: exit, permitHolder: b.permit_holder ?? false))
    }

    // MARK: Sessions

    @Sendable func sessions(_ request: Request, context: AppContext) async throws -> Components.Schemas.Sessions {
        let t = try context.requireTenant()
        let q = request.uri.queryParameters
        let status = try ParkingSession.statusParameter(q["status"].map(String.init))
        let plate = try q["plate"].map { privacy.plateForms(try plateParameter(String($0), field: "plate"), tenantID: t.id) }
        let (from, to) = try request.timeRange(required: false)
        let limit = try request.limitParameter()
        let before = try request.cursorParameter().map { ($0.time, $0.id) }
        let site = q["site"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let site, site.count > 200 { throw APIError.badRequest("site must be at most 200 characters", code: .badParameter) }
        let list = try await store.sessions(
            parking.sessionFilter(tenantID: t.id, site: site, plate: plate, status: status, from: from, to: to), limit: limit,
            before: before)
        let next = list.count == limit ? list.last.map { PageCursor(time: $0.startedAt, id: $0.id).token } : nil
        return .init(sessions: list.map(ParkingSessionJSON.init), nextCursor: next)
    }

    @Sendable func session(_ request: Request, context: AppContext) async throws -> ParkingSessionJSON {
        let t = try context.requireTenant()
        return ParkingSessionJSON(try found(try await store.session(tenantID: t.id, id: try context.requireID()), "session"))
    }

    // MARK: Overstay rules

    typealias OverstayRulesList = Components.Schemas.OverstayRules

    @Sendable func overstayRules(_ request: Request, context: AppContext) async throws -> OverstayRulesList {
        let t = try context.requireTenant()
        return OverstayRulesList(overstayRules: try await store.overstayRules(tenantID: t.id).map(OverstayRuleJSON.init))
    }

    @Sendable func createOverstayRule(_ request: Request, context: AppContext) async throws -> EditedResponse<OverstayRuleJSON> {
        let t = try context.requireTenant()
        let b = try await decodeJSON(Components.Schemas.OverstayRuleInput.self, from: request)
        guard (1...525_600).contains(b.maxMinutes) else {
            throw APIError.badRequest("max_minutes must be 1 to 525600", code: .badParameter)
        }
        let site = try textField(b.site, "site", max: 200, required: false).flatMap { $0.isEmpty ? nil : $0 }
        if let g = b.groupId, try await store.group(tenantID: t.id, id: ID(g)) == nil { throw APIError.notFound("group") }
        let r = try await store.createOverstayRule(
            tenantID: t.id, site: site, groupID: b.groupId.map { ID($0) }, maxMinutes: b.maxMinutes)
        return EditedResponse(status: .created, response: OverstayRuleJSON(r))
    }

    @Sendable func deleteOverstayRule(_ request: Request, context: AppContext) async throws -> Response {
        let t = try context.requireTenant()
        return try Response.deleted(try await store.deleteOverstayRule(tenantID: t.id, id: try context.requireID()), "overstay rule")
    }

    // MARK: Revenue

    /// Closed sessions' charges by local day of exit (tenant time zone) and site.
    @Sendable func revenue(_ request: Request, context: AppContext) async throws -> Components.Schemas.Revenue {
        let t = try context.requireTenant()
        let (f, to) = try request.timeRange(required: true)
        guard let from = f, let to, to > from, to - from <= 400 * 86_400_000 else {
            throw APIError.badRequest("from must be before to, at most 400 days apart", code: .badParameter)
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: t.timeZone) ?? .gmt
        struct Key: Hashable { var day: String; var site: String; var currency: String }
        var sums: [Key: (count: Int, total: Int)] = [:]
        for s in try await store.closedSessions(tenantID: t.id, exitedFrom: from, to: to) {
            guard let exit = s.exitedAt else { continue }
            let c = cal.dateComponents([.year, .month, .day], from: Date(epochMilliseconds: exit))
            let key = Key(day: String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), site: s.site, currency: s.currency ?? "")
            let v = sums[key] ?? (0, 0)
            sums[key] = (v.count + 1, v.total + (s.charge ?? 0))
        }
        let rows = sums.sorted { ($0.key.day, $0.key.site) < ($1.key.day, $1.key.site) }.map { k, v in
            Components.Schemas.Revenue.DaysPayloadPayload(
                date: k.day, site: k.site, currency: k.currency, sessions: v.count, total: v.total)
        }
        return .init(timeZone: t.timeZone, days: rows)
    }

    // MARK: Analytics

    /// Parking analytics over sessions that overlap `from`..`to` (at most 92 days; `from` moved back to the whole
    /// local hour, or midnight by day, in the tenant's time zone): occupancy by hour (by day over 7 days), dwell-time
    /// distribution, entries per local hour of day, repeat visitors, permit holders vs others.
    /// Aggregated in the database (``Store/sessionSummary(_:base:step:now:from:to:offsets:)``), however many sessions.
    @Sendable func summary(_ request: Request, context: AppContext) async throws -> Components.Schemas.ParkingSummary {
        let t = try context.requireTenant()
        let (f, to) = try request.timeRange(required: true)
        guard let requested = f, let to, to > requested, to - requested <= 92 * 86_400_000 else {
            throw APIError.badRequest("from must be before to, at most 92 days apart", code: .badParameter)
        }
        let site = request.uri.queryParameters["site"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let site, site.count > 200 { throw APIError.badRequest("site must be at most 200 characters", code: .badParameter) }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: t.timeZone) ?? .gmt
        let now = WallClock.nowMillis()
        let step: Int64 = to - requested > 7 * 86_400_000 ? 86_400_000 : 3_600_000
        // The range starts at the whole local hour (or midnight, by day) at or before `from`, so that every bucket is
        // an hour or a day of the tenant's clock.
        let from =
            cal.dateInterval(of: step == 86_400_000 ? .day : .hour, for: Date(epochMilliseconds: requested))
            .map(\.start.epochMilliseconds) ?? requested
        let filter = parking.sessionFilter(tenantID: t.id, site: site, from: from, to: to)
        // Buckets are counted from a start early enough for the earliest session the filter can return.
        let before = ((filter.longest ?? 0) + step - 1) / step
        let base = from - before * step
        let a = try await store.sessionSummary(
            filter, base: base, step: step, now: now, from: from, to: to, offsets: Self.offsets(cal.timeZone, from: from, to: to))
        let buckets = Int((to - from + step - 1) / step)
        var inside = [Int](repeating: 0, count: buckets)
        for span in a.spans {
            let lo = max(span.first - Int(before), 0), hi = min(span.last - Int(before), buckets - 1)
            if lo <= hi { for k in lo...hi { inside[k] += span.sessions } }
        }
        let occupancy = inside.enumerated().map { k, n in
            Components.Schemas.ParkingSummary.OccupancyPayloadPayload(at: Date(epochMilliseconds: from + Int64(k) * step), vehicles: n)
        }
        let edges = Store.dwellEdges
        let labels = ["<15 min", "15-30 min", "30-60 min", "1-2 h", "2-4 h", "4-8 h", "8-24 h", ">24 h"]
        let dwell = (0...edges.count).map { a.dwell[$0] ?? 0 }
        return .init(
            from: Date(epochMilliseconds: from), to: Date(epochMilliseconds: to), timeZone: t.timeZone, sessions: a.sessions,
            occupancyStep: step == 3_600_000 ? .hour : .day, occupancy: occupancy,
            dwell: zip(labels, dwell).map { .init(range: $0, sessions: $1) },
            entriesByHour: a.entriesByHour.enumerated().map { .init(hour: $0.offset, entries: $0.element) },
            repeatVisitors: .init(plates: a.repeatPlates, ofPlates: a.plates, top: a.top.map { .init(plate: $0.plate, visits: $0.visits) }),
            permitHolders: a.permitHolders, others: a.sessions - a.permitHolders)
    }
}

extension ParkingController {
    /// The UTC offsets of `zone` over `from..<to`, each from the instant it starts (a summary spans at most 92 days:
    /// a few changes at most; capped all the same).
    static func offsets(_ zone: TimeZone, from: Int64, to: Int64) -> [(start: Int64, milliseconds: Int64)] {
        func offset(_ d: Date) -> Int64 { Int64(zone.secondsFromGMT(for: d)) * 1000 }
        var t = Date(epochMilliseconds: from)
        var pieces = [(start: from, milliseconds: offset(t))]
        while pieces.count < 64, let next = zone.nextDaylightSavingTimeTransition(after: t), next.epochMilliseconds < to {
            pieces.append((next.epochMilliseconds, offset(next)))
            t = next
        }
        return pieces
    }
}

/// An overstay rule as the document's `OverstayRule` (generated).
typealias OverstayRuleJSON = Components.Schemas.OverstayRule

extension OverstayRuleJSON: ResponseEncodable {
    init(_ r: OverstayRule) {
        self.init(
            id: r.id.rawValue, site: r.site, groupId: r.groupID?.rawValue, maxMinutes: r.maxMinutes,
            createdAt: Date(epochMilliseconds: r.createdAt))
    }
}

/// A parking session as the document's `Session` (generated).
typealias ParkingSessionJSON = Components.Schemas.Session

extension ParkingSessionJSON {
    init(_ s: ParkingSession) {
        self.init(
            id: s.id.rawValue, site: s.site, plate: s.plate, status: StatusPayload(rawValue: s.status) ?? .open,
            entryPassId: s.entryPassID?.rawValue, exitPassId: s.exitPassID?.rawValue,
            enteredAt: s.enteredAt.map(Date.init(epochMilliseconds:)), exitedAt: s.exitedAt.map(Date.init(epochMilliseconds:)),
            minutes: s.enteredAt.flatMap { a in s.exitedAt.map { b in Int((b - a) / 60_000) } }, permitHolder: s.permit,
            groupId: s.groupID?.rawValue, charge: s.charge, currency: s.currency, createdAt: Date(epochMilliseconds: s.createdAt))
    }
}

extension ParkingSession {
    /// The `status` filter of session lists and exports: one of the document's statuses, or none.
    static func statusParameter(_ value: String?) throws -> String? {
        guard let value else { return nil }
        guard ParkingSessionJSON.StatusPayload(rawValue: value) != nil else {
            let all = ParkingSessionJSON.StatusPayload.allCases.map(\.rawValue).sorted()
            throw APIError.badRequest("status must be one of \(all.joined(separator: ", "))", code: .badParameter)
        }
        return value
    }
}

extension Components.Schemas.Rates {
    init(_ r: Parking.Rates) {
        self.init(bands: r.bands.map { .init(upToMinutes: $0.upToMinutes, price: $0.price) }, hourly: r.hourly)
    }
}

extension Components.Schemas.Tariff {
    init(_ t: Parking.Tariff) {
        self.init(
            currency: t.currency, graceMinutes: t.graceMinutes, weekday: .init(t.weekday), weekend: t.weekend.map { .init($0) },
            bankHoliday: t.bankHoliday.map { .init($0) }, dailyCap: t.dailyCap, permitHoldersFree: t.permitHoldersFree,
            ukBankHolidays: t.ukBankHolidays, extraBankHolidays: t.extraBankHolidays)
    }
}

extension Components.Schemas.Quote {
    init(_ q: Parking.Quote) {
        self.init(
            currency: q.currency, total: q.total, amount: Double(q.total) / 100, minutes: q.minutes,
            freeReason: q.freeReason.flatMap(FreeReasonPayload.init(rawValue:)),
            lines: q.lines.map { line in
                let day: LinesPayloadPayload.DayTypePayload =
                    switch line.dayType {
                    case .weekday: .weekday
                    case .weekend: .weekend
                    case .bankHoliday: .bankHoliday
                    }
                return .init(date: line.date, dayType: day, minutes: line.minutes, price: line.price, capped: line.capped)
            })
    }
}

extension Components.Schemas.SiteTariff: ResponseEncodable {}
extension Components.Schemas.SiteTariffs: ResponseEncodable {}
extension Components.Schemas.Quote: ResponseEncodable {}
extension Components.Schemas.Session: ResponseEncodable {}

/// A page of sessions, written by ``JSONBytes`` (as a page of reads): the API's largest generated answer on a hot path,
/// where `JSONEncoder` (a custom date strategy for each of four times per session) cost ~20 us of CPU per session, a
/// third of a page's; the same document, held to `JSONEncoder`'s by `JSONBytesTests`.
extension Components.Schemas.Sessions: ResponseGenerator {
    package func response(from request: Request, context: some RequestContext) throws -> Response { written.response() }

    var written: JSONBytes {
        JSONBytes.page("sessions", sessions, nextCursor: nextCursor, itemSize: 360) { w, s in s.write(into: &w) }
    }
}

extension ParkingSessionJSON {
    /// This session as `JSONEncoder` writes it (the generated coding keys in order, nil fields left out).
    func write(into w: inout JSONBytes) {
        w.object { w in
            w.field("id", id)
            w.field("site", site)
            w.field("plate", plate)
            w.field("status", status.rawValue)
            w.field("entry_pass_id", entryPassId)
            w.field("exit_pass_id", exitPassId)
            w.field("entered_at", enteredAt)
            w.field("exited_at", exitedAt)
            w.field("minutes", minutes)
            w.field("permit_holder", permitHolder)
            w.field("group_id", groupId)
            w.field("charge", charge)
            w.field("currency", currency)
            w.field("created_at", createdAt)
        }
    }
}
extension Components.Schemas.Revenue: ResponseEncodable {}
extension Components.Schemas.ParkingSummary: ResponseEncodable {}
