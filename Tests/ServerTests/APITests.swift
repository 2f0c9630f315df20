@testable import Core
import APIContract
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing
import TestSupport
import Vision
import ExportFormats
import Media
import Plates
import Recognition

@Suite("HTTP API, on SQLite and PostgreSQL")
struct APITests {
    @Test(arguments: Engine.available)
    func healthAndReadiness(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        try await s.test { c in
            #expect(try await c.call(.get, "/healthz").status == .ok)
            let ready = try await c.call(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready["status"] as? String == "ready")
            let missing = try await c.call(.get, "/no/such/route")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func authenticationIsRequiredAndRevocationIsImmediate(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let none = try await c.call(.get, "/v1/reads")
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthorized")
            #expect(try await c.call(.get, "/v1/reads", key: "manpr_" + String(repeating: "x", count: 40)).status == .unauthorized)
            #expect(try await c.call(.get, "/v1/reads", key: "nonsense").status == .unauthorized)
            #expect(try await c.call(.get, "/v1/reads", key: key).status == .ok)
            // A second key: created, listed by prefix only, then revoked.
            let created = try await c.call(.post, "/v1/api-keys", key: key, json: ["name": "ci"])
            #expect(created.status == .created)
            let second = try #require(created["api_key"] as? String)
            let id = try #require(created["id"] as? String)
            #expect(try await c.call(.get, "/v1/usage", key: second).status == .ok)
            let listed = try await c.call(.get, "/v1/api-keys", key: key).list("api_keys")
            #expect(listed.count == 2)
            #expect(listed.allSatisfy { $0["api_key"] == nil && ($0["prefix"] as? String)?.count == 12 })
            #expect(!String(decoding: try await c.call(.get, "/v1/api-keys", key: key).body, as: UTF8.self).contains(second))
            #expect(try await c.call(.delete, "/v1/api-keys/\(id)", key: key).status == .noContent)
            #expect(try await c.call(.get, "/v1/usage", key: second).status == .unauthorized)
            #expect(try await c.call(.delete, "/v1/api-keys/\(id)", key: key).status == .notFound)
        }
        // Only hashes are stored.
        let rows = try await s.store.db.query("SELECT * FROM api_keys")
        #expect(rows.allSatisfy { !($0.text("hash") ?? "").hasPrefix("manpr_") && ($0.text("hash") ?? "").count == 64 })
        await s.close()
    }

    @Test(arguments: Engine.available)
    func aKeyRevokedByAnotherProcessIsRefusedWithinTheCacheLifetime(engine: Engine) async throws {
        let s = try await TestServer.make(engine) { $0.http.apiKeyCacheSeconds = 0.3 }
        let (_, key) = try await s.tenant()
        try await s.test { c in
            #expect(try await c.call(.get, "/v1/usage", key: key).status == .ok)
            // As another server on the same database, or the CLI, would: straight in the store.
            try await s.store.db.query("UPDATE api_keys SET revoked_at = ?", WallClock.nowMillis())
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await c.call(.get, "/v1/usage", key: key).status == .unauthorized)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func camerasValidateAndSetTheCountry(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let cam = try await c.call(
                .post, "/v1/cameras", key: key,
                json: ["name": "Gate 1", "site": "HQ", "direction": "entry", "country": "gb"])
            #expect(cam.status == .created)
            let id = try #require(cam["id"] as? String)
            #expect(cam["direction"] as? String == "entry")
            #expect(
                try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "direction": "sideways"]).errorCode == "bad_parameter")
            #expect(try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "country": "zz"]).errorCode == "unknown_country")
            #expect(try await c.call(.post, "/v1/cameras", key: key, json: ["site": "no name"]).status == .badRequest)
            #expect(
                try await c.call(.post, "/v1/cameras", key: key, body: Data("{not json".utf8), contentType: "application/json").errorCode
                    == "bad_json")
            let patched = try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["direction": "exit", "country": "de"])
            #expect(patched["direction"] as? String == "exit" && patched["country"] as? String == "de")
            // The body is the document's CameraInput; its country is taken in any case, and "" clears it.
            #expect(try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["country": "GB"])["country"] as? String == "gb")
            let cleared = try await c.call(
                .patch, "/v1/cameras/\(id)", key: key, sending: Components.Schemas.CameraInput(country: ._empty_))
            #expect(cleared.status == .ok && cleared["country"] == nil)
            let access = try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["unknown_access": "maybe"])
            #expect(access.errorCode == "bad_parameter" && access.errorMessage == "unknown_access must be one of allow, deny")
            let typed = try await c.call(.patch, "/v1/cameras/\(id)", key: key, json: ["enabled": "yes"])
            #expect(typed.errorCode == "bad_json" && typed.errorMessage?.contains("enabled") == true)
            let second = try await c.call(
                .post, "/v1/cameras", key: key,
                sending: Components.Schemas.CameraInput(
                    name: "Gate 2", direction: .exit, country: .ie, enabled: false, unknownAccess: .allow))
            #expect(second.status == .created && second["country"] as? String == "ie" && second["unknown_access"] as? String == "allow")
            #expect(try await c.call(.delete, "/v1/cameras/\(try #require(second["id"] as? String))", key: key).status == .noContent)
            #expect(try await c.call(.get, "/v1/cameras", key: key).list("cameras").count == 1)
            #expect(try await c.call(.delete, "/v1/cameras/\(id)", key: key).status == .noContent)
            #expect(try await c.call(.get, "/v1/cameras/\(id)", key: key).status == .notFound)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func recogniseStoresReadsWithImages(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, key) = try await s.tenant()
        let photo = try Photos.carpark()
        try await s.test { c in
            let cam = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "Gate", "country": "gb"])
            let camID = try #require(cam["id"] as? String)
            let r = try await c.upload("/v1/recognise", key: key, file: photo, fields: ["camera_id": camID])
            #expect(r.status == .ok)
            let reads = r.list("reads")
            #expect(reads.count == 1)
            let read = try #require(reads.first)
            #expect(read["plate"] as? String == "LR64HDU")
            #expect(read["display"] as? String == "LR64 HDU")
            #expect(read["camera_id"] as? String == camID)
            #expect(read["country"] as? String == "GB")
            for k in ["id", "confidence", "box", "format", "captured_at", "image_url"] { #expect(read[k] != nil, "missing \(k)") }
            // The raw body works too, and store=false leaves nothing behind.
            let raw = try await c.call(.post, "/v1/recognise?store=false", key: key, body: photo, contentType: "image/jpeg")
            #expect(raw.status == .ok)
            #expect(raw.list("reads").first?["id"] == nil)
            // A plate crop, as ANPR cameras send beside their overview picture, is read whole with crop=true.
            let box = try #require(read["box"] as? [String: Any])
            let side = try ["x", "y", "width", "height"].map { Float(try #require(box[$0] as? Double)) }
            let plateCrop = try Image(decoding: Array(photo), maxPixels: 1 << 24)
                .warped(Rect(x: side[0], y: side[1], width: side[2], height: side[3]).quad, width: Int(side[2]), height: Int(side[3]))
                .encoded(as: .jpeg, quality: 95)
            let cropped = try await c.upload("/v1/recognise?crop=true&store=false&country=gb", key: key, file: Data(plateCrop))
            #expect(cropped.list("reads").map { $0["plate"] as? String } == ["LR64HDU"], "read \(cropped.list("reads"))")
            // Read whole: its box is the crop's, not one found in it.
            let whole = cropped.list("reads").first?["box"] as? [String: Any]
            #expect(whole?["x"] as? Double == 0 && whole?["y"] as? Double == 0 && whole?["width"] as? Double == Double(Int(side[2])))
            let badCrop = try await c.upload("/v1/recognise", key: key, file: Data(plateCrop), fields: ["crop": "yes"])
            #expect(badCrop.errorCode == "bad_parameter" && badCrop.errorMessage == "crop must be true or false")
            // A bad query value is refused even when a form field of the same name would replace it.
            let masked = try await c.upload("/v1/recognise?crop=yes", key: key, file: Data(plateCrop), fields: ["crop": "true"])
            #expect(masked.errorCode == "bad_parameter" && masked.errorMessage == "crop must be true or false")
            let list = try await c.call(.get, "/v1/reads", key: key)
            #expect(list.list("reads").count == 1)
            let id = try #require(read["id"] as? String)
            let one = try await c.call(.get, "/v1/reads/\(id)", key: key)
            #expect(one["plate"] as? String == "LR64HDU")
            // Images: by signed URL without a key, or by key; a tampered signature is refused.
            let imageURL = try #require(read["image_url"] as? String)
            let frame = try await c.call(.get, imageURL)
            #expect(frame.status == .ok && frame.body == photo)
            let cropURL = try #require(read["crop_url"] as? String)
            let crop = try await c.call(.get, cropURL)
            #expect(crop.status == .ok && crop.headers[.contentType] == "image/jpeg" && crop.body.count > 500)
            #expect(try await c.call(.get, imageURL.replacingOccurrences(of: "signature=", with: "signature=0")).status == .forbidden)
            #expect(try await c.call(.get, "/v1/reads/\(id)/image").status == .unauthorized)
            #expect(try await c.call(.get, "/v1/reads/\(id)/image?kind=frame", key: key).body == photo)
            let usage = try await c.call(.get, "/v1/usage", key: key)
            #expect(usage["plate_reads"] as? Int == 3)  // the photo twice and the crop
            #expect(usage["quota"] as? Int == 1000)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func badInputGetsClearErrors(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) {
            $0.http.maxUploadBytes = 600_000; $0.recognition.maxImagePixels = 2_000_000
        }
        let (_, key) = try await s.tenant()
        let photo = try Photos.carpark()
        try await s.test { c in
            func expectError(_ r: Reply, _ status: HTTPResponse.Status, _ code: String) {
                #expect(r.status == status, "\(code): got \(r.status) \(String(decoding: r.body, as: UTF8.self))")
                #expect(r.errorCode == code)
                #expect(r.errorMessage?.isEmpty == false)
            }
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data(), contentType: "image/jpeg"), .badRequest, "empty_input")
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data("hello".utf8), contentType: "text/plain"),
                .unsupportedMediaType, "unsupported_media_type")
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data("hello there".utf8), contentType: "image/jpeg"),
                .unsupportedMediaType, "unsupported_media_type")
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: photo.prefix(photo.count / 2), contentType: "image/jpeg"),
                .badRequest, "corrupt_image")
            expectError(
                try await c.call(
                    .post, "/v1/recognise", key: key, body: Data("--x\r\nbroken".utf8),
                    contentType: "multipart/form-data; boundary=x"), .badRequest, "bad_multipart")
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data(), contentType: "multipart/form-data"),
                .badRequest, "bad_multipart")
            let noFile = "--b\r\nContent-Disposition: form-data; name=\"camera_id\"\r\n\r\nx\r\n--b--\r\n"
            expectError(
                try await c.call(
                    .post, "/v1/recognise", key: key, body: Data(noFile.utf8),
                    contentType: "multipart/form-data; boundary=b"), .badRequest, "missing_file")
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data(repeating: 0xFF, count: 700_000), contentType: "image/jpeg"),
                .contentTooLarge, "payload_too_large")
            // A 2000x1500 PNG header is refused before decoding.
            var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
            png += [0, 0, 0x07, 0xD0, 0, 0, 0x05, 0xDC, 8, 2, 0, 0, 0] + [UInt8](repeating: 0, count: 64)
            expectError(
                try await c.call(.post, "/v1/recognise", key: key, body: Data(png), contentType: "image/png"),
                .contentTooLarge, "image_too_large")
            expectError(
                try await c.upload("/v1/recognise", key: key, file: photo, fields: ["country": "xx"]), .badRequest, "unknown_country")
            expectError(try await c.upload("/v1/recognise?country=", key: key, file: photo), .badRequest, "unknown_country")
            // An iPhone photo (HEIC): refused with what to do, not as an unknown format.
            let heic = Data(
                [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8) + [UInt8](repeating: 7, count: 64))
            for path in ["/v1/recognise", "/v1/upload"] {
                let r = try await c.upload(path, key: key, file: heic, filename: "IMG_0001.HEIC", fileType: "image/heic")
                #expect(
                    r.status == .unsupportedMediaType && r.errorMessage?.contains("save or export it as JPEG") == true, "\(path): \(r.json)"
                )
            }
            expectError(try await c.upload("/v1/upload", key: key, file: photo, fields: ["country": ""]), .badRequest, "unknown_country")
            expectError(
                try await c.upload("/v1/recognise", key: key, file: photo, fields: ["camera_id": "cam_nope"]), .notFound, "unknown_camera")
            expectError(
                try await c.upload("/v1/recognise", key: key, file: photo, fields: ["store": "maybe"]), .badRequest, "bad_parameter")
            expectError(try await c.call(.get, "/v1/reads?limit=0", key: key), .badRequest, "bad_parameter")
            expectError(try await c.call(.get, "/v1/reads?cursor=%%%", key: key), .badRequest, "bad_cursor")
            expectError(try await c.call(.get, "/v1/reads?from=yesterday", key: key), .badRequest, "bad_parameter")
            // Every list's from/to is read by one parser (Request.timeRange), which names the field and the form.
            for path in ["/v1/reads?to=yesterday", "/v1/passes?from=yesterday", "/v1/sessions?to=yesterday"] {
                let bad = try await c.call(.get, path, key: key)
                expectError(bad, .badRequest, "bad_parameter")
                #expect(bad.errorMessage?.hasSuffix("must be an RFC 3339 time such as 2026-11-22T08:00:00Z") == true, "\(path)")
            }
            let missing = try await c.call(.get, "/v1/reports/summary?to=2026-11-22T08:00:00Z", key: key)
            expectError(missing, .badRequest, "bad_parameter")
            #expect(missing.errorMessage == "from is required (RFC 3339)")
            expectError(try await c.call(.get, "/v1/reads?plate=%27%3B%20DROP", key: key), .badRequest, "bad_parameter")
            expectError(
                try await c.upload("/v1/upload", key: key, file: Data("not a video".utf8), filename: "clip.mp4", fileType: "video/mp4"),
                .unsupportedMediaType, "unsupported_media_type")
            expectError(
                try await c.upload("/v1/upload", key: key, file: photo, fields: ["webhook_url": "http://127.0.0.1:9/hook"]),
                .forbidden, "webhook_target_forbidden")
            expectError(
                try await c.upload("/v1/upload", key: key, file: photo, fields: ["webhook_url": "ftp://example.com"]),
                .badRequest, "bad_webhook_url")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func quotaIsEnforced(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (tenant, key) = try await s.tenant(plan: .starter)
        try await s.store.addUsage(tenantID: tenant.id, reads: 999)
        let photo = try Photos.carpark()
        try await s.test { c in
            #expect(try await c.upload("/v1/recognise", key: key, file: photo).status == .ok)
            let over = try await c.upload("/v1/recognise", key: key, file: photo)
            #expect(over.status == .tooManyRequests)
            #expect(over.errorCode == "quota_exceeded")
            #expect(try await c.upload("/v1/upload", key: key, file: photo).status == .tooManyRequests)
            let usage = try await c.call(.get, "/v1/usage", key: key)
            #expect(usage["plate_reads"] as? Int == 1000)
            #expect(usage["remaining"] as? Int == 0)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func uploadJobsRunToCompletionWithProgress(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) { $0.recognition.videoStride = 5 }
        let (_, key) = try await s.tenant(plan: .pro)
        let worker = JobWorker(env: s.env, name: "test-worker")
        try await s.test { c in
            let accepted = try await c.upload("/v1/upload", key: key, file: try Photos.carpark())
            #expect(accepted.status == .accepted)
            #expect(accepted["status"] as? String == "queued")
            let id = try #require(accepted["job_id"] as? String)
            #expect(try await c.call(.get, "/v1/jobs/\(id)", key: key)["status"] as? String == "queued")
            #expect(try await worker.runOnce()?.id.rawValue == id)
            let done = try await c.call(.get, "/v1/jobs/\(id)", key: key)
            #expect(done["status"] as? String == "done")
            #expect(done["progress"] as? Int == 100)
            #expect(done["reads_count"] as? Int == 1)
            #expect(try await c.call(.get, "/v1/reads?job_id=\(id)", key: key).list("reads").first?["plate"] as? String == "LR64HDU")

            let video = try Data(contentsOf: Photos.video)
            let vj = try await c.upload("/v1/upload", key: key, file: video, filename: "clip.mp4", fileType: "video/mp4")
            let vid = try #require(vj["job_id"] as? String)
            #expect(try await worker.runOnce()?.id.rawValue == vid)
            let vdone = try await c.call(.get, "/v1/jobs/\(vid)", key: key)
            #expect(vdone["status"] as? String == "done", "\(vdone.json)")
            #expect(vdone["kind"] as? String == "video")
            #expect((vdone["frames_done"] as? Int ?? 0) >= 400)
            // One pass per vehicle, each with its reads and images.
            let passes = try await c.call(.get, "/v1/passes?job_id=\(vid)", key: key).list("passes")
            #expect(passes.count == vdone["reads_count"] as? Int)
            #expect(Set(passes.compactMap { $0["plate"] as? String }) == ["GL19TNJ", "173D441"], "\(passes)")
            let gl = try #require(passes.first { $0["plate"] as? String == "GL19TNJ" })
            #expect(gl["movement"] as? String == "approaching")
            #expect(gl["direction"] as? String == "entry")
            #expect((gl["first_seen_s"] as? Double ?? 99) < 1)
            #expect((gl["frames"] as? Int ?? 0) >= 10)
            let passID = try #require(gl["id"] as? String)
            #expect(try await c.call(.get, "/v1/passes/\(passID)", key: key)["plate"] as? String == "GL19TNJ")
            let linked = try await c.call(.get, "/v1/reads?pass_id=\(passID)&limit=500", key: key).list("reads")
            #expect(linked.count == gl["frames"] as? Int)
            #expect(try await c.call(.get, try #require(gl["crop_url"] as? String)).status == .ok)
            #expect(try await c.call(.get, try #require(gl["image_url"] as? String)).status == .ok)
            for prefix in ["GL", "GL1", "GL19", "GL19T"] {  // each prefix length's own query (Store.page)
                #expect(try await c.call(.get, "/v1/passes?plate_prefix=\(prefix)", key: key).list("passes").count == 1)
            }
            #expect(try await c.call(.get, "/v1/jobs", key: key).list("jobs").count == 2)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func interruptedJobIsRetriedWithoutDuplicateReads(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (tenant, key) = try await s.tenant(plan: .pro)
        try await s.test { c in
            let id = try #require(try await c.upload("/v1/upload", key: key, file: try Photos.carpark())["job_id"] as? String)
            // A worker claims the job, writes a read, then "crashes" (stops sending heartbeats).
            let claimed = try #require(try await s.store.claimJob(worker: "crashed", staleBefore: 0))
            #expect(claimed.id.rawValue == id)
            let r = try await SharedEngine.recognizer.recognise([UInt8](try Photos.carpark()), withCrops: true)
            _ = try await s.store.insertReads([
                PlateRead(
                    id: "rd_partial", tenantID: tenant.id, plate: r.plates[0].reading.text, display: "", confidence: 1, format: "x",
                    country: nil, box: (0, 0, 1, 1), cameraID: nil, jobID: ID(id), frameTimeMillis: nil, capturedAt: 1, createdAt: 1,
                    cropKey: nil, frameKey: nil)
            ])
            try await Task.sleep(for: .milliseconds(1200))
            let worker = JobWorker(env: s.env, name: "survivor")
            #expect(try await worker.runOnce()?.id.rawValue == id)
            let job = try await c.call(.get, "/v1/jobs/\(id)", key: key)
            #expect(job["status"] as? String == "done")
            #expect(job["attempts"] as? Int == 2)
            let reads = try await c.call(.get, "/v1/reads?job_id=\(id)", key: key).list("reads")
            #expect(reads.count == 1)
            #expect(reads.first?["id"] as? String != "rd_partial")
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func tenantsNeverSeeEachOthersData(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (_, keyA) = try await s.tenant("A")
        let (_, keyB) = try await s.tenant("B")
        let worker = JobWorker(env: s.env, name: "w")
        try await s.test { c in
            let cam = try #require(try await c.call(.post, "/v1/cameras", key: keyA, json: ["name": "A gate"])["id"] as? String)
            let read = try #require(try await c.upload("/v1/recognise", key: keyA, file: try Photos.carpark()).list("reads").first)
            let readID = try #require(read["id"] as? String)
            let job = try #require(try await c.upload("/v1/upload", key: keyA, file: try Photos.carpark())["job_id"] as? String)
            _ = try await worker.runOnce()
            let keyID = try #require(try await c.call(.get, "/v1/api-keys", key: keyA).list("api_keys").first?["id"] as? String)

            // B cannot fetch, change or delete any of A's resources...
            for (method, uri) in [
                (HTTPRequest.Method.get, "/v1/cameras/\(cam)"), (.patch, "/v1/cameras/\(cam)"),
                (.delete, "/v1/cameras/\(cam)"), (.get, "/v1/reads/\(readID)"),
                (.get, "/v1/reads/\(readID)/image"), (.get, "/v1/reads/\(readID)/image?kind=frame"),
                (.get, "/v1/jobs/\(job)"), (.delete, "/v1/api-keys/\(keyID)"),
                (.get, "/v1/passes/pas_none"),
            ] {
                let r = try await c.call(method, uri, key: keyB, json: method == .patch ? ["name": "stolen"] : nil)
                #expect(r.status == .notFound, "\(method) \(uri) answered \(r.status) to another tenant")
            }
            // ...nor use A's camera...
            #expect(
                try await c.upload("/v1/recognise", key: keyB, file: try Photos.carpark(), fields: ["camera_id": cam]).errorCode
                    == "unknown_camera")
            // ...nor see A's data in any listing or in usage.
            #expect(try await c.call(.get, "/v1/cameras", key: keyB).list("cameras").isEmpty)
            #expect(try await c.call(.get, "/v1/reads", key: keyB).list("reads").isEmpty)
            #expect(try await c.call(.get, "/v1/reads?plate=LR64HDU", key: keyB).list("reads").isEmpty)
            #expect(try await c.call(.get, "/v1/reads?job_id=\(job)", key: keyB).list("reads").isEmpty)
            #expect(try await c.call(.get, "/v1/jobs", key: keyB).list("jobs").isEmpty)
            #expect(try await c.call(.get, "/v1/passes", key: keyB).list("passes").isEmpty)
            #expect(try await c.call(.get, "/v1/api-keys", key: keyB).list("api_keys").count == 1)
            #expect(try await c.call(.get, "/v1/usage", key: keyB)["plate_reads"] as? Int == 0)
            // A still has everything, unchanged.
            #expect(try await c.call(.get, "/v1/cameras/\(cam)", key: keyA)["name"] as? String == "A gate")
            #expect(try await c.call(.get, "/v1/reads", key: keyA).list("reads").count == 2)
            #expect(try await c.call(.get, "/v1/usage", key: keyA).status == .ok)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func retentionSweepDeletesExpiredReadsAndMedia(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true)
        let (tenant, key) = try await s.tenant()
        try await s.test { c in
            let old = try #require(
                try await c.upload("/v1/recognise", key: key, file: try Photos.carpark()).list("reads").first?["id"] as? String)
            let r = try await c.call(.patch, "/v1/tenant", key: key, json: ["retention_days": 30])
            #expect((r["tenant"] as? [String: Any])?["retention_days"] as? Int == 30)
            #expect(try await c.call(.patch, "/v1/tenant", key: key, json: ["retention_days": 0]).errorCode == "bad_parameter")
            // One field changed leaves the others as they were (one UPDATE sets what was given).
            let version = try await s.store.rulesVersion(tenantID: tenant.id)
            let z = try await c.call(.patch, "/v1/tenant", key: key, json: ["time_zone": "Europe/London"])
            #expect((z["tenant"] as? [String: Any])?["time_zone"] as? String == "Europe/London")
            #expect((z["tenant"] as? [String: Any])?["retention_days"] as? Int == 30)
            #expect(try await s.store.rulesVersion(tenantID: tenant.id) == version + 1, "the time zone is part of the rules")
            let stored = try #require(try await s.store.read(tenantID: tenant.id, id: ID(old)))
            // 31 days later the read and its media are gone; a fresh read stays.
            let sweeper = RetentionSweeper(env: s.env)
            #expect(try await sweeper.sweep(now: WallClock.nowMillis()) == 0)
            #expect(try await sweeper.sweep(now: WallClock.nowMillis() + 31 * 86_400_000) == 1)
            #expect(try await s.store.read(tenantID: tenant.id, id: ID(old)) == nil)
            #expect(try await s.env.media.get(try #require(stored.cropKey)) == nil)
            #expect(try await s.env.media.get(try #require(stored.frameKey)) == nil)
            #expect(try await c.call(.get, "/v1/reads/\(old)", key: key).status == .notFound)
            // Its event went with it.
            #expect(try await s.store.events(tenantID: tenant.id, after: 0).isEmpty)
        }
        await s.close()
    }

    @Test(arguments: Engine.available)
    func videoLongerThanTheLimitIsRefusedUpFront(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) { $0.recognition.maxVideoSeconds = 2 }
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let r = try await c.upload(
                "/v1/upload", key: key, file: try Data(contentsOf: Photos.video), filename: "clip.mp4", fileType: "video/mp4")
            #expect(r.status == .contentTooLarge)
            #expect(r.errorCode == "video_too_long")
            #expect(try await c.call(.get, "/v1/jobs", key: key).list("jobs").isEmpty)
        }
        await s.close()
    }

    /// A video larger than the image limit is accepted up to the video upload limit (streamed to a temporary file,
    /// then moved into the media store), as multipart or as the raw body, and read; an image keeps the image limit;
    /// each refusal names the setting that raises it. Before, every upload had the image limit (50 MB by default),
    /// which refused a ten-minute 720p video long before its duration limit, and was held in memory whole.
    @Test(arguments: Engine.available)
    func videosLargerThanTheImageLimitAreStreamedToDisk(engine: Engine) async throws {
        let photo = try Photos.carpark()
        let video = try Data(contentsOf: Photos.video)
        let s = try await TestServer.make(engine, models: true) {
            $0.http.maxUploadBytes = photo.count - 1
            $0.http.maxVideoUploadBytes = video.count + 4096
            $0.recognition.videoStride = 5
        }
        let (_, key) = try await s.tenant(plan: .pro)
        let worker = JobWorker(env: s.env, name: "test-worker")
        try await s.test { c in
            let multipart = try await c.upload(
                "/v1/upload", key: key, file: video, filename: "clip.mp4", fileType: "video/mp4", fields: ["country": "gb"])
            #expect(multipart.status == .accepted, "\(String(decoding: multipart.body, as: UTF8.self))")
            let raw = try await c.call(.post, "/v1/upload?filename=gate.mp4", key: key, body: video, contentType: "video/mp4")
            #expect(raw.status == .accepted, "\(String(decoding: raw.body, as: UTF8.self))")
            for id in [multipart["job_id"] as? String, raw["job_id"] as? String] {
                let passes = try await c.runVideoJob(try #require(id), key: key, worker: worker)
                #expect(passes.contains { $0["plate"] as? String == "GL19TNJ" }, "\(passes)")
            }
            #expect(
                try await c.call(.get, "/v1/jobs/\(try #require(raw["job_id"] as? String))", key: key)["filename"] as? String == "gate.mp4")

            let image = try await c.upload("/v1/upload", key: key, file: photo)
            #expect(image.status == .contentTooLarge && image.errorCode == "payload_too_large")
            #expect(image.errorMessage?.contains("MICROANPR_MAX_UPLOAD_BYTES") == true, "\(image.errorMessage ?? "")")
            let over = try await c.call(
                .post, "/v1/upload", key: key, body: video + Data(repeating: 0, count: 8192), contentType: "video/mp4")
            #expect(over.status == .contentTooLarge && over.errorCode == "payload_too_large")
            #expect(over.errorMessage?.contains("MICROANPR_MAX_VIDEO_UPLOAD_BYTES") == true, "\(over.errorMessage ?? "")")
            let empty = try await c.upload("/v1/upload", key: key, file: Data(), filename: "clip.mp4", fileType: "video/mp4")
            #expect(empty.status == .badRequest && empty.errorCode == "empty_input")
            let cut = Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n\r\n".utf8) + video.prefix(1000)
            let truncated = try await c.call(.post, "/v1/upload", key: key, body: cut, contentType: "multipart/form-data; boundary=b")
            #expect(truncated.status == .badRequest && truncated.errorCode == "bad_multipart")
            let noFile = Data("--b\r\nContent-Disposition: form-data; name=\"country\"\r\n\r\ngb\r\n--b--\r\n".utf8)
            let missing = try await c.call(.post, "/v1/upload", key: key, body: noFile, contentType: "multipart/form-data; boundary=b")
            #expect(missing.status == .badRequest && missing.errorCode == "missing_file")
            let badField = try await c.upload(
                "/v1/upload", key: key, file: video, filename: "clip.mp4", fileType: "video/mp4", fields: ["country": "xx"])
            #expect(badField.status == .badRequest && badField.errorCode == "unknown_country")
            #expect(try await c.call(.get, "/v1/jobs", key: key).list("jobs").count == 2)
        }
        await s.close()
    }

    /// Raw camera streams are videos by their names: a motion-JPEG file (which starts with a JPEG, so it was taken
    /// for one photo of its first frame, and FFmpeg's probe took it for an image it may not open) and raw H.264
    /// (refused before as neither image nor video).
    @Test(.enabled(if: hasTool("ffmpeg"), "needs ffmpeg to make the streams"), arguments: Engine.available)
    func rawStreamsAreReadAsVideosByTheirNames(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) { $0.recognition.videoStride = 5 }
        let (_, key) = try await s.tenant(plan: .pro)
        let worker = JobWorker(env: s.env, name: "test-worker")
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await s.test { c in
            for (name, codec) in [
                ("gate.mjpeg", ["-c:v", "mjpeg", "-q:v", "3", "-f", "mjpeg"]), ("gate.h264", ["-c:v", "libx264", "-f", "h264"]),
            ] {
                let path = dir.appendingPathComponent(name).path
                let made = try run(
                    "/usr/bin/env",
                    ["ffmpeg", "-v", "error", "-y", "-i", Photos.video.path, "-t", "3"] + codec + [path])
                try #require(made.status == 0, "ffmpeg could not make \(name)")
                let accepted = try await c.upload(
                    "/v1/upload", key: key, file: try Data(contentsOf: URL(fileURLWithPath: path)), filename: name,
                    fileType: "application/octet-stream")
                let id = try #require(accepted["job_id"] as? String, "\(name): \(accepted.json)")
                let passes = try await c.runVideoJob(id, key: key, worker: worker)
                #expect(passes.contains { $0["plate"] as? String == "GL19TNJ" }, "\(name): \(passes)")
            }
        }
        await s.close()
    }

    /// Footage uploaded after the fact is placed at its own time: `recorded_at` (the image taken, the video's first
    /// frame) is the read's time and each pass's origin, for `/v1/recognise` and `/v1/upload`; it must be a real
    /// RFC 3339 time, not in the future. Without it, the upload's time, as before.
    @Test(arguments: Engine.available)
    func recordedAtPlacesReadsAndPassesAtTheirOwnTime(engine: Engine) async throws {
        let s = try await TestServer.make(engine, models: true) { $0.recognition.videoStride = 5 }
        let (_, key) = try await s.tenant(plan: .pro)
        let worker = JobWorker(env: s.env, name: "test-worker")
        let photo = try Photos.carpark()
        // Relative to now: the default retention (90 days) refuses times before it.
        let day: Int64 = 86_400_000
        let taken = (WallClock.nowMillis() / 1000 - 30 * 86_400) * 1000, recorded = taken + day
        try await s.test { c in
            // Another zone's offset is understood.
            let local = JSONTime.string(taken + 3_600_000)!.replacingOccurrences(of: ".000Z", with: "+01:00")
            let read = try await c.upload("/v1/recognise", key: key, file: photo, fields: ["recorded_at": local])
            #expect(read.list("reads").first?["captured_at"] as? String == JSONTime.string(taken), "\(read.json)")
            let stored = try #require(read.list("reads").first?["id"] as? String)
            #expect(try await c.call(.get, "/v1/reads/\(stored)", key: key)["captured_at"] as? String == JSONTime.string(taken))

            let accepted = try await c.upload(
                "/v1/upload", key: key, file: try Data(contentsOf: Photos.video), filename: "clip.mp4", fileType: "video/mp4",
                fields: ["recorded_at": JSONTime.string(recorded)!])
            let id = try #require(accepted["job_id"] as? String)
            #expect(try await worker.runOnce()?.id.rawValue == id)
            let job = try await c.call(.get, "/v1/jobs/\(id)", key: key)
            #expect(job["recorded_at"] as? String == JSONTime.string(recorded) && job["status"] as? String == "done", "\(job.json)")
            let passes = try await c.call(.get, "/v1/passes?job_id=\(id)", key: key).list("passes")
            #expect(!passes.isEmpty)
            for pass in passes {
                let first = try #require(JSONTime.parse(pass["first_seen_at"] as? String ?? ""))
                let offset = try #require(pass["first_seen_s"] as? Double)
                #expect(first == recorded + Int64(offset * 1000), "\(pass)")
            }
            let reads = try await c.call(.get, "/v1/reads?job_id=\(id)&limit=500", key: key).list("reads")
            #expect(
                !reads.isEmpty
                    && reads.allSatisfy {
                        (recorded..<(recorded + 60_000)).contains(JSONTime.parse($0["captured_at"] as? String ?? "") ?? 0)
                    })

            let tomorrow = JSONTime.string(WallClock.nowMillis() + 86_400_000)!
            let beforeRetention = JSONTime.string(WallClock.nowMillis() - 91 * day)!
            for bad in ["2026-13-01T00:00:00Z", "yesterday", tomorrow, beforeRetention] {
                for path in ["/v1/recognise", "/v1/upload"] {
                    let r = try await c.upload(path, key: key, file: photo, fields: ["recorded_at": bad])
                    #expect(r.status == .badRequest && r.errorCode == "bad_parameter", "\(path) \(bad): \(r.status)")
                    #expect(r.errorMessage?.contains("recorded_at") == true)
                }
            }
        }
        await s.close()
    }

    /// The whole read path with media in an S3-compatible bucket (moto, started by make test).
    @Test(.enabled(if: TestServices.runS3, "needs the S3 test server (make test starts moto)"))
    func recogniseWithMediaInS3() async throws {
        let endpoint = try #require(TestServices.s3, "MICROANPR_TEST_S3_ENDPOINT missing")
        let s = try await TestServer.make(.sqlite, models: true) {
            $0.storage.s3 = .init(
                endpoint: endpoint, bucket: "api-\(UUID().uuidString.prefix(8).lowercased())", region: "us-east-1",
                accessKey: "testing", secretKey: "testing")
        }
        let (_, key) = try await s.tenant()
        let photo = try Photos.carpark()
        try await s.test { c in
            let read = try #require(try await c.upload("/v1/recognise", key: key, file: photo).list("reads").first)
            let frame = try await c.call(.get, try #require(read["image_url"] as? String))
            #expect(frame.status == .ok && frame.body == photo)
            #expect(try await c.call(.get, try #require(read["crop_url"] as? String)).status == .ok)
        }
        await s.close()
    }
}

extension TestClientProtocol {
    /// Runs the queued video job `id` with `worker`, expects it done as a video, and gives its passes.
    func runVideoJob(
        _ id: String, key: String, worker: JobWorker, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [[String: Any]] {
        #expect(try await worker.runOnce()?.id.rawValue == id, sourceLocation: sourceLocation)
        let job = try await call(.get, "/v1/jobs/\(id)", key: key)
        #expect(job["kind"] as? String == "video" && job["status"] as? String == "done", "\(job.json)", sourceLocation: sourceLocation)
        return try await call(.get, "/v1/passes?job_id=\(id)", key: key).list("passes")
    }
}
