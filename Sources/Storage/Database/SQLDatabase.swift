import Foundation

/// A value bound to or read from a SQL statement, portable between SQLite and PostgreSQL.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case text(String)
    case null

    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        case .text(let v): v
        case .null: "NULL"
        }
    }
}

/// Conversions to ``SQLValue`` for binding.
public protocol SQLBindable: Sendable { var sqlValue: SQLValue { get } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .double(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row: column values by name. The names are shared by every row of a result (a dictionary per row
/// was a tenth of a list request's CPU).
public struct SQLRow: Sendable {
    /// A result's column names and their positions (a repeated name: its last position, as SQL clients do).
    public final class Columns: Sendable {
        public let names: [String]
        let positions: [String: Int]
        public init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (i, n) in names.enumerated() { positions[n] = i }
            self.positions = positions
        }
    }

    public let columns: Columns
    public let cells: [SQLValue]

    public init(columns: Columns, cells: [SQLValue]) { self.columns = columns; self.cells = cells }
    public init(_ values: [String: SQLValue]) {
        let names = Array(values.keys)
        self.init(columns: Columns(names), cells: names.map { values[$0]! })
    }

    /// Every column by name.
    public var values: [String: SQLValue] {
        var out: [String: SQLValue] = [:]
        for (name, i) in columns.positions { out[name] = cells[i] }
        return out
    }

    public func int(_ column: String) -> Int? { int(at: columns.position(column)) }
    public func double(_ column: String) -> Double? { double(at: columns.position(column)) }
    public func text(_ column: String) -> String? { text(at: columns.position(column)) }
    /// A text column that is never NULL in the schema.
    public func string(_ column: String) -> String { text(column) ?? "" }

    /// The value at a column's position (``Columns/position(_:)``, looked up once for every row of a result).
    public func int(at position: Int?) -> Int? {
        switch position.map({ cells[$0] }) {
        case .int(let v): Int(v)
        case .double(let v): Int(v)
        case .text(let s): Int(s)
        default: nil
        }
    }
    public func double(at position: Int?) -> Double? {
        switch position.map({ cells[$0] }) {
        case .int(let v): Double(v)
        case .double(let v): v
        case .text(let s): Double(s)
        default: nil
        }
    }
    public func text(at position: Int?) -> String? {
        switch position.map({ cells[$0] }) {
        case .text(let s): s
        case .int(let v): "\(v)"
        case .double(let v): "\(v)"
        default: nil
        }
    }
    public func string(at position: Int?) -> String { text(at: position) ?? "" }
}

extension SQLRow.Columns {
    /// Where `column` is in the result's rows: rows of a page are mapped with positions looked up once (a page of 50
    /// reads looked up 1,000 names, a few percent of a list request's CPU).
    public func position(_ column: String) -> Int? { positions[column] }
}

/// The SQL engines the repository layer runs on.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres
}

/// A storage failure with a stable code; the HTTP edge maps it to a 5xx without SQL in the response.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A connection (pool) that runs parameterised SQL. Statements use `?` placeholders in both dialects.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs one statement and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs one statement that is run very often with few distinct texts, and whose best plan does not depend on the
    /// values bound (a list found by equality through an index that ends with its order): PostgreSQL keeps it
    /// prepared, with one plan for every value (so its `LIMIT` is written into the text, ``Store/limitClause(_:)``: a
    /// bound limit is planned as a tenth of the rows); SQLite runs it as ``query(_:_:)``.
    func preparedQuery(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Closes connections.
    func close() async
    /// Calls `notified` with each notification's payload on `channel` until cancelled (PostgreSQL LISTEN).
    func listen(channel: String, _ notified: @escaping @Sendable (String) async -> Void) async throws
    /// Connections busy with a statement, a transaction or a LISTEN now, and how many the pool may open (metrics).
    var poolUse: (inUse: Int, size: Int) { get }
    /// Distinct statements kept prepared (``preparedQuery(_:_:)``), and whether the server turned them off (metrics).
    var preparedStatements: (count: Int, off: Bool) { get }
}

extension SQLDatabase {
    public func preparedQuery(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] { try await query(sql, binds) }
    public var poolUse: (inUse: Int, size: Int) { (0, 1) }
    public var preparedStatements: (count: Int, off: Bool) { (0, false) }
}

extension SQLDatabase {
    /// One process owns an embedded database: there is nobody to listen to; waits until cancelled.
    public func listen(channel: String, _ notified: @escaping @Sendable (String) async -> Void) async throws {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}

extension SQLDatabase {
    /// Runs one statement with bindable arguments.
    @discardableResult
    public func query(_ sql: String, _ binds: any SQLBindable...) async throws -> [SQLRow] {
        try await query(sql, binds.map(\.sqlValue))
    }
    /// The first row of a statement, if any.
    public func first(_ sql: String, _ binds: any SQLBindable...) async throws -> SQLRow? {
        try await query(sql, binds.map(\.sqlValue)).first
    }
}

/// Opens the database named by a URL: `sqlite:///path/file.db`, a plain path, `postgres://user:pass@host:port/db`, or
/// `postgres://user@/db?host=/socket/folder` (``PostgresDatabase/init(url:)``).
public enum DatabaseFactory {
    public static func open(url: String) async throws -> any SQLDatabase {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let db = try PostgresDatabase(url: url)
            // A server that cannot be reached or refuses the connection is reported now, with its reason.
            do { try await db.probe() } catch {
                await db.close()
                throw error
            }
            return db
        }
        var path = url
        if path.hasPrefix("sqlite://") { path.removeFirst("sqlite://".count) }
        if path.isEmpty { throw StorageError("empty SQLite path in database URL") }
        return try await SQLiteDatabase(path: path)
    }

    /// The URL with any password replaced, for logs.
    public static func redacted(_ url: String) -> String {
        guard var c = URLComponents(string: url), c.password != nil else { return url }
        c.password = "***"
        return c.string ?? "<database url>"
    }
}
