import Foundation

/// Position after the last read of a page (newest first: captured_at then id, both descending).
/// The one page cursor of every listing (reads, passes, parking sessions, alerts): the time and id of the last
/// row of a page, newest first, as an opaque URL-safe token.
public struct PageCursor: Sendable, Equatable {
    public var time: Int64
    public var id: String
    public init(time: Int64, id: String) { self.time = time; self.id = id }
    /// The position after a row with a typed id.
    public init<Entity>(time: Int64, id: ID<Entity>) { self.init(time: time, id: id.rawValue) }

    /// URL-safe opaque form.
    public var token: String {
        Data("\(time):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init?(token: String) {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let s = String(data: data, encoding: .utf8),
            let colon = s.firstIndex(of: ":"), let t = Int64(s[..<colon])
        else { return nil }
        let id = String(s[s.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        time = t
        self.id = id
    }
}
