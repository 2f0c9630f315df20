import Foundation

/// Runs `a` on another thread while `b` runs on this one; `a`'s error wins when both fail.
func inParallel<A: Sendable, B>(_ a: @escaping @Sendable () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    let slot = ResultSlot<A>(), done = DispatchSemaphore(value: 0)
    Thread {
        slot.result = Result { try a() }
        done.signal()
    }.start()
    let second = Result { try b() }
    done.wait()
    return (try slot.result!.get(), try second.get())
}

/// A result written by one thread before it signals a semaphore and read by another after waiting on it (the
/// semaphore orders the two).
private final class ResultSlot<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}
