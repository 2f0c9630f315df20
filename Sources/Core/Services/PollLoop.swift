import Logging
import ServiceLifecycle

/// The loop the background services share: run a step, sleep for as long as the step asks, until the service
/// group shuts down. A failed step is logged and retried after `errorDelay`.
package enum PollLoop {
    /// - Parameters:
    ///   - interruptSteps: whether a graceful shutdown cancels a step in progress (true: workers whose claims go
    ///     back to the queue), or waits for it to finish (false: steps that should complete as a whole).
    ///   - step: one round; returns how long to sleep before the next.
    package static func run(
        logger: Logger, failure: String, metadata: Logger.Metadata = [:], errorDelay: Duration = .seconds(1),
        interruptSteps: Bool = true, _ step: @escaping @Sendable () async throws -> Duration
    ) async {
        @Sendable func loop() async {
            while !Task.isCancelled && (interruptSteps || !Task.isShuttingDownGracefully) {
                let pause: Duration
                do {
                    pause = try await step()
                } catch is CancellationError {
                    break
                } catch {
                    logger.error("\(failure)", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
                    pause = errorDelay
                }
                try? await Task.sleep(for: pause)
            }
        }
        if interruptSteps { await cancelWhenGracefulShutdown(loop) } else { await loop() }
    }
}
