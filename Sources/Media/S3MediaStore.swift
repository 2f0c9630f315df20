import Crypto
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Media in an S3-compatible bucket, addressed path-style (`endpoint/bucket/key`) and signed with AWS
/// Signature Version 4.
public struct S3MediaStore: MediaStore {
    public struct Configuration: Sendable {
        public var endpoint: URL
        public var bucket: String
        public var region: String
        public var accessKey: String
        public var secretKey: String
        public init(endpoint: URL, bucket: String, region: String, accessKey: String, secretKey: String) {
            self.endpoint = endpoint; self.bucket = bucket; self.region = region
            self.accessKey = accessKey; self.secretKey = secretKey
        }
    }

    public let configuration: Configuration
    private let session: URLSession

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 30
        session = URLSession(configuration: c)
    }

    public func prepare() async throws {
        let (status, _) = try await send("HEAD", key: nil)
        if status == 404 {
            let (created, body) = try await send("PUT", key: nil)
            guard (200..<300).contains(created) || created == 409 else {
                throw MediaError("S3: cannot create bucket \(configuration.bucket): HTTP \(created) \(Self.snippet(body))")
            }
        } else if !(200..<300).contains(status) {
            throw MediaError("S3: bucket \(configuration.bucket) answered HTTP \(status)")
        }
    }

    public func put(_ key: String, data: Data, contentType: String) async throws {
        try MediaKey.validate(key)
        let (status, body) = try await send("PUT", key: key, body: data, contentType: contentType)
        guard (200..<300).contains(status) else { throw MediaError("S3: PUT \(key): HTTP \(status) \(Self.snippet(body))") }
    }

    public func get(_ key: String) async throws -> Data? {
        try MediaKey.validate(key)
        let (status, body) = try await send("GET", key: key)
        if status == 404 { return nil }
        guard (200..<300).contains(status) else { throw MediaError("S3: GET \(key): HTTP \(status)") }
        return body
    }

    public func delete(_ key: String) async throws {
        try MediaKey.validate(key)
        let (status, _) = try await send("DELETE", key: key)
        guard (200..<300).contains(status) || status == 404 else { throw MediaError("S3: DELETE \(key): HTTP \(status)") }
    }

    private static func snippet(_ d: Data) -> String { String(decoding: d.prefix(200), as: UTF8.self) }

    private func send(_ method: String, key: String?, body: Data = Data(), contentType: String? = nil) async throws -> (Int, Data) {
        var path = configuration.endpoint.path
        if path.hasSuffix("/") { path.removeLast() }
        path += "/" + Self.encode(configuration.bucket)
        if let key { path += "/" + key.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/") }
        var components = URLComponents(url: configuration.endpoint, resolvingAgainstBaseURL: false)!
        components.percentEncodedPath = path
        guard let url = components.url, let host = components.host else { throw MediaError("S3: bad endpoint") }
        let hostHeader = components.port.map { "\(host):\($0)" } ?? host
        var request = URLRequest(url: url)
        request.httpMethod = method
        if !body.isEmpty || method == "PUT" { request.httpBody = body }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (k, v) in Self.sign(method: method, path: path, host: hostHeader, body: body, date: Date(), configuration: configuration) {
            request.setValue(v, forHTTPHeaderField: k)
        }
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch {
            throw MediaError("S3: \(method) \(configuration.endpoint.absoluteString) failed: \(error.localizedDescription)")
        }
    }

    static func encode(_ s: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }

    /// The SigV4 headers for a request without query parameters.
    public static func sign(
        method: String, path: String, host: String, body: Data, date: Date,
        configuration c: Configuration
    ) -> [String: String] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = f.string(from: date)
        let day = String(amzDate.prefix(8))
        let payloadHash = Hex.string(SHA256.hash(data: body))
        let canonical = [
            method, path, "", "host:\(host)", "x-amz-content-sha256:\(payloadHash)", "x-amz-date:\(amzDate)",
            "", "host;x-amz-content-sha256;x-amz-date", payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(c.region)/s3/aws4_request"
        let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, Hex.string(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(c.secretKey)".utf8))
        for part in [day, c.region, "s3", "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Hex.string(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
        return [
            "x-amz-date": amzDate,
            "x-amz-content-sha256": payloadHash,
            "Authorization":
                "AWS4-HMAC-SHA256 Credential=\(c.accessKey)/\(scope), SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=\(signature)",
        ]
    }
}
