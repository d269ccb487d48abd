internal import ClearanceStore
internal import Foundation
internal import GRDB
internal import Synchronization

/// The shared write path's statements on SQLite, inside one of GRDB's write transactions. SQLite
/// has a single writer, so row and key locks are not needed and `lock` is ignored. Statements are
/// built from `StoreTable`'s names and cached, so each is prepared once.
struct SQLiteTransaction: WriteTransaction {
    let db: Database

    func fetch<R: StoredRecord>(_ type: R.Type, where conditions: [Condition], orderBy: [Ordering], limit: Int?,
                                lock: RowLock) throws -> [R] {
        guard let fetchable = type as? any FetchableRecord.Type else {
            throw StoreError.database("\(R.self) cannot be read from SQLite")
        }
        var arguments = StatementArguments()
        var sql = "SELECT * FROM \(Self.quoted(R.table.name))" + Self.whereClause(conditions, &arguments) + Self.orderClause(orderBy)
        if let limit { sql += " LIMIT \(limit)" }
        return try Self.rows(fetchable, db, sql, arguments).compactMap { $0 as? R }
    }

    private static func rows<T: FetchableRecord>(_ type: T.Type, _ db: Database, _ sql: String,
                                                 _ arguments: StatementArguments) throws -> [Any] {
        try T.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func count(_ table: StoreTable, where conditions: [Condition]) throws -> Int {
        var arguments = StatementArguments()
        let sql = "SELECT count(*) FROM \(Self.quoted(table.name))" + Self.whereClause(conditions, &arguments)
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0
    }

    func maximum(_ column: String, of table: StoreTable, where conditions: [Condition]) throws -> Int? {
        var arguments = StatementArguments()
        let sql = "SELECT max(\(Self.quoted(column))) FROM \(Self.quoted(table.name))" + Self.whereClause(conditions, &arguments)
        return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func write(_ writes: [RowWrite]) throws {
        for write in writes {
            switch write {
            case .insert(let record): try execute(record, verb: "INSERT INTO", suffix: "")
            case .insertIfAbsent(let record): try execute(record, verb: "INSERT OR IGNORE INTO", suffix: "")
            case .add(let record):
                let table = type(of: record).table
                guard let column = table.tallyColumn.map(Self.quoted) else { throw StoreError.database("\(table.name) keeps no tally") }
                try execute(record, verb: "INSERT INTO", suffix: " ON CONFLICT (\(table.key.map(Self.quoted).joined(separator: ", "))) "
                    + "DO UPDATE SET \(column) = \(column) + excluded.\(column)")
            case .upsert(let record):
                let table = type(of: record).table
                let others = table.columns.filter { !table.key.contains($0) }.map { "\(Self.quoted($0)) = excluded.\(Self.quoted($0))" }
                try execute(record, verb: "INSERT INTO", suffix: " ON CONFLICT (\(table.key.map(Self.quoted).joined(separator: ", "))) "
                    + (others.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + others.joined(separator: ", ")))
            case .update(let record):
                let table = type(of: record).table
                let values = try Self.values(of: record)
                let others = table.columns.filter { !table.key.contains($0) }
                var arguments = StatementArguments(others.map { values[$0] ?? .null })
                arguments += StatementArguments(table.key.map { values[$0] ?? .null })
                try db.cachedStatement(sql: Self.updateSQL(table)).execute(arguments: arguments)
            }
        }
    }

    private func execute(_ record: any StoredRecord, verb: String, suffix: String) throws {
        let table = type(of: record).table
        let statement = try db.cachedStatement(sql: Self.insertSQL(table, verb: verb, suffix: suffix))
        if let row = record as? any SQLiteRow {
            // The hot rows (every filing writes them) skip the generic record encoding.
            try statement.execute(arguments: StatementArguments(row.columnValues))
        } else {
            let values = try Self.values(of: record)
            try statement.execute(arguments: StatementArguments(table.columns.map { values[$0] ?? .null }))
        }
    }

    private static let statementText = Mutex<[String: String]>([:])

    /// An insert's text, built once per table and form.
    static func insertSQL(_ table: StoreTable, verb: String, suffix: String) -> String {
        let key = table.name + "|" + verb + "|" + suffix
        if let sql = statementText.withLock({ $0[key] }) { return sql }
        let sql = "\(verb) \(quoted(table.name)) (\(table.columns.map(quoted).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")" + suffix
        statementText.withLock { $0[key] = sql }
        return sql
    }

    /// An update of every column by the key, built once per table.
    static func updateSQL(_ table: StoreTable) -> String {
        let key = table.name + "|update"
        if let sql = statementText.withLock({ $0[key] }) { return sql }
        let others = table.columns.filter { !table.key.contains($0) }
        let sql = "UPDATE \(quoted(table.name)) SET " + others.map { "\(quoted($0)) = ?" }.joined(separator: ", ")
            + " WHERE " + table.key.map { "\(quoted($0)) = ?" }.joined(separator: " AND ")
        statementText.withLock { $0[key] = sql }
        return sql
    }

    /// A record's column values, as GRDB's record encoding writes them.
    static func values(of record: any StoredRecord) throws -> [String: DatabaseValue] {
        if let row = record as? any SQLiteRow {
            return Dictionary(uniqueKeysWithValues: zip(type(of: record).table.columns, row.columnValues.map { $0?.databaseValue ?? .null }))
        }
        guard let encodable = record as? any EncodableRecord else {
            throw StoreError.database("\(type(of: record)) cannot be written to SQLite")
        }
        return try encodable.databaseDictionary
    }

    func update(_ table: StoreTable, set assignments: [Assignment], where conditions: [Condition]) throws -> Int {
        var arguments = StatementArguments()
        let sets = assignments.map { assignment -> String in
            switch assignment {
            case .set(let column, let value):
                arguments += [Self.databaseValue(value)]
                return "\(Self.quoted(column)) = ?"
            case .increment(let column, let amount):
                arguments += [amount]
                return "\(Self.quoted(column)) = \(Self.quoted(column)) + ?"
            }
        }
        let sql = "UPDATE \(Self.quoted(table.name)) SET " + sets.joined(separator: ", ") + Self.whereClause(conditions, &arguments)
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        return db.changesCount
    }

    func delete(_ table: StoreTable, where conditions: [Condition], first: [Ordering]?) throws -> Int {
        var arguments = StatementArguments()
        let name = Self.quoted(table.name)
        let sql = if let first {
            "DELETE FROM \(name) WHERE rowid = (SELECT rowid FROM \(name)" + Self.whereClause(conditions, &arguments)
                + Self.orderClause(first) + " LIMIT 1)"
        } else {
            "DELETE FROM \(name)" + Self.whereClause(conditions, &arguments)
        }
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        return db.changesCount
    }

    /// One writer: nothing runs beside this transaction.
    func serialize(on keys: [String]) throws {}

    func policyNumber(studioID: String, exclusive: Bool) throws -> Int {
        try maximum("number", of: .policyVersion, where: [.equal("studioID", studioID)]) ?? 0
    }

    func lockedChainHead(_ chain: String) throws -> (head: AuditChainHead, nextSeq: Int64)? {
        guard let head = try first(AuditChainHead.self, where: [.equal("chain", chain)]) else { return nil }
        let seq = (try Int64.fetchOne(db.cachedStatement(sql: #"SELECT max("seq") FROM "auditEvent""#)) ?? 0) + 1
        return (head, seq)
    }

    // MARK: Statement text

    static func quoted(_ name: String) -> String { "\"" + name + "\"" }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .text(let text): text.databaseValue
        case .integer(let number): number.databaseValue
        case .bool(let flag): flag.databaseValue
        case .date(let date): date.databaseValue
        case .texts(let texts): (String(data: (try? JSONEncoder().encode(texts)) ?? Data(), encoding: .utf8) ?? "[]").databaseValue
        }
    }

    static func whereClause(_ conditions: [Condition], _ arguments: inout StatementArguments) -> String {
        guard !conditions.isEmpty else { return "" }
        return " WHERE " + conditions.map { condition in
            condition.sql(quoted(condition.column), distinct: "IS NOT", placeholder: { value in
                arguments += [databaseValue(value)]
                return "?"
            }, among: { column, values in
                guard !values.isEmpty else { return "0" }
                for value in values { arguments += [value] }
                return "\(column) IN (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")"
            })
        }.joined(separator: " AND ")
    }

    static func orderClause(_ orderings: [Ordering]) -> String {
        guard !orderings.isEmpty else { return "" }
        return " ORDER BY " + orderings.map { ordering in
            switch ordering {
            case .ascending(let column): quoted(column)
            case .descending(let column): quoted(column) + " DESC"
            case .written: "rowid"
            case .writtenDescending: "rowid DESC"
            }
        }.joined(separator: ", ")
    }
}

/// A record whose column values are written out directly, in `StoreTable.columns` order, the
/// way GRDB's record encoding would write them (dates as GRDB dates, lists as JSON text): the
/// rows every filing writes, where encoding through Codable was a third of the write's time.
protocol SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] { get }
}

extension UseRequestRecord: SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] {
        [id, studioID, productionID, requesterID, title, state.rawValue, revision, outcome.rawValue,
         "[" + areas.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]", createdAt, updatedAt, review]
    }
}

extension RevisionRecord: SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] { [requestID, number, document, requestDigest, authorID, createdAt] }
}

extension DecisionRecord: SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] {
        [requestID, revision, policyNumber, policyDigest, requestDigest, outcome.rawValue, decisionJSON, createdAt]
    }
}

extension AuditEvent: SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] {
        [seq, chain, position, at, actor, action, studioID, productionID, subject, details, previousHash, hash]
    }
}

extension AuditChainHead: SQLiteRow {
    var columnValues: [(any DatabaseValueConvertible)?] { [chain, position, hash, anchor] }
}
