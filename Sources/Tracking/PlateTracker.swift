import Foundation

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
    /// The reader's other likely readings of this plate under the format grammar, best first (may include
    /// `text`): the vote of a pass weighs every frame's belief in each candidate plate, not only its best string.
    public var alternatives: [Alternative]

    /// A candidate plate text and the probability the reader gives it.
    public struct Alternative: Sendable, Equatable {
        public var text: String
        public var confidence: Double
        public init(text: String, confidence: Double) { self.text = text; self.confidence = confidence }
    }

    public init(
        time: Double, box: Box, text: String, display: String? = nil, format: String = "unknown",
        country: String? = nil, confidence: Double, alternatives: [Alternative] = []
    ) {
        self.time = time; self.box = box; self.text = text; self.display = display ?? text; self.format = format
        self.country = country; self.confidence = confidence; self.alternatives = alternatives
    }

    /// The probability this read gives to `plate`: its own confidence, or the larger of an alternative's when it
    /// names it and its confidence scaled down by `perCharacter` for each edit between the two (a read one glyph
    /// off still supports the plate a little). Edits count characters dropped or added as well as changed: a
    /// reader that drops a plate's first character in one frame (a crop's edge, a dealer's frame touching it), or
    /// adds one, otherwise gives that plate no support at all, and one such frame then vetoes a plate that
    /// every other frame reads (the vote multiplies supports).
    func support(for plate: String, perCharacter: Double) -> Double {
        if plate == text { return confidence }
        let listed = alternatives.first(where: { $0.text == plate })?.confidence ?? 0
        let edits = PlateTracker.editDistance(plate, text)
        return max(listed, confidence * pow(perCharacter, Double(edits)))
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
    /// The mean probability the track's voting reads give to the plate (0-1; reads in a known format count
    /// double): high when most frames read it clearly, low when they were unsure or read other plates.
    public var confidence: Double
    public var firstSeen: Double
    public var lastSeen: Double
    public var direction: Direction
    /// The observations of the track, in time order (of a track longer than
    /// ``PlateTracker/Configuration/maxObservations`` reads, those it kept).
    public var observations: [Observation]
    /// Index in `observations` of the best read of the voted plate (for the crop and frame).
    public var bestIndex: Int
    /// The track's frames never agreed on a plate (each read a part of it, or another misreading of it), so this is
    /// no pass yet: it becomes one only when its best frame, read again as a still image, reads a plate in a format
    /// that its frames' reads are parts of (``PlateTracker/parts(of:in:_:)``); a caller that cannot read it again
    /// drops it. Only with ``PlateTracker/Configuration/provisionalPasses``.
    public var provisional = false
    public var frames: Int { observations.count }
    public var box: Box { observations[bestIndex].box }

    /// - Precondition: `observations` is not empty and `bestIndex` is one of its indices.
    public init(
        text: String, display: String, format: String, country: String?, confidence: Double, firstSeen: Double,
        lastSeen: Double, direction: Direction, observations: [Observation], bestIndex: Int
    ) {
        precondition(observations.indices.contains(bestIndex), "a pass needs its best observation")
        self.text = text; self.display = display; self.format = format; self.country = country
        self.confidence = confidence; self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.direction = direction
        self.observations = observations; self.bestIndex = bestIndex
    }
}

/// Associates plate reads across frames into tracks and turns each finished track into one ``VehiclePass`` by
/// voting.
///
/// A read continues a track when its box overlaps or is near the track's predicted box and its text is close.
/// A track ends, and another starts, when the evidence says another plate took its place, whichever comes first:
/// - **another registration read consistently**: `splitAfter` reads in a row at the track's place agree with each
///   other and are `splitDistance` or more edits from the track's plate (one noisy frame is not enough);
/// - **the box jumps or its size trend breaks** (the plate shrinks or grows abruptly, as when the next car of a
///   queue appears where the last one was) while the text differs;
/// - **the picture changes** (a scene-change signal from the caller) while the text differs;
/// - **nothing was read for `missGap` seconds**: the track then only takes reads of its own plate until
///   `maxGap`, so a queued car arriving after a short gap starts its own track, and a parked car whose plate is
///   missed for a moment stays one pass.
/// A read near the track's place that the reader itself doubts continues the track whatever its text (a blurred plate
/// read differently in each frame, its box shaken off the predicted place): doubted reads are not evidence of
/// another plate. Two plates in view at once are two tracks; two tracks of one plate at once are one vehicle, whose
/// reads join in one pass when the first of them ends.
public struct PlateTracker: Sendable {
    public struct Configuration: Sendable {
        /// A track not seen for this long ends.
        public var maxGap: Double = 2.0
        /// After this long without a read, a track only continues with reads of its own plate (at most
        /// `sameTextDistance` edits from it).
        public var missGap: Double = 0.7
        /// Tracks of fewer reads than this are dropped as noise, unless `minSureReads` of them are sure (below).
        public var minObservations: Int = 3
        /// A shorter track is still a pass when this many of its reads are the same text in a known format, each
        /// with at least `sureConfidence`: a plate read clearly twice before it left the view (behind another car,
        /// out of the frame) is a vehicle, while noise is neither in a format nor sure.
        public var minSureReads: Int = 2
        /// The confidence of a sure read (the default manifest's `escalate_below`, where still images stop escalating).
        public var sureConfidence: Double = 0.95
        /// A pass needs at least this many voting reads of its plate (at most `sameTextDistance` edits from it):
        /// one clear read among frames that read other things is a glimpse (a far plate, a reflection), not a pass.
        public var minAgreeingReads: Int = 2
        /// Passes whose voted plate has less support than this (see ``VehiclePass/confidence``) are dropped:
        /// tracks of reads that never agree are not plates read.
        public var minPassConfidence: Double = 0.15
        /// The same for a voted plate in no known format: no grammar backs it, so its frames must give it at least
        /// this much of their belief. Text that is no registration (a dealer's name under a plate, read differently in
        /// each of 5 frames) votes 0.16-0.19; plates in no format (vanity plates, a country not in force) 0.37 and
        /// more in the validation videos. Chosen on the validation videos (docs/video.md).
        public var minUnknownPassConfidence: Double = 0.3
        /// Passes of shorter plates are dropped: one- and two-character reads come from plates too small or
        /// blurred to read (two-character registrations exist but are rare enough to trade for no false passes).
        public var minTextLength: Int = 3
        /// Most character edits between a read and a track's texts to join it when boxes are near.
        public var maxTextDistance: Int = 3
        /// Reads at most this many edits from a track's plate are "the same plate" (a misread glyph or two).
        public var sameTextDistance: Int = 1
        /// Reads this many edits or more from a track's plate are "another registration"...
        public var splitDistance: Int = 3
        /// ... and this many of them in a row, agreeing with each other, end the track and start a new one.
        public var splitAfter: Int = 2
        /// ... each read with at least this confidence: a read the reader itself doubts (a plate still small or
        /// blurred as it approaches) is noise in the track, not evidence that another plate took its place.
        public var minSplitConfidence: Double = 0.5
        /// How far (in plate widths from the predicted box) a read of exactly the track's plate (a voting read, at
        /// least `minVoteConfidence`) in no known format still continues it; one in a format continues it anywhere in
        /// the view. A registration is one vehicle at a time, so place matters little for the same text: a car
        /// crossing the view moves several plate widths between reads 0.28 s apart (at 15 km/h about two widths, at
        /// 30 km/h four or five; a small plate seen side-on more), a frame or two in which the detector missed it
        /// doubles or triples that, and before the track has a speed its first move is not predicted. Text in no
        /// format (a sign's, a dealer's) repeats in more places than a registration, so its reach stays bounded.
        /// Reads one glyph off continue it only within 4 widths.
        public var sameTextReach: Double = 12
        /// A box whose height changes by more than this factor from the predicted one breaks the size trend.
        public var maxSizeChange: Double = 1.5
        /// Reads with a confidence under this still join tracks but do not vote.
        public var minVoteConfidence: Double = 0.2
        /// Most reads a track keeps. A car parked in a camera's view is read a few times a second for as long as it
        /// stays (hours): beyond this many, the track keeps its first read, its last `recentKept` reads and, of the
        /// rest, reads evenly spaced in time, so that its memory, its vote and the reads stored with its pass stay
        /// bounded while still spanning the whole stay. At the default stride this is about a minute of
        /// continuous view; shorter tracks (every moving vehicle) are never thinned.
        public var maxObservations: Int = 240
        /// Reads at the end of a track that thinning keeps (the recent ones that place and continue it).
        public var recentKept: Int = 16
        /// In the vote, a read supports a plate of the same length that differs from it in k characters with
        /// its confidence x this^k (the plate wins when most frames support it, even if none read it whole).
        public var perCharacterSupport: Double = 0.1
        /// Support below this counts as this in the vote (a frame that did not see a plate vetoes it only so far).
        public var minSupport: Double = 0.01
        /// A track of at least `minProvisionalReads` reads that is no pass (too few reads, fewer than
        /// `minAgreeingReads` of them agreeing, or too little support) still ends as a ``VehiclePass/provisional``
        /// pass instead of nothing: a plate read in parts in every frame (a quick reader's crop that cut off its
        /// first or last characters, a car in front hiding part of it) is still a vehicle if one of its frames,
        /// read again, shows the whole plate.
        public var provisionalPasses = false
        /// See `provisionalPasses`.
        public var minProvisionalReads = 2
        /// With `provisionalPasses`, a track of one read (a vehicle read in one sampled frame only: a fast car, or a
        /// plate the frames' detector found once) that is in a format and read with at least this confidence also
        /// ends as a ``VehiclePass/provisional`` pass, a glimpse: it becomes a pass only when its frame, read again as
        /// a still image, shows that plate (or one glyph off) surely in a format. A glimpse within
        /// `sameTextDistance` edits of the plate of another track seen within `maxGap` seconds is that vehicle seen
        /// once more, not another one, and so is one that is a part of such a plate (or has it as a part: a plate
        /// leaving the picture, cut by its edge). nil: one read is never a pass.
        public var minGlimpseConfidence: Double? = 0.5
        /// Where passes are read again from their best frame (video, cameras, the edge agent), a pass in a format
        /// voted with less confidence than this that the reading does not confirm is dropped: neither its frames
        /// (less than half their belief) nor every reader on its best frame saw that plate. A pass in no format
        /// keeps its vote (no reading can confirm it). Chosen on the validation videos (docs/video.md).
        public var minUnconfirmedConfidence = 0.5
        /// A pass in no format voted under `minUnconfirmedConfidence` stays only when its track has at least this
        /// many reads: no reading can confirm such a pass, so its evidence must come from its frames, one more
        /// than a pass needs (3). Text that is no plate (a sign "RED LIGHT FLASH..." above a car, read
        /// differently in each of 3 frames) gives short, weak tracks in no format; plates in no format (`173D441`)
        /// were read in 4 to 111 frames in every benchmark video. Chosen on the validation videos (docs/video.md).
        public var minUnknownFrames = 4
        /// Reads of at least this many characters count as parts of a plate when its text contains them.
        public var minPartLength = 3
        public init() {}
    }

    final class Track: @unchecked Sendable {
        var observations: [Observation] = []
        /// Reads that disagree with the track's plate, waiting to show whether another plate took its place.
        var pending: [Observation] = []
        /// Whole-text vote weights of the voting reads, kept as reads arrive (the track's current plate).
        var weights: [String: Double] = [:]
        /// The voting texts read in a known format.
        var formatted: Set<String> = []
        var last: Observation { pending.last ?? observations[observations.count - 1] }
        init(_ o: Observation, _ c: Configuration) { add(o, c) }

        func add(_ o: Observation, _ c: Configuration) {
            observations.append(o)
            vote(o, c)
            if observations.count > max(c.maxObservations, c.recentKept + 2) { thin(c) }
        }

        /// Counts a read in the track's whole-text vote, when it votes.
        func vote(_ o: Observation, _ c: Configuration) {
            guard PlateTracker.votes(o, c) else { return }
            weights[o.text, default: 0] += PlateTracker.weight(o)
            if o.format != "unknown" { formatted.insert(o.text) }
        }

        /// Keeps about half of `maxObservations`: the first read, the last `recentKept`, and between them reads at
        /// least an even share of the track's time apart (the reads kept stay evenly spread however often this
        /// runs). The vote weights are those of the reads kept.
        func thin(_ c: Configuration) {
            let tail = observations.count - c.recentKept
            let first = observations[0]
            let spacing = (observations[tail - 1].time - first.time) / Double(max(1, c.maxObservations / 2 - c.recentKept))
            var kept = [first]
            kept.reserveCapacity(c.maxObservations)
            for o in observations[1..<tail] where o.time >= kept[kept.count - 1].time + spacing { kept.append(o) }
            if kept.count + c.recentKept > c.maxObservations * 3 / 4 {
                // Times that barely move (a stream without timestamps): every other read instead.
                kept = [first] + stride(from: 2, to: tail, by: 2).map { observations[$0] }
            }
            kept += observations[tail...]
            observations = kept
            weights = [:]
            formatted = []
            for o in observations { vote(o, c) }
        }

        /// Takes the reads of another track of the same vehicle, in time order.
        func absorb(_ others: [Observation], _ c: Configuration) {
            let all = (observations + others).sorted { $0.time < $1.time }
            observations = []
            weights = [:]
            formatted = []
            for o in all { add(o, c) }
        }

        /// The plate the track has read most so far, parts of a plate read in a format aside; nil until some read votes.
        var plate: String? {
            weights.filter { w in !formatted.contains { PlateTracker.isPart(w.key, of: $0) } }
                .max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
        }

        /// Whether `r` and the track's plate are one plate, one of them read whole in a format and the other a part of
        /// it (``PlateTracker/isPart(_:of:)``), in a format or not: a two-line plate's top line read alone (`AB12` of
        /// `AB12 CDE`) is itself a plate in a format, but not another vehicle.
        func sharesPlate(with r: Observation, _ c: Configuration) -> Bool {
            guard let plate, r.text.count >= c.minPartLength, plate.count >= c.minPartLength else { return false }
            return (formatted.contains(plate) && PlateTracker.isPart(r.text, of: plate))
                || (r.format != "unknown" && PlateTracker.isPart(plate, of: r.text))
        }

        /// The box expected at `time`, from the motion of the last two reads.
        func predicted(at time: Double) -> Box {
            // The last two reads, pending ones included (without copying the track's reads).
            let b = last
            let a: Observation
            switch pending.count {
            case 0:
                guard observations.count >= 2 else { return b.box }
                a = observations[observations.count - 2]
            case 1: a = observations[observations.count - 1]
            default: a = pending[pending.count - 2]
            }
            let dt = b.time - a.time
            guard dt > 0 else { return b.box }
            let k = min(2.0, (time - b.time) / dt)
            return Box(
                x: b.box.x + (b.box.x - a.box.x) * k, y: b.box.y + (b.box.y - a.box.y) * k,
                width: max(1, b.box.width + (b.box.width - a.box.width) * k),
                height: max(1, b.box.height + (b.box.height - a.box.height) * k))
        }
    }

    public var configuration: Configuration
    var active: [Track] = []
    /// The plates and times of passes last seen within twice `maxGap` of the latest frame: a glimpse of one of them
    /// is that vehicle seen once more (``Configuration/minGlimpseConfidence``).
    var recentPasses: [(text: String, first: Double, last: Double)] = []

    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Whether some track is open (a plate was seen recently).
    public var isTracking: Bool { !active.isEmpty }

    /// Adds the reads of one frame; returns the passes of tracks that ended before it or were replaced by
    /// another plate in it. `sceneChanged`: the picture changed as at a cut or a new vehicle filling the view
    /// (the caller's signal): reads then continue a track only if they read its plate.
    public mutating func add(_ reads: [Observation], at time: Double, sceneChanged: Bool = false) -> [VehiclePass] {
        let c = configuration
        let expired = active.filter { time - $0.last.time > c.maxGap }
        active.removeAll { t in expired.contains { $0 === t } }
        // A glimpse ends `maxGap` after it was seen, which may be `maxGap` after such a pass was.
        recentPasses.removeAll { time - $0.last > 2 * c.maxGap }
        var ended = end(expired)
        // Greedy matching, best pairs first.
        var pairs: [(score: Double, track: Int, read: Int)] = []
        for (ti, t) in active.enumerated() {
            let predicted = t.predicted(at: time)
            let strict = sceneChanged || time - t.last.time > c.missGap
            for (ri, r) in reads.enumerated() {
                if let s = score(track: t, predicted: predicted, read: r, strict: strict) { pairs.append((s, ti, ri)) }
            }
        }
        pairs.sort { $0.score > $1.score }
        var usedTracks = Set<Int>(), usedReads = Set<Int>()
        var replaced: [Int] = []
        for p in pairs where !usedTracks.contains(p.track) && !usedReads.contains(p.read) {
            usedTracks.insert(p.track)
            usedReads.insert(p.read)
            if continues(active[p.track], with: reads[p.read]) { replaced.append(p.track) }
        }
        // Tracks whose place another plate took: their pass now, the other plate's reads a new track.
        for ti in replaced.sorted(by: >) {
            let t = active.remove(at: ti)
            let next = Track(t.pending[0], c)
            for o in t.pending.dropFirst() { next.add(o, c) }
            t.pending = []
            ended += end([t])
            active.append(next)
        }
        for (ri, r) in reads.enumerated() where !usedReads.contains(ri) { active.append(Track(r, c)) }
        return ended
    }

    /// Ends every track (end of the video); returns their passes in order of first sighting.
    public mutating func finish() -> [VehiclePass] {
        let all = active
        active = []
        defer { recentPasses = [] }
        return end(all).sorted { $0.firstSeen < $1.firstSeen }
    }

    /// The passes of `ending` tracks, taken in the order they were last seen. One registration is one vehicle at a
    /// time: a track whose voted plate is the plate of a track still open (another of `ending` seen later, or one of
    /// `open`) seen at an overlapping time is that vehicle tracked twice (a jittery box or a doubted read started a
    /// second track beside the first), so its reads join that track instead of making a pass of their own.
    ///
    /// A glimpse (``Configuration/minGlimpseConfidence``) within `sameTextDistance` edits of the plate of another
    /// track or pass seen within `maxGap` of it, or a part of it (or it a part of the glimpse), is dropped: that vehicle
    /// seen once more, its box off its track or cut by the picture's edge. A provisional pass whose every voting read is
    /// a part of (or one edit from) the plate of a track or pass seen at an overlapping time joins that track, or is
    /// dropped when that pass has ended: one vehicle tracked twice.
    mutating func end(_ ending: [Track]) -> [VehiclePass] {
        let c = configuration, open = active
        let order = ending.sorted { $0.last.time < $1.last.time }
        var out: [VehiclePass] = []
        defer { recentPasses += out.map { ($0.text, $0.firstSeen, $0.lastSeen) } }
        let recent = recentPasses
        /// Whether any pass remembered from earlier calls or ended in this one, by its plate and times, is `test`'s.
        func anyPass(_ test: (String, Double, Double) -> Bool) -> Bool {
            recent.contains { test($0.text, $0.first, $0.last) } || out.contains { test($0.text, $0.firstSeen, $0.lastSeen) }
        }
        /// Whether glimpse `g` reads a plate seen around its time by another of the tracks or passes.
        func seenAround(_ g: VehiclePass, besides t: Track?) -> Bool {
            func near(_ text: String, _ first: Double, _ last: Double) -> Bool {
                first - c.maxGap <= g.firstSeen && g.firstSeen <= last + c.maxGap
                    && (Self.editDistance(text, g.text) <= c.sameTextDistance || Self.isPart(g.text, of: text)
                        || Self.isPart(text, of: g.text))
            }
            for u in order + open where u !== t {
                if let plate = u.plate, near(plate, u.observations[0].time, u.last.time) { return true }
            }
            return anyPass(near)
        }
        for (i, t) in order.enumerated() {
            var own = Self.pass(t.observations, c)
            // Reads still pending (another plate seen too briefly to replace the track) are judged on their own.
            var pending = t.pending.isEmpty ? nil : Self.pass(t.pending, c)
            // Neither is a pass (at most a provisional one): the reads may all be parts of one plate, each frame's
            // crop cut differently, which only a provisional pass of them all, read again, can tell.
            if c.provisionalPasses, !t.pending.isEmpty, own?.provisional ?? true, pending?.provisional ?? true,
                let whole = Self.pass((t.observations + t.pending).sorted { $0.time < $1.time }, c), whole.provisional
            {
                own = whole
                pending = nil
            }
            if let g = own, Self.isGlimpse(g.observations, c), seenAround(g, besides: t) { own = nil }
            // A provisional pass whose every read is a part of the plate of a track or pass seen at the same time is that
            // vehicle, tracked twice (a fast detector boxed a group of its characters apart from the whole plate).
            if let p = own, p.provisional {
                let voting = p.observations.filter { Self.votes($0, c) }.count
                func covers(_ plate: String, _ first: Double, _ last: Double) -> Bool {
                    voting > 0 && first <= p.lastSeen && p.firstSeen <= last && Self.parts(of: plate, in: p.observations, c) >= voting
                }
                if let twin = (order[(i + 1)...] + open).first(where: { u in
                    u.plate.map { covers($0, u.observations[0].time, u.last.time) } ?? false
                }) {
                    twin.absorb(p.observations, c)
                    own = nil
                } else if anyPass(covers) {
                    own = nil
                }
            }
            // Another plate read once as the track ended: its own track's plate counts too (a part of it, the plate
            // leaving the picture).
            if let g = pending, Self.isGlimpse(g.observations, c), seenAround(g, besides: nil) { pending = nil }
            if let own {
                if let twin = (order[(i + 1)...] + open).first(where: { u in
                    u.plate == own.text && u.observations[0].time <= own.lastSeen && own.firstSeen <= u.last.time
                }) {
                    twin.absorb(own.observations, c)
                } else {
                    out.append(own)
                }
            }
            if let pending { out.append(pending) }
        }
        return out
    }

    /// Adds a matched read to its track; true when it confirms that another plate took the track's place.
    func continues(_ t: Track, with r: Observation) -> Bool {
        let c = configuration
        guard let plate = t.plate, r.confidence >= c.minSplitConfidence,
            Self.editDistance(plate, r.text) >= c.splitDistance, !t.sharesPlate(with: r, c)
        else {
            // The track's plate (or no evidence either way): pending disagreements were noise.
            for o in t.pending { t.add(o, c) }
            t.pending = []
            t.add(r, c)
            return false
        }
        // Another registration: it replaces the track once `splitAfter` such reads in a row agree.
        if let p = t.pending.last, Self.editDistance(p.text, r.text) > c.sameTextDistance {
            for o in t.pending { t.add(o, c) }
            t.pending = []
        }
        t.pending.append(r)
        return t.pending.count >= c.splitAfter
    }

    /// How well a read continues a track; nil when it cannot.
    func score(track t: Track, predicted: Box, read r: Observation, strict: Bool) -> Double? {
        let c = configuration
        let iou = max(predicted.iou(r.box), t.last.box.iou(r.box))
        let scale = max(t.last.box.width, r.box.width, 1)
        let dx = r.box.centerX - predicted.centerX, dy = r.box.centerY - predicted.centerY
        let near = (dx * dx + dy * dy).squareRoot() / scale
        let recent = (t.observations.suffix(5) + t.pending).map { Self.editDistance($0.text, r.text) }.min() ?? 99
        let distance = min(recent, t.plate.map { Self.editDistance($0, r.text) } ?? 99)
        let textScore = 1 - Double(min(distance, 8)) / 8
        let sizeRatio = r.box.height / max(predicted.height, 1)
        let sizeBreak = sizeRatio > c.maxSizeChange || sizeRatio < 1 / c.maxSizeChange
        // After a gap, a cut or a break in the plate's size, only the track's own plate continues it.
        if (strict || sizeBreak) && distance > c.sameTextDistance { return nil }
        if iou > 0.2 { return 1 + iou + textScore }
        // Near, and its text close or doubted by the reader itself: a blurred plate read differently in each frame
        // is still the plate in this place (only confident reads can show that another plate took it).
        // So is a part of its plate read on its own (a box around some of its characters: a fast detector boxes a
        // large plate's character groups apart), or the whole plate after such parts.
        if near < 1.5 && (distance <= c.maxTextDistance || r.confidence < c.minSplitConfidence || t.sharesPlate(with: r, c)) {
            return 0.5 + textScore - near / 3
        }
        // Far apart (a fast car between sampled frames) but the same text.
        if near < 4 && distance <= 1 { return textScore - near / 8 }
        if distance == 0 && r.confidence >= c.minVoteConfidence && (near < c.sameTextReach || r.format != "unknown") {
            return textScore - near / 8
        }
        return nil
    }

    /// Whether `part` is a strictly shorter run of `plate`'s characters, as they stand.
    public static func isPart(_ part: String, of plate: String) -> Bool {
        part.count < plate.count && plate.contains(part)
    }

    /// Reads in a known format count double in votes: the grammar backs them.
    static func formatWeight(_ o: Observation) -> Double { o.format == "unknown" ? 1 : 2 }

    /// A read's whole-text vote for the track's current plate.
    static func weight(_ o: Observation) -> Double { o.confidence * formatWeight(o) }

    /// The vote of one track. Every read text is a candidate plate; each frame supports each candidate with the
    /// probability it gives it (``Observation/support(for:perCharacter:)``), and the candidate with the largest
    /// sum of log-support over the voting frames wins: a plate most frames support, even if misread in each.
    static func pass(_ observations: [Observation], _ c: Configuration) -> VehiclePass? {
        let enough = observations.count >= c.minObservations || sureReads(observations, c) >= c.minSureReads
        let glimpse = isGlimpse(observations, c)
        guard enough || glimpse || (c.provisionalPasses && observations.count >= c.minProvisionalReads) else { return nil }
        let voting = observations.filter { votes($0, c) }
        // A part of a plate read whole in a format in the same track is evidence of the plate, not of its text. So
        // is a part that is itself in a format (a two-line plate's top line read alone, `AB12` of `AB12 CDE`) when
        // the whole plate was read surely in a format in `minSureReads` frames: one read of a longer plate (a
        // character added at an edge) does not silence the frames that read the shorter one.
        let whole = Set(voting.filter { $0.format != "unknown" }.map(\.text))
        let sureWholes = Set(sureReadCounts(voting, c).filter { $0.value >= c.minSureReads }.keys)
        let pieces = voting.filter { o in
            o.text.count >= c.minPartLength && (o.format == "unknown" ? whole : sureWholes).contains { isPart(o.text, of: $0) }
        }
        let voters = voting.filter { o in !pieces.contains(o) }
        guard !voters.isEmpty else { return nil }
        let candidates = Set(voters.map(\.text))
        func score(_ plate: String) -> Double {
            voters.reduce(0) { $0 + formatWeight($1) * log(max($1.support(for: plate, perCharacter: c.perCharacterSupport), c.minSupport)) }
        }
        let scored = candidates.map { ($0, score($0)) }
        let text = scored.max { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 > $1.0) }!.0
        // Confidence: the weighted mean probability the track's frames give to the voted plate.
        let total = voters.map(formatWeight).reduce(0, +)
        let support = voters.map { formatWeight($0) * $0.support(for: text, perCharacter: c.perCharacterSupport) }.reduce(0, +)
        let confidence = min(1, support / max(total, 1e-9))
        let best = observations.indices.filter { observations[$0].text == text }
            .max { observations[$0].confidence < observations[$1].confidence }!
        let b = observations[best]
        let agreeing =
            voters.filter { editDistance($0.text, text) <= c.sameTextDistance }.count
            + pieces.filter { isPart($0.text, of: text) }.count
        let least = b.format == "unknown" ? max(c.minPassConfidence, c.minUnknownPassConfidence) : c.minPassConfidence
        let agreed = enough && confidence >= least && agreeing >= c.minAgreeingReads
        let provisional = !agreed && c.provisionalPasses && (voting.count >= c.minAgreeingReads || glimpse)
        guard text.count >= c.minTextLength, agreed || provisional else { return nil }
        var pass = VehiclePass(
            text: text, display: b.display, format: b.format, country: b.country,
            confidence: confidence,
            firstSeen: observations[0].time, lastSeen: observations[observations.count - 1].time,
            direction: direction(observations), observations: observations, bestIndex: best)
        pass.provisional = provisional
        return pass
    }

    /// Whether a read votes for its track's plate: it holds text, read with at least `minVoteConfidence`.
    static func votes(_ o: Observation, _ c: Configuration) -> Bool { o.confidence >= c.minVoteConfidence && !o.text.isEmpty }

    /// Whether `observations` are a glimpse (``Configuration/minGlimpseConfidence``): one read, in a format, confident
    /// enough, where provisional passes are asked for.
    static func isGlimpse(_ observations: [Observation], _ c: Configuration) -> Bool {
        guard c.provisionalPasses, let least = c.minGlimpseConfidence, observations.count == 1, let o = observations.first
        else { return false }
        return o.format != "unknown" && o.confidence >= least
    }

    /// How many of the voting reads among `observations` are `plate` or a part of it: at most `sameTextDistance`
    /// edits from it, or at least `minPartLength` characters found in it as they stand.
    public static func parts(of plate: String, in observations: [Observation], _ c: Configuration) -> Int {
        observations.filter { o in
            votes(o, c)
                && (editDistance(o.text, plate) <= c.sameTextDistance || (o.text.count >= c.minPartLength && plate.contains(o.text)))
        }.count
    }

    /// The most reads of one text in a known format, each at least `sureConfidence`.
    static func sureReads(_ observations: [Observation], _ c: Configuration) -> Int {
        sureReadCounts(observations, c).values.max() ?? 0
    }

    /// How many reads of each text in a known format are sure (at least `sureConfidence`).
    static func sureReadCounts(_ observations: [Observation], _ c: Configuration) -> [String: Int] {
        var counts: [String: Int] = [:]
        for o in observations where o.format != "unknown" && o.confidence >= c.sureConfidence { counts[o.text, default: 0] += 1 }
        return counts
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
