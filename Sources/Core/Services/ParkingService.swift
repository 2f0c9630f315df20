import Foundation
import Parking
import ServiceLifecycle
import Storage

/// Turns entry and exit passes into parking sessions, prices the closed ones with the site's tariff, closes
/// stays with no exit after `parkingSessionTimeoutHours` as `missed_exit`, and raises `overstay` alerts. Passes
/// are read from the passes table after a stored cursor, so nothing is missed across restarts and several
/// processes share the work (one pass at a time under a lock).
package struct ParkingService: Service {
    package let env: ServerEnvironment

    package init(env: ServerEnvironment) { self.env = env }

    package func run() async throws {
        let interval = Duration.milliseconds(Int64(env.configuration.parking.intervalSeconds * 1000))
        // A round finishes before shutdown: it moves the ledger's cursor as it goes.
        await PollLoop.run(logger: env.logger, failure: "parking ledger failed", errorDelay: interval, interruptSteps: false) {
            try await runOnce(now: WallClock.nowMillis())
            return interval
        }
    }

    /// One round: new passes, timeouts, overstays. Returns the number of passes applied.
    @discardableResult
    package func runOnce(now: Int64) async throws -> Int {
        var applied = 0
        var tariffs: [String: TariffEngine?] = [:]
        while true {
            let batch = try await env.store.passesForParking(after: try await env.store.parkingCursor(), limit: 500)
            for p in batch.passes {
                let key = "\(p.tenantID)\u{0}\(p.site)"
                if tariffs[key] == nil { tariffs[key] = try await Self.engine(store: env.store, tenantID: p.tenantID, site: p.site) }
                let engine = tariffs[key] ?? nil
                let match = DecisionJSON.decode(p.decision)?.group_match
                let permit = match?.valid == true
                try await env.store.applyParkingPass(p, permit: permit, groupID: (match?.group_id).map { ID($0) }) { entry, exit in
                    engine.map { e in (e.quote(entry: entry, exit: exit, permitHolder: permit).total, e.tariff.currency) }
                }
                applied += 1
            }
            // Past the passes that are not parking too (no camera, or a camera without a site).
            if let last = batch.last { try await env.store.moveParkingCursor(to: last) }
            if batch.scanned < 500 { break }
        }
        try await env.store.expireSessions(enteredBefore: now - Int64(env.configuration.parking.sessionTimeoutHours * 3_600_000))
        try await raiseOverstays(now: now)
        return applied
    }

    /// The tariff engine of a site in `store`, in its tenant's time zone; nil when the site has no tariff.
    package static func engine(store: Store, tenantID: ID<Tenant>, site: String) async throws -> TariffEngine? {
        guard let json = try await store.tariff(tenantID: tenantID, site: site),
            let tariff = try? JSONDecoder().decode(Tariff.self, from: Data(json.utf8)),
            let tenant = try await store.tenant(tenantID)
        else { return nil }
        return TariffEngine(tariff: tariff, timeZone: TimeZone(identifier: tenant.timeZone) ?? .gmt)
    }

    package func raiseOverstays(now: Int64) async throws {
        let rules = try await env.store.overstayRules()
        guard let shortest = rules.map(\.maxMinutes).min() else { return }
        for s in try await env.store.openSessions(enteredBefore: now - Int64(shortest) * 60_000, notAlerted: true) {
            guard let entered = s.enteredAt,
                let rule = rules.first(where: { r in
                    r.tenantID == s.tenantID && (r.site == nil || r.site == s.site) && (r.groupID == nil || r.groupID == s.groupID)
                        && now - entered > Int64(r.maxMinutes) * 60_000
                })
            else { continue }
            try await env.store.markOverstayAlerted(id: s.id)
            let alert = Alert(
                id: ID(Identifier.make("alr")), tenantID: s.tenantID, kind: "overstay", plate: s.plate,
                message: "\(s.plate) has stayed at \(s.site) for \((now - entered) / 60_000) min (limit \(rule.maxMinutes))",
                readID: nil, passID: s.entryPassID, cameraID: nil, createdAt: now)
            struct Data: Encodable { var alert: AlertJSON; var plate: String; var session_id: String; var site: String }
            try await env.store.recordEvents(
                tenantID: s.tenantID,
                [
                    NewEvent(
                        type: "alert.raised",
                        payload: env.eventPayload(
                            "alert.raised",
                            data: Data(
                                alert: AlertJSON(alert), plate: s.plate,
                                session_id: s.id.rawValue, site: s.site)),
                        alert: alert)
                ])
            env.eventsStored(s.tenantID)
        }
    }
}
