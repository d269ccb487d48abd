internal import ClearanceStore
internal import Foundation
internal import Logging
internal import NIOPosix
internal import PostgresNIO

/// The shared write path's statements on PostgreSQL, inside one transaction on one pooled
/// connection. The path is synchronous (as SQLite's transactions are), so it runs on a thread
/// of `PostgresTransaction.threads` and waits there for each statement's answer, never on an
/// event loop. Rows read for a check are locked (`FOR UPDATE`), so two instances cannot both
/// pass a check and both write. Records travel as JSON, in and out, by their coding keys.
struct PostgresTransaction: WriteTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// Threads that wait on write transactions' statements: more than the connection pool holds,
    /// so a transaction never waits for a thread while holding a connection.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    /// Runs one statement and waits for its rows.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try connection.query(query, logger: logger).wait()
    }

    @discardableResult
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> PostgresQueryResult {
        try run(PostgresQuery(unsafeSQL: sql, binds: binds))
    }

    func fetch<R: StoredRecord>(_ type: R.Type, where conditions: [Condition], orderBy: [Ordering], limit: Int?,
                                lock: RowLock) throws -> [R] {
        var binds = PostgresBindings()
        var sql = "SELECT to_json(x)::text FROM \(Self.quoted(R.table.name)) x" + Self.whereClause(conditions, &binds)
            + Self.orderClause(orderBy)
        if let limit { sql += " LIMIT \(limit)" }
        switch lock {
        case .none: break
        case .update: sql += " FOR UPDATE"
        case .skipLocked: sql += " FOR UPDATE SKIP LOCKED"
        }
        return try run(sql, binds).map { row in
            try RecordJSON.decoder.decode(R.self, from: Data(try row.decode(String.self).utf8))
        }
    }

    func count(_ table: StoreTable, where conditions: [Condition]) throws -> Int {
        var binds = PostgresBindings()
        return try integer("SELECT count(*) FROM \(Self.quoted(table.name)) x" + Self.whereClause(conditions, &binds), binds) ?? 0
    }

    func maximum(_ column: String, of table: StoreTable, where conditions: [Condition]) throws -> Int? {
        var binds = PostgresBindings()
        return try integer("SELECT max(x.\(Self.quoted(column)))::bigint FROM \(Self.quoted(table.name)) x"
                           + Self.whereClause(conditions, &binds), binds)
    }

    private func integer(_ sql: String, _ binds: PostgresBindings) throws -> Int? {
        try run(sql, binds).first.flatMap { try $0.decode(Int?.self) }
    }

    /// The writes in as few statements as keep their order. A run of writes of one kind into one
    /// table is one part, its rows a JSON array read in order; data-modifying parts of a `WITH`
    /// run in no set order, so one statement holds at most one part per table. Foreign keys
    /// between the parts are checked at the statement's end.
    func write(_ writes: [RowWrite]) throws {
        var binds = PostgresBindings()
        var parts: [String] = []
        var tables: Set<StoreTable> = []
        func flush() throws {
            guard let last = parts.popLast() else { return }
            let ctes = parts.enumerated().map { "w\($0.offset) AS (\($0.element))" }
            try run((ctes.isEmpty ? "" : "WITH " + ctes.joined(separator: ", ") + " ") + last, binds)
            (binds, parts, tables) = (PostgresBindings(), [], [])
        }
        var index = 0
        while index < writes.count {
            let first = writes[index]
            var rows = [try Self.json(first.record)]
            index += 1
            while index < writes.count, writes[index].goesWith(first) {
                rows.append(try Self.json(writes[index].record))
                index += 1
            }
            let table = type(of: first.record).table
            if tables.contains(table) { try flush() }
            tables.insert(table)
            binds.append("[" + rows.joined(separator: ",") + "]")
            parts.append(try Self.statement(first, table, rows: "json_populate_recordset(NULL::\(Self.quoted(table.name)), $\(binds.count)::json) WITH ORDINALITY"))
        }
        try flush()
    }

    /// One part of `write`: the statement that writes `rows` (numbered by `ordinality`) as `kind` does.
    static func statement(_ kind: RowWrite, _ table: StoreTable, rows: String) throws -> String {
        let name = quoted(table.name)
        let columns = table.columns.map(quoted).joined(separator: ", ")
        let keys = table.key.map(quoted).joined(separator: ", ")
        let insert = "INSERT INTO \(name) AS t (\(columns)) SELECT \(columns) FROM \(rows) ORDER BY ordinality"
        switch kind {
        case .insert:
            return insert
        case .insertIfAbsent:
            return insert + " ON CONFLICT DO NOTHING"
        case .upsert:
            let others = table.columns.filter { !table.key.contains($0) }.map { "\(quoted($0)) = EXCLUDED.\(quoted($0))" }
            return insert + " ON CONFLICT (\(keys)) " + (others.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + others.joined(separator: ", "))
        case .add:
            guard let column = table.tallyColumn.map(quoted) else { throw StoreError.database("\(table.name) keeps no tally") }
            return insert + " ON CONFLICT (\(keys)) DO UPDATE SET \(column) = t.\(column) + EXCLUDED.\(column)"
        case .update:
            let fromRecord = table.columns.map { "r.\(quoted($0))" }.joined(separator: ", ")
            let match = table.key.map { "t.\(quoted($0)) = r.\(quoted($0))" }.joined(separator: " AND ")
            return "UPDATE \(name) t SET (\(columns)) = (SELECT \(fromRecord)) FROM \(rows) r WHERE \(match)"
        }
    }

    static func json(_ record: any StoredRecord) throws -> String {
        String(decoding: try RecordJSON.encoder.encode(record), as: UTF8.self)
    }

    func update(_ table: StoreTable, set assignments: [Assignment], where conditions: [Condition]) throws -> Int {
        var binds = PostgresBindings()
        let sets = assignments.map { assignment -> String in
            switch assignment {
            case .set(let column, let value):
                Self.bind(value, &binds)
                return "\(Self.quoted(column)) = $\(binds.count)"
            case .increment(let column, let amount):
                binds.append(amount)
                return "\(Self.quoted(column)) = \(Self.quoted(column)) + $\(binds.count)"
            }
        }
        let sql = "WITH changed AS (UPDATE \(Self.quoted(table.name)) x SET " + sets.joined(separator: ", ")
            + Self.whereClause(conditions, &binds) + " RETURNING 1) SELECT count(*) FROM changed"
        return try integer(sql, binds) ?? 0
    }

    func delete(_ table: StoreTable, where conditions: [Condition], first: [Ordering]?) throws -> Int {
        var binds = PostgresBindings()
        let name = Self.quoted(table.name)
        let filter = if let first {
            " WHERE ctid = (SELECT x.ctid FROM \(name) x" + Self.whereClause(conditions, &binds) + Self.orderClause(first) + " LIMIT 1)"
        } else {
            Self.whereClause(conditions, &binds)
        }
        return try integer("WITH gone AS (DELETE FROM \(name) x\(filter) RETURNING 1) SELECT count(*) FROM gone", binds) ?? 0
    }

    /// One advisory lock per key, in the order given, held to the end of the transaction.
    func serialize(on keys: [String]) throws {
        for key in keys {
            var binds = PostgresBindings()
            binds.append(key)
            try run("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", binds)
        }
    }

    func policyNumber(studioID: String, exclusive: Bool) throws -> Int {
        var binds = PostgresBindings()
        binds.append(studioID)
        return try integer("""
            SELECT (SELECT max(v."number") FROM "policyVersion" v WHERE v."studioID" = s."id")::bigint
            FROM "studio" s WHERE s."id" = $1 FOR \(exclusive ? "UPDATE" : "SHARE") OF s
            """, binds) ?? 0
    }

    func lockedChainHead(_ chain: String) throws -> (head: AuditChainHead, nextSeq: Int64)? {
        struct Locked: Decodable {
            var head: AuditChainHead
            var seq: Int64
        }
        var binds = PostgresBindings()
        binds.append(chain)
        guard let row = try run("""
            SELECT json_build_object('head', to_json(h), 'seq', nextval('"auditEvent_seq"'))::text
            FROM "auditChainHead" h WHERE h."chain" = $1 FOR UPDATE
            """, binds).first else { return nil }
        let locked = try RecordJSON.decoder.decode(Locked.self, from: Data(try row.decode(String.self).utf8))
        return (locked.head, locked.seq)
    }

    // MARK: Statement text

    static func quoted(_ name: String) -> String { "\"" + name + "\"" }

    static func bind(_ value: SQLValue, _ binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case .text(let text): binds.append(text)
        case .integer(let number): binds.append(number)
        case .bool(let flag): binds.append(flag)
        case .date(let date): binds.append(date)
        case .texts(let texts): binds.append(texts)
        }
    }

    static func whereClause(_ conditions: [Condition], _ binds: inout PostgresBindings) -> String {
        guard !conditions.isEmpty else { return "" }
        return " WHERE " + conditions.map { condition in
            condition.sql("x." + quoted(condition.column), distinct: "IS DISTINCT FROM", placeholder: { value in
                bind(value, &binds)
                return "$\(binds.count)"
            }, among: { column, values in
                binds.append(values)
                return "\(column) = ANY($\(binds.count))"
            })
        }.joined(separator: " AND ")
    }

    static func orderClause(_ orderings: [Ordering]) -> String {
        guard !orderings.isEmpty else { return "" }
        return " ORDER BY " + orderings.map { ordering in
            switch ordering {
            case .ascending(let column): "x." + quoted(column)
            case .descending(let column): "x." + quoted(column) + " DESC"
            case .written: #"x."seq""#
            case .writtenDescending: #"x."seq" DESC"#
            }
        }.joined(separator: ", ")
    }
}
