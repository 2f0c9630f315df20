@testable import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TestSupport

/// Smaller least-privilege rules of issue 18.
@Suite("Least privilege")
struct LeastPrivilegeTests {
    func key(_ c: any TestClientProtocol, admin: String, role: String) async throws -> String {
        try await APIKeyRoleTests().key(c, admin: admin, role: role)
    }

    @Test func onlyAdminsSeeCameraCredentials() async throws {
        let s = try await TestServer.make(.sqlite) { $0.cameras.allowPrivate = true }
        let (_, admin) = try await s.tenant()
        try await s.test { c in
            let made = try await c.call(
                .post, "/v1/cameras", key: admin, json: ["name": "Gate", "source_url": "rtsp://cam:s3cret@10.0.0.5:554/stream"])
            let id = try #require(made["id"] as? String)
            #expect(made["source_url"] as? String == "rtsp://cam:s3cret@10.0.0.5:554/stream")
            let viewer = try await key(c, admin: admin, role: "viewer")
            let seen = try await c.call(.get, "/v1/cameras/\(id)", key: viewer)
            #expect(seen["source_url"] as? String == "rtsp://***@10.0.0.5:554/stream")
            let listed = try await c.call(.get, "/v1/cameras", key: viewer).list("cameras")
            #expect(listed.first?["source_url"] as? String == "rtsp://***@10.0.0.5:554/stream")
            #expect(
                try await c.call(.get, "/v1/cameras/\(id)", key: admin)["source_url"] as? String == "rtsp://cam:s3cret@10.0.0.5:554/stream")
        }
        await s.close()
    }

    @Test func aViewerCannotDeleteSomeoneElsesExport() async throws {
        let s = try await TestServer.make(.sqlite) { $0.jobs.workers = 0 }
        let (_, admin) = try await s.tenant()
        try await s.test { c in
            let job = try await c.call(.post, "/v1/export-jobs", key: admin, json: ["dataset": "reads", "format": "csv"])
            let id = try #require(job["id"] as? String, "\(job.status) \(job.json)")
            let viewer = try await key(c, admin: admin, role: "viewer")
            let refused = try await c.call(.delete, "/v1/export-jobs/\(id)", key: viewer)
            #expect(refused.status == .forbidden)
            let own = try #require(
                try await c.call(.post, "/v1/export-jobs", key: viewer, json: ["dataset": "reads", "format": "csv"])["id"] as? String)
            #expect(try await c.call(.delete, "/v1/export-jobs/\(own)", key: viewer).status == .noContent)
            #expect(try await c.call(.delete, "/v1/export-jobs/\(id)", key: admin).status == .noContent)
        }
        await s.close()
    }
}
