import APIContract
import Core
import ExportFormats
import Foundation
import Hummingbird
import Storage

/// `GET /v1/overview`: what a site is doing now, for the dashboard's home page: vehicles on site, entries and exits
/// today against the same weekday last week, open alerts, revenue today, reads in the last hour, and every camera
/// with its state and last read. Each figure is one indexed query, so the page stays fast on large tenants.
struct OverviewController {
    let store: Store
    let links: ImageLinks
    let parking: ServerConfiguration.Parking

    /// How many unacknowledged alerts are counted before the answer says "at least".
    static let alertCap = 1000

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.get("overview", use: overview)
    }

    @Sendable func overview(_ request: Request, context: AppContext) async throws -> Components.Schemas.Overview {
        let t = try context.requireTenant()
        let site = request.uri.queryParameters["site"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let site, site.count > 200 { throw APIError.badRequest("site must be at most 200 characters", code: .badParameter) }
        let nowMillis = WallClock.nowMillis()
        let cameras = try await store.cameras(tenantID: t.id)
        let siteCameras = site.map { s in cameras.filter { $0.site == s } } ?? cameras
        let cameraIDs = site == nil ? nil : siteCameras.map(\.id)

        // Today and the same part of the same weekday a week ago, in the tenant's time zone.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: t.timeZone) ?? .gmt
        let now = Date(epochMilliseconds: nowMillis)
        let midnight = cal.startOfDay(for: now)
        let weekAgo = cal.date(byAdding: .day, value: -7, to: midnight) ?? midnight
        let weekAgoNow = cal.date(byAdding: .day, value: -7, to: now) ?? now
        let longest = parking.sessionFilter(tenantID: t.id, from: nil, to: nil).longest ?? 0

        async let onSite = store.openSessionCount(tenantID: t.id, site: site)
        async let today = store.parkingDay(tenantID: t.id, site: site, from: midnight.epochMilliseconds, to: nowMillis, longest: longest)
        async let lastWeek = store.parkingDay(
            tenantID: t.id, site: site, from: weekAgo.epochMilliseconds, to: weekAgoNow.epochMilliseconds, longest: longest)
        async let alerts = store.openAlerts(tenantID: t.id, cameraIDs: cameraIDs, limit: 5, cap: Self.alertCap)
        async let lastHour = store.countReads(tenantID: t.id, since: nowMillis - 3_600_000, cameraIDs: cameraIDs)
        async let statuses = store.cameraStatuses(tenantID: t.id)

        var cameraRows: [Components.Schemas.OverviewCamera] = []
        let reported = try await statuses
        for c in siteCameras.prefix(200) {
            let row = reported[c.id]
            let status = c.liveStatus(reported: row?.status ?? nil, heartbeat: row?.heartbeat ?? nil, now: nowMillis)
            let problem = [.offline, .error].contains(status.state) || status.lastError != nil && status.state != .connected
            let lastRead = try await store.latestRead(tenantID: t.id, cameraID: c.id).map { read in
                let j = links.json(read)
                return Components.Schemas.LastRead(
                    id: read.id.rawValue, plate: read.plate, display: read.display, capturedAt: Date(epochMilliseconds: read.capturedAt),
                    imageUrl: j.image_url, cropUrl: j.crop_url)
            }
            cameraRows.append(
                .init(
                    id: c.id.rawValue, name: c.name, site: c.site, live: c.sourceURL != nil && c.enabled, problem: problem,
                    state: .init(rawValue: status.state.rawValue) ?? .error, fpsIn: status.fpsIn, fpsProcessed: status.fpsProcessed,
                    lastFrameAt: status.lastFrameAt, lastError: status.lastError, reconnects: status.reconnects,
                    retryInS: status.retryInS, framesDropped: status.framesDropped, poorLight: status.poorLight, lastRead: lastRead))
        }
        let (d, w, open) = try await (today, lastWeek, alerts)
        func revenue(_ day: ParkingDay) -> [Components.Schemas.CurrencyTotal] {
            day.revenue.sorted { $0.key < $1.key }.map { .init(currency: $0.key, total: $0.value) }
        }
        let sites = Array(Set(cameras.map(\.site).filter { !$0.isEmpty })).sorted()
        let newest = open.alerts.map { a in
            Components.Schemas.AlertSummary(
                id: a.id.rawValue, kind: a.kind, plate: a.plate, message: a.message, cameraId: a.cameraID?.rawValue,
                readId: a.readID?.rawValue, passId: a.passID?.rawValue, createdAt: Date(epochMilliseconds: a.createdAt))
        }
        return .init(
            site: site, sites: sites, timeZone: t.timeZone, generatedAt: Date(epochMilliseconds: nowMillis),
            todayFrom: midnight, vehiclesOnSite: try await onSite,
            entries: .init(today: d.entries, sameWeekdayLastWeek: w.entries), exits: .init(today: d.exits, sameWeekdayLastWeek: w.exits),
            revenueToday: revenue(d), revenueSameWeekdayLastWeek: revenue(w),
            openAlerts: .init(count: open.count, atLeast: open.count >= Self.alertCap, newest: newest),
            readsLastHour: try await lastHour, cameras: cameraRows, camerasWithProblem: cameraRows.filter(\.problem).count)
    }
}

extension Components.Schemas.Overview: ResponseEncodable {}
