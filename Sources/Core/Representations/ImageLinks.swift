import ExportFormats
import Storage

/// Signed URLs of stored images (`/v1/{collection}/{id}/image?kind=...`), valid for `lifetimeSeconds` from when they
/// are made; the API objects of reads and passes carry them.
package struct ImageLinks: Sendable {
    let signer: MediaSigner
    let lifetimeSeconds: Int

    package init(signer: MediaSigner, lifetimeSeconds: Int) {
        self.signer = signer; self.lifetimeSeconds = lifetimeSeconds
    }

    /// When links made at `now` (epoch milliseconds) expire, in epoch seconds.
    package func expiry(now: Int64 = WallClock.nowMillis()) -> Int64 { now / 1000 + Int64(lifetimeSeconds) }

    /// The frame's and the crop's URL of a stored read or pass; nil where it has no such image. Both carry the one
    /// signature of the object (`MediaSigner.imageSignature`).
    package func urls(
        _ collection: String, id: String, frameKey: String?, cropKey: String?, expires: Int64? = nil
    ) -> (frame: String?, crop: String?) {
        guard frameKey != nil || cropKey != nil else { return (nil, nil) }
        let expires = expires ?? expiry()
        let signature = signer.imageSignature(id: id, expires: expires)
        func url(_ kind: String) -> String {
            var u: [UInt8] = []
            append(collection, id: id, kind: kind, expires: expires, signature: signature, to: &u)
            return String(decoding: u, as: UTF8.self)
        }
        return (frameKey.map { _ in url("frame") }, cropKey.map { _ in url("crop") })
    }

    /// The signature of `id`'s links that expire at `expires` (``urls(_:id:frameKey:cropKey:expires:)``).
    package func signature(id: String, expires: Int64) -> String { signer.imageSignature(id: id, expires: expires) }

    /// Appends one link's bytes to `out` (the one place that spells a link: a list page writes 100 of them straight into
    /// its JSON).
    package func append(_ collection: String, id: String, kind: String, expires: Int64, signature: String, to out: inout [UInt8]) {
        out.append(contentsOf: "/v1/".utf8); out.append(contentsOf: collection.utf8); out.append(UInt8(ascii: "/"))
        out.append(contentsOf: id.utf8); out.append(contentsOf: "/image?kind=".utf8); out.append(contentsOf: kind.utf8)
        out.append(contentsOf: "&expires=".utf8); JSONText.integer(expires, into: &out)
        out.append(contentsOf: "&signature=".utf8); out.append(contentsOf: signature.utf8)
    }
}
