import Foundation
import ExportFormats
import Rules
import Storage
import Logging
import Synchronization

/// The decision stored with reads and passes (and shown in their JSON): group match, watch-list hit, access.
package struct DecisionJSON: Codable, Sendable {
    package struct GroupMatch: Codable, Sendable {
        package var group_id: String, group: String, member_id: String, member: String, permit_id: String
        /// exact or fuzzy.
        package var match: String
        /// Whether the permit holds at the time of the read.
        package var valid: Bool
    }
    package struct WatchHit: Codable, Sendable {
        package var list_id: String, list: String, reason: String, match: String
    }
    package struct Access: Codable, Sendable {
        /// allow or deny.
        package var decision: String
        package var reason: String
    }
    package var group_match: GroupMatch?
    package var watchlist: WatchHit?
    package var access: Access

    package init(_ e: Evaluation) {
        group_match = e.groupMatch.map {
            GroupMatch(
                group_id: $0.groupID, group: $0.group, member_id: $0.memberID, member: $0.member, permit_id: $0.permitID,
                match: $0.match.rawValue, valid: $0.valid)
        }
        watchlist = e.watch.map { WatchHit(list_id: $0.listID, list: $0.list, reason: $0.reason, match: $0.match.rawValue) }
        access = Access(decision: e.decision, reason: e.reason)
    }

    /// Explicit nulls: a consumer sees `group_match: null` rather than a missing key.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(group_match, forKey: .group_match)
        try c.encode(watchlist, forKey: .watchlist)
        try c.encode(access, forKey: .access)
    }

    /// The decision stored as `s`. Every read and pass in a page carries one, and a tenant's rules give few distinct
    /// ones, so decoded decisions are remembered (up to `cacheLimit`, then forgotten at once): decoding one costs
    /// ~9 us with `JSONDecoder`, a lookup ~0.2 us, which is 0.4 ms of CPU saved on a page of 50 reads.
    package static func decode(_ s: String?) -> DecisionJSON? {
        guard let s else { return nil }
        if let known = cache.withLock({ $0[s] }) { return known }
        guard let decoded = try? JSONDecoder().decode(DecisionJSON.self, from: Data(s.utf8)) else { return nil }
        cache.withLock { c in
            if c.count >= cacheLimit { c.removeAll(keepingCapacity: true) }
            c[s] = decoded
        }
        return decoded
    }

    private static let cacheLimit = 4096
    private static let cache = Mutex<[String: DecisionJSON]>([:])
}

extension ServerEnvironment {
    /// A link made absolute with the configured public URL (kept relative without one).
    package func absolute(_ path: String?) -> String? {
        guard let path, let base = configuration.http.publicURL, !base.isEmpty else { return path }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }

    package func checkpoint(_ camera: Camera?) -> Checkpoint {
        Checkpoint(cameraID: camera?.id.rawValue, site: camera?.site, unknownAccess: camera?.unknownAccess ?? "allow")
    }

    package static func decisionString(_ e: Evaluation) -> String {
        String(decoding: (try? JSONEncoder().encode(DecisionJSON(e))) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// `{"event", "timestamp", "data"}`; the stored event's `id` is put first when it is sent (``Event/json``).
    package func eventPayload<T: Encodable>(_ type: String, data: T) -> String {
        let envelope = EventEnvelope(event: type, timestamp: JSONTime.string(WallClock.nowMillis()) ?? "", data: data)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(envelope)) ?? Data("{}".utf8), as: UTF8.self)
    }

    package struct ReadEventData: Encodable {
        var read_id: String, plate: String, display: String, confidence: Double
        var image_url: String?, crop_url: String?, camera_id: String?, job_id: String?, captured_at: String
        var group_match: DecisionJSON.GroupMatch?, watchlist: DecisionJSON.WatchHit?, access: DecisionJSON.Access
        package func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey {
                case read_id, plate, display, confidence, image_url, crop_url, camera_id, job_id, captured_at, group_match, watchlist,
                    access
            }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(read_id, forKey: .read_id); try c.encode(plate, forKey: .plate); try c.encode(display, forKey: .display)
            try c.encode(confidence, forKey: .confidence); try c.encode(image_url, forKey: .image_url)
            try c.encode(crop_url, forKey: .crop_url); try c.encode(camera_id, forKey: .camera_id)
            try c.encode(job_id, forKey: .job_id); try c.encode(captured_at, forKey: .captured_at)
            try c.encode(group_match, forKey: .group_match); try c.encode(watchlist, forKey: .watchlist)
            try c.encode(access, forKey: .access)
        }
    }

    package func readEventData(_ r: PlateRead, _ e: Evaluation) -> ReadEventData {
        let j = links.json(r)
        let d = DecisionJSON(e)
        return ReadEventData(
            read_id: r.id.rawValue, plate: r.plate, display: r.display, confidence: r.confidence,
            image_url: absolute(j.image_url), crop_url: absolute(j.crop_url), camera_id: r.cameraID?.rawValue, job_id: r.jobID?.rawValue,
            captured_at: j.captured_at,
            group_match: d.group_match, watchlist: d.watchlist, access: d.access)
    }

    package struct PassEventData: Encodable {
        var pass: PassJSON
        var plate: String, confidence: Double, image_url: String?, camera_id: String?
        var group_match: DecisionJSON.GroupMatch?, watchlist: DecisionJSON.WatchHit?, access: DecisionJSON.Access
        package func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey { case pass_id, pass, plate, confidence, image_url, camera_id, group_match, watchlist, access }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(pass.id, forKey: .pass_id); try c.encode(pass, forKey: .pass); try c.encode(plate, forKey: .plate)
            try c.encode(confidence, forKey: .confidence); try c.encode(image_url, forKey: .image_url)
            try c.encode(camera_id, forKey: .camera_id); try c.encode(group_match, forKey: .group_match)
            try c.encode(watchlist, forKey: .watchlist); try c.encode(access, forKey: .access)
        }
    }

    package func passEventData(_ p: Pass, _ e: Evaluation) -> PassEventData {
        let j = links.json(p)
        let d = DecisionJSON(e)
        return PassEventData(
            pass: j, plate: p.plate, confidence: p.confidence, image_url: absolute(j.crop_url ?? j.image_url),
            camera_id: p.cameraID?.rawValue, group_match: d.group_match, watchlist: d.watchlist, access: d.access)
    }

    package struct AlertEventData: Encodable {
        var alert: AlertJSON
        var plate: String, camera_id: String?, group_match: DecisionJSON.GroupMatch?, watchlist: DecisionJSON.WatchHit?
    }

    /// One stored alert and its `alert.raised` event per alert of an evaluation.
    package func alertEvents(_ e: Evaluation, plate: String, readID: ID<PlateRead>?, passID: ID<Pass>?, cameraID: ID<Camera>?) -> [NewEvent]
    {
        let d = DecisionJSON(e)
        return e.alerts.map { a in
            let alert = Alert(
                id: ID(Identifier.make("alr")), tenantID: "", kind: a.kind, plate: plate, message: a.message,
                readID: readID, passID: passID, cameraID: cameraID, createdAt: WallClock.nowMillis())
            return NewEvent(
                type: "alert.raised",
                payload: eventPayload(
                    "alert.raised",
                    data: AlertEventData(
                        alert: AlertJSON(alert), plate: plate, camera_id: cameraID?.rawValue,
                        group_match: d.group_match, watchlist: d.watchlist)),
                alert: alert)
        }
    }

    /// Stores a `job.updated` event for a job's new state.
    package func publishJob(_ job: Job) async {
        do {
            try await store.recordEvents(
                tenantID: job.tenantID, [NewEvent(type: "job.updated", payload: eventPayload("job.updated", data: JobJSON(job)))])
            eventsStored(job.tenantID)
        } catch {
            logger.error("job event not stored", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    /// Tells this process's SSE clients and webhook dispatcher that a tenant has new events.
    package func eventsStored(_ tenantID: ID<Tenant>) {
        let bus = bus
        Task { await bus.wake(tenantID) }
        outbox.ring()
    }
}

extension Event {
    /// Every event type a webhook or a live stream can ask for.
    package static let types = ["plate.detected", "pass.completed", "alert.raised", "job.updated"]

    /// The JSON sent to SSE clients and webhooks: the stored object with the event's `id` first.
    package var json: String {
        payload.hasPrefix("{") ? "{\"id\":\(id)," + payload.dropFirst() : payload
    }
}

/// The object of every event: `{"event", "timestamp", "data"}` (plus `id` when sent).
package struct EventEnvelope<D: Encodable>: Encodable {
    package var event: String
    package var timestamp: String
    package var data: D
}
