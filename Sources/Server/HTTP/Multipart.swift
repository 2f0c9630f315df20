import Foundation

// Plain bytes in, parts out (Foundation only): fuzzed on its own by fuzz/run.sh.

/// A `multipart/form-data` body split into its parts (RFC 7578). Bodies are size-limited before parsing.
struct Multipart {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var data: ArraySlice<UInt8>
    }

    var parts: [Part]

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }
    func field(_ name: String) -> String? {
        part(name).map { String(decoding: $0.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The boundary of a `multipart/form-data` content type, nil for other types.
    static func boundary(contentType: String) -> String? {
        let items = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard items.first?.lowercased() == "multipart/form-data" else { return nil }
        for item in items.dropFirst() where item.lowercased().hasPrefix("boundary=") {
            var b = String(item.dropFirst("boundary=".count))
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return b.isEmpty || b.count > 200 ? nil : b
        }
        return nil
    }

    enum ParseError: Error { case malformed(String) }

    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        var positions: [Int] = []
        var from = 0
        while let i = Self.find(delimiter, in: body, from: from) {
            positions.append(i)
            from = i + delimiter.count
        }
        guard positions.count >= 2 else { throw ParseError.malformed("no multipart boundary found in the body") }
        var parts: [Part] = []
        for (a, b) in zip(positions, positions.dropFirst()) {
            var start = a + delimiter.count
            // After the delimiter: "--" marks the end; otherwise CRLF then headers.
            if body.count >= start + 2, body[start] == 45, body[start + 1] == 45 { break }
            guard body.count >= start + 2, body[start] == 13, body[start + 1] == 10 else {
                throw ParseError.malformed("boundary not followed by CRLF")
            }
            start += 2
            // Searched within this part only: a part without headers must not make every part scan to the end.
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: start, to: b) else {
                throw ParseError.malformed("part without headers")
            }
            var end = b
            // The CRLF before the next delimiter belongs to it.
            if end - 2 >= headerEnd + 4, body[end - 2] == 13, body[end - 1] == 10 {
                end -= 2
            } else {
                throw ParseError.malformed("part not terminated by CRLF")
            }
            let h = try Self.headers(String(decoding: body[start..<headerEnd], as: UTF8.self))
            parts.append(Part(name: h.name, filename: h.filename, contentType: h.contentType, data: body[(headerEnd + 4)..<end]))
        }
        guard !parts.isEmpty else { throw ParseError.malformed("multipart body has no parts") }
        self.parts = parts
    }

    /// A part's name, file name and content type from its header block (lines without the final blank one).
    static func headers(_ text: String) throws -> (name: String, filename: String?, contentType: String?) {
        var name: String?, filename: String?, contentType: String?
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw ParseError.malformed("bad part header") }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "content-disposition" {
                name = Self.parameter("name", in: value)
                filename = Self.parameter("filename", in: value)
            } else if key == "content-type" {
                contentType = value
            }
        }
        guard let name else { throw ParseError.malformed("part without a name") }
        return (name, filename, contentType)
    }

    static func parameter(_ key: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let t = item.trimmingCharacters(in: .whitespaces)
            guard let eq = t.firstIndex(of: "="), t[..<eq].lowercased() == key else { continue }
            var v = String(t[t.index(after: eq)...])
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }

    /// The first `needle` in `hay[from..<to]` (`to` defaults to the end), by Knuth-Morris-Pratt: linear in the
    /// bytes searched whatever they are, so crafted bodies cannot make parsing quadratic.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int, to: Int? = nil) -> Int? {
        let end = min(to ?? hay.count, hay.count)
        let m = needle.count
        guard m > 0, from >= 0, end - from >= m else { return nil }
        var fail = [Int](repeating: 0, count: m)  // longest proper prefix of needle[...i] that is also its suffix
        var k = 0
        for i in 1..<max(m, 1) {
            while k > 0 && needle[i] != needle[k] { k = fail[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            fail[i] = k
        }
        var q = 0
        for i in from..<end {
            while q > 0 && hay[i] != needle[q] { q = fail[q - 1] }
            if hay[i] == needle[q] { q += 1 }
            if q == m { return i - m + 1 }
        }
        return nil
    }
}
