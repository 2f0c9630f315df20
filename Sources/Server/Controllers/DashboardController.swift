import Foundation
import Hummingbird
import Crypto
import Media

/// Serves the web dashboard: `/` is its single page, `/ui/...` its modules, styles and icons, all from the
/// `Dashboard` folder shipped with the server (read once at start; a configured folder,
/// `MICROANPR_DASHBOARD_DIR`, overrides it for development). Everything is same-origin: the Content-Security-Policy allows nothing else.
struct DashboardController {
    struct Asset: Sendable { var data: ByteBuffer; var type: String; var etag: String }
    let assets: [String: Asset]

    init(directory: URL? = nil) {
        let dir = directory ?? Self.defaultDirectory
        var found: [String: Asset] = [:]
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url), !url.hasDirectoryPath else { continue }
            let name = String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
            let etag = "\"" + Hex.string(Array(SHA256.hash(data: data).prefix(8))) + "\""
            found[name] = Asset(data: ByteBuffer(bytes: data), type: Self.contentType(url.pathExtension), etag: etag)
        }
        assets = found
    }

    /// The resource bundle SwiftPM builds next to the executable, else this source folder (a build moved
    /// without its bundle).
    static var defaultDirectory: URL {
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        let bundled = (Bundle.main.executableURL ?? exe).deletingLastPathComponent()
            .appendingPathComponent("microanpr_Server.resources/Dashboard")
        if FileManager.default.fileExists(atPath: bundled.path) { return bundled }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Dashboard")
    }

    static func contentType(_ ext: String) -> String {
        switch ext {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json", "webmanifest": "application/json"
        default: "application/octet-stream"
        }
    }

    func addRoutes(to router: Router<AppContext>) {
        router.get("/") { request, _ in try self.serve("index.html", request) }
        router.get("ui/**") { request, context in
            try self.serve(context.parameters.getCatchAll().joined(separator: "/"), request)
        }
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
        .xFrameOptions: "DENY",
    ]

    func serve(_ name: String, _ request: Request) throws -> Response {
        guard let asset = assets[name] else { throw APIError.notFound("file \(name)") }
        var headers = Self.securityHeaders
        headers[.cacheControl] = "no-cache"
        headers[.eTag] = asset.etag
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = asset.type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.data))
    }
}
