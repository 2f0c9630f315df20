import ExportFormats
import Foundation
import Hummingbird
import NIOCore

/// The API's JSON encoder: a time (the types generated from the document hold `Date`s) is written as every other
/// time in the API, RFC 3339 in UTC with milliseconds (``JSONTime``); Hummingbird's default drops the milliseconds.
enum APIJSONEncoder {
    static func make() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(JSONTime.string(date.epochMilliseconds) ?? "")
        }
        return encoder
    }
}

extension Response {
    /// A JSON answer made of a `[String: Any]` tree (``JSONText``).
    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: JSONText.data(object))))
    }
}

extension Response {
    /// The answer to a DELETE: 204 when the resource was there and is gone, else 404 naming `what`.
    static func deleted(_ found: Bool, _ what: String) throws -> Response {
        guard found else { throw APIError.notFound(what) }
        return Response(status: .noContent)
    }
}
