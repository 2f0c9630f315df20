import Foundation
import Plates
import Synchronization
import Vision

/// Settings of the recognition engine.
public struct RecognizerConfiguration: Sendable {
    /// Path of the model manifest (`manifest.json`).
    public var manifestPath: String
    /// Intra-op threads per model run.
    public var threads: Int
    /// Concurrent images (threads of the inference pool).
    public var workers: Int
    /// Images above this many pixels are refused before decoding.
    public var maxPixels: Int
    /// Files above this many bytes are refused before reading.
    public var maxBytes: Int
    /// Country pack used when a call names none: a lower-case code (e.g. ["gb"]) or ["auto"] for every pack,
    /// the country then being chosen per plate.
    public var countries: [String]
    /// Detections scoring below this are ignored.
    public var minDetectionScore: Float
    /// Reads whose confidence is below this are dropped.
    public var minConfidence: Double
    /// Load every model and format pack at start (a server: the first request is not slowed down and a broken
    /// model stops the start). Off, only the detector and the first reader of videos (`quick_reader`) are
    /// loaded at start, the rest when first needed: a command-line run on a video needs no other model, and
    /// a still image only the readers it escalates to.
    public var preload: Bool
    /// Without `preload`, still load the readers escalated to at start (not the text finder): a command-line run on
    /// videos reads unsure passes again with them (``VideoOptions/rereadBelow``), and loading them then would hold
    /// up the end of the video.
    public var preloadReaders = false
    /// Which detector looks at video and camera frames (still images always get the manifest's `detector`).
    public var videoDetector: VideoDetector = .quick

    public init(
        manifestPath: String, threads: Int = 1, workers: Int = 1, maxPixels: Int = 40_000_000,
        maxBytes: Int = 50 << 20, countries: [String] = ["gb"], minDetectionScore: Float = 0.1,
        minConfidence: Double = 0.02, preload: Bool = true
    ) {
        self.manifestPath = manifestPath; self.threads = threads; self.workers = workers
        self.maxPixels = maxPixels; self.maxBytes = maxBytes; self.countries = countries
        self.minDetectionScore = minDetectionScore; self.minConfidence = minConfidence
        self.preload = preload
    }

    /// The manifest installed by `make setup`, found next to the executable's package or under the current
    /// directory (the CLI reads `MICROANPR_MODELS` first).
    public static func defaultManifestPath() -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(".deps/models/manifest.json")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            dir.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.deps/models/manifest.json"
    }
}

/// Which detector looks at video and camera frames.
public enum VideoDetector: String, Sendable, CaseIterable {
    /// The manifest's `quick_detector` (its `detector` when it has none): about a third of the still detector's
    /// cost a frame, for cars approaching the camera (docs/video.md, "The video detector").
    case quick
    /// The manifest's `detector`, as still images get: finds more small plates (a side-on or wide view, plates under
    /// about 100 pixels wide at 1280 x 720) at about two thirds of the speed.
    case still
}

/// One plate found in an image.
public struct PlateResult: Sendable, Equatable {
    public var reading: PlateReading
    public var box: Rect
    public var detectionScore: Float
    /// The plate cut out of the image as JPEG, when asked for.
    public var crop: [UInt8]?

    public init(reading: PlateReading, box: Rect, detectionScore: Float, crop: [UInt8]? = nil) {
        self.reading = reading; self.box = box; self.detectionScore = detectionScore; self.crop = crop
    }
}

/// Milliseconds spent in each stage for one image.
public struct StageTimings: Sendable, Equatable {
    public var decode: Double = 0
    public var detect: Double = 0
    public var read: Double = 0
    public var total: Double { decode + detect + read }
    /// Reader model runs made for this image (one per reader per layout of a plate tried): what reading cost, counted.
    public var readerRuns = 0
}

/// Everything read from one image.
public struct RecognitionResult: Sendable {
    public var plates: [PlateResult]
    public var timings: StageTimings
    public var width: Int
    public var height: Int
}

/// The plate-recognition engine: decode -> detect -> crop -> read -> decode under the plate-format grammar.
/// Models are loaded once and shared; heavy work runs on its own bounded ``InferencePool``.
public final class Recognizer: Sendable {
    public let configuration: RecognizerConfiguration
    public let manifest: ModelManifest
    /// Milliseconds taken to load the runtime and models.
    public let loadMilliseconds: Double
    /// The ONNX Runtime version in use.
    public let runtimeVersion: String
    /// The detector model's file name after links: setup links `platedet_head.onnx` to the int8 model whose weights
    /// suit the CPU (7 or 8 bits, docs/recognition.md), and readings depend on which.
    public var detectorFile: String { linkedName(manifest.detector.file) }
    /// The same for video and camera frames (`quick_detector` unless ``RecognizerConfiguration/videoDetector`` is
    /// `.still`, else `detector`).
    public var frameDetectorFile: String { linkedName(frameDetector.spec.file) }
    /// A model file's name with its links followed.
    private func linkedName(_ file: String) -> String {
        URL(fileURLWithPath: manifest.path(file)).resolvingSymlinksInPath().lastPathComponent
    }
    private let detector: PlateDetector
    /// Video and camera frames' detector (`quick_detector`; the still images' one when absent or not wanted).
    private let frameDetector: PlateDetector
    private let quickReader: PlateReader
    let pool: InferencePool
    private let loader: ModelLoader
    /// What is loaded on first use unless ``RecognizerConfiguration/preload``: the readers escalated to, the
    /// text finder, and one format interpreter per country code.
    private let loaded: Mutex<Loaded>

    public init(configuration: RecognizerConfiguration) throws {
        let start = DispatchTime.now()
        self.configuration = configuration
        manifest = try ModelManifest.load(URL(fileURLWithPath: configuration.manifestPath))
        // The video detector is neither needed nor loaded when frames get the still images' one.
        let quickSpec = configuration.videoDetector == .quick ? manifest.quickDetector : nil
        for file in [manifest.runtime.library, manifest.detector.file] + (quickSpec.map { [$0.file] } ?? [])
            + manifest.readers.map(\.file)
            + (manifest.quickReader.map { [$0.file] } ?? [])
            + (manifest.textFinder.map { [$0.file] } ?? [])
        where !FileManager.default.fileExists(atPath: manifest.path(file)) {
            throw RecognitionError.modelsMissing("\(manifest.path(file)) is missing: run `make setup`")
        }
        let loader = try ModelLoader(manifest: manifest, threads: configuration.threads)
        // The detector and the first reader load side by side (each takes ~0.1 s, mostly graph optimisation on one
        // core): what a command-line run on a video waits for before its first frame.
        let c = configuration
        let ((detector, quickDetector), parts) = try inParallel(
            { [manifest] in (try loader.detector(manifest.detector), try quickSpec.map(loader.detector)) },
            { try Self.loadAtStart(loader, configuration: c) })
        self.detector = detector
        frameDetector = quickDetector ?? detector
        self.loader = loader
        runtimeVersion = loader.runtime.version
        pool = InferencePool(size: max(1, configuration.workers))
        quickReader = parts.0
        loaded = Mutex(parts.1)
        loadMilliseconds = DispatchTime.now().milliseconds(since: start)
    }

    /// The reader of video frames (the first reader without a `quick_reader`) and, with `preload`,
    /// everything else.
    private static func loadAtStart(_ loader: ModelLoader, configuration c: RecognizerConfiguration) throws -> (PlateReader, Loaded) {
        for code in c.countries where !countries.contains(code) {
            throw RecognitionError.formats("\(PlateFormatError.unknownCountry(code))")
        }
        var state = Loaded()
        let quick = try loader.reader(loader.manifest.quickReader ?? loader.manifest.readers[0], &state)
        if c.preload || c.preloadReaders { _ = try loader.readers(&state) }
        if c.preload { _ = try loader.textFinder(&state) }
        for code in c.preload ? countries : c.countries { _ = try loader.interpreter(code, &state) }
        return (quick, state)
    }

    /// The manifest's readers in escalation order, loaded on first use.
    private func readers() throws -> [PlateReader] { try whenLoaded { try loader.readers(&$0) } }

    /// Time spent so far loading models and formats on first use (none with ``RecognizerConfiguration/preload``);
    /// an image's stage timings leave it out.
    public var lazyLoadMilliseconds: Double { loaded.withLock { $0.loadMilliseconds } }

    /// The manifest's text finder (nil without one), loaded on first use.
    private func textFinder() throws -> TextFinder? { try whenLoaded { try loader.textFinder(&$0) } }

    /// Runs `body` on what is loaded so far, under the lock, loading on first use what it asks for; the time it
    /// takes counts as loading, which an image's stage timings leave out (looking up what is already loaded costs
    /// nothing worth counting).
    private func whenLoaded<T>(_ body: (inout Loaded) throws -> T) throws -> T {
        try loaded.withLock { state in
            let start = DispatchTime.now()
            defer { state.loadMilliseconds += DispatchTime.now().milliseconds(since: start) }
            return try body(&state)
        }
    }

    /// Stops the inference threads once queued work is done.
    public func shutdown() { pool.shutdown() }

    /// Country codes the engine knows.
    public var knownCountries: [String] { Self.countries }

    /// The country codes every engine knows: each built-in format pack's, and `auto` (every pack at once).
    public static var countries: [String] { (Array(FormatPack.builtIn.keys) + ["auto"]).sorted() }

    /// Recognises plates in encoded image bytes on the inference pool. With `crop`, the image is taken to
    /// be one plate already cropped, and detection is skipped.
    /// With `withCrops`, each plate carries a JPEG of its box. With several countries in force, `mix` (the
    /// source's country mix) weighs them and learns from the plates read.
    public func recognise(
        _ data: [UInt8], country: String? = nil, crop: Bool = false,
        withCrops: Bool = false, mix: CountryMix? = nil
    ) async throws -> RecognitionResult {
        try await pool.run { [self] in try recogniseNow(data, country: country, crop: crop, withCrops: withCrops, mix: mix) }
    }

    /// Recognises plates in an already decoded image (a video frame) on the inference pool.
    /// With `quick`, each plate is read once with the first reader and layout, without escalation (video:
    /// many frames of one plate are voted on instead).
    public func recognise(
        image: Image, country: String? = nil, withCrops: Bool = false,
        quick: Bool = false, mix: CountryMix? = nil
    ) async throws -> RecognitionResult {
        try await pool.run { [self] in
            try recogniseNow(
                image: image, country: country, crop: false, withCrops: withCrops, timings: StageTimings(),
                quick: quick, mix: mix)
        }
    }

    /// Recognises plates in an image file on the inference pool; bad paths and oversized files are refused
    /// before reading.
    public func recognise(
        file path: String, country: String? = nil, crop: Bool = false, mix: CountryMix? = nil
    ) async throws -> RecognitionResult {
        try await recognise(try Self.readFile(path, maxBytes: configuration.maxBytes), country: country, crop: crop, mix: mix)
    }

    /// Reads a whole file with clear errors for missing paths, folders and files over `maxBytes`.
    public static func readFile(_ path: String, maxBytes: Int) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RecognitionError.unreadable("\(path): no such file")
        }
        if isDir.boolValue { throw RecognitionError.unreadable("\(path): is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RecognitionError.unreadable("\(path): permission denied or unreadable")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxBytes { throw RecognitionError.tooLarge("\(path): \(size) bytes, above the limit of \(maxBytes)") }
        do {
            let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
            if data.count > maxBytes { throw RecognitionError.tooLarge("\(path): above the limit of \(maxBytes) bytes") }
            return [UInt8](data)
        } catch let e as RecognitionError { throw e } catch {
            throw RecognitionError.unreadable("\(path): \(error.localizedDescription)")
        }
    }

    /// The blocking pipeline; runs on the calling thread.
    func recogniseNow(
        _ data: [UInt8], country: String?, crop: Bool, withCrops: Bool = false, mix: CountryMix? = nil
    ) throws -> RecognitionResult {
        _ = try interpreter(for: country)  // loaded before the clock starts
        let start = DispatchTime.now()
        let image: Image
        do {
            image = try Image(decoding: data, maxPixels: configuration.maxPixels)
        } catch {
            throw RecognitionError.vision(error)
        }
        var timings = StageTimings()
        timings.decode = DispatchTime.now().milliseconds(since: start)
        return try recogniseNow(image: image, country: country, crop: crop, withCrops: withCrops, timings: timings, mix: mix)
    }

    /// The format interpreter of `country`, weighed by the source's country mix when several packs are in force;
    /// the mix is nil when one pack leaves nothing to weigh.
    private func interpreter(for country: String?, mix: CountryMix?) throws -> (PlateInterpreter, CountryMix?) {
        var interpreter = try interpreter(for: country)
        let mix = interpreter.countries.count > 1 ? mix : nil
        if let mix, let prior = mix.prior(over: interpreter.countries) {
            interpreter.countryPrior = prior
            if let (country, p) = prior.max(by: { $0.value < $1.value }), p >= 0.5 {
                interpreter.proposer = try self.interpreter(for: country.lowercased()).automaton
            }
        }
        return (interpreter, mix)
    }

    /// Reads the plate in `box` of `image` as a still image's plate is read (every reader while unsure, every
    /// layout), on the calling thread; the source's mix weighs the countries but learns nothing from it.
    func readStill(_ image: Image, box: Rect, country: String?, mix: CountryMix?) throws -> PlateReading? {
        let (interpreter, _) = try interpreter(for: country, mix: mix)
        var runs = 0
        do { return try read(image, box: box, interpreter: interpreter, quick: false, runs: &runs) } catch let e as VisionError {
            throw RecognitionError.vision(e)
        }
    }

    func recogniseNow(
        image: Image, country: String?, crop: Bool, withCrops: Bool,
        timings: StageTimings, quick: Bool = false, mix: CountryMix? = nil
    ) throws -> RecognitionResult {
        let (interpreter, mix) = try interpreter(for: country, mix: mix)
        var timings = timings
        var clock = DispatchTime.now()
        // Models first needed by this image (`preload` off) are loaded inside a stage: their loading is not the
        // stage's work on the image, so it is left out (it is counted in `lazyLoadMilliseconds`). Only an engine that
        // loads lazily and reads several images at once could count another call's loading here.
        var loadedBefore = lazyLoadMilliseconds
        func lap() -> Double {
            let now = DispatchTime.now()
            defer { clock = now }
            let loading = lazyLoadMilliseconds - loadedBefore
            loadedBefore += loading
            return max(0, now.milliseconds(since: clock) - loading)
        }
        do {
            let whole = Rect(x: 0, y: 0, width: Float(image.width), height: Float(image.height))
            // `clearlyAbove`: boxes a fallback found (the text finder's lines, a closer look's boxes) are plates only when
            // they read as one in a format with at least that confidence, apart from `earlier` plates and each other.
            func readAll(
                _ detections: [Detection], clearlyAbove: Double? = nil, besides earlier: [PlateResult] = []
            ) throws -> [PlateResult] {
                var plates: [PlateResult] = []
                for d in detections {
                    // Found boxes too small to hold legible characters are not read (a crop given as one is); in
                    // quick mode (video) the cut is higher still, as later frames will show the plate larger.
                    if (!crop && d.box.width < (quick ? frameDetector : detector).spec.minReadWidth ?? 0) || (quick && d.box.height < 12) {
                        continue
                    }
                    guard let reading = try read(image, box: d.box, interpreter: interpreter, quick: quick, runs: &timings.readerRuns),
                        reading.confidence >= configuration.minConfidence
                    else { continue }
                    if let floor = clearlyAbove {
                        guard reading.format != "unknown", reading.confidence >= floor,
                            !(earlier + plates).contains(where: { $0.reading.text == reading.text || $0.box.iou(d.box) > 0 })
                        else { continue }
                    }
                    var crop: [UInt8]?
                    if withCrops {
                        let b = d.box.padded(horizontal: 0.08, vertical: 0.15)
                        let scale = min(1, 400 / max(1, b.width))
                        crop = try image.warped(b.quad, width: max(8, Int(b.width * scale)), height: max(4, Int(b.height * scale)))
                            .encoded(as: .jpeg, quality: 90)
                    }
                    mix?.observe(reading)
                    plates.append(PlateResult(reading: reading, box: d.box, detectionScore: d.score, crop: crop))
                }
                return plates
            }
            let (found, weak): ([Detection], Detection?) =
                crop
                ? ([Detection(box: whole, score: 1)], nil)
                : quick ? (try frameDetector.detectFrame(image), nil) : try detector.detectStill(image)
            let detections = found.filter { $0.score >= configuration.minDetectionScore }
            timings.detect += lap()
            var plates = try readAll(detections)
            timings.read += lap()
            // A still image gets a closer look at the best candidate the detector was unsure of away from the boxes it
            // was sure of (a small or faint plate, beside another or alone). What that look finds counts only when read
            // surely in a format (no sign or grille text), and only beside what the other looks read (at the end): it
            // takes no plate away and does not stand in for the looks below.
            var closer: [PlateResult] = []
            if let weak {
                let boxes = try detector.closerLook(image, at: weak).filter { f in
                    f.score >= configuration.minDetectionScore && !detections.contains { $0.box.iou(f.box) > 0 }
                }
                timings.detect += lap()
                closer = try readAll(boxes, clearlyAbove: manifest.escalateBelow ?? 1, besides: plates)
                timings.read += lap()
            }
            // A large still image whose first look read plates gets a finer look for smaller ones beside them (a 4K
            // camera's wide view, shrunk 6 times to the first look's 640 pixels); like the closer look's, its finds
            // count only when read surely in a format, and only beside what the other looks read.
            if !plates.isEmpty, !crop, !quick {
                let finer = try detector.finerLook(image).filter { f in
                    f.score >= configuration.minDetectionScore && !detections.contains { $0.box.iou(f.box) > 0 }
                        && !closer.contains { $0.box.iou(f.box) > 0 }
                }
                timings.detect += lap()
                closer += try readAll(finer, clearlyAbove: manifest.escalateBelow ?? 1, besides: plates + closer)
                timings.read += lap()
            }
            // A still image in which no plate was read gets a look from further away (a plate filling the picture),
            // then a second look at a larger size, then the text finder.
            // What a later look `found` that the first look did not, read as the first look's boxes are.
            func readNew(_ found: [Detection]) throws -> [PlateResult] {
                let more = found.filter { d in
                    d.score >= configuration.minDetectionScore && !detections.contains { $0.box.iou(d.box) > 0.5 }
                }
                timings.detect += lap()
                defer { timings.read += lap() }
                return try readAll(more)
            }
            // A dark picture whose highlights are kept (dusk: its range stays wide, so the detector's
            // `stretch_below_range` leaves it as it is) in which nothing was read is looked at again lifted, its median
            // raised to `lift_below_median`: the detector, trained on well-lit photos, misses plates there that it
            // finds once lifted. Only pictures with nothing read, so that no box found before is moved (lifting every
            // dark picture moved boxes and lost plates on validation photos); the boxes are read from the picture as
            // shot. Video frames too (the validation video made dusk: 15 -> 16 of 21 registrations).
            if plates.isEmpty, !crop, let lift = (quick ? frameDetector : detector).spec.liftBelowMedian,
                let lifted = try image.lifted(toMedian: lift)
            {
                plates = try readNew(quick ? try frameDetector.detectFrame(lifted) : try detector.detectStill(lifted).0)
            }
            let long = Float(max(image.width, image.height))
            if plates.isEmpty, !crop, !quick {
                plates = try readNew(try detector.detectFromFurther(image))
            }
            if plates.isEmpty, !crop, !quick, let second = manifest.detector.secondLookLongSide.map(Float.init),
                second > detector.firstLookSide(long)
            {
                plates = try readNew(try detector.detect(image, side: min(second, long)))
            }
            if plates.isEmpty, !crop, !quick, let finder = try textFinder() {
                let lines = finder.plateCandidates(try finder.find(image))
                timings.detect += lap()
                plates = try readAll(lines, clearlyAbove: manifest.textFinder?.minConfidence ?? 1)
                timings.read += lap()
            }
            plates += closer.filter { c in !plates.contains { $0.box.iou(c.box) > 0 || $0.reading.text == c.reading.text } }
            return RecognitionResult(plates: plates, timings: timings, width: image.width, height: image.height)
        } catch let e as VisionError {
            throw RecognitionError.vision(e)
        }
    }

    /// The format interpreter of a country code (`auto`: every pack), built on first use.
    private func interpreter(for country: String?) throws -> PlateInterpreter {
        let code = (country ?? configuration.countries.first ?? "gb").lowercased()
        guard Self.countries.contains(code) else {
            throw RecognitionError.formats("unknown country \"\(code)\"; known: \(knownCountries.joined(separator: ", "))")
        }
        return try whenLoaded { try loader.interpreter(code, &$0) }
    }

    /// One line of a plate to read: a detected box (padded as each reader asks) or an exact quadrilateral.
    private enum Line {
        case box(Rect)
        case quad(Quad)
    }

    /// Reads one detected plate in its layouts (``readLayouts(_:box:interpreter:quick:runs:)``); a still plate
    /// whose reading stays unsure, or is in no format, and whose box looks smeared by motion along one direction is
    /// read again, deconvolved from that blur (manifest `motion_blur`), and a sure reading of it in a format wins.
    private func read(_ image: Image, box: Rect, interpreter: PlateInterpreter, quick: Bool, runs: inout Int) throws -> PlateReading? {
        let reading = try readLayouts(image, box: box, interpreter: interpreter, quick: quick, runs: &runs)
        // Doubted characters send a plate to be measured, and so does a reading in no format, however sure: a blur can
        // smear a plate's edge character into the background, and what is left reads surely as no plate (`K5R9C` of
        // `HK5R9C`). A reading sure and in a format is left alone (deconvolving those too gained 5 of 112 motion-blurred
        // validation photos but lost held-out GB plates and a compressed photo to surer misreadings: session 57).
        guard !quick, let settings = manifest.motionBlur, let reading else { return reading }
        let unsure = reading.confidence < manifest.escalateBelow ?? 1
        guard unsure || reading.format == "unknown" else { return reading }
        let measured = try image.motionBlur(in: manifest.readers[0].crop(box), maxLength: settings.maxLength)
        guard let blur = MotionBlur.likeliest(rows: measured.rows, columns: measured.columns, minLength: settings.minLength)
        else { return reading }
        // Deconvolved with room around the box, so that the filter's wrap-around stays away from the plate.
        let region = box.padded(horizontal: 0.5 + 10 / max(1, box.width), vertical: 1 + 10 / max(1, box.height))
        let sharp = try image.deblurred(region, from: blur, balance: settings.balance)
        let origin = (x: max(0, region.x.rounded(.down)), y: max(0, region.y.rounded(.down)))
        let moved = Rect(x: box.x - origin.x, y: box.y - origin.y, width: box.width, height: box.height)
        // Only a sure reading of the deconvolved box counts: a plate that was not blurred as measured (or at all),
        // deconvolved, reads as strings that can outrank an unsure reading of it (held-out GB plates lost 4 of 1,000).
        // A sure reading in no format gives way only to one with more characters, those the blur smeared away: a
        // vanity plate read surely as it is, deconvolved, also reads as strings of its length in some format (US
        // training crops `M0T0RZ` and `25895J` lost so).
        guard let again = try readLayouts(sharp, box: moved, interpreter: interpreter, quick: false, runs: &runs),
            isSure(again), Self.rank(again) > Self.rank(reading),
            unsure || again.text.count > reading.text.count
        else { return reading }
        return again
    }

    /// A reading's rank among readings of one plate: one in a format first, then the surer.
    static func rank(_ r: PlateReading) -> (Int, Double) { (r.format == "unknown" ? 0 : 1, r.confidence) }

    /// Reads one detected plate as one line; then, while no reading is confident and in a known format (always,
    /// for squarish boxes): the registration's span alone when smaller characters stand beside it, for leaning
    /// text or a registration with other text around it through the rectangle around its characters, and for
    /// boxes narrow enough as two stacked lines (top first). A reading in a known format beats one that is
    /// not; then the more confident one wins; a final reading in no format that is the span's reading plus
    /// more gives way to the span's. With `prefer_text_line`, a framed box's text line (characters under
    /// `text_line_below_height` of the box) is read first, and its sure reading in a format wins without the box
    /// being read (unless the box is squarish).
    private func readLayouts(_ image: Image, box: Rect, interpreter: PlateInterpreter, quick: Bool, runs: inout Int) throws -> PlateReading?
    {
        var layouts: [[Line]] = [[.box(box)]]
        // The text line of a box whose characters fill only part of its height (text of a frame or a dealer
        // around them): read first, and its own sure reading in a format wins (below).
        var framedLayout: Int?
        // The registration alone, without smaller characters beside it (US stacked letters, a sticker): read
        // whenever there are some, and preferred when it reads as part of another layout's reading.
        var spanLayout: Int?
        if !quick, let minDegrees = manifest.detector.deskewMinDegrees,
            let line = try image.textLine(
                in: box.padded(horizontal: 0.04, vertical: 0.08), adaptiveBlock: manifest.detector.textLineAdaptiveBlock ?? 0,
                shear: manifest.detector.deskewShear == true),
            abs(line.degrees) <= 45
        {
            let pad = manifest.detector.deskewPadding ?? [0.08, 0.3]
            if line.decorated, line.span.upperBound - line.span.lowerBound < 0.97 {
                spanLayout = layouts.count
                layouts.append([.quad(line.spanQuad.padded(horizontal: 0, vertical: pad.last ?? 0))])
            }
            let framed = line.quad.height < box.height * (manifest.detector.textLineBelowHeight ?? 0)
            if abs(line.degrees) >= minDegrees || framed {
                if framed && manifest.detector.preferTextLine == true { framedLayout = layouts.count }
                layouts.append([.quad(line.quad.padded(horizontal: pad.first ?? 0, vertical: pad.last ?? 0))])
            }
        }
        let aspect = Double(box.width / max(1, box.height))
        let squarish = manifest.twoLine.map { aspect < $0.tryBelowAspect } ?? false
        // The box read as two stacked lines, when it is also read as one; and whether it read as nothing as one line.
        var twoLineLayout: Int?
        var unreadAsOneLine = false
        if let t = manifest.twoLine, squarish {
            let half = box.height / 2, reach = box.height * Float(t.overlap)
            let two: [Line] = [
                .box(Rect(x: box.x, y: box.y, width: box.width, height: half + reach)),
                .box(Rect(x: box.x, y: box.y + half - reach, width: box.width, height: half + reach)),
            ]
            if aspect < t.onlyBelowAspect {
                layouts = [two]
            } else {
                // Video frames too: squeezed into one line, a two-line plate reads as a mix of its lines.
                twoLineLayout = layouts.count
                layouts.append(two)
            }
        }
        // Layouts are tried in order until one gives a confident reading in a known format.
        let rank = Self.rank
        let chain = quick ? [quickReader] : try readers()  // in escalation order
        // A framed box's sure reading of its text line wins over every other layout but a squarish box's, so that
        // line is read first: when it is sure, the box itself is not read at all (about one reader run saved per
        // UK plate, whose characters fill under two thirds of the detector's box); otherwise its reading is kept.
        var framedReading: PlateReading??
        if let f = framedLayout, !squarish {
            let r = try read(image, lines: layouts[f], interpreter: interpreter, readers: chain, runs: &runs)
            if let r, r.format != "unknown", isSure(r) { return r }
            framedReading = .some(r)
        }
        var best: PlateReading?
        var spanReading: PlateReading?
        for (i, lines) in layouts.enumerated() {
            // The span's reading only ever replaces a reading in no format; a known one never turns unknown.
            if i == spanLayout, let b = best, b.format != "unknown" { continue }
            let r =
                if i == framedLayout, let early = framedReading { early } else {
                    try read(image, lines: lines, interpreter: interpreter, readers: chain, runs: &runs)
                }
            // A box whose first reading holds no characters is no plate: no other layout is tried. A squarish box's
            // two lines squeezed into one can read as nothing, so its two lines are still read (below: only a sure
            // reading in a format then makes it a plate).
            if i == 0 && r == nil {
                guard twoLineLayout != nil else { return nil }
                unreadAsOneLine = true
            }
            if i == spanLayout {
                spanReading = r  // only to take away what stands beside the registration (below)
            } else if let r, (i == framedLayout && r.format != "unknown" && isSure(r)) || best.map({ rank(r) > rank($0) }) ?? true {
                best = r
            } else if i == twoLineLayout, let r, let b = best, Self.twoLinesOutrank(r, sure: isSure(r), oneLine: b) {
                best = r
            }
            // Square boxes are ambiguous (one line seen at an angle, or two lines): every layout is compared.
            if !squarish, let b = best, b.format != "unknown", isSure(b), framedLayout.map({ i >= $0 }) ?? true { break }
        }
        if unreadAsOneLine, let b = best, !Self.isPlateUnreadAsOneLine(b, sure: isSure(b)) { return nil }
        return best.map { Self.registrationAlone($0, span: spanReading) }
    }

    /// Whether a squarish box's reading as two lines wins over its best reading as one line that ranks higher. A
    /// two-line plate read as one line gives one of its lines (the larger or sharper), which can be a plate in a format
    /// of its own (a GB `AB12` over `CDE` read `AB12`, a dateless plate): its two lines read surely in a format and
    /// longer say what the box holds.
    static func twoLinesOutrank(_ twoLines: PlateReading, sure: Bool, oneLine: PlateReading) -> Bool {
        sure && twoLines.format != "unknown" && twoLines.text.count > oneLine.text.count
    }

    /// Whether a squarish box that read as nothing on one line is a plate by its reading as two: a small blob (a badge,
    /// a sign) often reads as a character or two on two lines, so only a sure reading in a format counts.
    static func isPlateUnreadAsOneLine(_ reading: PlateReading, sure: Bool) -> Bool {
        sure && reading.format != "unknown"
    }

    /// A plate's reading without what stands beside its registration: the reading of the registration's span alone
    /// when `best` is in no format and is that reading plus something (which puts it outside every format), as long
    /// as the span keeps at least half of the characters. A state name, stacked letters or a county code beside a
    /// registration are a few characters; a span that keeps fewer than half of them was cut out of the registration
    /// (an Irish `173-D-441` whose dashes left `3D` as the line's only full-height characters, a vanity `HALTC02`
    /// cut to `TC0`). A reading in a format is never cut.
    static func registrationAlone(_ best: PlateReading, span: PlateReading?) -> PlateReading {
        guard best.format == "unknown", let span, span.text.count < best.text.count, 2 * span.text.count >= best.text.count,
            best.text.contains(span.text)
        else { return best }
        return span
    }

    /// Reads the lines of one plate with the first of `readers`, then the next ones while the combined reading
    /// is not confident enough. Readings of fewer than two characters are not plates, nor are readings that could be
    /// no registration (``PlateReading/couldBeRegistration``: a camera's date and time): no other reader is asked.
    private func read(
        _ image: Image, lines: [Line], interpreter: PlateInterpreter, readers: [PlateReader], runs: inout Int
    ) throws -> PlateReading? {
        var matrices: [CTCMatrix] = []
        var reading: PlateReading?
        for reader in readers {
            let parts = try lines.map { line in
                let quad: Quad =
                    switch line {
                    case .box(let b): reader.spec.crop(b).quad
                    case .quad(let q): q
                    }
                return try reader.read(image, quad: quad, aspect: quad.aspect)
            }
            runs += parts.count
            matrices.append(CTCMatrix.joined(parts))
            reading = interpreter.interpret(matrices)
            guard let r = reading, r.text.count >= 2, r.couldBeRegistration else { return nil }
            if isSure(r) { break }
        }
        return reading
    }

    /// Whether a reading needs no further reader: confident enough, and in a format when the manifest asks
    /// for one (a misread that no format accepts can look sure of itself when several countries are in force).
    private func isSure(_ r: PlateReading) -> Bool {
        r.confidence >= manifest.escalateBelow ?? 1 && !(manifest.escalateUnknown == true && r.format == "unknown")
    }
}

extension DispatchTime {
    /// Milliseconds from `start` to this time.
    func milliseconds(since start: DispatchTime) -> Double { Double(uptimeNanoseconds - start.uptimeNanoseconds) / 1e6 }
}
