#if canImport(Glibc)
    import Glibc
    private let nofile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
    import Darwin
    private let nofile = RLIMIT_NOFILE
#endif

/// How many connections this process may hold, from its open-file limit.
///
/// Every accepted connection costs a file descriptor, and so do the database, media files, models, camera
/// pipes and libdispatch (which, on Linux, opens `/proc/<tid>/stat` for its worker threads and traps when that
/// fails: running out of descriptors can kill the whole process, not just one request). So the soft limit is
/// raised to the hard limit at start, and connections and SSE streams are capped well below it.
public struct FileDescriptorBudget: Sendable, Equatable {
    /// The soft limit before and after raising it, and the hard limit.
    public var softBefore: Int
    public var soft: Int
    public var hard: Int
    /// Descriptors kept for everything that is not a client connection.
    public var reserve: Int

    /// Connections the server accepts at once; more wait in the kernel's backlog (accepts back off).
    public var connections: Int { max(8, soft - reserve) }
    /// Default cap on SSE streams per process: the connections less room for uploads and API requests, so a
    /// crowd of streams never takes the last connections.
    public var streams: Int { max(1, connections - max(16, connections / 16)) }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (when it can) and returns the budget.
    public static func raise() -> FileDescriptorBudget {
        var l = rlimit()
        guard getrlimit(nofile, &l) == 0 else { return make(soft: 1024, hard: 1024, before: 1024) }
        let before = Int(clamping: l.rlim_cur)
        if l.rlim_cur < l.rlim_max {
            var raised = l
            raised.rlim_cur = l.rlim_max
            if setrlimit(nofile, &raised) == 0 { l = raised }
        }
        return make(soft: Int(clamping: l.rlim_cur), hard: Int(clamping: l.rlim_max), before: before)
    }

    /// The budget for a soft limit: an eighth of it, at least 96, is kept for everything but connections.
    public static func make(soft: Int, hard: Int, before: Int) -> FileDescriptorBudget {
        FileDescriptorBudget(softBefore: before, soft: soft, hard: hard, reserve: max(96, soft / 8))
    }
}
