import Foundation
import Logging
import ServiceLifecycle

/// Makes sure a process that was asked to stop does stop: once graceful shutdown begins, a thread of its own
/// (independent of the server's threads and tasks, which may be the thing that is stuck) ends the process
/// after the grace period. A supervisor that sent SIGTERM never waits on a live process that serves no one.
struct ShutdownWatchdog: Service {
    let graceSeconds: Double
    let logger: Logger
    /// Called when graceful shutdown begins.
    let onBegin: @Sendable () -> Void

    func run() async throws {
        // Returns when graceful shutdown begins; throws if the group is cancelled instead.
        do { try await gracefulShutdown() } catch { return }
        onBegin()
        let (seconds, logger) = (graceSeconds, self.logger)
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            logger.critical(
                "shutdown took longer than the grace period: exiting now",
                metadata: ["grace_seconds": "\(seconds)"])
            FileHandle.standardError.synchronizeFile()
            _exit(1)
        }
        thread.start()
    }
}
