import Hummingbird
import Storage

/// The least role each API resource needs, for reading (GET, HEAD) and for changing it. API keys have a role
/// of their own (admin by default) or are `ingest` keys (``ingestAllows(method:path:)``). The permission table of
/// docs/api.md is this one.
enum Permissions {
    /// resource (first path segment after `/v1/`) -> (read, write); nil = open (the handler decides).
    static let table: [String: (read: Role?, write: Role?)] = [
        "session": (nil, nil), "invitations": (nil, nil),
        "reads": (.viewer, .admin), "passes": (.viewer, .operator), "jobs": (.viewer, .operator),
        "stream": (.viewer, .viewer), "usage": (.viewer, .viewer),
        "recognise": (.operator, .operator), "upload": (.operator, .operator),
        "cameras": (.viewer, .admin), "groups": (.viewer, .operator), "watchlists": (.viewer, .operator),
        "alerts": (.viewer, .operator), "alert-rules": (.viewer, .admin),
        "webhooks": (.admin, .admin), "api-keys": (.admin, .admin), "users": (.admin, .admin),
        "audit": (.admin, .admin), "tenant": (.admin, .admin), "exports": (.viewer, .viewer), "export-jobs": (.viewer, .viewer),
        "tariffs": (.viewer, .admin), "sessions": (.viewer, .admin), "overstay-rules": (.viewer, .admin), "reports": (.viewer, .viewer),
        "privacy": (.admin, .admin), "overview": (.viewer, .viewer),
    ]

    /// What an `ingest` key may do: send images, videos and passes, and follow its jobs (nothing else).
    static func ingestAllows(method: HTTPRequest.Method, path: String) -> Bool {
        let s = path.split(separator: "/").map(String.init)
        switch (method, s.count) {
        case (.post, 2): return ["recognise", "upload", "passes"].contains(s[1])
        case (.get, 3), (.head, 3): return s[1] == "jobs"
        default: return false
        }
    }

    /// The role needed for `method` on `path` (`/v1/...`); nil when the route is open or signed (images).
    static func required(method: HTTPRequest.Method, path: String) -> Role? {
        let segments = path.split(separator: "/").dropFirst()  // "v1"
        guard let resource = segments.first.map(String.init) else { return nil }
        if segments.last == "image" && (resource == "reads" || resource == "passes") { return nil }
        if resource == "tariffs" && segments.last == "quote" { return .viewer }  // a POST that changes nothing
        if resource == "reads" && segments.last == "correction" { return .operator }  // operators fix misreads
        if resource == "exports" && segments.last == "tenant" { return .admin }  // the SQL dump holds webhook secrets
        guard let entry = table[resource] else { return .admin }
        return method == .get || method == .head ? entry.read : entry.write
    }
}
