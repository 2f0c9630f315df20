import Foundation

/// A count of uploads being received at once, with a ceiling: each streams to a temporary file of up to the video
/// upload limit, so without one a client could fill the disk with parallel uploads.
final class UploadSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Takes a slot; false when all are taken.
    func take() -> Bool {
        lock.withLock {
            guard taken < limit else { return false }
            taken += 1
            return true
        }
    }

    /// Gives back a slot taken.
    func give() { lock.withLock { taken -= 1 } }
}
