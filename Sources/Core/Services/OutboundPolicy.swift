import Foundation

/// The one policy for connections the server opens on a tenant's behalf: webhooks, job callbacks and camera
/// sources. A host is resolved once; it is refused when it does not resolve (fail closed) or when any answer is
/// loopback, private, link-local, unique-local, site-local, multicast, reserved or documentation space, or a
/// NAT64, 6to4 or IPv4-compatible/mapped form of such an address. The caller then connects to the checked
/// address (no second lookup: DNS rebinding cannot swap it) and follows no redirects.
/// `allowPrivate` (`MICROANPR_ALLOW_PRIVATE_WEBHOOKS`, `MICROANPR_ALLOW_PRIVATE_CAMERAS`) is the explicit opt-in.
package struct OutboundPolicy: Sendable {
    /// Why a target was refused; `description` is the message for the API and the delivery log.
    package enum Refusal: Error, CustomStringConvertible, Equatable {
        case unresolvable(String)
        case privateAddress(host: String, address: String)

        package var description: String {
            switch self {
            case .unresolvable(let h): "\(h) does not resolve (targets that cannot be checked are refused)"
            case .privateAddress(let h, let a):
                h == a
                    ? "\(h) is a loopback, private or reserved address" : "\(h) resolves to \(a), a loopback, private or reserved address"
            }
        }
    }

    /// Addresses of a host name (numeric strings); empty when it does not resolve within the timeout.
    package typealias Resolver = @Sendable (_ host: String, _ timeout: Double) async -> [String]

    package var allowPrivate: Bool
    package var resolveTimeout: Double = 3
    package var resolver: Resolver = OutboundPolicy.systemResolve

    /// `host` as compared and resolved: lower case, without the brackets of an IPv6 literal.
    package static func normalised(_ host: String) -> String { host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }

    /// Whether `host` is a name (to be resolved, and the connection pinned to the checked address) rather than
    /// a literal address.
    package static func isName(_ host: String) -> Bool { literal(normalised(host)) == nil }

    /// The address to connect to for `host` (a name or a literal address, brackets allowed), after the checks.
    package func address(for host: String) async throws(Refusal) -> String {
        let h = Self.normalised(host)
        if Self.literal(h) != nil {
            if !allowPrivate && Self.isDisallowed(h) { throw .privateAddress(host: h, address: h) }
            return h
        }
        let name = h.hasSuffix(".") ? String(h.dropLast()) : h
        if !allowPrivate && (name == "localhost" || name.hasSuffix(".localhost")) {
            throw .privateAddress(host: h, address: "127.0.0.1")
        }
        let answers = await resolver(name, resolveTimeout)
        guard let first = answers.first else { throw .unresolvable(h) }
        if !allowPrivate, let bad = answers.first(where: Self.isDisallowed) { throw .privateAddress(host: h, address: bad) }
        return first
    }

    // MARK: Address ranges

    package enum Literal { case v4([UInt8]), v6([UInt8]) }

    /// The bytes of a numeric IPv4 or IPv6 address, nil for a name.
    package static func literal(_ s: String) -> Literal? {
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 { return .v4(withUnsafeBytes(of: &v4) { Array($0) }) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, s, &v6) == 1 { return .v6(withUnsafeBytes(of: &v6) { Array($0) }) }
        return nil
    }

    /// Whether a numeric address may not be connected to (anything unparsable counts as disallowed).
    package static func isDisallowed(_ address: String) -> Bool {
        switch literal(address) {
        case .v4(let b): return disallowed(v4: b)
        case .v6(let b): return disallowed(v6: b)
        case nil: return true
        }
    }

    package static func disallowed(v4 b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return true  // this network, private, loopback
        case (100, 64...127, _): return true  // carrier-grade NAT
        case (169, 254, _): return true  // link-local
        case (172, 16...31, _), (192, 168, _): return true  // private
        case (192, 0, 0), (192, 0, 2), (192, 88, 99): return true  // IETF protocol assignments, TEST-NET-1, 6to4 relay
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return true  // benchmarking, TEST-NET-2, TEST-NET-3
        default: return b[0] >= 224  // multicast, reserved, broadcast
        }
    }

    package static func disallowed(v6 b: [UInt8]) -> Bool {
        let zero10 = b[0..<10].allSatisfy { $0 == 0 }
        if zero10 && b[10] == 0xFF && b[11] == 0xFF { return disallowed(v4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if zero10 && b[10] == 0 && b[11] == 0 { return true }  // ::, ::1 and IPv4-compatible ::a.b.c.d (deprecated)
        if b[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] { return disallowed(v4: Array(b[12..<16])) }  // NAT64
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B { return true }  // local-use NAT64 64:ff9b:1::/48
        if b[0] == 0x20 && b[1] == 0x02 { return disallowed(v4: Array(b[2..<6])) }  // 6to4 2002:a.b.c.d::/48
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0 { return true }  // Teredo 2001::/32 (tunnels to anywhere)
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return true }  // documentation 2001:db8::/32
        if b[0] == 0x01 && b[1] == 0 && b[2..<8].allSatisfy({ $0 == 0 }) { return true }  // discard 100::/64
        if b[0] & 0xFE == 0xFC { return true }  // unique-local fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }  // link-local fe80::/10
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }  // site-local fec0::/10 (deprecated)
        if b[0] == 0xFF { return true }  // multicast
        return false
    }

    // MARK: Resolving

    /// The system resolver on a thread of its own (it blocks, for 10 s and more when DNS is unreachable: never on
    /// the server's threads), waiting at most `timeout`; no answers when the name does not resolve in time.
    package static let systemResolve: Resolver = { host, timeout in
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
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { once.resume([]) }
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
}
