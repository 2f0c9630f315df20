import Foundation
import Hummingbird
@testable import Core
@testable import Server
import Storage
import Testing

/// `Sources/Server/openapi.yaml` is the API's one description: the router serves exactly its operations.
@Suite struct OpenAPIContractTests {
    /// `METHOD /path` with every path parameter written `{}`, so `:id`, `{id}` and `{read_id}` compare equal.
    static func normalise(_ method: String, _ path: String) -> String {
        let segments = path.split(separator: "/").map { s -> String in
            s.hasPrefix(":") || s.hasPrefix("{") ? "{}" : String(s)
        }
        return "\(method.uppercased()) /\(segments.joined(separator: "/"))"
    }

    /// The keys of a path item that are operations.
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    @Test func theRoutersRoutesAreTheDocumentsOperations() async throws {
        let s = try await TestServer.make(.sqlite)
        defer { Task { await s.close() } }
        let router = MicroANPRServer.makeRouter(s.env)
        // The dashboard's files are not API operations.
        let served = Set(
            router.routes.map { Self.normalise($0.method.rawValue, "\($0.path)") }
                .filter { !$0.hasPrefix("GET /ui/") && $0 != "GET /" })
        let paths = try #require(OpenAPIDocument.object["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in item.keys.filter(Self.methods.contains).map { Self.normalise($0, path) } })
        #expect(served.subtracting(documented).sorted() == [], "routes the document does not describe")
        #expect(documented.subtracting(served).sorted() == [], "documented operations no route serves")
        #expect(documented.count > 50)
    }

    /// Every operation is named once (`operationId`, what code generators such as swift-openapi-generator name a
    /// client's methods after): the method and the path, e.g. `getReadsById`.
    @Test func everyOperationHasItsOwnOperationId() throws {
        let paths = try #require(OpenAPIDocument.object["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, item) in paths {
            for (method, operation) in item where Self.methods.contains(method) {
                let id = (operation as? [String: Any])?["operationId"] as? String
                #expect(
                    id?.range(of: "^\(method)[A-Z][A-Za-z0-9]*$", options: .regularExpression) != nil,
                    "\(method) \(path): \(id ?? "no operationId")")
                ids.append(id ?? "")
            }
        }
        #expect(Set(ids).count == ids.count, "operationIds used twice")
        #expect(ids.count > 50)
    }

    /// Every enum says its type, so generated code gets a typed value (an enum alone becomes an untyped container).
    @Test func everyEnumHasAType() {
        var untyped: [String] = []
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                if object["enum"] != nil && object["type"] == nil { untyped.append(path) }
                for (key, child) in object { walk(child, path + "/" + key) }
            } else if let array = value as? [Any] {
                for (i, child) in array.enumerated() { walk(child, "\(path)[\(i)]") }
            }
        }
        walk(OpenAPIDocument.object, "")
        #expect(untyped.sorted() == [], "enums without a type")
    }

    @Test func theDocumentIsServedAsJSON() async throws {
        let s = try await TestServer.make(.sqlite)
        defer { Task { await s.close() } }
        let reply = try await s.test { c in try await c.call(.get, "/openapi.json") }
        #expect(reply.status == .ok)
        let object = reply.json
        #expect(object["openapi"] as? String == "3.1.0")
        #expect((object["paths"] as? [String: Any])?["/v1/reads"] != nil)
    }

    /// Request bodies are checked against the fields the document gives their operation (there is no hand-written
    /// list per handler): every JSON body documents its fields and is closed (`additionalProperties: false`), an
    /// explicit null for one of them is refused by name, and so is a field the document does not name.
    @Test func requestBodiesAreCheckedAgainstTheDocumentsFields() async throws {
        let paths = try #require(OpenAPIDocument.object["paths"] as? [String: [String: Any]])
        var bodies = 0
        for (path, item) in paths {
            for (method, op) in item where Self.methods.contains(method) {
                let content = ((op as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                guard content?["application/json"] != nil else { continue }
                bodies += 1
                let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x_1", options: .regularExpression)
                let body = RouteTable.shared.body(method: method, path: concrete)
                #expect(body?.fields.isEmpty == false, "\(method.uppercased()) \(path) documents no body fields")
                #expect(body?.closed == true, "\(method.uppercased()) \(path): the body is not additionalProperties: false")
            }
        }
        #expect(bodies >= 20)
        #expect(
            RouteTable.shared.body(method: "POST", path: "/v1/cameras")?.fields
                == ["name", "site", "direction", "country", "source_url", "enabled", "unknown_access"])
        #expect(RouteTable.shared.body(method: "POST", path: "/v1/groups/grp_1/members")?.fields.contains("permit_id") == true)
        #expect(RouteTable.shared.body(method: "GET", path: "/v1/reads") == nil)

        let s = try await TestServer.make(.sqlite)
        defer { Task { await s.close() } }
        let (_, key) = try await s.tenant(plan: .pro)
        try await s.test { c in
            let null = try await c.call(.post, "/v1/groups", key: key, json: ["name": "staff", "description": NSNull()])
            #expect(null.status == .badRequest)
            #expect((null["error"] as? [String: Any])?["message"] as? String == "field description must not be null")
            let extra = try await c.call(.post, "/v1/groups", key: key, json: ["name": "staff", "descripton": "typo"])
            #expect(extra.status == .badRequest)
            #expect(
                (extra["error"] as? [String: Any])?["message"] as? String
                    == "unknown field descripton; this body takes description, name")
            // The one body read by hand (a tariff) is held to the same rule.
            let tariff = try await c.call(.put, "/v1/tariffs", key: key, json: ["site": "north", "tariff": [:], "currency": "GBP"])
            #expect(tariff.status == .badRequest)
            #expect(
                (tariff["error"] as? [String: Any])?["message"] as? String == "unknown field currency; this body takes site, tariff")
            let ok = try await c.call(.post, "/v1/groups", key: key, json: ["name": "staff", "description": "permits"])
            #expect(ok.status == .created)
        }
    }
}
