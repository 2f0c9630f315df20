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

    @Sendable func overview(_ request: Request, context: AppContext) async throws -> Response {
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

        var cameraRows: [[String: Any]] = []
        var problems = 0
        let reported = try await statuses
        for c in siteCameras.prefix(200) {
            let row = reported[c.id]
            var status = c.liveStatus(reported: row?.status ?? nil, heartbeat: row?.heartbeat ?? nil, now: nowMillis)
            let state = status["state"] as? String ?? "idle"
            let problem = ["offline", "error"].contains(state) || status["last_error"] != nil && state != "connected"
            if problem { problems += 1 }
            status["id"] = c.id.rawValue
            status["name"] = c.name
            status["site"] = c.site
            status["live"] = c.sourceURL != nil && c.enabled
            status["problem"] = problem
            status.removeValue(forKey: "camera_id")
            status.removeValue(forKey: "runner")
            if let read = try await store.latestRead(tenantID: t.id, cameraID: c.id) {
                let j = links.json(read)
                status["last_read"] =
                    [
                        "id": read.id, "plate": read.plate, "display": read.display, "captured_at": j.captured_at,
                        "image_url": j.image_url as Any, "crop_url": j.crop_url as Any,
                    ] as [String: Any]
            }
            cameraRows.append(status)
        }
        let (d, w, open) = try await (today, lastWeek, alerts)
        func revenue(_ day: ParkingDay) -> [[String: Any]] {
            day.revenue.sorted { $0.key < $1.key }.map { ["currency": $0.key, "total": $0.value] }
        }
        let sites = Array(Set(cameras.map(\.site).filter { !$0.isEmpty })).sorted()
        return Response.json([
            "site": site as Any, "sites": sites, "time_zone": t.timeZone,
            "generated_at": JSONTime.string(nowMillis) ?? "", "today_from": JSONTime.string(midnight.epochMilliseconds) ?? "",
            "vehicles_on_site": try await onSite,
            "entries": ["today": d.entries, "same_weekday_last_week": w.entries],
            "exits": ["today": d.exits, "same_weekday_last_week": w.exits],
            "revenue_today": revenue(d), "revenue_same_weekday_last_week": revenue(w),
            "open_alerts": [
                "count": open.count, "at_least": open.count >= Self.alertCap,
                "newest": open.alerts.map { a -> [String: Any] in
                    let j = AlertJSON(a)
                    return [
                        "id": j.id, "kind": j.kind, "plate": j.plate, "message": j.message, "camera_id": j.camera_id as Any,
                        "read_id": j.read_id as Any, "pass_id": j.pass_id as Any, "created_at": j.created_at,
                    ]
                },
            ] as [String: Any],
            "reads_last_hour": try await lastHour,
            "cameras": cameraRows, "cameras_with_problem": problems,
        ])
    }
}
