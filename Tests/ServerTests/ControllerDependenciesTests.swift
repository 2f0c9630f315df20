import Foundation
import Testing

/// The edge's layout rules (docs/architecture.md), read from the sources: a controller is given what it uses, not
/// the environment (only the two that ingest hold it), and no controller calls another.
@Suite("Controller dependencies")
struct ControllerDependenciesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Server/Controllers").standardized

    static func sources() throws -> [(name: String, text: String)] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try files.map {
            ($0.replacingOccurrences(of: ".swift", with: ""), try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
        }
    }

    @Test func onlyTheIngestingControllersHoldTheEnvironment() throws {
        let sources = try Self.sources()
        #expect(sources.count >= 15, "controllers found in \(Self.folder.path)")
        let holding = sources.filter { $0.text.contains("ServerEnvironment") }.map(\.name)
        #expect(Set(holding) == ["PassesController", "RecognitionController"])
    }

    @Test func noControllerCallsAnother() throws {
        let sources = try Self.sources()
        for source in sources {
            for other in sources where other.name != source.name {
                #expect(!source.text.contains(other.name + "."), "\(source.name) uses \(other.name)'s statics")
                #expect(!source.text.contains(other.name + "("), "\(source.name) makes a \(other.name)")
            }
        }
    }
}
