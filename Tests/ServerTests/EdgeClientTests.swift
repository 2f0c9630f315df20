import Crypto
@testable import Edge
import Foundation
import Hummingbird
import Recognition
import Server
import Testing
import TestSupport
import Tracking

/// The edge agent's client, generated from `openapi.yaml` (`APIContract`), against the server on a loopback port.
@Suite("The edge's generated client, on SQLite and PostgreSQL")
struct EdgeClientTests {
    static func pass(_ plate: String = "BD51SMR", confidence: Double = 0.9) -> VehiclePass {
        let reads = (0..<3).map { i in
            Observation(
                time: 1.25 + Double(i) * 0.333, box: Box(x: 10 + Double(i), y: 20, width: 100, height: 25), text: plate,
                display: "BD51 SMR", format: "gb.current", country: "GB", confidence: 0.8)
        }
        return VehiclePass(
            text: plate, display: "BD51 SMR", format: "gb.current", country: "GB", confidence: confidence,
            firstSeen: 1.25, lastSeen: 1.916, direction: .approaching, observations: reads, bestIndex: 1)
    }

    @Test(arguments: Engine.available)
    func aBufferedPassIsDeliveredOnceWithItsImages(engine: Engine) async throws {
        let s = try await TestServer.make(engine)
        let (_, key) = try await s.tenant()
        let buffer = try EdgeBuffer(directory: try TestPaths.temporaryDirectory())
        let jpeg = try Photos.carpark()
        // 2026-11-22T08:00:00.000Z: frame times keep their milliseconds on the way.
        try buffer.add(PassResult(pass: Self.pass(), crop: Array(jpeg), frame: nil), origin: 1_795_334_400_000, cameraID: nil)
        try buffer.add(PassResult(pass: Self.pass(confidence: 3), crop: nil, frame: nil), origin: 1_795_334_400_000, cameraID: nil)
        let entries = buffer.entries()
        try #require(entries.count == 2)
        try await s.live { c, port in
            let server = try #require(URL(string: "http://127.0.0.1:\(port)"))
            let sender = PassSender(server: server, apiKey: key)
            let first = try await sender.send(entries[0])
            #expect(first.status == 201, "\(first.message)")
            #expect(first.plate == "BD51SMR")
            // A retry (the answer was lost) is answered with the stored pass, not stored twice; a server URL given with a
            // trailing slash (or a path prefix) reaches the same operation.
            #expect(try await sender.send(entries[0]).status == 200)
            let slash = try #require(URL(string: "http://127.0.0.1:\(port)/"))
            #expect(try await PassSender(server: slash, apiKey: key).send(entries[0]).status == 200)
            let stored = try await c.call(.get, "/v1/passes", key: key).list("passes")
            try #require(stored.count == 1)
            #expect(stored[0]["first_seen_at"] as? String == "2026-11-22T08:00:01.250Z")
            #expect(stored[0]["last_seen_at"] as? String == "2026-11-22T08:00:01.916Z")
            #expect(stored[0]["frames"] as? Int == 3)
            let crop = try #require(stored[0]["crop_url"] as? String)
            #expect(try await c.call(.get, crop, key: key).body == jpeg)
            // Refusals arrive as the document's error, with its code.
            let bad = try await sender.send(entries[1])
            #expect(bad.status == 400)
            #expect(bad.message.hasPrefix("bad_pass:"), "\(bad.message)")
            let stranger = try await PassSender(server: server, apiKey: "mk_wrong").send(entries[0])
            #expect(stranger.status == 401)
        }
        await s.close()
    }

    /// A damaged `pass.json` in the buffer is a decoding error (the agent moves it to `rejected/` and goes on), never
    /// a request: nothing is sent, so no server is needed here.
    @Test func aDamagedBufferedPassIsADecodingErrorNotARequest() async throws {
        let sender = PassSender(server: try #require(URL(string: "http://127.0.0.1:9")), apiKey: "k")
        for json in [
            "not json", #"{"plate":"AB12CDE"}"#,
            #"{"plate":"AB12CDE","confidence":0.9,"first_seen_at":"noon","last_seen_at":"noon","reads":[]}"#,
        ] {
            let entry = EdgeBuffer.Entry(name: "0-k", idempotencyKey: "k", json: Data(json.utf8), crop: nil, frame: nil)
            await #expect(throws: DecodingError.self) { try await sender.send(entry) }
        }
    }

    /// The generated client appends `/v1/passes` to the server URL as text: trailing slashes are dropped first.
    @Test func theServerURLLosesItsTrailingSlashes() throws {
        for (given, base) in [
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"), ("https://anpr.example/site/", "https://anpr.example/site"),
            ("https://anpr.example//", "https://anpr.example"), ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ] {
            #expect(PassSender.base(try #require(URL(string: given))).absoluteString == base)
        }
    }

    /// scripts/generate-api-client.sh writes the document's sha256 into every generated file: a change to the
    /// document without regenerating the client fails here.
    @Test func theGeneratedClientIsFromThisDocument() throws {
        let spec = try Data(contentsOf: TestPaths.root.appendingPathComponent("Sources/Server/openapi.yaml"))
        let digest = SHA256.hash(data: spec).map { String(format: "%02x", $0) }.joined()
        let generated = TestPaths.root.appendingPathComponent("Sources/APIContract/Generated")
        let files = try FileManager.default.contentsOfDirectory(atPath: generated.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 2)
        for file in files {
            let text = try String(contentsOf: generated.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("// spec sha256 \(digest)"), "\(file): run scripts/generate-api-client.sh")
        }
    }
}
