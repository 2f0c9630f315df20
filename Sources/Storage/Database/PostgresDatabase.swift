import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// PostgreSQL through PostgresNIO connection pools. `?` placeholders are rewritten to `$n`.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    /// The pool that runs the statements kept prepared (``preparedQuery(_:_:)``): its sessions keep each statement's
    /// generic plan (`plan_cache_mode=force_generic_plan`), planned once per connection. Those statements are the ones
    /// whose best plan is the same for every value; PostgreSQL's own choice between a generic plan and one planned for
    /// the values is by estimated cost, and it planned list pages on every run (reads: a limit bound as a parameter is
    /// costed as a tenth of the rows, so the generic plan never won) or not (passes in an hour), by chance of the
    /// estimates: a third of PostgreSQL's CPU on a list page was planning (docs/scale.md, session 45). Every other
    /// statement runs on `client`, where plans for the values stay PostgreSQL's choice.
    private let listClient: PostgresClient
    private let runners: [Task<Void, Never>]
    private let logger = Logger(label: "microanpr.postgres")
    private static let maximumConnections = 16
    private static let maximumListConnections = 8
    private let busy = Atomic<Int>(0)
    public var poolUse: (inUse: Int, size: Int) {
        (busy.load(ordering: .relaxed), Self.maximumConnections + Self.maximumListConnections)
    }

    /// Counts a connection as busy while `body` runs.
    private func busy<T>(_ body: () async throws -> T) async rethrows -> T {
        busy.add(1, ordering: .relaxed)
        defer { busy.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    /// Statements kept prepared on each connection (``preparedQuery(_:_:)``): their names, up to `statementCacheSize`,
    /// and whether the server refused one, which turns them off for this process.
    private let prepared: Mutex<(names: Set<String>, off: Bool)> = Mutex(([], false))
    /// How many distinct statements may be kept prepared (`statement_cache_size` in the URL; 0: none).
    public let statementCacheSize: Int
    /// How many distinct statements this process keeps prepared, and whether the server turned them off.
    public var preparedStatements: (count: Int, off: Bool) { prepared.withLock { ($0.names.count, $0.off) } }
    public static let defaultStatementCacheSize = 200

    /// Connects lazily to `postgres://user[:password]@host[:port]/database` (TLS as libpq's `sslmode` and
    /// `sslrootcert` say, ``tls(sslmode:rootCertificate:loopback:)``; `statement_cache_size=N` statements kept
    /// prepared, 0 for none, as a connection pooler in transaction mode needs; ``probe()`` tries a connection at
    /// once), or, as libpq reads it, to the Unix socket in the folder a `host` parameter names:
    /// `postgres://user@/database?host=/var/run/postgresql` (the socket `.s.PGSQL.<port>` there; no TLS, and Debian's
    /// server lets a local user of the same name in without a password).
    public init(url: String) throws {
        let expected = "expected postgres://user[:password]@host[:port]/database or postgres://user@/database?host=/socket/folder"
        guard let c = URLComponents(string: url), let user = c.user, !user.isEmpty else {
            throw StorageError("bad PostgreSQL URL: \(expected)")
        }
        func parameter(_ name: String) -> String? { c.queryItems?.first { $0.name == name }?.value }
        let socketFolder = parameter("host")
        if let folder = socketFolder, !folder.hasPrefix("/") {
            throw StorageError("bad PostgreSQL URL: the host parameter must be the absolute path of a socket folder, got '\(folder)'")
        }
        guard socketFolder != nil || !(c.host ?? "").isEmpty else { throw StorageError("bad PostgreSQL URL: \(expected)") }
        let host = c.host ?? ""
        // libpq also takes the port as a parameter, the way a socket URL without a host writes it.
        let portParameter = parameter("port")
        guard portParameter.map({ Int($0).map { (1...65_535).contains($0) } ?? false }) ?? true else {
            throw StorageError("bad PostgreSQL URL: the port parameter must be a port number (1-65535)")
        }
        let port = c.port ?? portParameter.flatMap { Int($0) } ?? 5432
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        let database = path.isEmpty ? nil : path
        if let size = parameter("statement_cache_size") {
            guard let n = Int(size), n >= 0 else {
                throw StorageError("bad PostgreSQL URL: statement_cache_size must be a whole number of statements (0: none)")
            }
            statementCacheSize = n
        } else {
            statementCacheSize = Self.defaultStatementCacheSize
        }
        let tlsChoice = try Self.tls(
            sslmode: parameter("sslmode"), rootCertificate: parameter("sslrootcert"),
            loopback: ["127.0.0.1", "localhost", "::1"].contains(host))
        let tls: PostgresClient.Configuration.TLS
        let probeTLS: PostgresConnection.Configuration.TLS
        do {
            switch tlsChoice {
            case .disable: (tls, probeTLS) = (.disable, .disable)
            case .prefer(let t): (tls, probeTLS) = (.prefer(t), .prefer(try NIOSSLContext(configuration: t)))
            case .require(let t): (tls, probeTLS) = (.require(t), .require(try NIOSSLContext(configuration: t)))
            }
        } catch {
            throw StorageError("bad PostgreSQL URL: its TLS settings (sslrootcert) cannot be used: \(error)")
        }
        // The pools and the probe take the same endpoint, each in its own library type.
        let socket = socketFolder.map { "\($0)/.s.PGSQL.\(port)" }
        var configuration =
            socket.map { PostgresClient.Configuration(unixSocketPath: $0, username: user, password: c.password, database: database) }
            ?? PostgresClient.Configuration(host: host, port: port, username: user, password: c.password, database: database, tls: tls)
        configuration.options.maximumConnections = Self.maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        var probe =
            socket.map { PostgresConnection.Configuration(unixSocketPath: $0, username: user, password: c.password, database: database) }
            ?? PostgresConnection.Configuration(
                host: host, port: port, username: user, password: c.password, database: database, tls: probeTLS)
        probe.options.connectTimeout = .seconds(5)
        probeConfiguration = probe
        let client = PostgresClient(configuration: configuration)
        configuration.options.maximumConnections = Self.maximumListConnections
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        let listClient = PostgresClient(configuration: configuration)
        self.client = client
        self.listClient = listClient
        // The pools' run loops live exactly as long as this handle: `close()` cancels them and waits for them to end.
        // They are not Services of the server's group because every CLI command opens a database too (migrate, backup,
        // tenant, user) and has no service group; the server closes the store after its group has shut down. Neither
        // connects before its first statement.
        runners = [Task { await client.run() }, Task { await listClient.run() }]
    }

    /// The connection's TLS from libpq's `sslmode` and `sslrootcert`, with libpq's meanings, so that a URL copied from
    /// a managed database's console does what it says: `disable`; `allow` and `prefer` encrypt when the server offers
    /// it, without checking its certificate; `require` encrypts or refuses to connect, checking the certificate against
    /// `sslrootcert` when one is given (as libpq does) and not otherwise; `verify-ca` and `verify-full` require a
    /// certificate signed by `sslrootcert` (else the system's roots), `verify-full` for this host name too. Without
    /// `sslmode`: none on loopback, else TLS when offered with the certificate checked (before session 46 every mode
    /// but `disable` meant that, so `require` fell back to no encryption against a server without TLS).
    static func tls(sslmode: String?, rootCertificate: String?, loopback: Bool) throws -> TLSChoice {
        var checked = TLSConfiguration.makeClientConfiguration()
        if let file = rootCertificate { checked.trustRoots = .file(file) }
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        switch sslmode {
        case nil: return loopback ? .disable : .prefer(checked)
        case "disable": return .disable
        case "allow", "prefer": return .prefer(unchecked)
        case "require": return .require(rootCertificate == nil ? unchecked : Self.withoutHostName(checked))
        case "verify-ca": return .require(Self.withoutHostName(checked))
        case "verify-full": return .require(checked)
        case let other?:
            throw StorageError(
                "bad PostgreSQL URL: sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got '\(other)'")
        }
    }

    /// Whether and how a connection is encrypted (``tls(sslmode:rootCertificate:loopback:)``).
    enum TLSChoice {
        case disable, prefer(TLSConfiguration), require(TLSConfiguration)
    }

    /// The settings of ``probe()``'s connection: the pools' own.
    private let probeConfiguration: PostgresConnection.Configuration

    /// Opens one connection outside the pools and closes it, so that a server that cannot be reached, refuses the
    /// login or fails the TLS check is reported at once with its own reason. (The pools retry a failing connection for
    /// about a minute, then report only that they gave up, `connectionCreationCircuitBreakerTripped`.)
    public func probe() async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw StorageError("cannot connect to PostgreSQL: \(String(reflecting: error))")
        }
    }

    private static func withoutHostName(_ c: TLSConfiguration) -> TLSConfiguration {
        var c = c
        c.certificateVerification = .noHostnameVerification
        return c
    }

    /// The parameters of a database URL that MicroANPR reads and libpq does not know (`statement_cache_size`).
    static let ownParameters: Set<String> = ["statement_cache_size"]

    /// `url` as libpq's tools (`pg_dump`, `pg_restore`, `psql`) take it: without ``ownParameters``, which they refuse
    /// ("invalid URI query parameter"). Everything else, the socket's `host` and `port` included, is theirs too.
    public static func libpqURL(_ url: String) -> String {
        guard var c = URLComponents(string: url), let items = c.queryItems else { return url }
        let kept = items.filter { !ownParameters.contains($0.name) }
        c.queryItems = kept.isEmpty ? nil : kept
        return c.string ?? url
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try await busy { try await Self.collect(try await client.query(Self.makeQuery(sql, binds), logger: logger)) }
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs `sql` as a statement prepared once per connection (PostgresNIO's cache, by a name made from the text) of
    /// the pool that keeps generic plans (`listClient`): PostgreSQL then skips parsing and planning, which for a list
    /// page cost as much as running it. At most `statementCacheSize` distinct texts are prepared (others run as
    /// ``query(_:_:)``, on the other pool); a server that refuses a prepared statement (a table changed under it by a
    /// newer version's migration, a pooler that dropped it) turns them off for this process, and the statement runs
    /// again unprepared.
    public func preparedQuery(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let name = Self.statementName(sql)
        let use = prepared.withLock { p in
            !p.off && (p.names.contains(name) || (p.names.count < statementCacheSize && p.names.insert(name).inserted))
        }
        guard use else { return try await query(sql, binds) }
        let q = Self.makeQuery(sql, binds)
        do {
            return try await busy {
                try await NamedText.$current.withValue((name, q.sql)) {
                    try await Self.collect(try await listClient.execute(NamedText(bindings: q.binds), logger: logger))
                }
            }
        } catch let e as PSQLError where Self.refusesPrepared(e) {
            prepared.withLock { $0.off = true }
            logger.warning("prepared statements turned off", metadata: ["reason": "\(e.serverInfo?[.message] ?? "")"])
            return try await query(sql, binds)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// A statement's failure as the repository layer reports it (PostgresNIO's error described whole).
    static func storageError(_ error: any Error) -> StorageError {
        error as? StorageError ?? StorageError("PostgreSQL: \(String(reflecting: error))")
    }

    /// Whether the server refused a prepared statement as such: its result changed under it (`0A000`, "cached plan
    /// must not change result type") or it is gone (`26000`).
    static func refusesPrepared(_ e: PSQLError) -> Bool {
        ["0A000", "26000"].contains(e.serverInfo?[.sqlState] ?? "")
    }

    /// A stable name for a statement's text (64-bit FNV-1a): the same text is the same statement on every connection.
    static func statementName(_ sql: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in sql.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return "mpr_" + String(h, radix: 16)
    }

    /// PostgresNIO prepares a statement named by its type's static `name` and `sql`; this one reads them from the
    /// task, so that one type serves every text (PostgresNIO reads both in the calling task).
    private struct NamedText: PostgresPreparedStatement {
        @TaskLocal static var current: (name: String, sql: String) = ("", "")
        static var name: String { current.name }
        static var sql: String { current.sql }
        var bindings: PostgresBindings
        func makeBindings() -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            busy.add(1, ordering: .relaxed)
            defer { busy.subtract(1, ordering: .relaxed) }
            let tx = Connection(connection: connection, logger: logger)
            _ = try await tx.query("BEGIN", [])
            do {
                let result = try await body(tx)
                _ = try await tx.query("COMMIT", [])
                return result
            } catch {
                _ = try? await tx.query("ROLLBACK", [])
                throw error
            }
        }
    }

    public func listen(channel: String, _ notified: @escaping @Sendable (String) async -> Void) async throws {
        try await client.withConnection { connection in
            busy.add(1, ordering: .relaxed)
            defer { busy.subtract(1, ordering: .relaxed) }
            try await connection.listen(on: channel) { notifications in
                for try await n in notifications { await notified(n.payload) }
            }
        }
    }

    public func close() async {
        for runner in runners { runner.cancel() }
        for runner in runners { _ = await runner.value }
    }

    static func makeQuery(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        // Byte by byte: walking the text's characters (grapheme breaking) cost more than the rest of the query's setup.
        var text: [UInt8] = []
        text.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        for b in sql.utf8 {
            if b == UInt8(ascii: "?") {
                n += 1
                text.append(UInt8(ascii: "$"))
                text.append(contentsOf: String(n).utf8)
            } else {
                text.append(b)
            }
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for b in binds {
            switch b {
            case .int(let v): bindings.append(v)
            case .double(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: String(decoding: text, as: UTF8.self), binds: bindings)
    }

    static func collect<Rows: AsyncSequence>(_ rows: Rows) async throws -> [SQLRow] where Rows.Element == PostgresRow {
        var out: [SQLRow] = []
        var columns: SQLRow.Columns?
        for try await row in rows {
            // The names come from the result's description, the same for every row: read once.
            let names = columns ?? SQLRow.Columns(row.map(\.columnName))
            columns = names
            var cells: [SQLValue] = []
            cells.reserveCapacity(names.names.count)
            for cell in row { cells.append(try value(cell)) }
            out.append(SQLRow(columns: names, cells: cells))
        }
        return out
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard let bytes = cell.bytes else { return .null }
        switch cell.dataType {
        // Text is its UTF-8 bytes in either format: read straight, not through the generic decoder (a page's 50 rows
        // have about 500 text cells).
        case .text, .varchar, .bpchar, .name: return .text(String(buffer: bytes))
        case .int8, .int4, .int2: return .int(try cell.decode(Int64.self))
        case .float8, .float4: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .numeric: return .double(Double(try cell.decode(String.self)) ?? 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// One connection inside a transaction.
    private struct Connection: SQLDatabase {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgres }
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            do {
                return try await PostgresDatabase.collect(
                    try await connection.query(PostgresDatabase.makeQuery(sql, binds), logger: logger))
            } catch {
                throw PostgresDatabase.storageError(error)
            }
        }
        func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
            try await body(self)
        }
        func close() async {}
    }
}
