import Foundation
import Hummingbird
@testable import Core
@testable import Server
import Testing

/// SSRF: the outbound policy of webhooks, job callbacks and camera sources (issue 18).
@Suite("Outbound policy", .serialized)
struct OutboundPolicyTests {
    /// A resolver that answers from a table and counts its lookups.
    final class FakeDNS: @unchecked Sendable {
        let lock = NSLock()
        var answers: [String: [[String]]]  // host -> answers of the 1st, 2nd, ... lookup (the last repeats)
        var lookups: [String: Int] = [:]
        init(_ answers: [String: [[String]]]) { self.answers = answers }
        var resolver: OutboundPolicy.Resolver {
            { host, _ in
                self.lock.withLock {
                    let n = self.lookups[host, default: 0]
                    self.lookups[host] = n + 1
                    guard let list = self.answers[host], !list.isEmpty else { return [] }
                    return list[min(n, list.count - 1)]
                }
            }
        }
        func count(_ host: String) -> Int { lock.withLock { lookups[host, default: 0] } }
    }

    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fe81::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1", "2002:7f00:1::1", "2002:a00:1::",
        "2001:db8::1", "2001::1", "100::1", "not an address",
    ])
    func everyNonPublicRangeIsRefused(_ address: String) {
        #expect(OutboundPolicy.isDisallowed(address))
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
    ])
    func publicAddressesAreAllowed(_ address: String) {
        #expect(!OutboundPolicy.isDisallowed(address))
    }

    @Test func theTargetsOfTheReviewAreRefused() async throws {
        // Each of these was accepted (201) before the policy (issue 18).
        let dns = FakeDNS(["localhost": [["127.0.0.1"]], "127.0.0.1.nip.io": [["127.0.0.1"]]])
        let policy = OutboundPolicy(allowPrivate: false, resolver: dns.resolver)
        for url in [
            "http://localhost./", "http://127.0.0.1.nip.io/", "http://[fe81::1]/", "http://[fec0::1]/", "http://[64:ff9b::7f00:1]/",
            "http://[::127.0.0.1]/",
        ] {
            await #expect(throws: DomainError.self, "\(url)") { _ = try await WebhookTarget.validate(url, policy: policy) }
        }
    }

    @Test func aNameThatDoesNotResolveIsRefused() async throws {
        let policy = OutboundPolicy(allowPrivate: false, resolver: FakeDNS([:]).resolver)
        do {
            _ = try await WebhookTarget.validate("https://nowhere.invalid/hook", policy: policy)
            Issue.record("an unresolvable target was accepted")
        } catch let e as DomainError {
            #expect(e.code == .badWebhookUrl && e.message.contains("does not resolve"))
        }
        let sent = await WebhookTarget.send(url: "https://nowhere.invalid/hook", body: Data(), secret: "s", policy: policy)
        #expect(sent.status == nil && sent.error?.contains("does not resolve") == true)
    }

    @Test func aNameIsResolvedOnceAndTheCheckedAddressIsTheOneConnectedTo() async throws {
        // DNS rebinding: the first answer is public, the second would be loopback, where a receiver listens.
        let receiver = FlakyReceiver(secret: { "s" }) { _ in false }
        try await receiver.start()
        defer { receiver.stop() }
        let dns = FakeDNS(["rebind.example": [["8.8.8.8"], ["127.0.0.1"]]])
        let policy = OutboundPolicy(allowPrivate: false, resolver: dns.resolver)
        let sent = await WebhookTarget.send(
            url: "http://rebind.example:\(receiver.port)/hook", body: Data("{}".utf8), secret: "s", policy: policy, timeout: 1)
        #expect(dns.count("rebind.example") == 1)
        #expect(receiver.snapshot.requests == 0, "the request reached the loopback receiver")
        #expect(sent.status == nil)
    }

    @Test func redirectsAreNotFollowed() async throws {
        // The target answers 302 to a second receiver: the delivery records the 302 and the second is never asked.
        let second = FlakyReceiver(secret: { "s" }) { _ in false }
        try await second.start()
        defer { second.stop() }
        let router = Router()
        router.post("hook") { _, _ in
            Response(status: .found, headers: [.location: second.url], body: .init())
        }
        let portBox = PortBox()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.set(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        for _ in 0..<200 where portBox.get() == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let policy = OutboundPolicy(allowPrivate: true)  // loopback allowed, so that the test can listen there
        let sent = await WebhookTarget.send(
            url: "http://127.0.0.1:\(portBox.get())/hook", body: Data("{}".utf8), secret: "s", policy: policy)
        #expect(sent.status == 302)
        #expect(second.snapshot.requests == 0)
    }

    @Test func cameraSourcesOnPrivateNetworksNeedTheOptIn() async throws {
        let s = try await TestServer.make(.sqlite)
        let (_, key) = try await s.tenant()
        try await s.test { c in
            let r = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "rtsp://10.0.0.5/stream"])
            #expect(r.status == .forbidden && r.errorCode == "camera_source_forbidden")
            let v6 = try await c.call(.post, "/v1/cameras", key: key, json: ["name": "x", "source_url": "http://[::1]:8080/mjpeg"])
            #expect(v6.status == .forbidden)
        }
        await s.close()
        let allowed = try await TestServer.make(.sqlite) { $0.cameras.allowPrivate = true }
        let (_, key2) = try await allowed.tenant()
        try await allowed.test { c in
            let r = try await c.call(.post, "/v1/cameras", key: key2, json: ["name": "x", "source_url": "rtsp://10.0.0.5/stream"])
            #expect(r.status == .created)
        }
        await allowed.close()
    }
}
