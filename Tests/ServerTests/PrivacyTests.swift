import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Media
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

/// Subject access and erasure of one plate, who looked, and an erasure interrupted before its media deletion.
@Suite("Privacy requests, on SQLite and PostgreSQL")
struct PrivacyTests {
    /// Two reads of the plate (one sharing its frame with another plate's read) and one read of another plate.
    func seed(_ s: TestServer, _ tenant: Tenant) async throws -> (mine: [String], other: String) {
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xD9]
        func read(_ plate: String, frame: String, crop: String, at t: Int64) -> PlateRead {
            PlateRead(
                id: ID(Identifier.make("rd")), tenantID: tenant.id, plate: plate, display: plate, confidence: 0.9, format: "gb.current",
                country: "GB", box: (1, 2, 30, 10), cameraID: nil, jobID: nil, frameTimeMillis: nil, capturedAt: t, createdAt: t,
                cropKey: crop, frameKey: frame)
        }
        let t = WallClock.nowMillis()
        let p = "\(tenant.id)/privacy-test"
        let reads = [
            read("GY12UBL", frame: "\(p)/frame-1.jpg", crop: "\(p)/crop-1.jpg", at: t - 2000),
            read("GY12UBL", frame: "\(p)/frame-2.jpg", crop: "\(p)/crop-2.jpg", at: t - 1000),
            read("AB12CDE", frame: "\(p)/frame-2.jpg", crop: "\(p)/crop-3.jpg", at: t - 1000),
        ]
        for key in ["frame-1", "frame-2", "crop-1", "crop-2", "crop-3"] {
            try await s.env.media.put("\(p)/\(key).jpg", data: Data(jpeg), contentType: "image/jpeg")
        }
        try await s.store.insertReads(reads)
        return (reads.prefix(2).map(\.id.rawValue), reads[2].id.rawValue)
    }

    @Test(arguments: Engine.available)
    func subjectAccessThenErasureLeavesNothingOfThePlate(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, key) = try await s.tenant()
        let (_, otherKey) = try await s.tenant("other")
        let (mine, other) = try await seed(s, tenant)
        try await s.test { c in
            let group = try #require(try await c.call(.post, "/v1/groups", key: key, json: ["name": "Staff"])["id"] as? String)
            #expect(
                try await c.call(.post, "/v1/groups/\(group)/members", key: key, json: ["name": "Ann", "plate": "GY12 UBL"]).status
                    == .created)
            let viewer = try #require(
                try await c.call(.post, "/v1/api-keys", key: key, json: ["name": "v", "role": "viewer"])["api_key"] as? String)
            #expect(try await c.call(.get, "/v1/privacy/subject-access?plate=GY12UBL", key: viewer).status == .forbidden)
            #expect(try await c.call(.get, "/v1/privacy/subject-access?plate=a%24b", key: key).errorCode == "bad_parameter")

            // Who looked: a search by plate is in the audit log.
            #expect(try await c.call(.get, "/v1/reads?plate=GY12UBL", key: key).list("reads").count == 2)
            let looked = try await c.call(.get, "/v1/audit", key: key).list("entries")
            #expect(looked.contains { $0["action"] as? String == "privacy.lookup" && $0["target"] as? String == "plate:GY12UBL" })

            // Subject access: every row and image, matched after normalisation.
            let zip = try await c.call(.get, "/v1/privacy/subject-access?plate=gy12%20ubl", key: key)
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            let file = try TestPaths.temporaryDirectory().appendingPathComponent("s.zip")
            try zip.body.write(to: file)
            let listing = String(decoding: try run("/usr/bin/unzip", ["-l", file.path]).output, as: UTF8.self)
            for id in mine { #expect(listing.contains("media/reads/\(id)-frame.jpg") && listing.contains("media/reads/\(id)-crop.jpg")) }
            #expect(!listing.contains(other))
            let subject = try #require(
                try JSONSerialization.jsonObject(with: try run("/usr/bin/unzip", ["-p", file.path, "subject.json"]).output)
                    as? [String: Any])
            let sections = try #require(subject["sections"] as? [String: [[String: Any]]])
            #expect(sections["reads"]?.count == 2 && sections["group_memberships"]?.first?["group_name"] as? String == "Staff")
            #expect(try await c.call(.get, "/v1/privacy/subject-access?plate=GY12UBL", key: otherKey).status == .ok)

            // Bad erasure requests name what is wrong.
            for (body, field) in [
                (["plate": "GY12UBL", "reason": "  "], "reason"), (["plate": "a$b", "reason": "x"], "plate"),
                (["reason": "x"], "plate"),
            ] as [([String: Any], String)] {
                let r = try await c.call(.post, "/v1/privacy/erasures", key: key, json: body)
                #expect(r.status == .badRequest && r.errorMessage?.contains(field) == true, "\(body): \(r.errorMessage ?? "")")
            }
            // Erasure: the plate's rows and media go, a frame another plate's read shows stays, lists stay.
            let erased = try await c.call(
                .post, "/v1/privacy/erasures", key: key, json: ["plate": "GY12-UBL", "reason": "request from GY12UBL's keeper"])
            #expect(erased.status == .ok)
            #expect(erased["reads"] as? Int == 2 && erased["media_files"] as? Int == 3 && erased["members"] as? Int == 0)
            #expect(try await c.call(.get, "/v1/reads?plate=GY12UBL", key: key).list("reads").isEmpty)
            #expect(try await c.call(.get, "/v1/reads/\(other)", key: key).status == .ok)
            let p = "\(tenant.id)/privacy-test"
            for k in ["frame-1", "crop-1", "crop-2"] { #expect(try await s.env.media.get("\(p)/\(k).jpg") == nil, "\(k)") }
            for k in ["frame-2", "crop-3"] {
                #expect(try await s.env.media.get("\(p)/\(k).jpg") != nil, "\(k) belongs to another plate too")
            }
            #expect(try await c.call(.get, "/v1/groups/\(group)/members", key: key).list("members").count == 1)
            let audit = try await c.call(.get, "/v1/audit", key: key).list("entries")
            let entry = try #require(audit.first { $0["action"] as? String == "privacy.erasure" })
            #expect((entry["target"] as? String)?.hasPrefix("hmac-sha256:") == true)
            #expect(!"\(entry)".contains("GY12UBL") && !"\(entry)".contains("GY12-UBL"), "the erasure's audit entry keeps no plate")
            // With the lists.
            let lists = try await c.call(
                .post, "/v1/privacy/erasures", key: key, json: ["plate": "GY12UBL", "reason": "x", "include_lists": true])
            #expect(lists["members"] as? Int == 1)
        }
        await s.close()
    }

    /// A crash between the erasure's transaction and its media deletion: the next sweep deletes the files.
    @Test(arguments: Engine.available)
    func aCrashAfterTheTransactionIsFinishedByTheSweeper(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (tenant, _) = try await s.tenant()
        _ = try await seed(s, tenant)
        let (counts, keys) = try await s.store.erase(
            tenantID: tenant.id, plates: ["GY12UBL"], includeLists: false, audit: ("test", "hmac-sha256:x", "reason=test", nil))
        #expect(counts.reads == 2 && keys.count == 3)
        // ...the process dies here: the rows are gone, the files are not.
        #expect(try await s.store.pendingMediaDeletions().sorted() == keys.sorted())
        #expect(try await s.env.media.get(keys[0]) != nil)
        // Lookup entries have their own retention (90 days by default); other audit entries stay.
        let old = WallClock.nowMillis() - 91 * 86_400_000
        for action in ["privacy.lookup", "signin"] {
            try await s.store.db.query(
                "INSERT INTO audit_log (tenant_id, actor, action, target, created_at) VALUES (?, ?, ?, ?, ?)", tenant.id, "test", action,
                "plate:GY12UBL", old)
        }
        try await s.store.audit(tenantID: tenant.id, actor: "test", action: "privacy.lookup", target: "plate:AB12CDE")
        try await RetentionSweeper(env: s.env).sweep(now: WallClock.nowMillis())
        let audit = try await s.store.auditLog(tenantID: tenant.id, before: nil, limit: 100).map { ($0.action, $0.target ?? "") }
        #expect(!audit.contains { $0 == ("privacy.lookup", "plate:GY12UBL") } && audit.contains { $0 == ("signin", "plate:GY12UBL") })
        #expect(audit.contains { $0 == ("privacy.lookup", "plate:AB12CDE") })
        for k in keys { #expect(try await s.env.media.get(k) == nil) }
        #expect(try await s.store.pendingMediaDeletions().isEmpty)
        #expect(try await s.store.subjectRecords(tenantID: tenant.id, plates: ["GY12UBL"]).allSatisfy { $0.rows.isEmpty })
        await s.close()
    }
}
