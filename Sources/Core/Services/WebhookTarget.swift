import AsyncHTTPClient
import Crypto
import Foundation
import Media
import NIOCore
import NIOHTTP1
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Webhook targets: checked by the ``OutboundPolicy`` when accepted and again when sent (connecting to the
/// address checked then, following no redirects); payloads signed with HMAC-SHA256 over `timestamp.body`. Used by
/// the durable event webhooks (``WebhookDispatcher``) and by the one-off job-completion callback of an upload's
/// `webhook_url`.
package enum WebhookTarget {
    /// Returns the URL when it is http(s) and its host passes `policy`.
    package static func validate(_ s: String, policy: OutboundPolicy) async throws -> String {
        guard s.count <= 2000, let u = URL(string: s), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = u.host, !host.isEmpty,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }),
            s.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else {
            throw DomainError.invalid(
                "webhook_url must be an absolute http(s) URL (ASCII; internationalised names in punycode)",
                code: .badWebhookUrl)
        }
        do {
            _ = try await policy.address(for: host)
        } catch .unresolvable {
            throw DomainError.invalid(
                "webhook_url: \(host) does not resolve; targets that cannot be checked are refused", code: .badWebhookUrl)
        } catch {
            throw DomainError(
                .forbidden, .webhookTargetForbidden,
                "webhook_url: \(error); not allowed by configuration (MICROANPR_ALLOW_PRIVATE_WEBHOOKS)")
        }
        return s
    }

    /// One signed POST: `X-MicroANPR-Timestamp` and `X-MicroANPR-Signature: sha256=HEX(HMAC-SHA256(secret,
    /// timestamp + "." + body))`, plus `extraHeaders`. The target is checked again at send time and the request
    /// goes to the address checked then (a name that now resolves elsewhere cannot redirect it), with no
    /// redirects followed: a 3xx answer is the delivery's result. Returns the HTTP status (nil when there was no
    /// answer), the failure, and the time to the answer.
    package static func send(
        url: String, body: Data, secret: String, policy: OutboundPolicy, extraHeaders: [String: String] = [:],
        timeout: Double = 10
    ) async -> (status: Int?, error: String?, millis: Int) {
        let start = Date()
        func elapsed() -> Int { Int(Date().timeIntervalSince(start) * 1000) }
        guard let u = URL(string: url), let rawHost = u.host else { return (nil, "bad URL", 0) }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))  // as AsyncHTTPClient names it
        let address: String
        do { address = try await policy.address(for: host) } catch { return (nil, "refused: \(error)", elapsed()) }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "MicroANPR-Webhooks")
        request.headers.add(name: "X-MicroANPR-Timestamp", value: timestamp)
        request.headers.add(name: "X-MicroANPR-Signature", value: signature(secret: secret, timestamp: timestamp, body: body))
        for (k, v) in extraHeaders { request.headers.add(name: k, value: v) }
        request.body = .bytes(ByteBuffer(bytes: body))
        // A literal address is connected to as it is, by one shared client that follows no redirects; a name goes
        // through a client of its own that connects to the address checked above (TLS still verifies the name).
        let client: HTTPClient
        var own: HTTPClient?
        if OutboundPolicy.isName(host) {
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configuration.dnsOverride = [host: address]
            own = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            client = own!
        } else {
            client = Self.literalClient
        }
        defer { own?.shutdown { _ in } }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), nil, elapsed())
        } catch {
            return (nil, String(describing: error).prefix(300).description, elapsed())
        }
    }

    /// For targets given as an address: shared for the process's lifetime (as `HTTPClient.shared` is), no redirects.
    package static let literalClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    package static func signature(secret: String, timestamp: String, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Hex.string(mac)
    }

    /// A job-completion webhook: up to 3 attempts with backoff. Returns the final HTTP status (0 when unreachable).
    package static func deliver(url: String, body: Data, secret: String, policy: OutboundPolicy) async -> Int {
        var status = 0
        for attempt in 0..<3 {
            if attempt > 0 { try? await Task.sleep(for: .seconds(Double(1 << attempt))) }
            status = await send(url: url, body: body, secret: secret, policy: policy).status ?? 0
            if (200..<300).contains(status) { break }
        }
        return status
    }
}
