import Foundation

/// Writes a paginated PDF report as a stream: A4 pages of rows (a plate crop image, plate, time, camera,
/// confidence, access), then a summary page placed first in the page order. Text uses the standard Helvetica
/// fonts (no embedding); crops are embedded as JPEG (DCTDecode) images. Objects are written as they are made;
/// only their offsets are kept for the cross-reference table.
public struct PDFReport {
    public struct Row: Sendable {
        public var crop: [UInt8]?
        public var plate: String
        public var columns: [String]
        public init(crop: [UInt8]?, plate: String, columns: [String]) { self.crop = crop; self.plate = plate; self.columns = columns }
    }

    public static let rowsPerPage = 14
    private var offsets: [Int] = [0, 0, 0, 0, 0]  // objects 1-4 reserved: catalog, pages, fonts
    private var written = 0
    private var pages: [Int] = []
    private var summaryPage: Int?
    let title: String
    let headers: [String]

    public init(title: String, headers: [String]) { self.title = title; self.headers = headers }

    private mutating func next() -> Int { offsets.append(0); return offsets.count - 1 }

    private mutating func object(_ n: Int, _ body: [UInt8]) -> [UInt8] {
        offsets[n] = written
        let bytes = Array("\(n) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        written += bytes.count
        return bytes
    }

    private mutating func object(_ n: Int, _ text: String) -> [UInt8] { object(n, Array(text.utf8)) }

    /// The header and the fonts.
    public mutating func begin() -> [UInt8] {
        var out = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        written = out.count
        out += object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        out += object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        return out
    }

    /// One page of up to `rowsPerPage` rows.
    public mutating func page(_ rows: [Row], number: Int) -> [UInt8] {
        var out: [UInt8] = []
        var content = header(pageNumber: number)
        var images: [(name: String, obj: Int)] = []
        let xs = [150.0, 255, 375, 455, 505]
        content += text(40, 760, "Crop", bold: true)
        for (i, h) in headers.enumerated() where i < xs.count { content += text(xs[i], 760, h, bold: true) }
        for (i, r) in rows.enumerated() {
            let y = 720.0 - Double(i) * 48
            if let crop = r.crop, let info = Self.jpegInfo(crop) {
                let n = next()
                let color = info.components == 1 ? "/DeviceGray" : info.components == 4 ? "/DeviceCMYK" : "/DeviceRGB"
                out += object(
                    n,
                    Array(
                        "<< /Type /XObject /Subtype /Image /Width \(info.width) /Height \(info.height) /ColorSpace \(color) /BitsPerComponent 8 /Filter /DCTDecode /Length \(crop.count) >>\nstream\n"
                            .utf8)
                        + crop + Array("\nendstream".utf8))
                let name = "Im\(images.count)"
                images.append((name, n))
                // Fit into 100 x 36 pt, keeping the aspect ratio.
                let scale = min(100 / Double(info.width), 36 / Double(info.height))
                let (w, h) = (Double(info.width) * scale, Double(info.height) * scale)
                content += String(format: "q %.2f 0 0 %.2f 40 %.2f cm /%@ Do Q\n", w, h, y - 4, name)
            } else {
                content += text(40, y + 8, "(no crop)")
            }
            content += text(150, y + 8, r.plate, bold: true, size: 12)
            for (j, c) in r.columns.enumerated() where j + 1 < xs.count { content += text(xs[j + 1], y + 8, c) }
            content += String(format: "0.85 G 40 %.2f m 555 %.2f l S 0 G\n", y - 8, y - 8)
        }
        out += finishPage(content, images: images)
        return out
    }

    /// The summary page (lines of label and value), shown first.
    public mutating func summary(_ lines: [(String, String)]) -> [UInt8] {
        var content = header(pageNumber: nil)
        content += text(40, 740, "Summary", bold: true, size: 14)
        for (i, (k, v)) in lines.enumerated() {
            let y = 710.0 - Double(i) * 20
            content += text(40, y, k, bold: true) + text(250, y, v)
        }
        let out = finishPage(content, images: [])
        summaryPage = pages.removeLast()
        return out
    }

    /// The page tree, catalog, cross-reference table and trailer.
    public mutating func finish() -> [UInt8] {
        let order = (summaryPage.map { [$0] } ?? []) + pages
        var out = object(2, "<< /Type /Pages /Kids [\(order.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(order.count) >>")
        out += object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        let xref = written
        var table = "xref\n0 \(offsets.count)\n0000000000 65535 f \n"
        for o in offsets.dropFirst() { table += String(format: "%010d 00000 n \n", o) }
        table += "trailer\n<< /Size \(offsets.count) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }

    private mutating func finishPage(_ content: String, images: [(name: String, obj: Int)]) -> [UInt8] {
        let c = next(), p = next()
        let data = Array(content.utf8)
        var out = object(c, Array("<< /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream".utf8))
        let xobjects = images.isEmpty ? "" : " /XObject << \(images.map { "/\($0.name) \($0.obj) 0 R" }.joined(separator: " ")) >>"
        out += object(
            p,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents \(c) 0 R /Resources << /Font << /F1 3 0 R /F2 4 0 R >>\(xobjects) >> >>"
        )
        pages.append(p)
        return out
    }

    private func header(pageNumber: Int?) -> String {
        text(40, 800, title, bold: true, size: 16)
            + text(40, 784, "MicroANPR" + (pageNumber.map { " - page \($0)" } ?? ""), size: 9)
            + "0.5 G 40 776 m 555 776 l S 0 G\n"
    }

    private func text(_ x: Double, _ y: Double, _ s: String, bold: Bool = false, size: Int = 10) -> String {
        String(format: "BT /%@ %d Tf %.2f %.2f Td (%@) Tj ET\n", bold ? "F2" : "F1", size, x, y, Self.escape(s))
    }

    /// A PDF string literal's content: Latin-1 characters kept, others replaced by `?`, delimiters escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars.prefix(80) {
            switch u {
            case "(", ")", "\\": out += "\\" + String(u)
            case _ where u.value < 0x20: out += " "
            case _ where u.value > 0x7E: out += "?"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Width, height and components of a baseline or progressive JPEG (from its SOF marker).
    static func jpegInfo(_ b: [UInt8]) -> (width: Int, height: Int, components: Int)? {
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                let h = Int(b[i + 5]) << 8 | Int(b[i + 6]), w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return w > 0 && h > 0 ? (w, h, Int(b[i + 9])) : nil
            }
            i += 2 + length
        }
        return nil
    }
}
