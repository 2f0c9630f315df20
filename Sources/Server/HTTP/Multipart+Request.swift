import Core
import Foundation
import Hummingbird

extension Multipart {
    /// Parses `body` when `contentType` is multipart; nil for any other content type; 400 when malformed.
    init?(body: [UInt8], contentType: String) throws {
        guard contentType.lowercased().hasPrefix("multipart/") else { return nil }
        guard let boundary = Multipart.boundary(contentType: contentType) else {
            throw APIError.badRequest("multipart/form-data needs a boundary parameter", code: .badMultipart)
        }
        do {
            try self.init(body: body, boundary: boundary)
        } catch Multipart.ParseError.malformed(let why) {
            throw APIError.badRequest("malformed multipart body: \(why)", code: .badMultipart)
        }
    }
}

extension Request {
    /// The whole body, refused with 413 above `limit` bytes (by Content-Length first, then while reading).
    func collectBody(limit: Int) async throws -> [UInt8] {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, .payloadTooLarge, "upload of \(length) bytes is above the limit of \(limit)")
        }
        do {
            return Array(buffer: try await body.collect(upTo: limit))
        } catch {
            throw APIError(.contentTooLarge, .payloadTooLarge, "upload is above the limit of \(limit) bytes")
        }
    }
}
