import Foundation

/// RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends.
public enum CSV {
    /// Rows of fields; nil when a quoted field never ends. `separator`: `,` by RFC 4180; `;` or a tab for files
    /// from spreadsheets set to a locale whose decimal mark is a comma (see ``spreadsheetText(_:)``).
    public static func parse(_ text: String, separator: Character = ",") -> [[String]]? {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
        var it = Array(text.unicodeScalars.map(Character.init)).makeIterator()
        var pending: Character?
        func next() -> Character? { if let p = pending { pending = nil; return p }; return it.next() }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; afterQuote = true; pending = n }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case separator: row.append(field); field = ""; afterQuote = false
            case "\r": continue
            case "\n":
                row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
            default: field.append(c)
            }
        }
        if quoted { return nil }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// A file as spreadsheets save it: the text (UTF-8, with or without the byte-order mark Excel's "CSV UTF-8"
    /// writes; UTF-16 after its byte-order mark, Excel's "Unicode Text"; otherwise Windows-1252, what Excel's plain
    /// "CSV" writes on Windows, so that "Zoë" is not refused) and
    /// its separator: `,`, or `;` or a tab when the first line has one of those and no comma (Excel in locales whose
    /// decimal mark is a comma, "Text (Tab delimited)").
    public static func spreadsheetText(_ bytes: [UInt8]) -> (text: String, separator: Character) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let utf16 = bytes.starts(with: [0xFF, 0xFE]) ? String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian) : nil
        let text =
            utf16 ?? String(validating: body, as: UTF8.self)
            ?? String(data: Data(body), encoding: .windowsCP1252)
            ?? String(decoding: body, as: UTF8.self)
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        var separator: Character = ","
        if !firstLine.contains(",") {
            if firstLine.contains(";") { separator = ";" } else if firstLine.contains("\t") { separator = "\t" }
        }
        return (text, separator)
    }

    /// One CSV line (CRLF-terminated); fields quoted when they need it. Fields starting with = + - @, a tab or a
    /// carriage return are prefixed with a quote mark so that spreadsheets do not run them as formulas.
    public static func line(_ fields: [String]) -> String {
        fields.map { f -> String in
            var v = f
            // Formula injection (OWASP "CSV Injection"): a cell a spreadsheet would evaluate is made text.
            // By scalar, not by Character: "\r\n" is one Character (equal to neither "\r" nor "\n"), and "=" with a
            // combining mark after it is one Character that is not "=".
            if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
            if v.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                var quoted = String.UnicodeScalarView()
                for u in v.unicodeScalars {
                    if u == "\"" { quoted.append(u) }  // by scalar: a quote with a combining mark after it is doubled too
                    quoted.append(u)
                }
                return "\"" + String(quoted) + "\""
            }
            return v
        }.joined(separator: ",") + "\r\n"
    }
}
