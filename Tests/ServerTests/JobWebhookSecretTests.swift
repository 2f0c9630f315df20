import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Core
@testable import Server
import Storage
import Testing
import TestSupport

@Suite("Job webhook secrets", .serialized)
struct JobWebhookSecretTests {
    @Test func aTenantsOwnSecretIsShownOnceAndSignsItsJobWebhooks() async throws {
        let s = try await TestServer.make(.sqlite, models: true) { $0.webhooks.allowPrivate = true }
        let (_, key) = try await s.tenant(plan: .pro)
        let secret = SecretBox()
        let receiver = FlakyReceiver(secret: { secret.get() }) { _ in false }
        try await receiver.start()
        defer { receiver.stop() }
        // The server is closed whatever happens: an open database must not outlive the test.
        do { try await check(s, key: key, receiver: receiver, secret: secret) } catch {
            await s.close()
            throw error
        }
        await s.close()
    }

    func check(_ s: TestServer, key: String, receiver: FlakyReceiver, secret: SecretBox) async throws {
        // The API in process, and one job worker run by hand: no sockets but the receiver's, no timing.
        try await s.test { c in
            let before = try await c.call(.get, "/v1/tenant", key: key)
            #expect((before["webhook_secret"] as? String)?.hasPrefix("whsec_") == true, "the derived secret, until rotated")
            let made = try await c.call(.post, "/v1/tenant/job-webhook-secret", key: key)
            #expect(made.status == .created)
            let own = try #require(made["webhook_secret"] as? String)
            #expect(own != before["webhook_secret"] as? String)
            secret.set(own)
            #expect(try await c.call(.get, "/v1/tenant", key: key)["webhook_secret"] == nil, "shown once")
            let job = try await c.upload("/v1/upload", key: key, file: try Photos.carpark(), fields: ["webhook_url": receiver.url])
            #expect(job.status == .accepted, "\(job.json)")
            #expect(try await JobWorker(env: s.env, name: "test").runOnce() != nil)
            for _ in 0..<1200 where receiver.snapshot.requests == 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(receiver.snapshot.requests >= 1)
            #expect(receiver.snapshot.badSignatures == 0, "signed with the tenant's own secret")
        }
    }
}
