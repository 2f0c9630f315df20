import Foundation
import ExportFormats
import Plates
import Tracking
import Vision
import Logging
import Media
import Recognition
import Storage
import Rules

/// What the services share (storage, media, the recognition engine, the configuration), the parts controllers are
/// given (``auditLog``, ``links``, ``privacy``), and ingest: reads and passes stored with their decision and events.
public struct ServerEnvironment: Sendable {
    public var configuration: ServerConfiguration
    public var store: Store
    public var media: any MediaStore
    public var recognizer: any PlateRecognizing
    public var signer: MediaSigner
    public var logger: Logger
    /// Permits, watch lists and alert rules per tenant.
    package let rules: RulesCache
    /// This process's SSE clients.
    package let bus: EventBus
    /// Wakes this process's webhook dispatcher when events are stored.
    package let outbox: Doorbell
    /// Dashboard passwords.
    package let passwords: PasswordHasher
    /// Sign-in attempts per client address.
    package let loginLimiter: LoginLimiter
    /// API keys recently presented, with their tenant.
    package let apiKeys: APIKeyCache
    /// The countries each camera shows, for `auto` (``CountryMix``).
    package let countryMixes: CountryMixes
    /// What `GET /metrics` reports.
    package let metrics = ServerMetrics()
    /// Where webhooks and job callbacks may go.
    package var webhookPolicy: OutboundPolicy {
        OutboundPolicy(allowPrivate: configuration.webhooks.allowPrivate, resolver: configuration.resolver)
    }
    /// Which hosts camera sources may be opened on.
    package var cameraPolicy: OutboundPolicy {
        OutboundPolicy(allowPrivate: configuration.cameras.allowPrivate, resolver: configuration.resolver)
    }

    public init(
        configuration: ServerConfiguration, store: Store, media: any MediaStore, recognizer: any PlateRecognizing,
        signer: MediaSigner, logger: Logger
    ) {
        self.configuration = configuration; self.store = store; self.media = media; self.recognizer = recognizer
        self.signer = signer; self.logger = logger
        rules = RulesCache(store: store)
        countryMixes = CountryMixes(store: store)
        bus = EventBus(
            store: store, queueLimit: configuration.events.queueLimit, maxClients: configuration.events.maxClients,
            maxClientsPerTenant: configuration.events.maxClientsPerTenant, logger: logger)
        outbox = Doorbell()
        apiKeys = APIKeyCache(lifetimeSeconds: configuration.http.apiKeyCacheSeconds)
        passwords = PasswordHasher(logN: configuration.signIn.passwordCost)
        loginLimiter = LoginLimiter(
            perMinute: configuration.signIn.attemptsPerMinute, slowAfter: configuration.signIn.maxFailures,
            baseDelay: configuration.signIn.slowdownSeconds, windowMillis: Int64(configuration.signIn.lockMinutes * 60_000))
    }

    /// The audit log.
    package var auditLog: AuditLog { AuditLog(store: store, logger: logger) }

    /// Signed URLs of stored images, and the API objects of reads and passes.
    package var links: ImageLinks { ImageLinks(signer: signer, lifetimeSeconds: configuration.storage.signedURLSeconds) }

    /// Stores recognised plates (crops and the frame in the media store, rows in the database).
    package func storeReads(
        _ result: RecognitionResult, frame: () throws -> (data: [UInt8], ext: String), tenant: Tenant,
        camera: Camera?, jobID: ID<Job>?, frameMillis: Int64?, capturedAt: Int64
    ) async throws -> [PlateRead] {
        guard !result.plates.isEmpty else { return [] }
        let day = String((JSONTime.string(capturedAt) ?? "1970-01-01").prefix(10))
        let f = try frame()
        let frameKey = "\(tenant.id)/frames/\(day)/\(Identifier.make("frm")).\(f.ext)"
        try await media.put(frameKey, data: Data(f.data), contentType: f.ext == "png" ? "image/png" : "image/jpeg")
        var reads: [PlateRead] = []
        for p in result.plates {
            let id = ID<PlateRead>(Identifier.make("rd"))
            var cropKey: String?
            if let crop = p.crop {
                cropKey = "\(tenant.id)/crops/\(day)/\(id).jpg"
                try await media.put(cropKey!, data: Data(crop), contentType: "image/jpeg")
            }
            reads.append(
                PlateRead(
                    id: id, tenantID: tenant.id, plate: p.reading.text, display: p.reading.display,
                    confidence: p.reading.confidence, format: p.reading.format, country: p.reading.country,
                    box: (Double(p.box.x), Double(p.box.y), Double(p.box.width), Double(p.box.height)),
                    cameraID: camera?.id, jobID: jobID, frameTimeMillis: frameMillis, capturedAt: capturedAt,
                    createdAt: WallClock.nowMillis(), cropKey: cropKey, frameKey: frameKey))
        }
        let rules = try await self.rules.rules(for: tenant)
        var events: [NewEvent] = []
        for i in reads.indices {
            let e = rules.evaluate(plate: reads[i].plate, at: capturedAt, checkpoint: checkpoint(camera))
            reads[i].decision = Self.decisionString(e)
            events.append(NewEvent(type: "plate.detected", payload: eventPayload("plate.detected", data: readEventData(reads[i], e))))
            events += alertEvents(e, plate: reads[i].plate, readID: reads[i].id, passID: nil, cameraID: camera?.id)
        }
        try await store.insertReads(reads, events: events)
        eventsStored(tenant.id)
        return reads
    }

    /// Deletes reads' media, ignoring objects already gone.
    package func deleteMedia(of reads: [PlateRead]) async {
        await deleteMedia(keys: Set(reads.flatMap { [$0.cropKey, $0.frameKey] }.compactMap { $0 }))
    }

    /// Deletes passes' media, ignoring objects already gone.
    package func deleteMedia(of passes: [Pass]) async {
        await deleteMedia(keys: Set(passes.flatMap { [$0.cropKey, $0.frameKey] }.compactMap { $0 }))
    }

    /// Finishes erasures a crash interrupted (``PrivacyRequests/finishMediaDeletions(_:)``).
    package func finishMediaDeletions() async {
        await privacy.finishMediaDeletions()
    }

    /// Subject access, erasure and pseudonymisation with this server's store, media and secret.
    package var privacy: PrivacyRequests { PrivacyRequests(store: store, media: media, signer: signer, logger: logger) }

    private func deleteMedia(keys: Set<String>) async {
        for k in keys {
            do { try await media.delete(k) } catch {
                logger.warning("media delete failed", metadata: ["key": "\(k)", "error": "\(error)"])
            }
        }
    }

    /// Stores vehicle passes (best crop and frame in the media store) with their reads linked to them.
    /// `origin` is the wall-clock time (epoch ms) of video time 0. With `countingUsage`, each pass counts one plate
    /// read to the tenant's monthly usage in its own transaction (jobs count theirs when they finish).
    @discardableResult
    package func storePasses(
        _ passes: [PassResult], tenant: Tenant, camera: Camera?, jobID: ID<Job>?, origin: Int64,
        idempotencyKey: String? = nil, countingUsage: Bool = false
    ) async throws -> [Pass] {
        let day = String((JSONTime.string(origin) ?? "1970-01-01").prefix(10))
        var stored: [Pass] = []
        for r in passes {
            let p = r.pass
            let passID = ID<Pass>(Identifier.make("pas"))
            var cropKey: String?, frameKey: String?
            if let crop = r.crop {
                cropKey = "\(tenant.id)/crops/\(day)/\(passID).jpg"
                try await media.put(cropKey!, data: Data(crop), contentType: "image/jpeg")
            }
            if let frame = r.frame {
                frameKey = "\(tenant.id)/frames/\(day)/\(passID).jpg"
                try await media.put(frameKey!, data: Data(frame), contentType: "image/jpeg")
            }
            let direction =
                switch (p.direction, camera?.direction) {
                case (_, .entry?): "entry"
                case (_, .exit?): "exit"
                case (.approaching, _): "entry"
                case (.leaving, _): "exit"
                default: "unknown"
                }
            let now = WallClock.nowMillis()
            var pass = Pass(
                id: passID, tenantID: tenant.id, plate: p.text, display: p.display, confidence: p.confidence,
                format: p.format, country: p.country, direction: direction, movement: p.direction.rawValue,
                cameraID: camera?.id, jobID: jobID, firstSeenAt: origin + Int64(p.firstSeen * 1000),
                lastSeenAt: origin + Int64(p.lastSeen * 1000), firstSeenSeconds: jobID == nil ? nil : p.firstSeen,
                lastSeenSeconds: jobID == nil ? nil : p.lastSeen, frames: p.frames,
                box: [p.box.x, p.box.y, p.box.width, p.box.height], cropKey: cropKey, frameKey: frameKey, createdAt: now)
            let evaluation = try await rules.rules(for: tenant).evaluate(plate: p.text, at: pass.lastSeenAt, checkpoint: checkpoint(camera))
            pass.decision = Self.decisionString(evaluation)
            let reads = p.observations.map { o in
                PlateRead(
                    id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: o.text, display: o.display,
                    confidence: o.confidence, format: o.format, country: o.country,
                    box: (o.box.x, o.box.y, o.box.width, o.box.height), cameraID: camera?.id, jobID: jobID,
                    frameTimeMillis: jobID == nil ? nil : Int64(o.time * 1000), capturedAt: origin + Int64(o.time * 1000),
                    createdAt: now, cropKey: nil, frameKey: nil, passID: passID)
            }
            do {
                let events =
                    [NewEvent(type: "pass.completed", payload: eventPayload("pass.completed", data: passEventData(pass, evaluation)))]
                    + alertEvents(evaluation, plate: pass.plate, readID: nil, passID: pass.id, cameraID: camera?.id)
                try await store.insertPass(
                    pass, reads: reads, idempotencyKey: idempotencyKey, events: events, usage: countingUsage ? 1 : 0)
                eventsStored(tenant.id)
            } catch {
                // Media of a pass that was not stored (an idempotency race lost) is not kept.
                for key in [cropKey, frameKey].compactMap({ $0 }) { try? await media.delete(key) }
                throw error
            }
            stored.append(pass)
        }
        return stored
    }
}
