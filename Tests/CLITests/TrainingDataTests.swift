import Foundation
import TestSupport
import Testing

/// The commands around the reader's training data: the format grammar, corrections exported as training
/// crops, and benchmarks scored on one split of the splits file.
@Suite(.serialized) struct TrainingDataTests {
    @Test func formatsJSONIsTheGrammarOfEveryPack() throws {
        let r = try microanpr(["formats", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let packs = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(packs.first?["country"] as? String == "GB")
        #expect(packs.count >= 20)
        let gb = try #require(packs.first?["formats"] as? [[String: Any]])
        #expect(gb.contains { $0["id"] as? String == "gb.current" && ($0["pattern"] as? String)?.contains("[012567]D") == true })
        let bad = try microanpr(["formats", "--country", "xx"])
        #expect(bad.status == 2 && bad.stderr.split(separator: "\n").count == 1)
    }

    /// An operator's correction through the API comes out of `training-export` as the read's crop and its
    /// corrected text; a second export into the same folder is refused.
    @Test func correctedReadsAreExportedAsTrainingCrops() async throws {
        let dir = try TestPaths.temporaryDirectory().path
        let tenant = try createTenant(["--data-dir", dir])
        let server = try ServerProcess(arguments: ["--data-dir", dir], environment: ["MICROANPR_RUN_CAMERAS": "0"])
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg")
        let (status, answer) = try await server.request(
            "POST", "/v1/recognise", key: tenant.key, body: try Data(contentsOf: photo),
            contentType: "image/jpeg")
        #expect(status == 200)
        let read = try #require((answer["reads"] as? [[String: Any]])?.first)
        let id = try #require(read["id"] as? String)
        let body = try JSONSerialization.data(withJSONObject: ["plate": "AB12 CDE"])
        let (fixed, corrected) = try await server.request(
            "POST", "/v1/reads/\(id)/correction", key: tenant.key, body: body,
            contentType: "application/json")
        #expect(fixed == 200 && corrected["plate"] as? String == "AB12CDE", "\(corrected)")
        server.stop()
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("export")
        let r = try microanpr(["training-export", "--tenant", tenant.id, "--out", out.path, "--data-dir", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let labels = try String(contentsOf: out.appendingPathComponent("labels.csv"), encoding: .utf8).split(separator: "\n")
        #expect(labels.count == 2)
        #expect(labels.last?.contains("\"AB12CDE\"") == true && labels.last?.contains("\"\(id)\"") == true)
        let crop = try Data(contentsOf: out.appendingPathComponent("crops/\(id).jpg"))
        #expect(crop.starts(with: [0xFF, 0xD8]))
        let again = try microanpr(["training-export", "--tenant", tenant.id, "--out", out.path, "--data-dir", dir])
        #expect(again.status == 2 && again.stderr.contains("not empty"))
        // An unknown tenant is one line on stderr and a non-zero exit.
        let other = try TestPaths.temporaryDirectory().appendingPathComponent("none")
        let unknown = try microanpr(["training-export", "--tenant", "ten_none", "--out", other.path, "--data-dir", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("no tenant ten_none"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
    }

    /// Connection and stream caps below 1 are refused before the server starts, with one line naming them.
    @Test func serveRefusesCapsBelowOne() throws {
        let dir = try TestPaths.temporaryDirectory().path
        for name in ["MICROANPR_MAX_CONNECTIONS", "MICROANPR_SSE_MAX_CLIENTS", "MICROANPR_SSE_MAX_CLIENTS_PER_TENANT"] {
            let r = try microanpr(["serve", "--port", "0", "--data-dir", dir], environment: [name: "0"])
            #expect(r.status != 0, "\(name)")
            #expect(r.stderr.contains("_SSE_MAX_CLIENTS_PER_TENANT") && r.stderr.contains("at least 1"), "\(r.stderr)")
        }
    }

    /// `bench --split` scores only the images of that split, says so, and refuses an unknown split.
    @Test func benchScoresOneSplitOfTheSplitsFile() throws {
        let root = try TestPaths.temporaryDirectory()
        let dir = root.appendingPathComponent("tiny_set")
        let src = TestPaths.datasets.appendingPathComponent("micrometre_carpark1")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("images"), withIntermediateDirectories: true)
        let rows = try String(contentsOf: src.appendingPathComponent("groundtruth.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        let picked = [rows[0]] + rows.dropFirst().filter { $0.contains("pd_test_data_2.jpg") || $0.contains("1706374052443") }
        let files = picked.dropFirst().map { String($0.split(separator: ",")[0]) }
        for file in files { try FileManager.default.copyItem(at: src.appendingPathComponent(file), to: dir.appendingPathComponent(file)) }
        try picked.joined(separator: "\n").write(to: dir.appendingPathComponent("groundtruth.csv"), atomically: true, encoding: .utf8)
        let splits = root.appendingPathComponent("splits.json")
        let table: [String: Any] = ["datasets": ["tiny_set": ["default": NSNull(), "images": [files[0]: "train", files[1]: "report"]]]]
        try JSONSerialization.data(withJSONObject: table).write(to: splits)
        let r = try microanpr(["bench", dir.path, "--json", "--splits", splits.path])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(summary["images"] as? Int == 1)
        #expect(summary["split"] as? String == "report")
        #expect(summary["split_usage"] as? [String: Int] == ["train": 1, "report": 1])
        #expect(summary["precision"] != nil)
        // The detector's link followed to the model setup chose for this CPU.
        let detectors = ["platedet_head_int8_trainsplit.onnx", "platedet_head_int8w7_trainsplit.onnx", "platedet_head_fp32.onnx"]
        #expect(detectors.contains(summary["detector"] as? String ?? ""), "\(summary["detector"] ?? "none")")
        #expect(r.stderr.contains("train 1, validation 0, report 1"))
        let all = try microanpr(["bench", dir.path, "--json", "--splits", splits.path, "--split", "all"])
        #expect((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])?["images"] as? Int == 2)
        #expect(try microanpr(["bench", dir.path, "--split", "seen"]).status != 0)
    }
}
