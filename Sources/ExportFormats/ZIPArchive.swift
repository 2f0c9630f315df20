import Foundation

/// A ZIP archive of stored (uncompressed) entries built in memory, for small bundles such as a subject-access
/// answer (JSON and JPEG files, which do not compress). No ZIP64: at most 4 GiB and 65,535 entries.
public struct ZIPArchive {
    private var body: [UInt8] = []
    private var central: [UInt8] = []
    private var count: UInt16 = 0

    public init() {}

    /// Adds a file; `name` is a relative path with `/` separators.
    public mutating func add(_ name: String, _ data: [UInt8]) {
        let n = Array(name.utf8)
        let crc = XLSXStream.crc32(data, 0xFFFF_FFFF) ^ 0xFFFF_FFFF
        let offset = UInt32(body.count)
        // Version 2.0, UTF-8 names (bit 11), stored, a fixed time (the archive's bytes depend only on its files).
        let fields = le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x5B21) + le32(crc) + le32(UInt32(data.count))
            + le32(UInt32(data.count)) + le16(UInt16(n.count)) + le16(0)
        body += le32(0x0403_4B50) + fields + n + data
        central += le32(0x0201_4B50) + le16(20) + fields + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + n
        count += 1
    }

    /// The archive's bytes.
    public func finish() -> [UInt8] {
        body + central + le32(0x0605_4B50) + le16(0) + le16(0) + le16(count) + le16(count) + le32(UInt32(central.count))
            + le32(UInt32(body.count)) + le16(0)
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
}
