import Foundation
import Synchronization

/// A fixed set of dedicated threads for blocking CPU work (model inference), so that it never occupies
/// Swift's cooperative thread pool. Work is taken in submission order. Workers keep the pool alive until
/// ``shutdown()`` is called.
public final class InferencePool: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopped = false
    }
    private let state = Mutex(State())
    private let condition = NSCondition()
    /// Number of worker threads.
    public let size: Int

    public init(size: Int) {
        precondition(size >= 1, "an inference pool needs at least one thread")
        self.size = size
        for i in 0..<size {
            let thread = Thread { [weak self] in
                Thread.current.threadDictionary[Self.marker] = true
                while let job = self?.next() { job() }
            }
            thread.name = "inference-\(i)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private static let marker = "microanpr.inference-pool"

    /// Whether the calling thread is a worker of some inference pool.
    public static var isPoolThread: Bool { Thread.current.threadDictionary[marker] as? Bool ?? false }

    /// Stops the workers once queued work has run.
    public func shutdown() {
        condition.lock()
        state.withLock { $0.stopped = true }
        condition.broadcast()
        condition.unlock()
    }

    private func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let job: (@Sendable () -> Void)?? = state.withLock { s in
                if s.head < s.jobs.count {
                    let j = s.jobs[s.head]
                    s.head += 1
                    if s.head > 64 && s.head * 2 > s.jobs.count { s.jobs.removeFirst(s.head); s.head = 0 }
                    return .some(j)
                }
                return s.stopped ? .some(nil) : nil
            }
            if let job { return job }
            condition.wait()
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        state.withLock { $0.jobs.append(job) }
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
