import APIContract
import Foundation
import HTTPTypes
import OpenAPIRuntime
import OpenAPIURLSession
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends buffered passes with `POST /v1/passes`, through the client generated from the API document
/// (`APIContract`, scripts/generate-api-client.sh): the request is the document's `PassInput` as multipart with the
/// crop and frame, and each answer is one of the document's responses.
public struct PassSender: Sendable {
    let client: Client

    public init(server: URL, apiKey: String, timeout: Double = 30) {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = timeout
        client = Client(
            serverURL: Self.base(server), configuration: .init(dateTranscoder: PassCoding.dates),
            transport: URLSessionTransport(configuration: .init(session: URLSession(configuration: c))),
            middlewares: [BearerToken(key: apiKey)])
    }

    /// `server` without trailing slashes: the generated client appends each operation's path (`/v1/passes`) to it as
    /// text, so `http://host:8080/` would become `http://host:8080//v1/passes`.
    static func base(_ server: URL) -> URL {
        guard var c = URLComponents(url: server, resolvingAgainstBaseURL: false) else { return server }
        while c.path.hasSuffix("/") { c.path.removeLast() }
        return c.url ?? server
    }

    /// The server's answer to one pass.
    public struct Answer: Sendable {
        public var plate: String
        public var status: Int
        /// `code: message` of a refusal, empty for 200 and 201.
        public var message: String
    }

    /// Sends one buffered pass. Throws `DecodingError` when its `pass.json` is not a pass, any other error when
    /// the server could not be reached.
    public func send(_ entry: EdgeBuffer.Entry) async throws -> Answer {
        let pass = try PassCoding.decoder.decode(Components.Schemas.PassInput.self, from: entry.json)
        typealias Part = Operations.PostPasses.Input.Body.MultipartFormPayload
        var parts: [Part] = [.pass(.init(payload: .init(body: pass)))]
        if let crop = entry.crop { parts.append(.crop(.init(payload: .init(body: HTTPBody(crop)), filename: "crop.jpg"))) }
        if let frame = entry.frame { parts.append(.frame(.init(payload: .init(body: HTTPBody(frame)), filename: "frame.jpg"))) }
        let output: Operations.PostPasses.Output
        do {
            output = try await client.postPasses(
                headers: .init(idempotencyKey: entry.idempotencyKey), body: .multipartForm(.init(parts)))
        } catch let error as ClientError {
            // The server answered, but not as the document says: its status still decides.
            guard let response = error.response else { throw error.underlyingError }
            return Answer(plate: pass.plate, status: response.status.code, message: "\(error.underlyingError)")
        }
        let (status, message) = await Self.outcome(output)
        return Answer(plate: pass.plate, status: status, message: message)
    }

    /// The status and, for a refusal, the `code: message` of an answer to `POST /v1/passes`.
    static func outcome(_ output: Operations.PostPasses.Output) async -> (Int, String) {
        func text(_ body: () throws -> Components.Schemas._Error) -> String {
            guard let e = try? body() else { return "" }
            return "\(e.error.code): \(e.error.message)"
        }
        switch output {
        case .ok: return (200, "")
        case .created: return (201, "")
        case .badRequest(let r): return (400, text { try r.body.json })
        case .unauthorized(let r): return (401, text { try r.body.json })
        case .notFound(let r): return (404, text { try r.body.json })
        case .conflict(let r): return (409, text { try r.body.json })
        case .contentTooLarge(let r): return (413, text { try r.body.json })
        case .unsupportedMediaType(let r): return (415, text { try r.body.json })
        case .tooManyRequests(let r): return (429, text { try r.body.json })
        case .undocumented(let status, let payload):
            guard let body = payload.body else { return (status, "") }
            return (status, (try? await String(collecting: body, upTo: 4096)) ?? "")
        }
    }
}

/// Sends the edge's API key with every request.
struct BearerToken: ClientMiddleware {
    let key: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(key)"
        return try await next(request, body, baseURL)
    }
}
