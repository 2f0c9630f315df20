import Plates

/// Compares plates the way an operator would: exact after normalisation, or fuzzy when the only differences
/// are characters a reader confuses (0/O, 1/I, 8/B, 5/S, 2/Z) or a single edit.
public enum PlateMatcher {
    /// How a read matched a listed plate.
    public enum Kind: String, Sendable, Codable {
        case exact, fuzzy
    }

    /// Upper case, letters and digits only ("ab12 cde" and "AB12-CDE" are both "AB12CDE").
    public static func normalise(_ plate: String) -> String {
        String(plate.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// A plate typed into a list (a permit group's member, a watch-list entry): normalised by the one plate-text
    /// rule (``PlateText``), nil unless it has at least 2 characters (``listPlateRule`` says so to the user).
    public static func listPlate(_ text: String) -> String? {
        guard let plate = PlateText.normalised(text), plate.count >= 2 else { return nil }
        return plate
    }

    public static let listPlateRule = "plate must have 2 to \(PlateText.maxLength) letters and digits (spaces and dashes are ignored)"

    /// The plate with every confusable character replaced by one representative (O→0, I→1, B→8, S→5, Z→2).
    public static func skeleton(_ normalised: String) -> String {
        String(
            normalised.map { c -> Character in
                switch c {
                case "O": "0"
                case "I": "1"
                case "B": "8"
                case "S": "5"
                case "Z": "2"
                default: c
                }
            })
    }

    /// How `read` matches `listed` (both normalised), or nil.
    public static func match(_ read: String, _ listed: String) -> Kind? {
        if read == listed { return .exact }
        if read.isEmpty || listed.isEmpty { return nil }
        if read.count == listed.count, skeleton(read) == skeleton(listed) { return .fuzzy }
        return withinOneEdit(Array(read.utf8), Array(listed.utf8)) ? .fuzzy : nil
    }

    /// True when one insertion, deletion or substitution turns `a` into `b` (or they are equal).
    static func withinOneEdit(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if abs(a.count - b.count) > 1 { return false }
        var i = 0, j = 0, edits = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { i += 1; j += 1; continue }
            edits += 1
            if edits > 1 { return false }
            if a.count > b.count { i += 1 } else if a.count < b.count { j += 1 } else { i += 1; j += 1 }
        }
        return edits + (a.count - i) + (b.count - j) <= 1
    }
}
