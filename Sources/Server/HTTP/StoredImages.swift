import Core
import Foundation
import Hummingbird
import Media
import Storage

/// The images of stored reads and passes (`GET /v1/{reads,passes}/{id}/image`): with the tenant's key, or with the
/// signature of an `image_url`/`crop_url` that has not expired.
struct StoredImages: Sendable {
    let signer: MediaSigner
    let media: any MediaStore

    /// Serves a stored image of a resource found by `lookup(id, tenant)` (tenant nil when a valid signature
    /// authorises the request instead of a key).
    func response(
        _ request: Request, context: AppContext,
        lookup: (String, ID<Tenant>?) async throws -> (crop: String?, frame: String?)?
    ) async throws -> Response {
        let id = try context.parameters.require("id")
        let q = request.uri.queryParameters
        let kind = q["kind"].map(String.init) ?? "crop"
        guard kind == "crop" || kind == "frame" else { throw APIError.badRequest("kind must be crop or frame", code: .badParameter) }
        if let e = q["expires"], Int64(String(e)) == nil {
            throw APIError.badRequest("expires must be Unix seconds", code: .badParameter)
        }
        let keys: (crop: String?, frame: String?)?
        if let sig = q["signature"] {
            guard let expires = q["expires"].flatMap({ Int64(String($0)) }),
                signer.isValid(readID: id, kind: kind, expires: expires, signature: String(sig), now: WallClock.nowMillis() / 1000)
            else { throw APIError(.forbidden, .badSignature, "the signed URL is invalid or has expired") }
            keys = try await lookup(id, nil)
        } else {
            keys = try await lookup(id, try context.requireTenant().id)
        }
        guard let keys, let key = kind == "crop" ? keys.crop : keys.frame, let data = try await media.get(key) else {
            throw APIError.notFound("image")
        }
        var headers = HTTPFields()
        headers[.contentType] =
            key.hasSuffix(".png")
            ? "image/png"
            : key.hasSuffix(".webp")
                ? "image/webp"
                : key.hasSuffix(".bmp") ? "image/bmp" : "image/jpeg"
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
