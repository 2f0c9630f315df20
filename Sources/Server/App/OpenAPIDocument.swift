import Foundation
import Yams

/// The API's contract, `Sources/Server/openapi.yaml` (its one description: edit it to change the API), served
/// as JSON at `/openapi.json`. `make test` checks the live server against it with schemathesis
/// (scripts/api-fuzz.sh), and a test checks that the router's routes and its operations are the same set.
enum OpenAPIDocument {
    /// The document as JSON text (keys sorted, so the answer is the same on every start).
    static let json: String = {
        // The file ships in the target's resources; a build without it, or with a document that does not parse,
        // is a packaging error, caught by the tests before any release.
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("openapi.yaml is missing from the Server resources") }
        do {
            guard let object = try Yams.load(yaml: text) as? [String: Any] else { preconditionFailure("openapi.yaml is not a mapping") }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch { preconditionFailure("openapi.yaml does not load: \(error)") }
    }()

    /// The document as a JSON object.
    static var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:] }
}
