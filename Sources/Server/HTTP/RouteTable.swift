import Foundation
import Logging
import Hummingbird

/// The documented paths, their methods and the fields of each operation's JSON body, read from the OpenAPI document:
/// to answer 405 with `Allow`, and so that request bodies are checked against the document's fields rather than a
/// hand-written list per handler.
struct RouteTable: Sendable {
    static let shared = RouteTable(json: OpenAPIDocument.json)
    /// The fields of an operation's `application/json` request body, and whether the document closes it
    /// (`additionalProperties: false`: a field it does not name is refused, not ignored).
    struct Body: Sendable, Equatable {
        var fields: Set<String>
        var closed: Bool
        /// The values the document allows for each field with an `enum` (for an array, its items'): a value
        /// outside them is answered with the list.
        var allowed: [String: [String]] = [:]
    }

    /// Each documented path: its segments, its methods, and each method's `application/json` request body.
    let routes: [(segments: [String], methods: Set<String>, bodies: [String: Body])]

    init(json: String) {
        let doc = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let paths = doc?["paths"] as? [String: [String: Any]] ?? [:]
        let schemas = (doc?["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        // A schema's properties: its own, a `$ref`'s, and those of every `allOf` part; closed when it says
        // `additionalProperties: false`, or when it adds nothing to `allOf` parts that are all closed.
        func body(_ schema: Any?) -> Body? {
            guard var s = schema as? [String: Any] else { return nil }
            if let ref = s["$ref"] as? String, let named = schemas[String(ref.split(separator: "/").last ?? "")] as? [String: Any] {
                s = named
            }
            let parts = (s["allOf"] as? [Any] ?? []).compactMap(body)
            let properties = s["properties"] as? [String: Any]
            let own = properties.map { Set($0.keys) }
            guard !parts.isEmpty || own != nil else { return nil }
            let closed = s["additionalProperties"] as? Bool == false || (own == nil && !parts.isEmpty && parts.allSatisfy(\.closed))
            var allowed = parts.reduce(into: [String: [String]]()) { $0.merge($1.allowed) { a, _ in a } }
            for (name, value) in properties ?? [:] {
                let p = value as? [String: Any]
                if let values = (p?["enum"] ?? (p?["items"] as? [String: Any])?["enum"]) as? [Any] {
                    allowed[name] = values.map { "\($0)" }
                }
            }
            return Body(fields: parts.reduce(own ?? [], { $0.union($1.fields) }), closed: closed, allowed: allowed)
        }
        routes = paths.map { path, ops in
            let bodies = ops.reduce(into: [String: Body]()) { bodies, op in
                let content = ((op.value as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                bodies[op.key.uppercased()] = body((content?["application/json"] as? [String: Any])?["schema"])
            }
            return (path.split(separator: "/").map(String.init), Set(ops.keys.map { $0.uppercased() }), bodies)
        }
    }

    /// The JSON body the document gives `method` on the documented path matching `path`; nil when it documents none.
    func body(method: String, path: String) -> Body? { route(for: path)?.bodies[method.uppercased()] }

    /// The methods of the documented path matching `path` (`{param}` matches one segment), nil if none. As in
    /// the router, a literal segment wins over a parameter (`members/export` is not `members/{member_id}`).
    func methods(for path: String) -> Set<String>? { route(for: path)?.methods }

    private func route(for path: String) -> (segments: [String], methods: Set<String>, bodies: [String: Body])? {
        let parts = path.split(separator: "/").map(String.init)
        return routes.filter { r in
            r.segments.count == parts.count && zip(r.segments, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.max { a, b in
            a.segments.filter { !$0.hasPrefix("{") }.count < b.segments.filter { !$0.hasPrefix("{") }.count
        }
    }
}
