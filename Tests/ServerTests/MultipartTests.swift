import Foundation
@testable import Server
import Testing

@Suite struct MultipartTests {
    @Test func findAgreesWithANaiveSearch() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let hay = (0..<Int.random(in: 0...60, using: &g)).map { _ in UInt8.random(in: 97...99, using: &g) }
            let needle = (0..<Int.random(in: 1...5, using: &g)).map { _ in UInt8.random(in: 97...99, using: &g) }
            let from = Int.random(in: 0...max(0, hay.count), using: &g)
            let to = Int.random(in: from...max(from, hay.count), using: &g)
            let naive =
                hay.count < needle.count
                ? nil
                : (from...max(from, to - needle.count)).first { i in
                    i + needle.count <= to && Array(hay[i..<(i + needle.count)]) == needle
                }
            #expect(Multipart.find(needle, in: hay, from: from, to: to) == naive, "\(hay) \(needle) \(from)..<\(to)")
        }
    }

    @Test func aFormParsesIntoItsParts() throws {
        let body = Array(
            "--XyZ\r\nContent-Disposition: form-data; name=\"camera_id\"\r\n\r\ncam_1\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u{1}\u{2}\r\n--XyZ--\r\n"
                .utf8)
        let m = try Multipart(body: body, boundary: "XyZ")
        #expect(m.field("camera_id") == "cam_1")
        #expect(m.part("file").map { Array($0.data) } == [1, 2] && m.part("file")?.filename == "a.jpg")
    }

    @Test func partsWithoutHeadersAreRefusedWithoutScanningTheRestOfTheBody() {
        // Many delimiters and no header end: each part's header search stops at the next delimiter.
        let body = Array(String(repeating: "--b\r\nx", count: 50_000).utf8) + Array("--b--\r\n".utf8)
        #expect(throws: Multipart.ParseError.self) { try Multipart(body: body, boundary: "b") }
    }

    /// The streaming parser (uploads to disk) finds what the whole-body parser finds, however the body is cut into
    /// chunks: the first `file` part's bytes and the first part of every other name, on random bodies whose
    /// contents are full of CR, LF and dashes (near-delimiters), and refuses the bodies it refuses.
    @Test func theStreamingParserAgreesWithTheWholeBodyOneInAnyChunks() throws {
        var g = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("\r\n-bX".utf8)
        for round in 0..<400 {
            let boundary = "bX\(round % 3)"
            var body: [UInt8] = Array("preamble\r\n".utf8)
            for part in 0..<Int.random(in: 1...4, using: &g) {
                let name = ["file", "camera_id", "country", "file"][(part + round) % 4]
                let content = (0..<Int.random(in: 0...300, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"v\(part).mp4\"\r\n\r\n".utf8)
                body += content + [13, 10]
            }
            body += Array("--\(boundary)--\r\nepilogue".utf8)
            if round % 10 == 9 { body.removeLast(Int.random(in: 13...30, using: &g)) }  // cut inside the closing delimiter or the last part
            let whole = try? Multipart(body: body, boundary: boundary)
            var stream = MultipartStream(boundary: boundary)
            var file: [UInt8] = []
            var at = 0
            let streamed: Void? = try? {
                while at < body.count {
                    let n = min(body.count - at, Int.random(in: 1...40, using: &g))
                    try stream.feed(body[at..<(at + n)]) { file += $0 }
                    at += n
                }
                try stream.finish()
            }()
            guard let whole, round % 10 != 9 else {
                #expect(streamed == nil, "round \(round): a cut body was accepted")
                continue
            }
            #expect(streamed != nil, "round \(round): refused")
            #expect(file == whole.part("file").map { Array($0.data) } ?? [], "round \(round)")
            #expect(stream.file?.filename == whole.part("file")?.filename, "round \(round)")
            for name in ["camera_id", "country"] {
                #expect(stream.fields[name] == whole.field(name), "round \(round) \(name)")
            }
        }
    }

    @Test func theStreamingParserRefusesWhatItCannotKeepSmall() throws {
        func parse(_ text: String, boundary: String = "b") throws {
            var stream = MultipartStream(boundary: boundary)
            try stream.feed(Array(text.utf8)) { _ in }
            try stream.finish()
        }
        let field = "--b\r\nContent-Disposition: form-data; name=\"country\"\r\n\r\n"
        #expect(throws: Never.self) { try parse(field + "gb\r\n--b--\r\n") }
        #expect(throws: Multipart.ParseError.self) { try parse("no boundary at all") }
        #expect(throws: Multipart.ParseError.self) { try parse(field + String(repeating: "x", count: 70_000) + "\r\n--b--\r\n") }
        #expect(throws: Multipart.ParseError.self) { try parse("--b\r\n" + String(repeating: "h", count: 20_000)) }
        #expect(throws: Multipart.ParseError.self) { try parse(String(repeating: field + "gb\r\n", count: 70) + "--b--\r\n") }
        #expect(throws: Multipart.ParseError.self) { try parse("--b\r\nContent-Type: x\r\n\r\nno name\r\n--b--") }
        #expect(throws: Multipart.ParseError.self) { try parse("--bjunk") }
    }
}
