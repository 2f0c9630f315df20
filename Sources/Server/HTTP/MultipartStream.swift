import Foundation

// Plain bytes in, a file part and form fields out (Foundation only), like `Multipart`; fuzzed against it by the tests.

/// A `multipart/form-data` body (RFC 7578) parsed as it arrives, so that a video of hundreds of megabytes goes to
/// disk without being held in memory: the first part named `file` is handed to a sink chunk by chunk, every other
/// part is a form field kept in memory (each at most ``maxFieldBytes``, at most ``maxParts`` parts).
///
/// Why a second parser beside ``Multipart``: that one needs the whole body, which is right for the synchronous
/// `/v1/recognise` (images, a few megabytes at most) and not for `/v1/upload` of videos.
struct MultipartStream {
    /// Longest form field (not the file).
    static let maxFieldBytes = 64 * 1024
    /// Longest header block of one part.
    static let maxHeaderBytes = 16 * 1024
    /// Most parts in one body.
    static let maxParts = 64

    /// The form fields other than the file (the first part of each name).
    private(set) var fields: [String: String] = [:]
    /// The file part's headers, once its headers have been read.
    private(set) var file: (filename: String?, contentType: String?)?

    private enum State {
        /// Before the first delimiter, or inside a part nobody keeps.
        case discarding
        /// Right after a delimiter: `--` (the end) or CRLF (a part's headers) comes next.
        case afterDelimiter
        case headers
        case fileData
        case field(name: String, bytes: [UInt8])
        /// After the closing delimiter.
        case epilogue
    }

    private var state = State.discarding
    /// `CRLF--boundary`: the CRLF before a delimiter belongs to it. The body is read as if it began with CRLF, so
    /// that a first delimiter at its very start is found the same way.
    private let delimiter: [UInt8]
    private var pending: [UInt8] = [13, 10]
    private var start = 0
    private var parts = 0

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Takes the next bytes of the body; the file part's bytes among them (and among those held back from before)
    /// go to `write`.
    mutating func feed(_ bytes: some Collection<UInt8>, write: (ArraySlice<UInt8>) throws -> Void) throws {
        pending.append(contentsOf: bytes)
        while try step(write) {}
        // Drop what was consumed, so that what is held back stays about one delimiter long.
        if start > 0 {
            pending.removeFirst(start)
            start = 0
        }
    }

    /// The body is over: refused unless it closed its last part.
    mutating func finish() throws {
        switch state {
        case .epilogue, .afterDelimiter:
            guard parts > 0 else { throw Multipart.ParseError.malformed("multipart body has no parts") }
        case .discarding where parts == 0:
            throw Multipart.ParseError.malformed("no multipart boundary found in the body")
        case .headers:
            throw Multipart.ParseError.malformed("part without headers")
        default:
            throw Multipart.ParseError.malformed("part not terminated by CRLF")
        }
    }

    /// One move forward; false when more bytes are needed.
    private mutating func step(_ write: (ArraySlice<UInt8>) throws -> Void) throws -> Bool {
        switch state {
        case .epilogue:
            start = pending.count
            return false
        case .afterDelimiter:
            guard pending.count - start >= 2 else { return false }
            let a = pending[start], b = pending[start + 1]
            start += 2
            if a == 45 && b == 45 {
                state = .epilogue
            } else if a == 13 && b == 10 {
                state = .headers
            } else {
                throw Multipart.ParseError.malformed("boundary not followed by CRLF")
            }
            return true
        case .headers:
            guard let end = Multipart.find([13, 10, 13, 10], in: pending, from: start) else {
                if pending.count - start > Self.maxHeaderBytes { throw Multipart.ParseError.malformed("part headers too long") }
                return false
            }
            let headers = try Multipart.headers(String(decoding: pending[start..<end], as: UTF8.self))
            start = end + 4
            parts += 1
            guard parts <= Self.maxParts else { throw Multipart.ParseError.malformed("more than \(Self.maxParts) parts") }
            if headers.name == "file" && file == nil {
                file = (headers.filename, headers.contentType)
                state = .fileData
            } else if headers.name == "file" || fields[headers.name] != nil {
                state = .discarding
            } else {
                state = .field(name: headers.name, bytes: [])
            }
            return true
        case .discarding, .fileData, .field:
            // Everything before the next delimiter is this part's; without one, all but the last bytes, which
            // could be the start of a delimiter split across two chunks.
            let found = Multipart.find(delimiter, in: pending, from: start)
            let end = found ?? max(start, pending.count - (delimiter.count - 1))
            let data = pending[start..<end]
            switch state {
            case .fileData:
                if !data.isEmpty { try write(data) }
            case .field(let name, var bytes):
                guard bytes.count + data.count <= Self.maxFieldBytes else {
                    throw Multipart.ParseError.malformed("form field \(name) is longer than \(Self.maxFieldBytes) bytes")
                }
                bytes += data
                state = .field(name: name, bytes: bytes)
            default:
                break
            }
            start = end
            guard let found else { return false }
            if case .field(let name, let bytes) = state {
                fields[name] = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            start = found + delimiter.count
            state = .afterDelimiter
            return true
        }
    }
}
