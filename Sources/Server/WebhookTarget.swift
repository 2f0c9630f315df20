import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Job-completion webhooks (`webhook_url` on an upload): checked against SSRF when accepted and again when
/// sent, signed with HMAC-SHA256 over `timestamp.body`, retried a few times. (The durable webhook outbox with
/// per-delivery logs is the events issue.)
enum WebhookTarget {
    /// Returns the URL when it is http(s) and (unless allowed) not aimed at loopback, private or link-local hosts.
    static func validate(_ s: String, allowPrivate: Bool) throws -> String {
        guard s.count <= 2000, let u = URL(string: s), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = u.host, !host.isEmpty else {
            throw APIError.badRequest("webhook_url must be an absolute http(s) URL", code: "bad_webhook_url")
        }
        if !allowPrivate && isPrivate(host: host) {
            throw APIError(.forbidden, "webhook_target_forbidden",
                           "webhook_url points at a loopback or private address; not allowed by configuration")
        }
        return s
    }

    /// Literal private/loopback hosts and names that resolve to them.
    static func isPrivate(host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h.hasSuffix(".local") || h.hasSuffix(".internal") { return true }
        for address in resolve(h) where isPrivate(address: address) { return true }
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

    /// Numeric addresses of a host (a literal address resolves to itself).
    static func resolve(_ host: String) -> [String] {
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

    /// POSTs `body` with `X-MicroANPR-Timestamp` and `X-MicroANPR-Signature: sha256=HEX` headers; up to 3
    /// attempts with backoff. Returns the final HTTP status (0 when unreachable).
    static func deliver(url: String, body: Data, secret: String, allowPrivate: Bool) async -> Int {
        guard let u = URL(string: url), let host = u.host, allowPrivate || !isPrivate(host: host) else { return 0 }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + ".").utf8) + body, using: key)
        var request = URLRequest(url: u, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(timestamp, forHTTPHeaderField: "X-MicroANPR-Timestamp")
        request.setValue("sha256=" + Data(mac).map { String(format: "%02x", $0) }.joined(), forHTTPHeaderField: "X-MicroANPR-Signature")
        var status = 0
        for attempt in 0..<3 {
            if attempt > 0 { try? await Task.sleep(for: .seconds(Double(1 << attempt))) }
            if let (_, response) = try? await URLSession.shared.data(for: request) {
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { break }
            }
        }
        return status
    }
}
