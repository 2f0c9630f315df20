import HummingbirdCore
import Logging

/// Caps the connections a process holds (see ``FileDescriptorBudget``). At the cap the listener stops
/// accepting until a connection closes: new clients wait in the kernel's backlog instead of costing a file
/// descriptor. Saturation is logged when it starts, at most once per ten seconds.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var lastLog: ContinuousClock.Instant?

    init(maximum: Int, logger: Logger) { self.maximum = maximum; self.logger = logger }

    mutating func connectionOpened() {
        open += 1
        guard open == maximum else { return }
        let now = ContinuousClock.now
        if let lastLog, now - lastLog < .seconds(10) { return }
        lastLog = now
        logger.warning(
            "connection cap reached: new connections wait until one closes",
            metadata: ["connections": "\(open)", "cap": "\(maximum)"])
    }

    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
