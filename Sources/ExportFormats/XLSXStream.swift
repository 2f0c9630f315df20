import Foundation

/// One typed spreadsheet cell of an export.
public enum ExportCell: Sendable {
    case text(String)
    case number(Double)
    /// Epoch milliseconds, written as an Excel date-time (UTC).
    case time(Int64)
    case empty

    /// The cell as CSV text.
    public var csv: String {
        switch self {
        case .text(let s): s
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.4f", d)
        case .time(let ms): JSONTime.string(ms) ?? ""
        case .empty: ""
        }
    }
}

/// Writes an `.xlsx` workbook (Office Open XML: one sheet, header row, typed number and date-time cells) as a
/// stream: a ZIP archive of stored entries with data descriptors, so rows are written as they come and never
/// held in memory. Entries are limited to 4 GiB (no ZIP64).
public struct XLSXStream {
    /// The workbook would pass the 4 GiB a ZIP archive without ZIP64 can hold.
    public struct TooLarge: Error, CustomStringConvertible {
        public var description: String { "the workbook would pass 4 GiB; export a shorter time range or use csv" }
    }

    private var offset: UInt32 = 0
    private var central: [UInt8] = []
    private var entries: UInt16 = 0
    // The sheet entry being written.
    private var crc: UInt32 = 0
    private var size: UInt32 = 0
    private var sheetHeaderOffset: UInt32 = 0
    private var rowNumber = 0

    public init() {}

    /// The archive's opening bytes up to the start of the sheet's rows (header row included).
    public mutating func begin(header: [String]) -> [UInt8] {
        var out: [UInt8] = []
        let files: [(String, String)] = [
            (
                "[Content_Types].xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
                """
            ),
            (
                "_rels/.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """
            ),
            (
                "xl/workbook.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>
                """
            ),
            (
                "xl/_rels/workbook.xml.rels",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
                """
            ),
            (
                "xl/styles.xml",
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
                """
            ),
        ]
        for (name, text) in files { out += wholeEntry(name, Array(text.utf8)) }
        sheetHeaderOffset = offset
        let local = localHeader("xl/worksheets/sheet1.xml")
        out += local
        offset &+= UInt32(local.count)
        crc = 0xFFFF_FFFF
        size = 0
        rowNumber = 0
        let head =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#
        out += sheetBytes(head + row(header.map { .text($0) }, style: 2))
        return out
    }

    /// The bytes of some rows.
    public mutating func rows(_ rows: [[ExportCell]]) throws -> [UInt8] {
        var xml = ""
        for r in rows { xml += row(r, style: 0) }
        let bytes = sheetBytes(xml)
        guard UInt64(offset) + UInt64(bytes.count) < UInt64(UInt32.max) - 1_000_000 else {
            throw TooLarge()
        }
        return bytes
    }

    /// The archive's closing bytes: the end of the sheet, its data descriptor and the central directory.
    public mutating func finish() -> [UInt8] {
        var out = sheetBytes("</sheetData></worksheet>")
        let finalCRC = crc ^ 0xFFFF_FFFF
        out += le32(0x0807_4B50) + le32(finalCRC) + le32(size) + le32(size)
        offset &+= 16
        addCentral("xl/worksheets/sheet1.xml", crc: finalCRC, size: size, at: sheetHeaderOffset)
        let centralStart = offset
        out += central
        out +=
            le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries) + le16(entries) + le32(UInt32(central.count))
            + le32(centralStart) + le16(0)
        return out
    }

    private mutating func row(_ cells: [ExportCell], style: Int) -> String {
        rowNumber += 1
        var x = "<row r=\"\(rowNumber)\">"
        for c in cells {
            switch c {
            case .text(let s):
                x += "<c t=\"inlineStr\"\(style > 0 ? " s=\"\(style)\"" : "")><is><t xml:space=\"preserve\">\(Self.escape(s))</t></is></c>"
            case .number(let d): x += "<c><v>\(d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d))</v></c>"
            case .time(let ms): x += "<c s=\"1\"><v>\(String(format: "%.8f", Double(ms) / 86_400_000 + 25_569))</v></c>"
            case .empty: x += "<c/>"
            }
        }
        return x + "</row>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Characters XML 1.0 cannot hold are left out.
            case _ where u.value < 0x20 && u != "\t" && u != "\n" && u != "\r": continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    private mutating func sheetBytes(_ text: String) -> [UInt8] {
        let b = Array(text.utf8)
        crc = Self.crc32(b, crc)
        size &+= UInt32(b.count)
        offset &+= UInt32(b.count)
        return b
    }

    private mutating func wholeEntry(_ name: String, _ data: [UInt8]) -> [UInt8] {
        let start = offset
        var out = localHeader(name)
        out += data
        let c = Self.crc32(data, 0xFFFF_FFFF) ^ 0xFFFF_FFFF
        out += le32(0x0807_4B50) + le32(c) + le32(UInt32(data.count)) + le32(UInt32(data.count))
        offset &+= UInt32(out.count)
        addCentral(name, crc: c, size: UInt32(data.count), at: start)
        return out
    }

    /// Stored (method 0), sizes and CRC in the data descriptor (flag bit 3), UTF-8 name (bit 11).
    private func localHeader(_ name: String) -> [UInt8] {
        let n = Array(name.utf8)
        return le32(0x0403_4B50) + le16(20) + le16(0x0808) + le16(0) + le16(0) + le16(0x5B21)  // time 0:00, date 2025-08-01
            + le32(0) + le32(0) + le32(0) + le16(UInt16(n.count)) + le16(0) + n
    }

    private mutating func addCentral(_ name: String, crc: UInt32, size: UInt32, at headerOffset: UInt32) {
        let n = Array(name.utf8)
        central +=
            le32(0x0201_4B50) + le16(20) + le16(20) + le16(0x0808) + le16(0) + le16(0) + le16(0x5B21)
            + le32(crc) + le32(size) + le32(size) + le16(UInt16(n.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            + le32(headerOffset) + n
        entries += 1
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    static let crcTable: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Continues a CRC-32 (pass 0xFFFFFFFF to start; xor the result with it to finish).
    static func crc32(_ bytes: [UInt8], _ start: UInt32) -> UInt32 {
        var c = start
        bytes.withUnsafeBufferPointer { p in
            crcTable.withUnsafeBufferPointer { t in
                for b in p { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            }
        }
        return c
    }
}
