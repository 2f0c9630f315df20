import Foundation
import Recognition
import ServiceLifecycle
#if canImport(FoundationNetworking)
    import FoundationNetworking
    import Tracking
#endif

/// Reads a camera locally and sends its vehicle passes to a MicroANPR server.
///
/// Every pass goes to the ``EdgeBuffer`` first; a sender delivers the buffer in order with `POST /v1/passes` (the
/// client generated from the API document, ``PassSender``) and removes a pass only when the server has stored it
/// (201) or had stored it already (200, same idempotency key). While the server is unreachable, answers 5xx or 429,
/// passes wait on disk and delivery is retried with backoff (1 s doubling to 30 s by default): none lost, none stored
/// twice.
public final class EdgeAgent: Service {
    public struct Configuration: Sendable {
        public var source: String
        public var server: URL
        public var apiKey: String
        public var cameraID: String?
        public var country: String?
        /// File sources: read the whole file (every frame considered, as `microanpr recognise` does, rather than
        /// played in real time) and return once every pass is delivered.
        public var once: Bool
        /// Longest wait between delivery attempts while the server is unreachable, in seconds.
        public var maxRetryInterval: Double

        public init(
            source: String, server: URL, apiKey: String, cameraID: String?, country: String?, once: Bool,
            maxRetryInterval: Double = 30
        ) {
            self.source = source; self.server = server; self.apiKey = apiKey; self.cameraID = cameraID
            self.country = country; self.once = once; self.maxRetryInterval = maxRetryInterval
        }
    }

    /// What happened, for the command line.
    public enum Event: Sendable {
        case status(LiveStream.Status)
        case buffered(plate: String, pending: Int)
        case delivered(plate: String, replayed: Bool, pending: Int)
        case rejected(status: Int, answer: String)
        case retrying(reason: String, pending: Int, inSeconds: Double)
        /// A file read with `once` could not be read to its end (the passes found before are kept).
        case failed(reason: String)
    }

    let configuration: Configuration
    let recognizer: Recognizer
    let buffer: EdgeBuffer
    let events: @Sendable (Event) -> Void
    let sender: PassSender

    public init(
        configuration: Configuration, recognizer: Recognizer, buffer: EdgeBuffer,
        events: @escaping @Sendable (Event) -> Void
    ) {
        self.configuration = configuration; self.recognizer = recognizer; self.buffer = buffer; self.events = events
        sender = PassSender(server: configuration.server, apiKey: configuration.apiKey)
    }

    /// Runs until cancelled or shut down gracefully, or with `once` until the file is read and the buffer
    /// delivered. Passes still being tracked at shutdown are buffered first.
    public func run() async {
        await cancelWhenGracefulShutdown { await self.runUntilCancelled() }
    }

    func runUntilCancelled() async {
        let stream = LiveStream(
            source: configuration.source, recognizer: recognizer, country: configuration.country,
            loopFiles: !configuration.once)
        let (buffer, events, cameraID) = (buffer, events, configuration.cameraID)
        let keep: LiveStream.PassHandler = { passes, origin in
            for p in passes {
                try buffer.add(p, origin: origin, cameraID: cameraID)
                events(.buffered(plate: p.pass.text, pending: buffer.count))
            }
        }
        let readingDone = Flag()
        let (recognizer, configuration) = (recognizer, configuration)
        let reading = Task {
            defer { readingDone.set() }
            if configuration.once, let file = LiveStream.filePath(of: configuration.source) {
                // A recorded file is read whole, like `microanpr recognise`: no frame is dropped because the
                // machine is busy, so the passes do not depend on the load.
                let origin = Int64(Date().timeIntervalSince1970 * 1000)
                do {
                    var options = VideoOptions()
                    options.country = configuration.country
                    let result = try await recognizer.recogniseVideo(path: file, options: options)
                    try await keep(result.passes, origin)
                } catch {
                    events(.failed(reason: "\(error)"))
                }
                return
            }
            await stream.run(passes: keep, status: { events(.status($0)) })
        }
        await withTaskCancellationHandler {
            var backoff = 1.0
            while !Task.isCancelled {
                let finished = readingDone.isSet
                if let failure = await deliverAll() {
                    events(.retrying(reason: failure, pending: buffer.count, inSeconds: backoff))
                    try? await Task.sleep(for: .seconds(backoff))
                    backoff = min(configuration.maxRetryInterval, backoff * 2)
                    continue
                }
                backoff = 1
                // Everything read before the check was delivered.
                if configuration.once && finished { break }
                try? await Task.sleep(for: .milliseconds(500))
            }
        } onCancel: {
            reading.cancel()
        }
        await reading.value
    }

    /// Delivers the buffer in order; stops at the first failure worth retrying and returns it.
    func deliverAll() async -> String? {
        for entry in buffer.entries() {
            if Task.isCancelled { return nil }
            let status: Int, answer: String, plate: String
            do {
                let a = try await sender.send(entry)
                (plate, status, answer) = (a.plate, a.status, a.message)
            } catch let error as DecodingError {
                // Not a pass this version can send (a damaged file): kept aside like a pass the server refused.
                do { try buffer.reject(entry, answer: "unreadable pass.json: \(error)") } catch {
                    return "cannot update the buffer: \(error)"
                }
                events(.rejected(status: 0, answer: "unreadable pass.json in \(entry.name)"))
                continue
            } catch {
                return "server unreachable: \(error.localizedDescription)"
            }
            switch status {
            case 200, 201:
                do { try buffer.remove(entry) } catch { return "cannot update the buffer: \(error)" }
                events(.delivered(plate: plate, replayed: status == 200, pending: buffer.count))
            case 401, 403, 408, 429, 500...:
                return "server answered \(status): \(answer.prefix(300))"
            default:
                // Refused for good (bad pass, unknown camera): kept aside, never retried.
                do { try buffer.reject(entry, answer: "\(status) \(answer)") } catch { return "cannot update the buffer: \(error)" }
                events(.rejected(status: status, answer: String(answer.prefix(300))))
            }
        }
        return nil
    }
}

/// A one-way flag shared between tasks.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
