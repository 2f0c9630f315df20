import Plates
import Foundation
import Vision

/// One labelled plate of a dataset's `groundtruth.csv` (`file,plate_text,x,y,w,h,country`).
public struct GroundTruth: Sendable, Equatable {
    public var file: String
    public var plate: String
    public var box: Rect?
    public var country: String

    public init(file: String, plate: String, box: Rect?, country: String) {
        self.file = file; self.plate = plate; self.box = box; self.country = country
    }

    /// Parses `groundtruth.csv`; rows with a wrong number of fields are an error naming the line.
    public static func load(csv text: String) throws -> [GroundTruth] {
        var rows: [GroundTruth] = []
        for (n, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if n == 0 && f.first == "file" { continue }
            if f.allSatisfy(\.isEmpty) { continue }
            guard f.count >= 7 else { throw RecognitionError.unreadable("groundtruth.csv line \(n + 1): expected 7 fields") }
            var box: Rect?
            if let x = Float(f[2]), let y = Float(f[3]), let w = Float(f[4]), let h = Float(f[5]) {
                box = Rect(x: x, y: y, width: w, height: h)
            }
            rows.append(GroundTruth(file: f[0], plate: f[1].uppercased(), box: box, country: f[6]))
        }
        return rows
    }
}

/// Scores a recogniser's output against ground truth the way `microanpr bench` reports it.
public struct BenchmarkScorer: Sendable {
    /// What happened to one labelled plate.
    public struct Outcome: Sendable {
        public var truth: GroundTruth
        /// Whether a detection overlapped the labelled box at IoU >= the threshold (nil when unlabelled).
        public var detected: Bool?
        public var read: String?
        public var confidence: Double?
        public var correct: Bool

        public init(truth: GroundTruth, detected: Bool?, read: String?, confidence: Double?, correct: Bool) {
            self.truth = truth; self.detected = detected; self.read = read; self.confidence = confidence
            self.correct = correct
        }
    }

    public var iouThreshold: Float = 0.3
    /// Score O and 0 as equal (for datasets whose labels use one for the other).
    public var foldO0: Bool

    public init(foldO0: Bool = false) { self.foldO0 = foldO0 }

    func normalise(_ s: String) -> String { foldO0 ? s.replacingOccurrences(of: "O", with: "0") : s }

    /// Matches the plates read in one image to its labels: by box overlap where labels have boxes, by text
    /// otherwise.
    public func score(truths: [GroundTruth], plates: [PlateResult]) -> [Outcome] {
        var used = Set<Int>()
        return truths.map { t in
            if let box = t.box {
                let best = plates.indices.filter { !used.contains($0) }
                    .map { ($0, plates[$0].box.iou(box)) }
                    .max { $0.1 < $1.1 }
                guard let (i, iou) = best, iou >= iouThreshold else {
                    return Outcome(truth: t, detected: false, read: nil, confidence: nil, correct: false)
                }
                used.insert(i)
                let r = plates[i].reading
                return Outcome(
                    truth: t, detected: true, read: r.text, confidence: r.confidence,
                    correct: normalise(r.text) == normalise(t.plate))
            }
            let hit = plates.indices.first { !used.contains($0) && normalise(plates[$0].reading.text) == normalise(t.plate) }
            if let hit { used.insert(hit) }
            let r = hit.map { plates[$0].reading } ?? plates.first?.reading
            return Outcome(truth: t, detected: nil, read: r?.text, confidence: r?.confidence, correct: hit != nil)
        }
    }

    /// Of the plates read in one image, how many match one of its labels (the rest are false reads, or
    /// unlabelled background plates in hand-labelled sets).
    public func matchingReads(truths: [GroundTruth], plates: [PlateResult]) -> Int {
        let labels = Set(truths.map { normalise($0.plate) })
        return plates.filter { labels.contains(normalise($0.reading.text)) }.count
    }

    /// Per distinct registration: right when the most frequent reading over its images is the plate.
    public func registrationAccuracy(_ outcomes: [Outcome]) -> (right: Int, total: Int) {
        let groups = Dictionary(grouping: outcomes, by: { normalise($0.truth.plate) })
        var right = 0
        for (plate, list) in groups {
            var counts: [String: Int] = [:]
            for o in list { if let r = o.read { counts[normalise(r), default: 0] += 1 } }
            // Ties are broken against the plate, so a tie is not counted as right.
            let top = counts.max { a, b in a.value != b.value ? a.value < b.value : (a.key == plate) }
            if let top, top.key == plate, counts.filter({ $0.value == top.value }).count == 1 { right += 1 }
        }
        return (right, groups.count)
    }
}

/// Percentile by nearest rank (p in 0...100) of unsorted values; 0 for none.
public func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    let rank = Int((p / 100 * Double(s.count)).rounded(.up)) - 1
    return s[min(max(rank, 0), s.count - 1)]
}

/// Peak resident set size of this process in MiB (VmHWM), or 0 where unknown.
public func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

/// Which images of each dataset trained the reader, chose settings, or are only reported
/// (`training/splits.json`, written by `training/make_splits.py`). Figures are reported on the `report` split.
public struct DatasetSplits: Decodable, Sendable {
    public struct Dataset: Decodable, Sendable {
        /// The role of every image of the dataset when it is not split per image.
        public var `default`: String?
        public var images: [String: String]
    }
    public var datasets: [String: Dataset]

    public static func load(_ path: String) throws -> DatasetSplits {
        try JSONDecoder().decode(DatasetSplits.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The role of one image of a dataset: `train`, `validation` or `report` (datasets the file does not name
    /// were used for neither).
    public func role(dataset: String, file: String) -> String {
        guard let d = datasets[dataset] else { return "report" }
        return d.images[file] ?? d.default ?? "report"
    }
}
