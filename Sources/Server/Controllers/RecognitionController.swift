import Core
import Foundation
import ExportFormats
import Plates
import Vision
import Hummingbird
import Media
import Recognition
import Storage
import Rules

/// `POST /v1/recognise` (synchronous) and `POST /v1/upload` (a background job).
struct RecognitionController {
    let env: ServerEnvironment

    func addRoutes(to group: RouterGroup<AppContext>) {
        group.post("recognise", use: recognise)
        group.post("upload", use: upload)
    }

    /// An uploaded file with the form fields or query parameters that came with it.
    struct Upload {
        var bytes: [UInt8]
        var filename: String
        var contentType: String?
        var fields: [String: String]
    }

    /// Reads the body (multipart field `file`, or the raw body) within the upload limit.
    func readUpload(_ request: Request) async throws -> Upload {
        let body = try await request.collectBody(limit: env.configuration.http.maxUploadBytes)
        var fields: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { fields[String(k)] = String(v) }
        // Query parameters are checked on their own, so that a form field cannot mask a bad one.
        try await validate(fields)
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        if let form = try Multipart(body: body, contentType: contentType) {
            var formFields: [String: String] = [:]
            for p in form.parts where p.name != "file" { formFields[p.name] = form.field(p.name) }
            try await validate(formFields)
            fields.merge(formFields) { _, form in form }
            guard let file = form.part("file") else {
                throw APIError.badRequest("multipart body has no field named \"file\"", code: .missingFile)
            }
            return Upload(bytes: Array(file.data), filename: file.filename ?? "upload", contentType: file.contentType, fields: fields)
        }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media.hasPrefix("image/") || media.hasPrefix("video/") || media == "application/octet-stream" else {
            throw APIError(
                .unsupportedMediaType, .unsupportedMediaType,
                "send an image or video as the body or as multipart field \"file\", not \(media)")
        }
        return Upload(bytes: body, filename: fields["filename"] ?? "upload", contentType: media, fields: fields)
    }

    static func flag(_ s: String?) throws -> Bool? {
        switch s {
        case nil: return nil
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("store must be true or false", code: .badParameter)
        }
    }

    /// Checks the optional parameters that need no lookup.
    func validate(_ fields: [String: String]) async throws {
        _ = try Self.flag(fields["store"])
        _ = try env.recognizer.country(fields["country"], camera: nil)
        if let w = fields["webhook_url"] {  // present means a URL: an empty one is refused, not ignored
            _ = try await WebhookTarget.validate(w, policy: env.webhookPolicy)
        }
    }

    @Sendable func recognise(_ request: Request, context: AppContext) async throws -> RecogniseResponse {
        let tenant = try context.requireTenant()
        try await env.store.checkQuota(tenant)
        let upload = try await readUpload(request)
        let store = try Self.flag(upload.fields["store"]) ?? true
        let camera = try await env.store.camera(named: upload.fields["camera_id"], tenant: tenant)
        let country = try env.recognizer.country(upload.fields["country"], camera: camera)
        let format = try probeUpload(upload.bytes, maxPixels: env.configuration.recognition.maxImagePixels)
        let mix = await env.countryMixes.mix(tenant: tenant.id, camera: camera?.id)
        let result: RecognitionResult
        do {
            result = try await env.recognizer.recognise(upload.bytes, country: country, withCrops: store, mix: mix)
            env.metrics.recognised(result)
        } catch let e as RecognitionError {
            throw APIError(e)
        }
        try await env.store.addUsage(tenantID: tenant.id, reads: result.plates.count)
        let now = WallClock.nowMillis()
        guard store else {
            // Not stored, no events: the decision is still made, for barrier controllers.
            let rules = try await env.rules.rules(for: tenant)
            return RecogniseResponse(
                reads: result.plates.map { p in
                    ReadJSON(
                        id: nil, plate: p.reading.text, display: p.reading.display, confidence: p.reading.confidence,
                        box: BoxJSON(x: Double(p.box.x), y: Double(p.box.y), width: Double(p.box.width), height: Double(p.box.height)),
                        format: p.reading.format, country: p.reading.country, camera_id: camera?.id.rawValue, job_id: nil,
                        frame_time_s: nil, captured_at: JSONTime.string(now) ?? "", image_url: nil, crop_url: nil,
                        decision: DecisionJSON(rules.evaluate(plate: p.reading.text, at: now, checkpoint: env.checkpoint(camera))))
                })
        }
        let ext = format == .png ? "png" : format == .jpeg ? "jpg" : format.rawValue
        let reads = try await env.storeReads(
            result, frame: { (upload.bytes, ext) }, tenant: tenant, camera: camera,
            jobID: nil, frameMillis: nil, capturedAt: now)
        return RecogniseResponse(reads: reads.map(env.links.json))
    }

    static let videoExtensions: Set<String> = ["mp4", "mov", "mkv", "avi", "webm", "m4v", "mjpeg", "mjpg", "ts"]

    @Sendable func upload(_ request: Request, context: AppContext) async throws -> EditedResponse<JobAccepted> {
        let tenant = try context.requireTenant()
        try await env.store.checkQuota(tenant)
        let upload = try await readUpload(request)
        let camera = try await env.store.camera(named: upload.fields["camera_id"], tenant: tenant)
        let country = try env.recognizer.country(upload.fields["country"], camera: camera)
        // Already checked (scheme and SSRF) with the other fields by readUpload.
        let webhook = upload.fields["webhook_url"].flatMap { $0.isEmpty ? nil : $0 }
        if upload.bytes.isEmpty { throw APIError.badRequest("the uploaded file is empty", code: .emptyInput) }
        let filename = Self.safeName(upload.filename)
        let kind: Job.Kind
        if (try? Image.probe(upload.bytes)) != nil {
            _ = try probeUpload(upload.bytes, maxPixels: env.configuration.recognition.maxImagePixels)
            kind = .image
        } else {
            let ext = (filename as NSString).pathExtension.lowercased()
            guard upload.contentType?.hasPrefix("video/") == true || Self.videoExtensions.contains(ext) else {
                throw APIError(
                    .unsupportedMediaType, .unsupportedMediaType,
                    "the upload is neither a supported image (JPEG, PNG, WebP, BMP) nor a video (MP4, MOV, MKV, AVI)")
            }
            try checkVideo(upload.bytes, ext: ext.isEmpty ? "mp4" : ext)
            kind = .video
        }
        let id = ID<Job>(Identifier.make("job"))
        let key = "\(tenant.id)/uploads/\(id)/\(filename)"
        try await env.media.put(key, data: Data(upload.bytes), contentType: upload.contentType ?? "application/octet-stream")
        let job = Job(
            id: id, tenantID: tenant.id, status: .queued, progress: 0, kind: kind, filename: filename, mediaKey: key,
            cameraID: camera?.id, country: country, webhookURL: webhook, attempts: 0,
            maxAttempts: env.configuration.jobs.maxAttempts, worker: nil, framesTotal: 0, framesDone: 0,
            readsCount: 0, error: nil, createdAt: WallClock.nowMillis(), startedAt: nil, finishedAt: nil)
        try await env.store.insertJob(job)
        var response = EditedResponse(status: .accepted, response: JobAccepted(job_id: id.rawValue, status: "queued"))
        response.headers[.location] = "/v1/jobs/\(id)"
        return response
    }

    /// Opens an uploaded video from a temporary file: 415 when it cannot be decoded, 413 above the duration limit.
    func checkVideo(_ bytes: [UInt8], ext: String) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("microanpr-probe-\(UUID().uuidString).\(ext)")
        try Data(bytes).write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let video: Video
        do {
            video = try Video(path: tmp.path)
        } catch {
            throw APIError(.unsupportedMediaType, .unsupportedMediaType, "the video cannot be decoded: \(error.message)")
        }
        if let d = video.duration, d > env.configuration.recognition.maxVideoSeconds {
            throw APIError(
                .contentTooLarge, .videoTooLong,
                String(format: "video is %.0f s long, above the limit of %.0f s", d, env.configuration.recognition.maxVideoSeconds))
        }
        if video.width * video.height > env.configuration.recognition.maxImagePixels {
            throw APIError(.contentTooLarge, .imageTooLarge, "video frames are \(video.width)x\(video.height) pixels, above the limit")
        }
    }

    /// A file name safe as a media key segment.
    static func safeName(_ name: String) -> String {
        let base = (name as NSString).lastPathComponent
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        var s = String(base.map { allowed.contains($0) ? $0 : "_" }.prefix(100))
        while s.hasPrefix(".") { s.removeFirst() }
        return s.isEmpty ? "upload" : s
    }
}
