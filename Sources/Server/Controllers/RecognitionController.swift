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
    /// Uploads being received at once (each streams to a temporary file).
    let uploads: UploadSlots

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
        var fields = try await queryFields(request)
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        if let form = try Multipart(body: body, contentType: contentType) {
            var formFields: [String: String] = [:]
            for p in form.parts where p.name != "file" { formFields[p.name] = form.field(p.name) }
            try await merge(formFields, into: &fields)
            guard let file = form.part("file") else { throw Self.missingFile }
            return Upload(bytes: Array(file.data), filename: file.filename ?? "upload", contentType: file.contentType, fields: fields)
        }
        let media = try Self.rawBodyType(contentType)
        return Upload(bytes: body, filename: fields["filename"] ?? "upload", contentType: media, fields: fields)
    }

    /// The query parameters, checked on their own so that a form field cannot mask a bad one.
    func queryFields(_ request: Request) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { fields[String(k)] = String(v) }
        try await validate(fields)
        return fields
    }

    /// A form's fields, checked, over the query parameters of the same names.
    func merge(_ form: [String: String], into fields: inout [String: String]) async throws {
        try await validate(form)
        fields.merge(form) { _, form in form }
    }

    static let missingFile = APIError.badRequest("multipart body has no field named \"file\"", code: .missingFile)

    /// The media type of a body sent as it is (not multipart): an image, a video or bytes; 415 for anything else.
    static func rawBodyType(_ contentType: String) throws -> String {
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard media.hasPrefix("image/") || media.hasPrefix("video/") || media == "application/octet-stream" else {
            throw APIError(
                .unsupportedMediaType, .unsupportedMediaType,
                "send an image or video as the body or as multipart field \"file\", not \(media)")
        }
        return media
    }

    /// The `true`/`false` parameter `name` of `fields`, nil when absent.
    static func flag(_ name: String, in fields: [String: String]) throws -> Bool? {
        switch fields[name] {
        case nil: return nil
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("\(name) must be true or false", code: .badParameter)
        }
    }

    /// `recorded_at`: when the image was taken or the video's first frame recorded (RFC 3339), not in the future;
    /// nil when absent (the request's own time is used).
    static func recordedAt(_ s: String?, now: Int64 = WallClock.nowMillis()) throws -> Int64? {
        guard let s else { return nil }
        // A minute of leeway for a camera's clock a little ahead of the server's.
        guard let t = JSONTime.parse(s), t <= now + 60_000 else {
            throw APIError.badRequest(
                "recorded_at must be an RFC 3339 time that is not in the future (e.g. 2026-12-04T08:30:00Z), not \"\(s)\"",
                code: .badParameter)
        }
        return t
    }

    /// `recorded_at` for a tenant: also refused when older than its retention, whose sweeper would delete the reads
    /// as soon as they were stored.
    static func recordedAt(_ s: String?, tenant: Tenant) throws -> Int64? {
        let now = WallClock.nowMillis()
        guard let t = try recordedAt(s, now: now) else { return nil }
        guard t >= now - Int64(tenant.retentionDays) * 86_400_000 else {
            throw APIError.badRequest(
                "recorded_at is more than this tenant's retention (\(tenant.retentionDays) days) ago: its reads would be deleted at once",
                code: .badParameter)
        }
        return t
    }

    /// Checks the optional parameters that need no lookup.
    func validate(_ fields: [String: String]) async throws {
        _ = try Self.flag("store", in: fields)
        _ = try Self.flag("crop", in: fields)
        _ = try Self.recordedAt(fields["recorded_at"])
        // Present means a country: an empty one is refused, not taken for the camera's or the default.
        if fields["country"]?.isEmpty == true {
            throw APIError.badRequest("country must be one of the format packs (gb, ie, fr, ..., auto), not empty", code: .unknownCountry)
        }
        _ = try env.recognizer.country(fields["country"], camera: nil)
        if let w = fields["webhook_url"] {  // present means a URL: an empty one is refused, not ignored
            _ = try await WebhookTarget.validate(w, policy: env.webhookPolicy)
        }
    }

    @Sendable func recognise(_ request: Request, context: AppContext) async throws -> RecogniseResponse {
        let tenant = try context.requireTenant()
        try await env.store.checkQuota(tenant)
        let upload = try await readUpload(request)
        let recordedAt = try Self.recordedAt(upload.fields["recorded_at"], tenant: tenant)
        let store = try Self.flag("store", in: upload.fields) ?? true
        let crop = try Self.flag("crop", in: upload.fields) ?? false
        let camera = try await env.store.camera(named: upload.fields["camera_id"], tenant: tenant)
        let country = try env.recognizer.country(upload.fields["country"], camera: camera)
        let format = try probeUpload(upload.bytes, maxPixels: env.configuration.recognition.maxImagePixels)
        let mix = await env.countryMixes.mix(tenant: tenant.id, camera: camera?.id)
        let result: RecognitionResult
        do {
            result = try await env.recognizer.recognise(upload.bytes, country: country, crop: crop, withCrops: store, mix: mix)
            env.metrics.recognised(result)
        } catch let e as RecognitionError {
            throw APIError(e)
        }
        try await env.store.addUsage(tenantID: tenant.id, reads: result.plates.count)
        // When the image was taken: the reads' time, and the time the access rules are evaluated at.
        let now = recordedAt ?? WallClock.nowMillis()
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

    @Sendable func upload(_ request: Request, context: AppContext) async throws -> EditedResponse<JobAccepted> {
        let tenant = try context.requireTenant()
        try await env.store.checkQuota(tenant)
        guard uploads.take() else {
            var e = APIError(
                .serviceUnavailable, .tooManyUploads,
                "this server is receiving as many uploads as it may (MICROANPR_MAX_CONCURRENT_UPLOADS); retry shortly")
            e.headers[.retryAfter] = "5"
            throw e
        }
        defer { uploads.give() }
        let upload = try await receiveUpload(request)
        var received = upload.path
        defer { try? FileManager.default.removeItem(atPath: received) }  // moved into the media store when kept
        let recordedAt = try Self.recordedAt(upload.fields["recorded_at"], tenant: tenant)
        let camera = try await env.store.camera(named: upload.fields["camera_id"], tenant: tenant)
        let country = try env.recognizer.country(upload.fields["country"], camera: camera)
        // Already checked (scheme and SSRF) with the other fields by receiveUpload.
        let webhook = upload.fields["webhook_url"].flatMap { $0.isEmpty ? nil : $0 }
        if upload.size == 0 { throw APIError.badRequest("the uploaded file is empty", code: .emptyInput) }
        let filename = Self.safeName(upload.filename)
        let ext = (filename as NSString).pathExtension.lowercased()
        if !ext.isEmpty {
            // FFmpeg takes the name as a hint where a stream's content alone is ambiguous (raw MJPEG or H.264).
            try FileManager.default.moveItem(atPath: received, toPath: received + "." + ext)
            received += "." + ext
        }
        let imageLimit = env.configuration.http.maxUploadBytes
        let kind: Job.Kind
        // Images are checked whole as before (at most the image limit); a larger file is looked at only for what
        // it is: an image that large is refused, anything else may be a video.
        let head = try Self.prefix(of: received, bytes: upload.size <= imageLimit ? imageLimit : 1 << 20)
        let probed = Result { () throws(VisionError) in try Image.probe(head) }
        // A motion-JPEG stream starts with a JPEG image: its name says it is a video.
        if case .success = probed, !["mjpeg", "mjpg"].contains(ext) {
            guard upload.size <= imageLimit else {
                throw APIError(
                    .contentTooLarge, .payloadTooLarge,
                    "an image of \(upload.size) bytes is above the limit of \(imageLimit) (MICROANPR_MAX_UPLOAD_BYTES)")
            }
            _ = try probeUpload(head, maxPixels: env.configuration.recognition.maxImagePixels)
            kind = .image
        } else {
            // An iPhone's HEIC photo: the probe says what to do with it.
            if case .failure(let e) = probed, e.message.hasPrefix("HEIC") {
                throw APIError(.unsupportedMediaType, .unsupportedMediaType, e.message)
            }
            guard upload.contentType?.hasPrefix("video/") == true || Video.fileExtensions.contains(ext) else {
                throw APIError(
                    .unsupportedMediaType, .unsupportedMediaType,
                    "the upload is neither a supported image (JPEG, PNG, WebP, BMP) nor a video (MP4, MOV, MKV, AVI)")
            }
            try checkVideo(at: received)
            kind = .video
        }
        let id = ID<Job>(Identifier.make("job"))
        let key = "\(tenant.id)/uploads/\(id)/\(filename)"
        try await env.media.putFile(key, from: received, contentType: upload.contentType ?? "application/octet-stream")
        let job = Job(
            id: id, tenantID: tenant.id, status: .queued, progress: 0, kind: kind, filename: filename, mediaKey: key,
            cameraID: camera?.id, country: country, webhookURL: webhook, attempts: 0,
            maxAttempts: env.configuration.jobs.maxAttempts, worker: nil, framesTotal: 0, framesDone: 0,
            readsCount: 0, error: nil, createdAt: WallClock.nowMillis(), startedAt: nil, finishedAt: nil,
            recordedAt: recordedAt)
        do {
            try await env.store.insertJob(job)
        } catch {
            try? await env.media.delete(key)  // no job refers to it
            throw error
        }
        var response = EditedResponse(status: .accepted, response: JobAccepted(job_id: id.rawValue, status: "queued"))
        response.headers[.location] = "/v1/jobs/\(id)"
        return response
    }

    /// An upload received into a temporary file, with the form fields or query parameters that came with it.
    struct ReceivedUpload {
        var path: String
        var size: Int
        var filename: String
        var contentType: String?
        var fields: [String: String]
    }

    /// Streams the body (multipart field `file`, or the raw body) into a temporary file, within the video upload
    /// limit, so that a long video is never held in memory; the caller removes the file.
    func receiveUpload(_ request: Request) async throws -> ReceivedUpload {
        let limit = env.configuration.http.maxVideoUploadBytes
        let tooLarge = { (what: String) in
            APIError(.contentTooLarge, .payloadTooLarge, "\(what) above the limit of \(limit) bytes (MICROANPR_MAX_VIDEO_UPLOAD_BYTES)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge("upload of \(length) bytes is")
        }
        var fields = try await queryFields(request)
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        var form: MultipartStream?
        var media = ""
        if contentType.lowercased().hasPrefix("multipart/") {
            guard let boundary = Multipart.boundary(contentType: contentType) else {
                throw APIError.badRequest("multipart/form-data needs a boundary parameter", code: .badMultipart)
            }
            form = MultipartStream(boundary: boundary)
        } else {
            media = try Self.rawBodyType(contentType)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("microanpr-upload-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw APIError(.internalServerError, .internalError, "cannot write the upload to a temporary file") }
        var size = 0
        do {
            defer { try? handle.close() }
            var received = 0
            let write = { (bytes: ArraySlice<UInt8>) throws in
                try handle.write(contentsOf: bytes)
                size += bytes.count
            }
            for try await buffer in request.body {
                received += buffer.readableBytes
                if received > limit { throw tooLarge("upload is") }
                if form != nil {
                    try form!.feed(buffer.readableBytesView, write: write)
                } else {
                    try write(ArraySlice(buffer.readableBytesView))
                }
            }
            try form?.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            if case Multipart.ParseError.malformed(let why) = error {
                throw APIError.badRequest("malformed multipart body: \(why)", code: .badMultipart)
            }
            throw error
        }
        guard let form else {
            return ReceivedUpload(path: path, size: size, filename: fields["filename"] ?? "upload", contentType: media, fields: fields)
        }
        do {
            try await merge(form.fields, into: &fields)
            guard let file = form.file else { throw Self.missingFile }
            return ReceivedUpload(
                path: path, size: size, filename: file.filename ?? "upload", contentType: file.contentType, fields: fields)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// The first bytes of a file (all of it when shorter).
    static func prefix(of path: String, bytes: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw APIError(.internalServerError, .internalError, "cannot read the upload back")
        }
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: bytes) ?? Data())
    }

    /// Opens an uploaded video: 415 when it cannot be decoded, 413 above the duration or frame-size limit.
    func checkVideo(at path: String) throws {
        let video: Video
        do {
            video = try Video(path: path)
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
