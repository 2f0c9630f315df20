/// The one rule for plate text everywhere in the product (search filters, corrections, ingested passes, list
/// entries): stored as upper-case letters A-Z and digits 0-9, at most ``maxLength`` characters. Typed text may
/// carry lower case, spaces and dashes (`gy12 ubl`, `GY12-UBL`), which normalise away; anything else is refused.
public enum PlateText {
    /// The longest plate text: longer than any registration of the packs (DVLA: 7; US states: 8).
    public static let maxLength = 16
    /// The rule in words, for error messages.
    public static let rule = "letters A-Z and digits, with optional spaces and dashes, at most 16"
    static let characters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `text` in its stored form, or nil when it holds another character or is longer than ``maxLength`` (an
    /// empty text normalises to "": callers decide whether empty is allowed).
    public static func normalised(_ text: String) -> String? {
        let p = text.uppercased().filter { $0 != " " && $0 != "-" }
        guard p.count <= maxLength, p.allSatisfy(characters.contains) else { return nil }
        return p
    }

    /// Whether `text` is already in its stored form and not empty.
    public static func isStored(_ text: String) -> Bool { !text.isEmpty && normalised(text) == text }
}
