import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// SQLite through one serialised connection (WAL, foreign keys on). Transactions hold the connection for
/// their whole body, so statements of other tasks never interleave with them. The connection's blocking calls
/// run on a thread of its own, not on NIO's shared blocking pool: there, other blocking work (password hashing,
/// file writes) queued ahead of a query stalled every request of the process.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let gate = AsyncGate()

    public init(path: String) async throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // One thread: the gate serialises every statement anyway.
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path), threadPool: pool, logger: Logger(label: "microanpr.sqlite"),
                on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await pool.shutdownGracefully()
            throw StorageError("cannot open SQLite database at \(path): \(error)")
        }
        threadPool = pool
        for pragma in [
            "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
            // 64 MiB of page cache (the default is 2 MiB): the plate and time indexes of millions of reads are read at
            // random by searches and written at random by ingest.
            "PRAGMA cache_size=-65536",
        ] {
            _ = try await run(pragma, [])
        }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await gate.withLock { try await run(sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await gate.withLock {
            _ = try await run("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Locked(database: self))
                _ = try await run("COMMIT", [])
                return result
            } catch {
                _ = try? await run("ROLLBACK", [])
                throw error
            }
        }
    }

    public func close() async {
        try? await connection.close()
        try? await threadPool.shutdownGracefully()
    }

    fileprivate func run(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let data: [SQLiteData] = binds.map {
            switch $0 {
            case .int(let v): .integer(Int(v))
            case .double(let v): .float(v)
            case .text(let v): .text(v)
            case .null: .null
            }
        }
        let rows = Collector()
        do {
            try await connection.query(sql, data) { row in
                let cells = row.columns.map { column -> SQLValue in
                    switch column.data {
                    case .integer(let v): .int(Int64(v))
                    case .float(let v): .double(v)
                    case .text(let v): .text(v)
                    case .blob(let b): .text(String(buffer: b))
                    case .null: .null
                    }
                }
                rows.append(cells) { SQLRow.Columns(row.columns.map(\.name)) }
            }
        } catch {
            throw StorageError("SQLite: \(error)")
        }
        return rows.rows
    }

    /// The database seen from inside a transaction: statements run without taking the gate again.
    private struct Locked: SQLDatabase {
        let database: SQLiteDatabase
        var dialect: SQLDialect { .sqlite }
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try await database.run(sql, binds) }
        func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await body(self)
        }
        func close() async {}
    }
}

/// Rows gathered from the SQLite callback; the column names are read from the first row only.
private final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [SQLRow] = []
    private var columns: SQLRow.Columns?
    func append(_ cells: [SQLValue], columns make: () -> SQLRow.Columns) {
        lock.withLock {
            let c = columns ?? make()
            columns = c
            storage.append(SQLRow(columns: c, cells: cells))
        }
    }
    var rows: [SQLRow] { lock.withLock { storage } }
}

/// A FIFO async mutex.
actor AsyncGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
