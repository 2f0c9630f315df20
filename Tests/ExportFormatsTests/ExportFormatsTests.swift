import ExportFormats
import Foundation
import Testing

@Suite struct CSVTests {
    @Test func linesParseBackToTheirFields() throws {
        let rows = [["plate", "note"], ["GL19 TNJ", "said \"hello\", then left"], ["AB12CDE", "two\nlines"]]
        let text = rows.map(CSV.line).joined()
        #expect(try #require(CSV.parse(text)) == rows)
    }

    @Test(arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"])
    func cellsASpreadsheetWouldEvaluateAreWrittenAsText(_ cell: String) throws {
        let line = CSV.line([cell])
        let parsed = try #require(CSV.parse(line)?.first?.first)
        #expect(parsed == "'" + cell)
    }

    /// Found by `make fuzz` (the csv target's round trip): Swift compares Characters, and "\r\n" or a quote with a
    /// combining mark after it is one Character, so such cells were written unquoted or with the quote not doubled,
    /// and a cell could end its row or its quoting early.
    @Test(arguments: ["a\r\nb", "S\"\u{0596}x\"", "\"\u{0301}", "=\u{0301}1+1"])
    func cellsWithGraphemeClustersRoundTrip(_ cell: String) throws {
        let parsed = try #require(CSV.parse(CSV.line([cell, "next"])))
        let expected = cell.unicodeScalars.first == "=" ? "'" + cell : cell
        #expect(parsed == [[expected, "next"]])
    }

    @Test func anUnterminatedQuoteIsRefused() {
        #expect(CSV.parse("a,\"b\r\n") == nil)
    }
}

@Suite struct XLSXTests {
    @Test func aWorkbookIsAZipArchiveWithItsSheetAndCells() throws {
        var x = XLSXStream()
        var bytes = x.begin(header: ["plate", "seen", "confidence"])
        bytes += try x.rows([[.text("GX19TNW"), .time(951_782_400_123), .number(0.93)], [.text("A&B<C>"), .empty, .number(2)]])
        bytes += x.finish()
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])  // local file header
        let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06]  // end of central directory
        #expect(bytes.count > 22 && Array(bytes[(bytes.count - 22)..<(bytes.count - 18)]) == end)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("xl/worksheets/sheet1.xml"))
        #expect(text.contains("GX19TNW") && text.contains("A&amp;B&lt;C&gt;"))
    }

    @Test func cellsAsCSVText() {
        #expect(ExportCell.number(2).csv == "2")
        #expect(ExportCell.number(0.5).csv == "0.5000")
        #expect(ExportCell.time(0).csv == "1970-01-01T00:00:00.000Z")
        #expect(ExportCell.empty.csv == "")
    }
}

@Suite struct PDFReportTests {
    @Test func aReportIsAPDFWithItsPagesAndSummary() {
        var r = PDFReport(title: "Reads", headers: ["Plate", "Time"])
        var bytes = r.begin()
        bytes += r.page([PDFReport.Row(crop: nil, plate: "GX19TNW", columns: ["GX19TNW", "2026-12-01 10:00"])], number: 1)
        bytes += r.summary([("Reads", "1")])
        bytes += r.finish()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        #expect(text.hasSuffix("%%EOF\n") || text.hasSuffix("%%EOF"))
        #expect(text.contains("GX19TNW") && text.contains("/Type /Page"))
    }
}

@Suite struct JSONTimeTests {
    @Test func timesRoundTrip() {
        #expect(JSONTime.string(951_782_400_123) == "2000-02-29T00:00:00.123Z")
        #expect(JSONTime.parse("2000-02-29T00:00:00.123Z") == 951_782_400_123)
        #expect(JSONTime.parse("2000-02-29T00:00:00Z") == 951_782_400_000)
        #expect(JSONTime.parse("yesterday") == nil)
    }

    /// The hand-written formatter (day arithmetic, no `gmtime_r`) agrees with Foundation's ISO 8601 formatter on random
    /// times from year 1600 to 9999 (before 1582 calendars may switch to Julian dates), before 1970 too, and on each side
    /// of leap days and centuries.
    @Test func formattingAgreesWithFoundation() {
        var g = SystemRandomNumberGenerator()
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 0)
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let edges: [Int64] = [
            0, -1, 999, -999, -1_000, 86_399_999, -86_400_000, 951_782_400_000 - 1, 951_782_400_000, 4_107_542_400_000,
            -2_208_988_800_000, 253_402_300_799_999, -11_676_096_000_000,
        ]
        let random = (0..<5_000).map { _ in Int64.random(in: -11_676_096_000_000...253_402_300_799_999, using: &g) }
        for millis in edges + random {
            // Foundation formats the date; the milliseconds are this test's, as a Double loses them far from 1970.
            let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
            let whole = f.string(from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(whole.dropLast(5)) + String(format: ".%03dZ", Int(millis - seconds * 1000))
            #expect(JSONTime.string(millis) == expected, "\(millis)")
            var bytes: [UInt8] = [1]
            JSONTime.write(millis, into: &bytes)
            #expect(bytes == [1] + Array(expected.utf8))
        }
        #expect(JSONTime.string(253_402_300_800_000) == "10000-01-01T00:00:00.000Z")
    }

    @Test func integersAreWrittenAsTheirDigits() {
        for v: Int64 in [0, 7, -7, 10, 99, 100, 1_234_567_890, -1_000_000, .max, .min] {
            var out: [UInt8] = []
            JSONText.integer(v, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == String(v))
        }
    }

    /// The hand-written parser agrees with Foundation's ISO 8601 formatter on random times, offsets and fractions.
    @Test func parsingAgreesWithFoundation() {
        var g = SystemRandomNumberGenerator()
        let f = ISO8601DateFormatter()
        for _ in 0..<5_000 {
            let millis = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &g)
            let minutes = [0, 60, -300, 330, 345, -570, 840].randomElement(using: &g)!
            f.timeZone = TimeZone(secondsFromGMT: minutes * 60)
            let withFraction = Bool.random(using: &g)
            f.formatOptions = withFraction ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            let text = f.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
            let expected = Int64((f.date(from: text)!.timeIntervalSince1970 * 1000).rounded())
            #expect(JSONTime.parse(text) == expected, "\(text)")
        }
        for bad in [
            "", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z",
            "2026-11-22T08:00:00", "2026-11-22 08:00:00Z", "2026-11-22T08:00:00.Z", "2026-11-22T08:00:00+0100",
            "2026-11-22T08:00:00Zjunk", "+2026-11-22T08:00:00Z", "2026-1-22T08:00:00Z",
        ] {
            #expect(JSONTime.parse(bad) == nil, "\(bad)")
        }
        #expect(JSONTime.parse("2026-11-22t08:00:00.123456z") == JSONTime.parse("2026-11-22T08:00:00.123Z"))
        #expect(JSONTime.parse("2026-11-22T09:30:00+01:30") == JSONTime.parse("2026-11-22T08:00:00Z"))
    }
}

@Suite struct JSONTextTests {
    /// Parsed back, the text is the tree: strings with quotes, controls and non-ASCII, numbers, booleans, nulls.
    @Test func writesWhatJSONSerializationReadsBack() throws {
        let missing: String? = nil
        let tree: [String: Any] = [
            "b": "quote \" backslash \\ tab \t newline \n bell \u{07} é 🚗", "a": 42, "n": -7 as Int64, "d": 0.93, "whole": 5.0,
            "t": true, "f": false, "null": NSNull(), "missing": missing as Any, "some": Optional("x") as Any,
            "list": [1, "two", [3.5], ["k": "v"]] as [Any], "nested": ["z": 1, "y": [String: Any]()],
        ]
        let text = JSONText.data(tree)
        let back = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
        #expect(back["b"] as? String == tree["b"] as? String)
        #expect(back["a"] as? Int == 42 && back["n"] as? Int == -7 && back["d"] as? Double == 0.93 && back["whole"] as? Int == 5)
        #expect(back["t"] as? Bool == true && back["f"] as? Bool == false && back["null"] is NSNull && back["missing"] is NSNull)
        #expect(back["some"] as? String == "x")
        #expect((back["list"] as? [Any])?.count == 4 && (back["nested"] as? [String: Any])?.count == 2)
        // Values parsed by JSONSerialization (NSNumbers) keep their kind: booleans stay booleans.
        let parsed = try JSONSerialization.jsonObject(with: Data(#"{"t":true,"f":false,"i":7,"d":1.5,"z":0}"#.utf8))
        #expect(String(decoding: JSONText.data(parsed), as: UTF8.self) == #"{"d":1.5,"f":false,"i":7,"t":true,"z":0}"#)
        // Keys in byte order, as JSONSerialization's sortedKeys gives for ASCII keys.
        let keys = String(decoding: JSONText.data(["b": 1, "a": 2, "B": 3, "aa": 4]), as: UTF8.self)
        #expect(keys == #"{"B":3,"a":2,"aa":4,"b":1}"#)
    }

    /// Strings that need no escape are copied whole; one byte that needs one anywhere (last, first) escapes it.
    @Test(arguments: [
        (
            "/v1/reads/rd_1/image?kind=crop&expires=1796299271&signature=ac3b",
            #""/v1/reads/rd_1/image?kind=crop&expires=1796299271&signature=ac3b""#
        ),
        ("é 🚗 ~", #""é 🚗 ~""#), ("", #""""#), ("plate\u{1F}", #""plate\u001f""#), ("\"AB\"", #""\"AB\"""#), ("a\\b\n", #""a\\b\n""#),
    ])
    func stringsAreCopiedOrEscaped(_ s: String, _ json: String) {
        var out: [UInt8] = Array("x".utf8)
        JSONText.string(s, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + json)
    }
}

/// Files as spreadsheets save them: Excel's "CSV UTF-8" (a byte-order mark), its plain "CSV" on Windows
/// (Windows-1252), "Unicode Text" (UTF-16 with tabs), and `;` where the decimal mark is a comma.
@Suite struct SpreadsheetCSVTests {
    @Test func excelsSavedFormsReadAsTheSameRows() throws {
        let rows = [["name", "plate"], ["Zoë", "AB12 CDE"], ["Ann, Jr", "XY34ZZZ"]]
        let comma = "name,plate\r\nZoë,AB12 CDE\r\n\"Ann, Jr\",XY34ZZZ\r\n"
        let semicolon = "name;plate\r\nZoë;AB12 CDE\r\nAnn, Jr;XY34ZZZ\r\n"
        let tab = "name\tplate\r\nZoë\tAB12 CDE\r\nAnn, Jr\tXY34ZZZ\r\n"
        let forms: [(String, [UInt8])] = [
            ("UTF-8", Array(comma.utf8)), ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(comma.utf8)),
            ("Windows-1252", Array(try #require(comma.data(using: .windowsCP1252)))),
            ("semicolons", [0xEF, 0xBB, 0xBF] + Array(semicolon.utf8)),
            ("UTF-16 tabs", [0xFF, 0xFE] + Array(try #require(tab.data(using: .utf16LittleEndian)))),
        ]
        for (name, bytes) in forms {
            let (text, separator) = CSV.spreadsheetText(bytes)
            #expect(CSV.parse(text, separator: separator) == rows, "\(name)")
        }
        // A comma in the header keeps commas, even when a later field has a semicolon.
        #expect(CSV.spreadsheetText(Array("a,b\r\nx;y,z\r\n".utf8)).separator == ",")
    }
}
