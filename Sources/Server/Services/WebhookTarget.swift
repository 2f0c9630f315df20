import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
#if canImport(FoundationNetworking)
    import FoundationNetworking
    import HTTPTypes
#endif

/// Webhook targets: checked against SSRF when accepted and again when sent; payloads signed with HMAC-SHA256
/// over `timestamp.body`. Used by the durable event webhooks (``WebhookDispatcher``) and by the one-off
/// job-completion callback of an upload's `webhook_url`.
enum WebhookTarget {
    /// Returns the URL when it is http(s) and (unless allowed) not aimed at loopback, private or link-local hosts.
    static func validate(_ s: String, allowPrivate: Bool) async throws -> String {
        guard s.count <= 2000, let u = URL(string: s), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = u.host, !host.isEmpty,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }),
            s.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else {
            throw APIError.badRequest(
                "webhook_url must be an absolute http(s) URL (ASCII; internationalised names in punycode)",
                code: .badWebhookUrl)
        }
        if !allowPrivate, await isPrivate(host: host) {
            throw APIError(
                .forbidden, .webhookTargetForbidden,
                "webhook_url points at a loopback or private address; not allowed by configuration")
        }
        return s
    }

    /// Literal private/loopback hosts and names that resolve to them.
    static func isPrivate(host: String) async -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h.hasSuffix(".local") || h.hasSuffix(".internal") { return true }
        for address in await resolve(h) where isPrivate(address: address) { return true }
        return false
    }

    static func isPrivate(address a: String) -> Bool {
        if a.contains(":") {
            let l = a.lowercased()
            return l == "::1" || l == "::" || l.hasPrefix("fc") || l.hasPrefix("fd") || l.hasPrefix("fe80") || l.hasPrefix("::ffff:")
        }
        let o = a.split(separator: ".").compactMap { Int($0) }
        guard o.count == 4 else { return true }
        switch (o[0], o[1]) {
        case (10, _), (127, _), (0, _), (169, 254), (192, 168), (100, 64...127): return true
        case (172, 16...31): return true
        default: return o[0] >= 224
        }
    }

    /// Numeric addresses of a host, looked up on a thread of its own (the system resolver blocks, for 10 s
    /// and more when DNS is unreachable: never on the server's threads), waiting at most `seconds`; none when
    /// the name does not resolve in time (the target is checked again when a webhook is sent).
    static func resolve(_ host: String, within seconds: Double = 3) async -> [String] {
        final class Once: @unchecked Sendable {
            let lock = NSLock()
            var continuation: CheckedContinuation<[String], Never>?
            init(_ c: CheckedContinuation<[String], Never>) { continuation = c }
            func resume(_ value: [String]) {
                lock.lock()
                let c = continuation
                continuation = nil
                lock.unlock()
                c?.resume(returning: value)
            }
        }
        return await withCheckedContinuation { c in
            let once = Once(c)
            Thread.detachNewThread { once.resume(resolveNow(host)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume([]) }
        }
    }

    private static func resolveNow(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let ai = p {
            var buf = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(ai.pointee.ai_addr, ai.pointee.ai_addrlen, &buf, socklen_t(buf.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(cString: buf))
            }
            p = ai.pointee.ai_next
        }
        return out
    }

    /// One signed POST: `X-MicroANPR-Timestamp` and `X-MicroANPR-Signature: sha256=HEX(HMAC-SHA256(secret,
    /// timestamp + "." + body))`, plus `extraHeaders`. The target is checked again at send time (a name that now
    /// resolves to a private address is refused). Returns the HTTP status (nil when there was no answer), the
    /// failure, and the time to the answer.
    static func send(
        url: String, body: Data, secret: String, allowPrivate: Bool, extraHeaders: [String: String] = [:],
        timeout: Double = 10
    ) async -> (status: Int?, error: String?, millis: Int) {
        let start = Date()
        func elapsed() -> Int { Int(Date().timeIntervalSince(start) * 1000) }
        guard let u = URL(string: url), let host = u.host else { return (nil, "bad URL", 0) }
        if !allowPrivate, await isPrivate(host: host) { return (nil, "target resolves to a private address", elapsed()) }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "MicroANPR-Webhooks")
        request.headers.add(name: "X-MicroANPR-Timestamp", value: timestamp)
        request.headers.add(name: "X-MicroANPR-Signature", value: signature(secret: secret, timestamp: timestamp, body: body))
        for (k, v) in extraHeaders { request.headers.add(name: k, value: v) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), nil, elapsed())
        } catch {
            return (nil, String(describing: error).prefix(300).description, elapsed())
        }
    }

    static func signature(secret: String, timestamp: String, body: Data) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// A job-completion webhook: up to 3 attempts with backoff. Returns the final HTTP status (0 when unreachable).
    static func deliver(url: String, body: Data, secret: String, allowPrivate: Bool) async -> Int {
        var status = 0
        for attempt in 0..<3 {
            if attempt > 0 { try? await Task.sleep(for: .seconds(Double(1 << attempt))) }
            status = await send(url: url, body: body, secret: secret, allowPrivate: allowPrivate).status ?? 0
            if (200..<300).contains(status) { break }
        }
        return status
    }
}
