/// A typed identifier: an `ID<Tenant>` cannot be passed where another entity's id is expected, so a query cannot be
/// scoped by the wrong id by mistake. Stored and sent as its text (`ten_...`).
public struct ID<Entity>: Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (a: ID, b: ID) -> Bool { a.rawValue < b.rawValue }
}

extension ID: SQLBindable {
    public var sqlValue: SQLValue { .text(rawValue) }
}
