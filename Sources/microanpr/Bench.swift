import ArgumentParser
import Foundation
import Plates
import Recognition
import Vision

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure accuracy and speed on a dataset folder with groundtruth.csv.")

    @Argument(help: "Dataset folder holding groundtruth.csv.")
    var dataset: String

    @OptionGroup var engine: EngineOptions

    @Option(help: "Write one CSV row per labelled plate to this file.")
    var csv: String?

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Flag(name: .customLong("fold-o0"), help: "Score letter O and digit 0 as equal.")
    var foldO0 = false

    @Option(
        help:
            "Only the images under this sub-folder of the dataset (e.g. us), as a site whose cameras are set to one country would see them."
    )
    var folder: String?

    @Option(help: "Splits file saying which images trained the reader or chose settings (default: training/splits.json when present).")
    var splits: String?

    @Option(help: "Which images to score: report (used for neither training nor tuning; the default), validation, train or all.")
    var split: String = "report"

    func validate() throws {
        guard ["report", "validation", "train", "all"].contains(split) else {
            throw ValidationError("--split must be report, validation, train or all")
        }
    }

    func run() async throws {
        let dir = URL(fileURLWithPath: dataset)
        let truthText: String
        do { truthText = try String(contentsOf: dir.appendingPathComponent("groundtruth.csv"), encoding: .utf8) } catch {
            printError("microanpr: \(dataset): no readable groundtruth.csv")
            throw ExitCode(2)
        }
        var truths: [GroundTruth]
        do { truths = try GroundTruth.load(csv: truthText) } catch {
            printError("microanpr: \(error)")
            throw ExitCode(2)
        }
        if let folder {
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            truths = truths.filter { $0.file.hasPrefix(prefix) }
            guard !truths.isEmpty else {
                printError("microanpr: \(dataset): no labelled image under \(prefix)")
                throw ExitCode(2)
            }
        }
        // Which images trained or tuned the reader: only the others give figures worth reporting.
        let splitsPath = splits ?? (FileManager.default.fileExists(atPath: "training/splits.json") ? "training/splits.json" : nil)
        var usage: [String: Int] = [:]
        var splitNote = "no splits file: every image counted"
        if let splitsPath {
            let table: DatasetSplits
            do { table = try DatasetSplits.load(splitsPath) } catch {
                printError("microanpr: \(splitsPath): not a readable splits file (\(error))")
                throw ExitCode(2)
            }
            let name = dir.standardizedFileURL.lastPathComponent
            var seen = Set<String>()
            for t in truths where seen.insert(t.file).inserted { usage[table.role(dataset: name, file: t.file), default: 0] += 1 }
            if split != "all" { truths = truths.filter { table.role(dataset: name, file: $0.file) == split } }
            splitNote =
                "\(split) split of \(splitsPath): "
                + ["train", "validation", "report"].map { "\($0) \(usage[$0] ?? 0)" }.joined(separator: ", ")
                + " images"
                + (usage["train", default: 0] + usage["validation", default: 0] == 0 ? " (never used for training or tuning)" : "")
            guard !truths.isEmpty else {
                printError("microanpr: \(dataset): no image in the \(split) split")
                throw ExitCode(2)
            }
        }
        printError("microanpr: \(dir.lastPathComponent): \(splitNote)")
        let recognizer = try engine.makeRecognizer()
        defer { recognizer.shutdown() }
        let scorer = BenchmarkScorer(foldO0: foldO0)
        var files: [String] = []
        for t in truths where !files.contains(t.file) { files.append(t.file) }
        let byFile = Dictionary(grouping: truths, by: \.file)
        var outcomes: [BenchmarkScorer.Outcome] = []
        var decode: [Double] = [], detect: [Double] = [], read: [Double] = [], total: [Double] = []
        var readerRuns = 0
        var failures = 0
        var platesRead = 0, readsMatching = 0
        var rows = ["file,truth,read,confidence,detected,correct,total_ms"]
        var bar = ProgressBar(total: files.count, label: "bench")
        // The dataset is read as one site's images, in order: under `auto` the mix learns from the reads so far.
        let mix = engine.countryMix ? CountryMix() : nil
        for (i, file) in files.enumerated() {
            let path = dir.appendingPathComponent(file).path
            let result: RecognitionResult
            do { result = try await recognizer.recognise(file: path, country: engine.country, crop: engine.crop, mix: mix) } catch {
                failures += 1
                printError(file: path, error)
                let missed = (byFile[file] ?? []).map {
                    BenchmarkScorer.Outcome(truth: $0, detected: $0.box == nil ? nil : false, read: nil, confidence: nil, correct: false)
                }
                outcomes += missed
                bar.update(i + 1)
                continue
            }
            decode.append(result.timings.decode); detect.append(result.timings.detect)
            read.append(result.timings.read); total.append(result.timings.total)
            readerRuns += result.timings.readerRuns
            let scored = scorer.score(truths: byFile[file] ?? [], plates: result.plates)
            platesRead += result.plates.count
            readsMatching += scorer.matchingReads(truths: byFile[file] ?? [], plates: result.plates)
            for o in scored {
                rows.append(
                    [
                        file, o.truth.plate, o.read ?? "", o.confidence.map { String(format: "%.3f", $0) } ?? "",
                        o.detected.map { $0 ? "1" : "0" } ?? "", o.correct ? "1" : "0",
                        String(format: "%.1f", result.timings.total),
                    ].joined(separator: ","))
            }
            outcomes += scored
            bar.update(i + 1)
        }
        if let csv {
            do { try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8) } catch {
                printError("microanpr: cannot write \(csv): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let withBox = outcomes.filter { $0.detected != nil }
        let recall: Double? = withBox.isEmpty ? nil : Double(withBox.filter { $0.detected == true }.count) / Double(withBox.count)
        let exact = outcomes.isEmpty ? 0 : Double(outcomes.filter(\.correct).count) / Double(outcomes.count)
        let reg = scorer.registrationAccuracy(outcomes)
        let summary = Summary(
            images: files.count, plates: outcomes.count, failed: failures,
            detectionRecall: recall.map(round4), exactAccuracy: round4(exact),
            registrationAccuracy: round4(reg.total == 0 ? 0 : Double(reg.right) / Double(reg.total)),
            registrationsRight: reg.right, registrations: reg.total,
            medianMs: .init(
                decode: r1(percentile(decode, 50)), detect: r1(percentile(detect, 50)),
                read: r1(percentile(read, 50)), total: r1(percentile(total, 50))),
            p90Ms: .init(
                decode: r1(percentile(decode, 90)), detect: r1(percentile(detect, 90)),
                read: r1(percentile(read, 90)), total: r1(percentile(total, 90))),
            readerRunsPerImage: decode.isEmpty ? 0 : (Double(readerRuns) / Double(decode.count) * 100).rounded() / 100,
            loadMs: r1(recognizer.loadMilliseconds), peakRssMb: r1(peakResidentMegabytes()),
            byCountry: groups(outcomes) { $0.truth.country.trimmingCharacters(in: CharacterSet(charactersIn: "?")) },
            byFolder: groups(outcomes) { String($0.truth.file.split(separator: "/").first ?? "") },
            threads: engine.threads, country: engine.country, foldO0: foldO0,
            platesRead: platesRead, precision: platesRead == 0 ? nil : round4(Double(readsMatching) / Double(platesRead)),
            split: splitsPath == nil ? "all (no splits file)" : split, splitUsage: usage,
            detector: recognizer.detectorFile)
        if json {
            printJSON(summary)
        } else {
            print(
                """
                dataset                \(dataset)
                images                 \(summary.images) (\(failures) failed)
                labelled plates        \(summary.plates)
                detection recall       \(recall.map(pct) ?? "n/a (no labelled boxes)") (IoU >= 0.3, \(withBox.count) labelled boxes)
                split                  \(splitNote)
                exact reads            \(pct(exact)) (\(outcomes.filter(\.correct).count)/\(outcomes.count))
                precision              \(platesRead == 0 ? "n/a (nothing read)" : pct(Double(readsMatching) / Double(platesRead))) (\(readsMatching) of \(platesRead) plates read match a label)
                registrations right    \(reg.right)/\(reg.total) (majority over each registration's images)
                median ms              total \(summary.medianMs.total)  decode \(summary.medianMs.decode)  detect \(summary.medianMs.detect)  read \(summary.medianMs.read)
                p90 ms                 total \(summary.p90Ms.total)  decode \(summary.p90Ms.decode)  detect \(summary.p90Ms.detect)  read \(summary.p90Ms.read)
                reader runs per image  \(summary.readerRunsPerImage) (each reader on each layout of each box read)
                model load ms          \(summary.loadMs)
                detector               \(summary.detector)
                peak RSS MB            \(summary.peakRssMb)
                by country             \(summary.byCountry.sorted { $0.key < $1.key }.map { "\($0.key) \(pct($0.value.exactAccuracy)) of \($0.value.plates)" }.joined(separator: ", "))
                by folder              \(summary.byFolder.sorted { $0.key < $1.key }.map { "\($0.key) \(pct($0.value.exactAccuracy)) of \($0.value.plates)" }.joined(separator: ", "))
                """)
        }
    }

    struct Stages: Encodable { var decode, detect, read, total: Double }
    struct Group: Encodable {
        var plates: Int
        var exactAccuracy: Double
        enum CodingKeys: String, CodingKey { case plates, exactAccuracy = "exact_accuracy" }
    }

    /// Exact-read accuracy per group of labelled plates.
    func groups(_ outcomes: [BenchmarkScorer.Outcome], by key: (BenchmarkScorer.Outcome) -> String) -> [String: Group] {
        Dictionary(grouping: outcomes, by: key).mapValues {
            Group(plates: $0.count, exactAccuracy: round4(Double($0.filter(\.correct).count) / Double($0.count)))
        }
    }
    struct Summary: Encodable {
        var images, plates, failed: Int
        var detectionRecall: Double?
        var exactAccuracy, registrationAccuracy: Double
        var registrationsRight, registrations: Int
        var medianMs, p90Ms: Stages
        /// Mean reader model runs per image read: the reading stage's cost, counted rather than timed.
        var readerRunsPerImage: Double
        var loadMs, peakRssMb: Double
        var byCountry, byFolder: [String: Group]
        var threads: Int
        var country: String
        var foldO0: Bool
        var platesRead: Int
        var precision: Double?
        var split: String
        var splitUsage: [String: Int]
        /// ``Recognizer/detectorFile``: figures depend on the detector's weights.
        var detector: String
        enum CodingKeys: String, CodingKey {
            case images, plates, failed, threads, country
            case detectionRecall = "detection_recall", exactAccuracy = "exact_accuracy"
            case registrationAccuracy = "registration_accuracy", registrationsRight = "registrations_right"
            case registrations, medianMs = "median_ms", p90Ms = "p90_ms", readerRunsPerImage = "reader_runs_per_image", loadMs = "load_ms",
                peakRssMb = "peak_rss_mb"
            case foldO0 = "fold_o0", byCountry = "by_country", byFolder = "by_folder"
            case platesRead = "plates_read", precision, split, splitUsage = "split_usage", detector
        }
    }
}

func r1(_ v: Double) -> Double { (v * 10).rounded() / 10 }
func round4(_ v: Double) -> Double { (v * 10000).rounded() / 10000 }
func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
