import Foundation
import TestSupport
import Testing

/// `microanpr privacy subject-access` and `erase` on a data folder a server wrote.
@Suite struct PrivacyCommandTests {
    @Test func subjectAccessThenErasureFromTheCommandLine() async throws {
        let data = ["--data-dir", try TestPaths.temporaryDirectory().path]
        let tenant = try createTenant(data)
        let server = try ServerProcess(arguments: data)
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg")
        let (status, json) = try await server.request(
            "POST", "/v1/recognise", key: tenant.key, body: try Data(contentsOf: photo), contentType: "image/jpeg")
        server.stop()
        #expect(status == 200)
        let plate = try #require((json["reads"] as? [[String: Any]])?.first?["plate"] as? String)
        let dir = try TestPaths.temporaryDirectory()
        let zip = dir.appendingPathComponent("s.zip").path
        let access = try microanpr(["privacy", "subject-access", tenant.id, "--plate", plate, "--out", zip] + data)
        #expect(access.status == 0, "\(access.stderr)")
        let listing = String(decoding: try run("/usr/bin/unzip", ["-l", zip]).output, as: UTF8.self)
        #expect(listing.contains("subject.json") && listing.contains("-frame.jpg") && listing.contains("-crop.jpg"))
        let erase = try microanpr(["privacy", "erase", tenant.id, "--plate", plate, "--reason", "keeper asked"] + data)
        #expect(erase.status == 0, "\(erase.stderr)")
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(erase.stdout.utf8)) as? [String: Any])
        #expect(counts["reads"] as? Int == 1 && counts["media_files"] as? Int == 2)
        #expect(try microanpr(["privacy", "subject-access", tenant.id, "--plate", plate, "--out", zip] + data).status == 0)
        let after = try #require(try JSONSerialization.jsonObject(with: try run("/usr/bin/unzip", ["-p", zip, "subject.json"]).output) as? [String: Any])
        #expect(((after["sections"] as? [String: Any])?["reads"] as? [Any])?.isEmpty == true)
        let bad = try microanpr(["privacy", "erase", tenant.id, "--plate", "a$b", "--reason", "x"] + data)
        #expect(bad.status != 0 && bad.stderr.contains("--plate"))
    }
}
