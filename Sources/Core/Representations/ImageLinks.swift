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

    /// The frame's and the crop's URL of a stored read or pass; nil where it has no such image. Both carry the one
    /// signature of the object (`MediaSigner.imageSignature`).
    package func urls(_ collection: String, id: String, frameKey: String?, cropKey: String?) -> (frame: String?, crop: String?) {
        guard frameKey != nil || cropKey != nil else { return (nil, nil) }
        let expires = WallClock.nowMillis() / 1000 + Int64(lifetimeSeconds)
        let tail = "&expires=\(expires)&signature=" + signer.imageSignature(id: id, expires: expires)
        func url(_ kind: String) -> String {
            // Appended into one buffer: a list page builds 100 of these, and interpolating them made a string per piece.
            var u = "/v1/"
            u.reserveCapacity(collection.utf8.count + id.utf8.count + tail.utf8.count + 24)
            u.append(collection); u.append("/"); u.append(id); u.append("/image?kind="); u.append(kind); u.append(tail)
            return u
        }
        return (frameKey.map { _ in url("frame") }, cropKey.map { _ in url("crop") })
    }
}
