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
}
