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
