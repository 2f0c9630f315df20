import Foundation
import TestSupport
import Testing

/// Running MicroANPR as a service: the systemd unit in `deploy/` and JSON logs.
@Suite struct DeployTests {
    /// `systemd-analyze verify` on the unit (with this build's binary and the example environment file in place
    /// of the installed paths) reports nothing: no unknown key, no value it would ignore.
    @Test(.enabled(if: hasTool("systemd-analyze"), "needs systemd-analyze (Debian's systemd)"))
    func theSystemdUnitVerifies() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let unit = try String(contentsOf: TestPaths.root.appendingPathComponent("deploy/microanpr.service"), encoding: .utf8)
            .replacingOccurrences(of: "ExecStart=/usr/local/bin/microanpr", with: "ExecStart=\(microanprBinary().path)")
            .replacingOccurrences(
                of: "EnvironmentFile=/etc/microanpr/microanpr.env",
                with: "EnvironmentFile=\(TestPaths.root.appendingPathComponent("deploy/microanpr.env.example").path)")
        let file = dir.appendingPathComponent("microanpr.service")
        try unit.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        p.arguments = ["verify", file.path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "systemd-analyze: \(text)")
    }

    /// Setup checks the int8 detector's weight width (7 or 8 bits; by default chosen from the CPU's flags) before it
    /// installs anything: another value stops it with one line on stderr.
    @Test func setupRefusesAWeightWidthOtherThanSevenOrEight() throws {
        for value in ["6", "eight"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [TestPaths.root.appendingPathComponent("scripts/setup.sh").path]
            p.environment = ProcessInfo.processInfo.environment.merging(["MICROANPR_INT8_WEIGHT_BITS": value]) { $1 }
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 1)
            #expect(text == "setup: MICROANPR_INT8_WEIGHT_BITS must be 7 or 8, not '\(value)'\n", "\(text)")
        }
    }

    @Test func jsonLogsAreOneObjectPerLine() async throws {
        let data = try TestPaths.temporaryDirectory().path
        let server = try ServerProcess(arguments: ["--data-dir", data], environment: ["MICROANPR_LOG_FORMAT": "json"])
        server.stop()
        let lines = try String(contentsOf: server.log, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
        #expect(!lines.isEmpty)
        var messages: [String] = []
        var loaded: [String: Any] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["time"] is String && object["level"] is String && object["label"] is String)
            messages.append(object["message"] as? String ?? "")
            if object["message"] as? String == "models loaded" { loaded = object }
        }
        #expect(messages.contains("models loaded"), "\(messages)")
        // Which detector model setup chose for this CPU (its link followed) and the runtime: readings depend on both.
        #expect((loaded["detector"] as? String ?? "").hasPrefix("platedet_head_"), "\(loaded)")
        #expect(loaded["detector"] as? String != "platedet_head.onnx", "\(loaded)")
        // Video and camera frames' detector (`quick_detector`), its link followed too.
        #expect((loaded["frame_detector"] as? String ?? "").hasPrefix("platedet_quick_"), "\(loaded)")
        #expect(loaded["onnxruntime"] is String, "\(loaded)")
        let bad = try microanpr(["serve", "--port", "0", "--data-dir", data], environment: ["MICROANPR_LOG_FORMAT": "xml"])
        #expect(bad.status != 0 && bad.stderr.contains("MICROANPR_LOG_FORMAT"))
        for value in ["-1", "soon", "3601"] {
            let badCache = try microanpr(
                ["serve", "--port", "0", "--data-dir", data], environment: ["MICROANPR_API_KEY_CACHE_SECONDS": value])
            #expect(
                badCache.status != 0 && badCache.stderr.contains("MICROANPR_API_KEY_CACHE_SECONDS must be 0 to 3600"), "\(badCache.stderr)")
        }
        for (value, message) in [
            ("-1", "MICROANPR_RETENTION_PAUSE_PERCENT must be 0 to 1000"), ("1001", "MICROANPR_RETENTION_PAUSE_PERCENT must be 0 to 1000"),
            ("half", "MICROANPR_RETENTION_PAUSE_PERCENT must be an integer"),
        ] {
            let badPause = try microanpr(
                ["serve", "--port", "0", "--data-dir", data], environment: ["MICROANPR_RETENTION_PAUSE_PERCENT": value])
            #expect(badPause.status != 0 && badPause.stderr.contains(message), "\(badPause.stderr)")
        }
    }

    /// `MICROANPR_VIDEO_DETECTOR=still` gives video and camera frames the still images' detector (the start-up log
    /// names it); a value other than quick or still stops the server and the command line with one line naming it.
    @Test func framesGetTheStillDetectorWhenAsked() async throws {
        let data = try TestPaths.temporaryDirectory().path
        let server = try ServerProcess(
            arguments: ["--data-dir", data], environment: ["MICROANPR_LOG_FORMAT": "json", "MICROANPR_VIDEO_DETECTOR": "still"])
        server.stop()
        let loaded = try String(contentsOf: server.log, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.first { $0["message"] as? String == "models loaded" }
        let frames = try #require(loaded?["frame_detector"] as? String, "\(loaded ?? [:])")
        #expect(frames.hasPrefix("platedet_head_") && frames == loaded?["detector"] as? String, "\(frames)")
        let bad = try microanpr(["serve", "--port", "0", "--data-dir", data], environment: ["MICROANPR_VIDEO_DETECTOR": "fast"])
        #expect(bad.status != 0 && bad.stderr.contains("MICROANPR_VIDEO_DETECTOR must be quick or still, got \"fast\""), "\(bad.stderr)")
        let still = TestPaths.datasets.appendingPathComponent("micrometre_carpark1/images/pd_test_data_2.jpg").path
        let badCLI = try microanpr(["recognise", still], environment: ["MICROANPR_VIDEO_DETECTOR": "fast"])
        #expect(badCLI.status != 0 && badCLI.stderr.contains("MICROANPR_VIDEO_DETECTOR must be quick or still"), "\(badCLI.stderr)")
        let badFlag = try microanpr(["recognise", "--video-detector", "fast", still])
        #expect(badFlag.status != 0 && badFlag.stderr.contains("--video-detector"), "\(badFlag.stderr)")
    }
}
