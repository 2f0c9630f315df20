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
        // A second photo whose read nobody corrects: exported with --sure as a plate the reader already reads.
        let secondPhoto = TestPaths.datasets.appendingPathComponent(
            "micrometre_carpark1/images/dash_public_uploads_upload-cam1-1706374052443.jpg")
        let (otherStatus, otherAnswer) = try await server.request(
            "POST", "/v1/recognise", key: tenant.key, body: try Data(contentsOf: secondPhoto), contentType: "image/jpeg")
        #expect(otherStatus == 200)
        let sureRead = try #require((otherAnswer["reads"] as? [[String: Any]])?.first)
        let sureID = try #require(sureRead["id"] as? String), surePlate = try #require(sureRead["plate"] as? String)
        #expect(try #require(sureRead["confidence"] as? Double) >= 0.98, "\(sureRead)")
        server.stop()
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("export")
        let r = try microanpr(["training-export", "--tenant", tenant.id, "--out", out.path, "--data-dir", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let labels = try String(contentsOf: out.appendingPathComponent("labels.csv"), encoding: .utf8).split(separator: "\n")
        #expect(labels.count == 2)
        #expect(labels.last?.contains("\"AB12CDE\"") == true && labels.last?.contains("\"\(id)\"") == true)
        #expect(labels.last?.hasSuffix(",\"correction\"") == true)
        let crop = try Data(contentsOf: out.appendingPathComponent("crops/\(id).jpg"))
        #expect(crop.starts(with: [0xFF, 0xD8]))
        // With --sure: the uncorrected sure read too (the corrected one only once, as a correction).
        let withSure = try TestPaths.temporaryDirectory().appendingPathComponent("export-sure")
        let s = try microanpr(["training-export", "--tenant", tenant.id, "--out", withSure.path, "--sure", "5", "--data-dir", dir])
        #expect(s.status == 0 && s.stdout.contains("wrote 1 corrected crops and 1 sure reads"), "\(s.stdout) \(s.stderr)")
        let sureLabels = try String(contentsOf: withSure.appendingPathComponent("labels.csv"), encoding: .utf8).split(separator: "\n")
        #expect(sureLabels.count == 3)
        #expect(
            sureLabels.last?.hasPrefix("\"crops/\(sureID).jpg\",\"\(surePlate)\",") == true
                && sureLabels.last?.hasSuffix(",\"sure\"") == true)
        #expect(FileManager.default.fileExists(atPath: withSure.appendingPathComponent("crops/\(sureID).jpg").path))
        let badSure = try microanpr([
            "training-export", "--tenant", tenant.id, "--out", withSure.path + "-x", "--sure-confidence", "1.5", "--data-dir", dir,
        ])
        #expect(badSure.status != 0 && badSure.stderr.contains("--sure-confidence 1.5"), "\(badSure.stderr)")
        let negativeSure = try microanpr([
            "training-export", "--tenant", tenant.id, "--out", withSure.path + "-y", "--sure=-1", "--data-dir", dir,
        ])
        #expect(negativeSure.status != 0 && negativeSure.stderr.contains("--sure -1: expected 0 or more reads"), "\(negativeSure.stderr)")
        let again = try microanpr(["training-export", "--tenant", tenant.id, "--out", out.path, "--data-dir", dir])
        #expect(again.status == 2 && again.stderr.contains("not empty"))
        // An unknown tenant is one line on stderr and a non-zero exit.
        let other = try TestPaths.temporaryDirectory().appendingPathComponent("none")
        let unknown = try microanpr(["training-export", "--tenant", "ten_none", "--out", other.path, "--data-dir", dir])
        #expect(unknown.status == 1 && unknown.stderr.contains("no tenant ten_none"))
        #expect(unknown.stderr.split(separator: "\n").count == 1)
    }

    /// `training/site_reader.py` (the quick site reader measured in models/plate_reader.md) splits a site's
    /// corrections by registration, so that no vehicle is both trained on and checked on, and refuses too few
    /// corrections or a folder that is not an export with one line, before anything is trained (`--dry-run`: no
    /// PyTorch needed).
    @Test func siteReaderSplitsCorrectionsByPlateAndRefusesTooFew() throws {
        let dir = try TestPaths.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("crops"), withIntermediateDirectories: true)
        let photo = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg")
        var rows = ["file,plate_text,read_id,old_plate,corrected_by,corrected_at"]
        // 40 registrations, 3 crops of each (a vehicle seen in several frames).
        for plate in 0..<40 {
            for frame in 0..<3 {
                let file = "crops/r\(plate)_\(frame).jpg"
                try FileManager.default.copyItem(at: photo, to: dir.appendingPathComponent(file))
                rows.append("\"\(file)\",\"AB\(10 + plate)CDE\",\"r\(plate)_\(frame)\",\"\",\"op@example.com\",\"\"")
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
        let r = try python(["training/site_reader.py", "--corrections", dir.path, "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        // "... 120 crops of 40 plates: train T (P plates), check C (Q plates)": whole vehicles on each side.
        let numbers = r.stdout.split { !$0.isNumber }.compactMap { Int($0) }
        #expect(numbers.count == 6, "\(r.stdout)")
        if numbers.count == 6 {
            let (train, trainPlates, check, checkPlates) = (numbers[2], numbers[3], numbers[4], numbers[5])
            #expect(numbers[0] == 120 && numbers[1] == 40)
            #expect(train == 3 * trainPlates && check == 3 * checkPlates && trainPlates + checkPlates == 40)
            #expect(checkPlates > 0 && trainPlates > checkPlates)
        }
        let few = try python(["training/site_reader.py", "--corrections", dir.path, "--dry-run", "--min-check", "100"])
        #expect(few.status == 1 && few.stderr.hasPrefix("site-reader: too few corrected crops"), "\(few.stderr)")
        #expect(few.stderr.split(separator: "\n").count == 1 && few.stdout.isEmpty)
        let none = try python(["training/site_reader.py", "--corrections", dir.appendingPathComponent("crops").path, "--dry-run"])
        #expect(none.status == 1 && none.stderr.contains("no labels.csv"), "\(none.stderr)")
        #expect(none.stderr.split(separator: "\n").count == 1)
    }

    /// `bench/gb_looks.py compare` pairs each plate's reading in a look (a band, two lines) with its plain one-line reading, and the
    /// script refuses a bad plate count or missing benchmark files with one line.
    @Test func gbLookComparisonPairsEachPlateWithItsPlainSelf() throws {
        let dir = try TestPaths.temporaryDirectory()
        func write(_ kind: String, _ correct: [Int]) throws {
            let rows =
                ["file,truth,read,confidence,detected,correct,total_ms"]
                + correct.enumerated().map { "img/p\($0.offset).png,AB12CDE,AB12CDE,1.000,,\($0.element),1.0" }
            try (rows.joined(separator: "\n") + "\n").write(
                to: dir.appendingPathComponent("\(kind).csv"), atomically: true, encoding: .utf8)
        }
        try write("none", [1, 1, 0, 1])
        try write("blue", [1, 0, 1, 1])
        try write("green", [1, 1, 0, 1])
        let missing = try python(["bench/gb_looks.py", "compare", dir.path])
        #expect(missing.status == 1 && missing.stderr.contains("flag.csv is missing"), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1)
        try write("flag", [0, 0, 0, 0])
        let noTwoLine = try python(["bench/gb_looks.py", "compare", dir.path])
        #expect(noTwoLine.status == 1 && noTwoLine.stderr.contains("two_line.csv is missing"), "\(noTwoLine.stderr)")
        try write("two_line", [1, 1, 1, 1])
        let r = try python(["bench/gb_looks.py", "compare", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("none: 3 of 4 read right"))
        #expect(r.stdout.contains("blue: 3 of 4 read right; 1 lost and 1 gained against no band"))
        #expect(r.stdout.contains("green: 3 of 4 read right; 0 lost and 0 gained against no band"))
        #expect(r.stdout.contains("flag: 0 of 4 read right; 3 lost and 0 gained against no band"))
        #expect(r.stdout.contains("two_line: 4 of 4 read right; 0 lost and 1 gained against no band"))
        let noRender = try python(["bench/gb_looks.py", "video", dir.path])
        #expect(
            noRender.status == 1 && noRender.stderr.hasSuffix("two_line/groundtruth.csv is missing: render OUT first\n"),
            "\(noRender.stderr)")
        #expect(noRender.stderr.split(separator: "\n").count == 1)
        let bad = try python(["bench/gb_looks.py", "render", dir.path, "many"])
        #expect(bad.status == 1 && bad.stderr == "gb_looks: N must be a whole number from 1 to 100000, got 'many'\n")
    }

    /// Runs Debian's `python3` on a script of the repository, from its root.
    func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProcess(URL(fileURLWithPath: "/usr/bin/python3"), arguments, in: TestPaths.root)
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
