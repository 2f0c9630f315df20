import ExportFormats
import Hummingbird
import NIOCore

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
