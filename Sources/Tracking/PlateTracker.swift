/// One plate read in one video frame.
public struct Observation: Sendable, Equatable {
    /// Position in the video, seconds.
    public var time: Double
    public var box: Box
    public var text: String
    public var display: String
    public var format: String
    public var country: String?
    public var confidence: Double

    public init(time: Double, box: Box, text: String, display: String? = nil, format: String = "unknown",
                country: String? = nil, confidence: Double) {
        self.time = time; self.box = box; self.text = text; self.display = display ?? text; self.format = format
        self.country = country; self.confidence = confidence
    }
}

/// An axis-aligned box in frame pixels.
public struct Box: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var centerX: Double { x + width / 2 }
    public var centerY: Double { y + height / 2 }

    public func iou(_ o: Box) -> Double {
        let ix = max(0, min(x + width, o.x + o.width) - max(x, o.x))
        let iy = max(0, min(y + height, o.y + o.height) - max(y, o.y))
        let inter = ix * iy
        let union = width * height + o.width * o.height - inter
        return union > 0 ? inter / union : 0
    }
}

/// Which way a vehicle moved relative to the camera, from the trend of its plate's size.
public enum Direction: String, Sendable, Codable {
    case approaching, leaving, stationary, unknown
}

/// One vehicle pass: the voted plate of one track.
public struct VehiclePass: Sendable, Equatable {
    public var text: String
    public var display: String
    public var format: String
    public var country: String?
    /// Share of the track's evidence with the plate's length x per-character agreement of those reads with
    /// the plate x their mean confidence (0-1).
    public var confidence: Double
    public var firstSeen: Double
    public var lastSeen: Double
    public var direction: Direction
    /// The observations of the track, in time order.
    public var observations: [Observation]
    /// Index in `observations` of the best read of the voted plate (for the crop and frame).
    public var bestIndex: Int
    public var frames: Int { observations.count }
    public var box: Box { observations[bestIndex].box }

    /// - Precondition: `observations` is not empty and `bestIndex` is one of its indices.
    public init(text: String, display: String, format: String, country: String?, confidence: Double, firstSeen: Double,
                lastSeen: Double, direction: Direction, observations: [Observation], bestIndex: Int) {
        precondition(observations.indices.contains(bestIndex), "a pass needs its best observation")
        self.text = text; self.display = display; self.format = format; self.country = country
        self.confidence = confidence; self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.direction = direction
        self.observations = observations; self.bestIndex = bestIndex
    }
}

/// Associates plate reads across frames into tracks (box overlap or nearness, motion, and text similarity)
/// and turns each finished track into one ``VehiclePass`` by voting. A parked car seen for minutes stays one
/// track as long as it is seen at least every `maxGap` seconds.
public struct PlateTracker: Sendable {
    public struct Configuration: Sendable {
        /// A track not seen for this long ends.
        public var maxGap: Double = 2.0
        /// Tracks of fewer reads than this are dropped as noise.
        public var minObservations: Int = 3
        /// Passes whose voted plate has less support than this (see ``VehiclePass/confidence``) are dropped:
        /// tracks of reads that never agree are not plates read.
        public var minPassConfidence: Double = 0.15
        /// Passes of shorter plates are dropped: one- and two-character reads come from plates too small or
        /// blurred to read (two-character registrations exist but are rare enough to trade for no false passes).
        public var minTextLength: Int = 3
        /// Most character edits between a read and a track's texts to join it when boxes are near.
        public var maxTextDistance: Int = 3
        /// Reads with a confidence under this still join tracks but do not vote.
        public var minVoteConfidence: Double = 0.2
        public init() {}
    }

    final class Track: @unchecked Sendable {
        var observations: [Observation] = []
        var last: Observation { observations[observations.count - 1] }
        init(_ o: Observation) { observations = [o] }

        /// The box expected at `time`, from the motion of the last two reads.
        func predicted(at time: Double) -> Box {
            guard observations.count >= 2 else { return last.box }
            let a = observations[observations.count - 2], b = last
            let dt = b.time - a.time
            guard dt > 0 else { return b.box }
            let k = min(2.0, (time - b.time) / dt)
            return Box(x: b.box.x + (b.box.x - a.box.x) * k, y: b.box.y + (b.box.y - a.box.y) * k,
                       width: max(1, b.box.width + (b.box.width - a.box.width) * k),
                       height: max(1, b.box.height + (b.box.height - a.box.height) * k))
        }
    }

    public var configuration: Configuration
    var active: [Track] = []

    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Whether some track is open (a plate was seen recently).
    public var isTracking: Bool { !active.isEmpty }

    /// Adds the reads of one frame; returns the passes of tracks that ended before it.
    public mutating func add(_ reads: [Observation], at time: Double) -> [VehiclePass] {
        var ended: [VehiclePass] = []
        active.removeAll { t in
            guard time - t.last.time > configuration.maxGap else { return false }
            if let p = Self.pass(t, configuration) { ended.append(p) }
            return true
        }
        // Greedy matching, best pairs first.
        var pairs: [(score: Double, track: Int, read: Int)] = []
        for (ti, t) in active.enumerated() {
            let predicted = t.predicted(at: time)
            for (ri, r) in reads.enumerated() {
                if let s = score(track: t, predicted: predicted, read: r) { pairs.append((s, ti, ri)) }
            }
        }
        pairs.sort { $0.score > $1.score }
        var usedTracks = Set<Int>(), usedReads = Set<Int>()
        for p in pairs where !usedTracks.contains(p.track) && !usedReads.contains(p.read) {
            active[p.track].observations.append(reads[p.read])
            usedTracks.insert(p.track)
            usedReads.insert(p.read)
        }
        for (ri, r) in reads.enumerated() where !usedReads.contains(ri) { active.append(Track(r)) }
        return ended
    }

    /// Ends every track (end of the video); returns their passes in order of first sighting.
    public mutating func finish() -> [VehiclePass] {
        defer { active = [] }
        return active.compactMap { Self.pass($0, configuration) }.sorted { $0.firstSeen < $1.firstSeen }
    }

    /// How well a read continues a track; nil when it cannot.
    func score(track t: Track, predicted: Box, read r: Observation) -> Double? {
        let iou = max(predicted.iou(r.box), t.last.box.iou(r.box))
        let scale = max(t.last.box.width, r.box.width, 1)
        let dx = r.box.centerX - predicted.centerX, dy = r.box.centerY - predicted.centerY
        let near = (dx * dx + dy * dy).squareRoot() / scale
        let distance = t.observations.suffix(5).map { Self.editDistance($0.text, r.text) }.min() ?? 99
        let textScore = 1 - Double(min(distance, 8)) / 8
        if iou > 0.2 { return 1 + iou + textScore }
        if near < 1.5 && distance <= configuration.maxTextDistance { return 0.5 + textScore - near / 3 }
        // Far apart (a fast car between sampled frames) but the same text.
        if near < 4 && distance <= 1 { return textScore - near / 8 }
        return nil
    }

    static func pass(_ t: Track, _ c: Configuration) -> VehiclePass? {
        guard t.observations.count >= c.minObservations else { return nil }
        let voters = t.observations.filter { $0.confidence >= c.minVoteConfidence && !$0.text.isEmpty }
        guard !voters.isEmpty else { return nil }
        // Whole-text vote weighted by confidence; reads in a known format count double.
        var weight: [String: Double] = [:]
        for o in voters { weight[o.text, default: 0] += o.confidence * (o.format == "unknown" ? 1 : 2) }
        var text = weight.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        // Character vote among reads of the winning length: it may settle a character that no single read
        // had right, and is kept when some read (so some decoder pass, in a valid format) produced it.
        let same = voters.filter { $0.text.count == text.count }
        if same.count >= 3 {
            var chars: [Character] = []
            for i in 0..<text.count {
                var w: [Character: Double] = [:]
                for o in same { w[Array(o.text)[i], default: 0] += o.confidence }
                chars.append(w.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key)
            }
            let voted = String(chars)
            if voted != text, weight[voted] != nil { text = voted }
        }
        // Confidence: how much of the evidence has the plate's length, how well the characters of those reads
        // agree with it position by position, and how confident those reads were.
        let total = weight.values.reduce(0, +)
        let sameLength = voters.filter { $0.text.count == text.count }
        func vote(_ o: Observation) -> Double { o.confidence * (o.format == "unknown" ? 1 : 2) }
        let lengthShare = sameLength.map(vote).reduce(0, +) / max(total, 1e-9)
        let chars = Array(text)
        var agreement = 0.0
        let sameWeight = sameLength.map(\.confidence).reduce(0, +)
        for i in chars.indices {
            agreement += sameLength.filter { Array($0.text)[i] == chars[i] }.map(\.confidence).reduce(0, +) / max(sameWeight, 1e-9)
        }
        let charShare = chars.isEmpty ? 0 : agreement / Double(chars.count)
        let meanConfidence = sameWeight / Double(max(1, sameLength.count))
        let confidence = lengthShare * charShare * meanConfidence
        let best = t.observations.indices.filter { t.observations[$0].text == text }
            .max { t.observations[$0].confidence < t.observations[$1].confidence } ?? 0
        let b = t.observations[best]
        guard confidence >= c.minPassConfidence, text.count >= c.minTextLength else { return nil }
        return VehiclePass(text: text, display: b.display, format: b.format, country: b.country,
                           confidence: confidence,
                           firstSeen: t.observations[0].time, lastSeen: t.last.time,
                           direction: direction(t.observations), observations: t.observations, bestIndex: best)
    }

    /// Approaching when the plate grows by a quarter or more over the track (least-squares slope of height),
    /// leaving when it shrinks as much, stationary when it barely moves.
    static func direction(_ obs: [Observation]) -> Direction {
        guard obs.count >= 3, let first = obs.first, let last = obs.last, last.time > first.time else { return .unknown }
        let n = Double(obs.count)
        let mt = obs.map(\.time).reduce(0, +) / n
        let mh = obs.map(\.box.height).reduce(0, +) / n
        var num = 0.0, den = 0.0
        for o in obs { num += (o.time - mt) * (o.box.height - mh); den += (o.time - mt) * (o.time - mt) }
        guard den > 0, mh > 0 else { return .unknown }
        let change = num / den * (last.time - first.time) / mh
        let moved = abs(last.box.centerX - first.box.centerX) + abs(last.box.centerY - first.box.centerY)
        if change > 0.25 { return .approaching }
        if change < -0.25 { return .leaving }
        return moved < mh ? .stationary : .unknown
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
