import Foundation

extension Store {
    /// Inserts reads in one transaction, up to 400 rows per statement.
    /// Stores reads, and the events announcing them, in one transaction.
    @discardableResult
    public func insertReads(_ reads: [PlateRead], events: [NewEvent] = []) async throws -> [Event] {
        guard !reads.isEmpty || !events.isEmpty else { return [] }
        let dialect = db.dialect
        return try await db.transaction { tx in
            try await Self.insertReadRows(reads, into: tx)
            return try await Self.appendEvents(tenantID: reads.first?.tenantID ?? "", events, into: tx, dialect: dialect)
        }
    }

    static func insertReadRows(_ reads: [PlateRead], into tx: any SQLDatabase) async throws {
        var start = 0
        while start < reads.count {
            let chunk = reads[start..<min(reads.count, start + 400)]
            start += chunk.count
            let row = "(" + Array(repeating: "?", count: 20).joined(separator: ", ") + ")"
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 20)
            for r in chunk {
                binds += [
                    r.id.sqlValue, r.tenantID.sqlValue, r.plate.sqlValue, r.display.sqlValue, r.confidence.sqlValue,
                    r.format.sqlValue, r.country.sqlValue, r.box.x.sqlValue, r.box.y.sqlValue, r.box.width.sqlValue,
                    r.box.height.sqlValue, r.cameraID.sqlValue, r.jobID.sqlValue, r.frameTimeMillis.sqlValue,
                    r.capturedAt.sqlValue, r.createdAt.sqlValue, r.cropKey.sqlValue, r.frameKey.sqlValue,
                    r.passID.sqlValue, r.decision.sqlValue,
                ]
            }
            try await tx.query(
                """
                INSERT INTO reads (id, tenant_id, plate, display, confidence, format, country, box_x, box_y, box_w,
                  box_h, camera_id, job_id, frame_time_ms, captured_at, created_at, crop_key, frame_key, pass_id, decision)
                VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", "))
                """, binds)
        }
    }

    public func read(tenantID: ID<Tenant>, id: ID<PlateRead>) async throws -> PlateRead? {
        try await db.first("SELECT * FROM reads WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.read)
    }

    /// One page of reads, newest first, and the cursor of the next page when there is one.
    public func reads(tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> (reads: [PlateRead], next: PageCursor?) {
        let page = try await page(table: "reads", time: "captured_at", tenantID: tenantID, q)
        let rows = Self.reads(page.rows)
        return (rows, page.more ? rows.last.map { PageCursor(time: $0.capturedAt, id: $0.id) } : nil)
    }

    /// One page of passes, newest first (by first sighting).
    public func passes(tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> (passes: [Pass], next: PageCursor?) {
        let page = try await page(table: "passes", time: "first_seen_at", tenantID: tenantID, q)
        let rows = Self.passes(page.rows)
        return (rows, page.more ? rows.last.map { PageCursor(time: $0.firstSeenAt, id: $0.id) } : nil)
    }

    /// The filtered, keyset-paginated query shared by reads and passes.
    func page(table: String, time: String, tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> (rows: [SQLRow], more: Bool) {
        let page = try await pageStatement(table: table, time: time, tenantID: tenantID, q)
        var rows = try await page.prepared ? db.preparedQuery(page.sql, page.binds) : db.query(page.sql, page.binds)
        let more = rows.count > page.limit
        if more { rows.removeLast() }
        return (rows, more)
    }

    /// The statement of a page of `table` (up to `limit` rows and one more, which says whether another page follows),
    /// and whether it is kept prepared.
    func pageStatement(
        table: String, time: String, tenantID: ID<Tenant>, _ q: ReadQuery
    ) async throws -> (sql: String, binds: [SQLValue], prepared: Bool, limit: Int) {
        var (sql, binds) = Self.filter(table: table, time: time, tenantID: tenantID, q, dialect: db.dialect)
        if let a = q.after {
            // The first bound lets both engines seek in the (tenant, time, id) index instead of skipping every
            // newer row (which made deep pages, and so exports, quadratic).
            sql += " AND \(time) <= ? AND (\(time) < ? OR (\(time) = ? AND id < ?))"
            binds += [.int(a.time), .int(a.time), .int(a.time), .text(a.id)]
        }
        let limit = max(1, min(q.limit, 1000))
        let order = " ORDER BY \(time) DESC, id DESC"
        sql += order + Self.limitClause(limit + 1)
        let prefix = q.platePrefix?.utf8.count ?? 0
        // SQLite has no statistics to choose by: without a hint it walks the time index for a plate (to skip the sort)
        // and sorts the plate range for a one-character prefix, each the slow way round at millions of reads. A
        // one-character prefix is walked in time order only when many plates start with it: walking for one that few
        // or none start with (a digit, `Q`) read every row of the tenant, seconds at millions of reads with the one
        // connection held.
        // A prefix of more than two characters without its own index (`prefixIndexes`) matches many plates, each at
        // its own times, and so does such a first character: the page's ids are found in the (tenant, plate, time, id)
        // index alone, then only those rows are read (not every matching row before the sort).
        let fewStart =
            db.dialect == .sqlite && prefix == 1 && q.plate == nil
            ? try await fewRowsStart(table: table, tenantID: tenantID, with: q.platePrefix ?? "") : false
        let deferred = (prefix > 2 && !Self.prefixIndexes(db.dialect).contains(prefix)) || fewStart
        var source = table
        if db.dialect == .sqlite {
            if q.plate != nil || fewStart {
                source += " INDEXED BY \(table)_tenant_plate"
            } else if prefix == 1 {
                // In the narrowest index that lists the rows in time order: a job's, a camera's, else the tenant's (the
                // tenant's for a camera that saw few of its reads walked them all: 12 s at 3 million reads).
                let walk = q.jobID != nil ? "tenant_job" : q.cameraID != nil ? "tenant_camera" : "tenant_time"
                source += " INDEXED BY \(table)_\(walk)"
            }
        }
        let select =
            deferred
            ? "SELECT * FROM \(table) WHERE \(outerTenant) = ? AND id IN (SELECT id FROM \(source) WHERE \(sql))\(order)"
            : "SELECT * FROM \(source) WHERE " + sql
        // A plate range (a prefix without its own index) is the one filter whose best plan depends on its value (one
        // character on SQLite: walk the time index; more: the plate index), so it is planned every time; every other
        // page is an equality on the columns an index leads with, kept prepared.
        let ranged = prefix > 0 && !Self.prefixIndexes(db.dialect).contains(prefix)
        return (select, deferred ? [tenantID.sqlValue] + binds : binds, !ranged, limit)
    }

    /// `LIMIT n` written into the statement, not bound: a prepared list page keeps one generic plan
    /// (``PostgresDatabase``), and PostgreSQL plans a limit that is a parameter as if it were a tenth of the rows
    /// (docs/scale.md, session 45). `n` is an `Int` the caller bounded, so the text holds nothing a client wrote; a few
    /// page sizes make a few statements.
    static func limitClause(_ n: Int) -> String { " LIMIT \(n)" }

    /// SQLite: whether fewer than `fewRows` of a tenant's rows start with `prefix`, seen in the plate index alone
    /// (its `fewRows`-th entry). A prefix found common is remembered for a few minutes (`CommonPrefixes`): the look
    /// itself takes microseconds, but as a statement of its own it cost a common letter's page a quarter to a
    /// third of its requests a second in the server.
    func fewRowsStart(table: String, tenantID: ID<Tenant>, with prefix: String) async throws -> Bool {
        let key = "\(table) \(tenantID.rawValue) \(prefix)", now = WallClock.nowMillis()
        if commonPrefixes.contains(key, now: now) { return false }
        let few = try await db.query(
            """
            SELECT 1 AS found FROM \(table) INDEXED BY \(table)_tenant_plate WHERE tenant_id = ? AND \(Self.plateRange)
            LIMIT 1 OFFSET ?
            """, [tenantID.sqlValue] + Self.plateRange(prefix) + [.int(Int64(fewRows - 1))]
        ).isEmpty
        if !few { commonPrefixes.insert(key, now: now) }
        return few
    }

    /// The plates starting with a prefix, as a byte-order range of the plate column (plates are ASCII).
    static let plateRange = "plate >= ? AND plate < ?"
    static func plateRange(_ prefix: String) -> [SQLValue] { [.text(prefix), .text(prefix + "\u{7F}")] }

    /// How many reads match the filters of `q` (its cursor and limit aside).
    public func countReads(tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> Int {
        try await count(table: "reads", time: "captured_at", tenantID: tenantID, q)
    }

    /// How many passes match the filters of `q` (its cursor and limit aside).
    public func countPasses(tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> Int {
        try await count(table: "passes", time: "first_seen_at", tenantID: tenantID, q)
    }

    func count(table: String, time: String, tenantID: ID<Tenant>, _ q: ReadQuery) async throws -> Int {
        let (sql, binds) = Self.filter(table: table, time: time, tenantID: tenantID, q, dialect: db.dialect)
        return try await db.query("SELECT COUNT(*) AS n FROM \(table) WHERE " + sql, binds).first?.int("n") ?? 0
    }

    /// The plate prefix lengths with an index of their own, `(tenant_id, substr(plate, 1, n), time, id)` (on
    /// PostgreSQL without the id): two characters on both engines; one and four (a UK plate's memory tag and age
    /// identifier) on PostgreSQL only, where lists are served to many processes, while SQLite's single writer would
    /// pay for one more index on every read stored and deleted (its ids-first path answered 494-1,024 a second
    /// in-process at ten million reads, and its walk of the time index for a common letter is planned in-process at no
    /// cost, docs/scale.md).
    static func prefixIndexes(_ dialect: SQLDialect) -> Set<Int> { dialect == .postgres ? [1, 2, 4] : [2] }

    /// The WHERE clause of the read and pass filters.
    static func filter(table: String, time: String, tenantID: ID<Tenant>, _ q: ReadQuery, dialect: SQLDialect) -> (String, [SQLValue]) {
        var sql = "tenant_id = ?"
        var binds: [SQLValue] = [tenantID.sqlValue]
        if let p = q.plate {
            let forms = [p] + q.plateAliases
            sql += " AND plate IN (" + forms.map { _ in "?" }.joined(separator: ", ") + ")"
            binds += forms.map(SQLValue.text)
        }
        if let p = q.platePrefix, !p.isEmpty {
            if Self.prefixIndexes(dialect).contains(p.utf8.count) {
                // Two characters match about 1 plate in 700, four a few hundred reads of many plates, one a share
                // of the tenant that depends on the letter: their index gives their newest reads in order, where the
                // plate index would give all of them to sort. Plates are ASCII, so characters are bytes.
                sql += " AND substr(plate, 1, \(p.utf8.count)) = ?"
                binds.append(.text(p))
            } else {
                // A byte-order range, so that both engines use the (tenant, plate) index (one character on SQLite:
                // few rows to skip walking the time index).
                sql += " AND " + Self.plateRange
                binds += Self.plateRange(p)
            }
        }
        if let c = q.cameraID { sql += " AND camera_id = ?"; binds.append(c.sqlValue) }
        if let j = q.jobID { sql += " AND job_id = ?"; binds.append(j.sqlValue) }
        if let p = q.passID, table == "reads" { sql += " AND pass_id = ?"; binds.append(p.sqlValue) }
        if let f = q.from { sql += " AND \(time) >= ?"; binds.append(.int(f)) }
        if let t = q.to { sql += " AND \(time) < ?"; binds.append(.int(t)) }
        if let m = q.minConfidence { sql += " AND confidence >= ?"; binds.append(.double(m)) }
        return (sql, binds)
    }

    /// The tenant condition of a statement that finds its rows by `id IN (subquery)`: on SQLite written `+tenant_id`,
    /// which keeps it a filter, because as an index term it made SQLite walk every row of the tenant testing each id
    /// against the list (seconds per statement at ten million reads) instead of looking the ids up.
    var outerTenant: String { db.dialect == .sqlite ? "+tenant_id" : "tenant_id" }

    /// Deletes up to `limit` reads of the tenant captured before `before`; returns them (for their media).
    /// One statement per batch: the oldest first, through the (tenant, time, id) index, so that readers of a large
    /// tenant are never blocked for longer than a batch.
    public func deleteReads(tenantID: ID<Tenant>, capturedBefore before: Int64, limit: Int = 500) async throws -> [PlateRead] {
        try await db.query(
            """
            DELETE FROM reads WHERE \(outerTenant) = ? AND id IN (
              SELECT id FROM reads WHERE tenant_id = ? AND captured_at < ? ORDER BY captured_at, id LIMIT ?) RETURNING *
            """, tenantID, tenantID, before, limit
        ).map(Self.read)
    }

    /// Deletes the reads written by earlier attempts of a job; returns them (for their media).
    public func deleteReads(jobID: ID<Job>, tenantID: ID<Tenant>) async throws -> [PlateRead] {
        try await db.transaction { tx in
            let rows = try await tx.query("SELECT * FROM reads WHERE tenant_id = ? AND job_id = ?", tenantID, jobID)
                .map(Self.read)
            try await tx.query("DELETE FROM reads WHERE tenant_id = ? AND job_id = ?", tenantID, jobID)
            return rows
        }
    }

    /// The countries of a camera's newest sure reads (of the tenant's reads without a camera when `cameraID` is
    /// nil): at most `limit` reads of at least `minConfidence`, counted by country. What a restarted process
    /// starts a camera's country mix from.
    public func recentCountries(
        tenantID: ID<Tenant>, cameraID: ID<Camera>?, limit: Int, minConfidence: Double
    ) async throws -> [String: Int] {
        let camera = cameraID == nil ? "camera_id IS NULL" : "camera_id = ?"
        let binds: [any SQLBindable] = [tenantID] + (cameraID.map { [$0] } ?? []) + [minConfidence]
        let rows = try await db.query(
            """
            SELECT country, COUNT(*) AS n FROM (
              SELECT country FROM reads WHERE tenant_id = ? AND \(camera) AND confidence >= ? AND country IS NOT NULL
              ORDER BY captured_at DESC LIMIT \(max(0, limit))) AS recent
            GROUP BY country
            """, binds.map(\.sqlValue))
        return Dictionary(rows.map { ($0.string("country"), $0.int("n") ?? 0) }, uniquingKeysWith: +)
    }

    public func countReads(tenantID: ID<Tenant>) async throws -> Int {
        try await db.first("SELECT COUNT(*) AS n FROM reads WHERE tenant_id = ?", tenantID)?.int("n") ?? 0
    }

    static func read(_ r: SQLRow) -> PlateRead { ReadColumns(r.columns).read(r) }

    /// The reads of a result's rows, their columns found once for all of them.
    static func reads(_ rows: [SQLRow]) -> [PlateRead] {
        guard let first = rows.first else { return [] }
        let c = ReadColumns(first.columns)
        return rows.map(c.read)
    }
}

/// Where a read's columns are in a result (looked up by name once per result, not once per row).
struct ReadColumns {
    let id, tenant, plate, display, confidence, format, country, x, y, w, h, camera, job, frameTime: Int?
    let captured, created, crop, frame, pass, decision: Int?

    init(_ c: SQLRow.Columns) {
        id = c.position("id"); tenant = c.position("tenant_id"); plate = c.position("plate"); display = c.position("display")
        confidence = c.position("confidence"); format = c.position("format"); country = c.position("country")
        x = c.position("box_x"); y = c.position("box_y"); w = c.position("box_w"); h = c.position("box_h")
        camera = c.position("camera_id"); job = c.position("job_id"); frameTime = c.position("frame_time_ms")
        captured = c.position("captured_at"); created = c.position("created_at"); crop = c.position("crop_key")
        frame = c.position("frame_key"); pass = c.position("pass_id"); decision = c.position("decision")
    }

    func read(_ r: SQLRow) -> PlateRead {
        PlateRead(
            id: ID(r.string(at: id)), tenantID: ID(r.string(at: tenant)), plate: r.string(at: plate),
            display: r.string(at: display), confidence: r.double(at: confidence) ?? 0, format: r.string(at: format),
            country: r.text(at: country),
            box: (r.double(at: x) ?? 0, r.double(at: y) ?? 0, r.double(at: w) ?? 0, r.double(at: h) ?? 0),
            cameraID: r.text(at: camera).map { ID($0) }, jobID: r.text(at: job).map { ID($0) },
            frameTimeMillis: r.int(at: frameTime).map(Int64.init),
            capturedAt: Int64(r.int(at: captured) ?? 0), createdAt: Int64(r.int(at: created) ?? 0),
            cropKey: r.text(at: crop), frameKey: r.text(at: frame), passID: r.text(at: pass).map { ID($0) },
            decision: r.text(at: decision))
    }
}

extension Store {
    /// A read by id whatever its tenant: only for requests authorised by a signed URL naming that read.
    public func readAnyTenant(id: ID<PlateRead>) async throws -> PlateRead? {
        try await db.first("SELECT * FROM reads WHERE id = ?", id).map(Self.read)
    }
}

extension Store {
    /// Stores a pass, its reads and its events in one transaction, and counts `usage` plate reads to the tenant's
    /// month in the same one (one commit per pass, and no pass stored uncounted). With an idempotency key (passes
    /// sent by edge agents), a second pass with the same key for the tenant is refused by a unique index: use
    /// ``pass(tenantID:idempotencyKey:)`` first.
    @discardableResult
    public func insertPass(
        _ p: Pass, reads: [PlateRead], idempotencyKey: String? = nil, events: [NewEvent] = [], usage: Int = 0
    ) async throws -> [Event] {
        let dialect = db.dialect
        return try await db.transaction { tx in
            try await tx.query(
                """
                INSERT INTO passes (id, tenant_id, plate, display, confidence, format, country, direction, movement, camera_id,
                  job_id, first_seen_at, last_seen_at, first_seen_s, last_seen_s, frames, box_x, box_y, box_w, box_h,
                  crop_key, frame_key, created_at, idempotency_key, decision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, p.id, p.tenantID, p.plate, p.display, p.confidence, p.format, p.country, p.direction, p.movement,
                p.cameraID, p.jobID, p.firstSeenAt, p.lastSeenAt, p.firstSeenSeconds, p.lastSeenSeconds, p.frames,
                p.box[0], p.box[1], p.box[2], p.box[3], p.cropKey, p.frameKey, p.createdAt, idempotencyKey, p.decision)
            try await Self.insertReadRows(reads, into: tx)
            let stored = try await Self.appendEvents(tenantID: p.tenantID, events, into: tx, dialect: dialect)
            // After the events: their tenant lock (PostgreSQL) already orders this tenant's writers, so the usage row
            // is locked for no longer than the rest of the commit.
            try await Self.addUsage(tenantID: p.tenantID, reads: usage, in: tx)
            return stored
        }
    }

    /// The pass stored earlier under an idempotency key.
    public func pass(tenantID: ID<Tenant>, idempotencyKey: String) async throws -> Pass? {
        try await db.first("SELECT * FROM passes WHERE tenant_id = ? AND idempotency_key = ?", tenantID, idempotencyKey).map(Self.pass)
    }

    public func pass(tenantID: ID<Tenant>, id: ID<Pass>) async throws -> Pass? {
        try await db.first("SELECT * FROM passes WHERE tenant_id = ? AND id = ?", tenantID, id).map(Self.pass)
    }

    public func passAnyTenant(id: ID<Pass>) async throws -> Pass? {
        try await db.first("SELECT * FROM passes WHERE id = ?", id).map(Self.pass)
    }

    /// Deletes the passes of a job (an earlier attempt's); returns them for their media.
    public func deletePasses(jobID: ID<Job>, tenantID: ID<Tenant>) async throws -> [Pass] {
        try await db.transaction { tx in
            let rows = try await tx.query("SELECT * FROM passes WHERE tenant_id = ? AND job_id = ?", tenantID, jobID).map(Self.pass)
            try await tx.query("DELETE FROM passes WHERE tenant_id = ? AND job_id = ?", tenantID, jobID)
            return rows
        }
    }

    /// Deletes up to `limit` passes last seen before `before`, oldest first, in one statement (a pass is first seen
    /// before it is last seen: the first sighting bounds the range of the (tenant, time, id) index); returns them
    /// for their media.
    public func deletePasses(tenantID: ID<Tenant>, lastSeenBefore before: Int64, limit: Int = 500) async throws -> [Pass] {
        try await db.query(
            """
            DELETE FROM passes WHERE \(outerTenant) = ? AND id IN (
              SELECT id FROM passes WHERE tenant_id = ? AND first_seen_at < ? AND last_seen_at < ? ORDER BY first_seen_at, id LIMIT ?)
            RETURNING *
            """, tenantID, tenantID, before, before, limit
        ).map(Self.pass)
    }

    static func pass(_ r: SQLRow) -> Pass { PassColumns(r.columns).pass(r) }

    /// The passes of a result's rows, their columns found once for all of them.
    static func passes(_ rows: [SQLRow]) -> [Pass] {
        guard let first = rows.first else { return [] }
        let c = PassColumns(first.columns)
        return rows.map(c.pass)
    }
}

/// Where a pass's columns are in a result (looked up by name once per result, not once per row).
struct PassColumns {
    let id, tenant, plate, display, confidence, format, country, direction, movement, camera, job: Int?
    let firstSeen, lastSeen, firstSeconds, lastSeconds, frames, x, y, w, h, crop, frame, created, decision: Int?

    init(_ c: SQLRow.Columns) {
        id = c.position("id"); tenant = c.position("tenant_id"); plate = c.position("plate"); display = c.position("display")
        confidence = c.position("confidence"); format = c.position("format"); country = c.position("country")
        direction = c.position("direction"); movement = c.position("movement"); camera = c.position("camera_id")
        job = c.position("job_id"); firstSeen = c.position("first_seen_at"); lastSeen = c.position("last_seen_at")
        firstSeconds = c.position("first_seen_s"); lastSeconds = c.position("last_seen_s"); frames = c.position("frames")
        x = c.position("box_x"); y = c.position("box_y"); w = c.position("box_w"); h = c.position("box_h")
        crop = c.position("crop_key"); frame = c.position("frame_key"); created = c.position("created_at")
        decision = c.position("decision")
    }

    func pass(_ r: SQLRow) -> Pass {
        Pass(
            id: ID(r.string(at: id)), tenantID: ID(r.string(at: tenant)), plate: r.string(at: plate), display: r.string(at: display),
            confidence: r.double(at: confidence) ?? 0, format: r.string(at: format), country: r.text(at: country),
            direction: r.string(at: direction), movement: r.string(at: movement), cameraID: r.text(at: camera).map { ID($0) },
            jobID: r.text(at: job).map { ID($0) }, firstSeenAt: Int64(r.int(at: firstSeen) ?? 0),
            lastSeenAt: Int64(r.int(at: lastSeen) ?? 0),
            firstSeenSeconds: r.double(at: firstSeconds), lastSeenSeconds: r.double(at: lastSeconds), frames: r.int(at: frames) ?? 0,
            box: [r.double(at: x) ?? 0, r.double(at: y) ?? 0, r.double(at: w) ?? 0, r.double(at: h) ?? 0],
            cropKey: r.text(at: crop), frameKey: r.text(at: frame), createdAt: Int64(r.int(at: created) ?? 0),
            decision: r.text(at: decision))
    }
}
