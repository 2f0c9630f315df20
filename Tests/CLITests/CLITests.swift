import Foundation
import TestSupport
import Testing

/// Runs the built `microanpr` executable (beside the test bundle) and captures its output.
func microanpr(
    _ arguments: [String], environment extra: [String: String] = [:], removing: [String] = []
) throws -> (status: Int32, stdout: String, stderr: String) {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("microanpr")
    let binary =
        FileManager.default.isExecutableFile(atPath: beside.path)
        ? beside : TestPaths.root.appendingPathComponent(".build/debug/microanpr")
    var env = ProcessInfo.processInfo.environment
    env["MICROANPR_MODELS"] = TestPaths.manifest
    for (k, v) in extra { env[k] = v }
    for k in removing { env[k] = nil }
    return try runProcess(binary, arguments, environment: env)
}

/// Runs `executable` with `arguments` and `environment` (in `directory` when given) to its end: its exit status,
/// standard output and standard error.
func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
    in directory: URL? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite struct CLITests {
    let sample = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg").path

    @Test func recogniseJSONPrintsOneObjectPerFileAndFailsOnBadOnes() throws {
        let dir = try TestPaths.temporaryDirectory()
        let text = dir.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let r = try microanpr(["recognise", "--json", sample, text.path, dir.path])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let plates = try #require(objects[0]["plates"] as? [[String: Any]])
        let first = try #require(plates.first)
        #expect(first["text"] as? String == "LR64HDU")
        #expect(first["display"] as? String == "LR64 HDU")
        #expect(first["format"] as? String == "gb.current")
        #expect(first["country"] as? String == "GB")
        let confidence = try #require(first["confidence"] as? Double)
        #expect((0...1).contains(confidence))
        let box = try #require(first["box"] as? [String: Any])
        #expect(Set(box.keys) == ["x", "y", "w", "h"])
        #expect(!((first["candidates"] as? [[String: Any]]) ?? []).isEmpty)
        let timing = try #require(objects[0]["timing_ms"] as? [String: Any])
        #expect(Set(timing.keys) == ["decode", "detect", "read", "total"])
        #expect((objects[1]["error"] as? [String: Any])?["code"] as? String == "unsupported_format")
        #expect((objects[2]["error"] as? [String: Any])?["code"] as? String == "unreadable_input")
        #expect(objects[2]["file"] as? String == dir.path)
    }

    /// A folder stands for the images and videos in it and below it, in name order (numbers as numbers), hidden
    /// files and other files left out; a folder with none is an error on its own line, the others still read.
    @Test func aFolderIsReadImageByImageInNameOrder() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let camera = dir.appendingPathComponent("camera")
        for sub in ["camera/day 2", "camera/.thumbnails", "empty"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for name in ["camera/day 2/snap10.JPG", "camera/day 2/snap9.jpg", "camera/a.png.txt", "camera/.thumbnails/t.jpg", "camera/.x.jpg"] {
            try FileManager.default.copyItem(atPath: sample, toPath: dir.appendingPathComponent(name).path)
        }
        let r = try microanpr(["recognise", "--json", camera.path, dir.appendingPathComponent("empty").path])
        #expect(r.status == 1, "\(r.stderr)")
        let objects = try r.stdout.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let files: [String] = objects.map { $0["file"] as? String ?? "" }
        let expected: [String] = ["snap9.jpg", "snap10.JPG"].map { camera.path + "/day 2/" + $0 } + [dir.path + "/empty"]
        #expect(files == expected)
        let texts: [String] = objects.dropLast().map { (($0["plates"] as? [[String: Any]])?.first?["text"] as? String) ?? "" }
        #expect(texts == ["LR64HDU", "LR64HDU"])
        let error = objects.last?["error"] as? [String: Any]
        #expect(error?["message"] as? String == "\(dir.path)/empty: no image or video in this folder")
    }

    /// ONNX Runtime 1.31's official builds keep a device id and an event cache under `~/.cache/Microsoft` and
    /// upload usage telemetry; the engine switches that off itself, whatever the environment says (the
    /// Makefile also sets `ORT_DISABLE_TELEMETRY` for the Python tools, so it is taken away here).
    @Test func recognisingWritesNothingUnderHome() throws {
        let home = try TestPaths.temporaryDirectory()
        let r = try microanpr(
            ["recognise", "--json", sample], environment: ["HOME": home.path], removing: ["ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("LR64HDU"))
        let left = try FileManager.default.subpathsOfDirectory(atPath: home.path)
        #expect(left.isEmpty, "written under HOME: \(left)")
    }

    @Test func plainOutputAndErrorsOnStderr() throws {
        let ok = try microanpr(["recognise", sample])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("LR64 HDU"))
        let bad = try microanpr(["recognise", "/nonexistent.jpg"])
        #expect(bad.status == 1)
        #expect(bad.stderr.split(separator: "\n").count == 1)
        #expect(bad.stderr == "microanpr: /nonexistent.jpg: no such file\n", "\(bad.stderr)")  // the file named once
        let heic = try TestPaths.temporaryDirectory().appendingPathComponent("IMG_0001.HEIC")
        try Data([0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)).write(to: heic)
        let iphone = try microanpr(["recognise", heic.path])
        #expect(
            iphone.status == 1 && iphone.stderr.contains("HEIC/HEIF and AVIF photos are not read: save or export it as JPEG"),
            "\(iphone.stderr)")
        let country = try microanpr(["recognise", "--country", "xx", sample])
        #expect(country.status == 2 && country.stderr.hasPrefix("microanpr: unknown country \"xx\""), "\(country.stderr)")
    }

    @Test func badOptionsExitNonZeroWithOneLine() throws {
        let r = try microanpr(["recognise", "--threads", "0", sample])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--threads"))
        let missing = try microanpr(["recognise", "--models", "/nonexistent/manifest.json", sample])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("make setup"))
    }

    @Test func benchReportsEveryFigure() throws {
        // A two-image dataset made from the shared one, so the test stays quick.
        let dir = try TestPaths.temporaryDirectory()
        let src = TestPaths.datasets.appendingPathComponent("micrometre_carpark1")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("images"), withIntermediateDirectories: true)
        let rows = try String(contentsOf: src.appendingPathComponent("groundtruth.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        let picked = [rows[0]] + rows.dropFirst().filter { $0.contains("pd_test_data_2.jpg") || $0.contains("1706374052443") }
        for row in picked.dropFirst() {
            let file = String(row.split(separator: ",")[0])
            try FileManager.default.copyItem(at: src.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        try picked.joined(separator: "\n").write(to: dir.appendingPathComponent("groundtruth.csv"), atomically: true, encoding: .utf8)
        let csv = dir.appendingPathComponent("out.csv").path
        let r = try microanpr(["bench", dir.path, "--json", "--csv", csv])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in [
            "images", "plates", "detection_recall", "exact_accuracy", "registration_accuracy", "median_ms", "p90_ms", "load_ms",
            "peak_rss_mb",
        ] {
            #expect(summary[key] != nil, "missing \(key)")
        }
        #expect(summary["images"] as? Int == 2)
        #expect(summary["exact_accuracy"] as? Double == 1)
        // Two images with one plate each: at least one reader run each.
        #expect((summary["reader_runs_per_image"] as? Double ?? 0) >= 1)
        #expect(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").count == 3)
        let none = try microanpr(["bench", "/nonexistent"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("groundtruth.csv"))
        // --folder keeps the images under one sub-folder; one that holds none is refused with one line.
        let folder = try microanpr(["bench", dir.path, "--json", "--folder", "images"])
        #expect(folder.status == 0, "\(folder.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(folder.stdout.utf8)) as? [String: Any])?["images"] as? Int == 2)
        let empty = try microanpr(["bench", dir.path, "--folder", "us"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no labelled image under us/"))
        #expect(empty.stderr.split(separator: "\n").count == 1)
    }

    /// Runs a script of `bench/` with `environment` added: its exit status, standard output and standard error.
    func bench(_ script: String, _ environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try shellScript("bench/\(script)", environment)
    }

    /// Runs the repository's bash script at `path` (relative to the root) with `environment` added to this one's.
    func shellScript(_ path: String, _ environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProcess(
            URL(fileURLWithPath: "/bin/bash"), [TestPaths.root.appendingPathComponent(path).path],
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    /// `make train` (`training/train.sh`) refuses a bad `NARROW` or `INPUT`, or one with another recipe, a bad `FORMATS`, an
    /// unknown `READER` (which would otherwise train reader A over the shipped one), or `READER=a2` without reader A's
    /// checkpoint to start from, with one line before it installs the training requirements (several GB) or builds anything.
    @Test(arguments: [
        (["NARROW": "3"], "NARROW must be 1 or 2, got '3'"),
        (["READER": "x"], "READER must be a, a2, b, c, v6, f or m, got 'x'"),
        (
            ["READER": "a2", "A_CHECKPOINT": "/nonexistent/best.pt"],
            "READER=a2 starts from reader A's checkpoint /nonexistent/best.pt, which is missing: run make train first (or set A_CHECKPOINT)"
        ),
        (
            ["FORMATS": "today"],
            "FORMATS must be empty (the shipped readers' training/formats.json) or current (today's packs), got 'today'"
        ),
        (["NARROW": "1", "READER": "b"], "NARROW goes with reader A's recipe only (no READER or ARCH)"),
        (["NARROW": "2", "ARCH": "small"], "NARROW goes with reader A's recipe only (no READER or ARCH)"),
        (["INPUT": "24x96"], "INPUT must be 32x160, got '24x96'"),
        (["INPUT": "32x160", "READER": "b"], "INPUT goes with reader A's recipe only (no READER, ARCH or NARROW)"),
    ])
    func trainingRefusesABadSettingBeforeInstallingAnything(environment: [String: String], message: String) throws {
        let r = try shellScript("training/train.sh", environment)
        #expect(r.status == 2)
        #expect(r.stderr == "train: \(message)\n")
        #expect(r.stdout.isEmpty)
    }

    /// `bench/scale.sh` refuses an `OTHER_WORK_GB` that is not a whole number of gigabytes with one line, before it
    /// starts a database or installs anything.
    @Test func theScaleBenchmarkRefusesABadOtherWorkSize() throws {
        let r = try bench("scale.sh", ["OTHER_WORK_GB": "1.5"])
        #expect(r.status == 2)
        #expect(r.stderr == "scale: OTHER_WORK_GB must be a whole number of gigabytes, got '1.5'\n")
    }

    /// `bench/scale_ab.sh` refuses a bad size, number of rounds, duration or build with one line, before it starts a
    /// database.
    @Test(arguments: [
        (["READS": "10"], "READS must be a whole number of at least 1000, got '10'"),
        (["ROUNDS": "two"], "ROUNDS must be a whole number of at least 1, got 'two'"),
        (["DURATION": "1m"], "DURATION must be whole seconds such as 8s, got '1m'"),
        (["BIN_A": "/nonexistent/microanpr"], "/nonexistent/microanpr is not an executable build"),
    ])
    func theABBenchmarkRefusesBadSettings(environment: [String: String], message: String) throws {
        let r = try bench("scale_ab.sh", environment)
        #expect(r.status == 2)
        #expect(r.stderr == "scale_ab: \(message)\n")
        #expect(r.stdout.isEmpty)
    }

    /// `bench/validation.sh` refuses a `VALIDATION_SEEDS` entry that is not a whole number before it reads anything.
    @Test func theValidationBenchmarkRefusesABadSeedBeforeReadingAnything() throws {
        let r = try bench("validation.sh", ["VALIDATION_SEEDS": "1 two", "OUT": try TestPaths.temporaryDirectory().path])
        #expect(r.status == 2)
        #expect(r.stderr == "validation: VALIDATION_SEEDS must be whole numbers, got 'two'\n")
        #expect(r.stdout.isEmpty)  // nothing was read
    }

    /// ... and a `VALIDATION_STYLES` entry that is not GAP:ZOOM[:MOTION] with a gap it knows, a zoom from 1 to 4 and a
    /// motion it knows.
    @Test(arguments: ["grey:1.6", "black:0.5", "cut:4.5", "black", "blur:1.6:spin", "blur:1.6:"])
    func theValidationBenchmarkRefusesABadStyleBeforeReadingAnything(style: String) throws {
        let r = try bench("validation.sh", ["VALIDATION_STYLES": "cut:1.6:pan \(style)", "OUT": try TestPaths.temporaryDirectory().path])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "validation: VALIDATION_STYLES must be GAP:ZOOM[:MOTION] (GAP blur, black or cut; ZOOM from 1 to 4; MOTION zoom or pan), got '\(style)'\n"
        )
        #expect(r.stdout.isEmpty)
    }

    /// ... and a `VALIDATION_CROSSING` speed that is not a whole number of pixels a second from 100 to 20,000.
    @Test(arguments: ["fast", "50", "1600.5", "30000"])
    func theValidationBenchmarkRefusesABadCrossingSpeedBeforeReadingAnything(speed: String) throws {
        let r = try bench("validation.sh", ["VALIDATION_CROSSING": "800 \(speed)", "OUT": try TestPaths.temporaryDirectory().path])
        #expect(r.status == 2)
        #expect(r.stderr == "validation: VALIDATION_CROSSING must be speeds from 100 to 20000 (pixels a second), got '\(speed)'\n")
        #expect(r.stdout.isEmpty)
    }
}
