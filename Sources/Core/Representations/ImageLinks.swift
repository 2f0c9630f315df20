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

    /// The frame's and the crop's URL of a stored read or pass; nil where it has no such image.
    package func urls(_ collection: String, id: String, frameKey: String?, cropKey: String?) -> (frame: String?, crop: String?) {
        let expires = WallClock.nowMillis() / 1000 + Int64(lifetimeSeconds)
        func url(_ kind: String, _ key: String?) -> String? {
            key.map { _ in "/v1/\(collection)/\(id)/image?" + signer.query(readID: id, kind: kind, expires: expires) }
        }
        return (url("frame", frameKey), url("crop", cropKey))
    }
}
