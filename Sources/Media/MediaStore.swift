import Foundation

/// Where plate crops, frames and uploads are kept. Keys are relative paths of `[A-Za-z0-9._-]` segments.
public protocol MediaStore: Sendable {
    func put(_ key: String, data: Data, contentType: String) async throws
    /// The object's bytes, or nil when there is none.
    func get(_ key: String) async throws -> Data?
    /// Deletes the object; deleting a missing object is not an error.
    func delete(_ key: String) async throws
    /// Checks the store is reachable (and creates the bucket or folder when missing).
    func prepare() async throws
    /// Stores a finished local file under `key` and removes the local file (a folder store moves it in place).
    func putFile(_ key: String, from path: String, contentType: String) async throws
    /// Where `key` is on the local disk, for streaming it; nil for remote stores.
    func localPath(_ key: String) throws -> String?
}

extension MediaStore {
    /// Remote stores send the file in one request (an S3 PUT takes up to 5 GB) and remove it afterwards.
    public func putFile(_ key: String, from path: String, contentType: String) async throws {
        try await put(key, data: try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), contentType: contentType)
        try? FileManager.default.removeItem(atPath: path)
    }

    public func localPath(_ key: String) throws -> String? { nil }
}

/// A media store failure.
public struct MediaError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum MediaKey {
    /// Checks a key is a safe relative path.
    public static func validate(_ key: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
        guard !key.isEmpty, key.count <= 512, key.allSatisfy(allowed.contains), !key.hasPrefix("/"),
            !key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else { throw MediaError("invalid media key") }
    }
}

/// Media in a local directory; files are written to a temporary name and renamed into place.
public struct LocalMediaStore: MediaStore {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func prepare() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    public func put(_ key: String, data: Data, contentType: String) async throws {
        try MediaKey.validate(key)
        let url = root.appendingPathComponent(key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    public func get(_ key: String) async throws -> Data? {
        try MediaKey.validate(key)
        let url = root.appendingPathComponent(key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Data(contentsOf: url)
    }

    public func delete(_ key: String) async throws {
        try MediaKey.validate(key)
        let url = root.appendingPathComponent(key)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
    }

    public func putFile(_ key: String, from path: String, contentType: String) async throws {
        let target = try self.path(key)
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: target).deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: target)
        do {
            try FileManager.default.moveItem(atPath: path, toPath: target)
        } catch {
            // Another file system (a shared folder mounted elsewhere): copy to a temporary name, then rename.
            try FileManager.default.copyItem(atPath: path, toPath: target + ".part")
            try FileManager.default.moveItem(atPath: target + ".part", toPath: target)
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    public func localPath(_ key: String) throws -> String? { try path(key) }

    /// The local path of a key (video decoding reads files in place).
    public func path(_ key: String) throws -> String {
        try MediaKey.validate(key)
        return root.appendingPathComponent(key).path
    }
}
