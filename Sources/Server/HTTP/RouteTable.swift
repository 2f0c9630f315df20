import Foundation
import Logging
import Hummingbird

/// The documented paths and their methods, read from the OpenAPI document, to answer 405 with `Allow`.
struct RouteTable: Sendable {
    static let shared = RouteTable(json: OpenAPIDocument.json)
    let routes: [(segments: [String], methods: Set<String>)]

    init(json: String) {
        let doc = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let paths = doc?["paths"] as? [String: [String: Any]] ?? [:]
        routes = paths.map { path, ops in
            (path.split(separator: "/").map(String.init), Set(ops.keys.map { $0.uppercased() }))
        }
    }

    /// The methods of the documented path matching `path` (`{param}` matches one segment), nil if none. As in
    /// the router, a literal segment wins over a parameter (`members/export` is not `members/{member_id}`).
    func methods(for path: String) -> Set<String>? {
        let parts = path.split(separator: "/").map(String.init)
        return routes.filter { r in
            r.segments.count == parts.count && zip(r.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.max { a, b in
            a.segments.filter { !$0.hasPrefix("{") }.count < b.segments.filter { !$0.hasPrefix("{") }.count
        }?.methods
    }
}
