public import Foundation

/// One open write transaction, as both stores offer it to the shared write path (`StoreWrites`).
/// The statements are the few any audited write is made of: read rows (locking them where
/// another instance could write them meanwhile), count, insert, update, delete. Every method
/// runs synchronously inside the store's transaction; the store commits when the write path
/// returns and rolls back when it throws.
///
/// SQLite has one writer, so its locks are no-ops; PostgreSQL takes row and advisory locks, which
/// is what lets several instances share one database.
public protocol WriteTransaction {
    /// The rows of a record's table that meet every condition.
    func fetch<R: StoredRecord>(_ type: R.Type, where conditions: [Condition], orderBy: [Ordering], limit: Int?,
                                lock: RowLock) throws -> [R]
    func count(_ table: StoreTable, where conditions: [Condition]) throws -> Int
    /// The greatest value of an integer column over the rows that meet the conditions.
    func maximum(_ column: String, of table: StoreTable, where conditions: [Condition]) throws -> Int?
    /// Writes rows in order, in one round trip where the database allows.
    func write(_ writes: [RowWrite]) throws
    /// Sets columns of every row that meets the conditions; how many rows changed.
    @discardableResult
    func update(_ table: StoreTable, set assignments: [Assignment], where conditions: [Condition]) throws -> Int
    /// Deletes the rows that meet the conditions (with `first`, only the first row in that
    /// order); how many were deleted.
    @discardableResult
    func delete(_ table: StoreTable, where conditions: [Condition], first: [Ordering]?) throws -> Int
    /// Puts concurrent transactions that name the same keys in line, until this one ends.
    func serialize(on keys: [String]) throws
    /// The studio's newest policy version number (0 with none), with the studio's row locked
    /// to the end of the transaction: shared by filings, exclusive for publishing, so no request
    /// is decided under a version that is replaced meanwhile.
    func policyNumber(studioID: String, exclusive: Bool) throws -> Int
    /// A chain's head row, locked to the end of the transaction, with the number of the next
    /// audit event; nil when the chain has no head yet.
    func lockedChainHead(_ chain: String) throws -> (head: AuditChainHead, nextSeq: Int64)?
}

extension WriteTransaction {
    public func fetch<R: StoredRecord>(_ type: R.Type, where conditions: [Condition], orderBy: [Ordering] = [], limit: Int? = nil,
                                       lock: RowLock = .none) throws -> [R] {
        try fetch(type, where: conditions, orderBy: orderBy, limit: limit, lock: lock)
    }

    public func first<R: StoredRecord>(_ type: R.Type, where conditions: [Condition], orderBy: [Ordering] = [],
                                       lock: RowLock = .none) throws -> R? {
        try fetch(type, where: conditions, orderBy: orderBy, limit: 1, lock: lock).first
    }

    public func insert(_ records: any StoredRecord...) throws { try write(records.map(RowWrite.insert)) }

    @discardableResult
    public func delete(_ table: StoreTable, where conditions: [Condition]) throws -> Int {
        try delete(table, where: conditions, first: nil)
    }
}

/// A value a statement binds.
public enum SQLValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int)
    case bool(Bool)
    case date(Date)
    case texts([String])
}

/// One condition on a column.
public struct Condition: Sendable, Hashable {
    public enum Relation: Sendable, Hashable {
        case equal, notEqual, less, lessOrEqual, greater
        /// Null-safe inequality: also true when the column is null.
        case distinct
        case isNull, isNotNull
        /// Null, or less than the value (a lease that is unset or has run out).
        case nullOrLess
        /// The column's value is one of a list (`value` is `.texts`).
        case among
    }

    public var column: String
    public var relation: Relation
    public var value: SQLValue

    public init(_ column: String, _ relation: Relation, _ value: SQLValue = .null) {
        self.column = column
        self.relation = relation
        self.value = value
    }

    /// The SQL of the condition, in the words both databases share: `column` as the statement
    /// names it, `placeholder` binding a value and answering its placeholder, `distinct` the
    /// dialect's null-safe inequality, and `among` its test against a bound list.
    public func sql(_ column: String, distinct: String, placeholder: (SQLValue) -> String,
                    among: (String, [String]) -> String) -> String {
        switch relation {
        case .equal: "\(column) = \(placeholder(value))"
        case .notEqual: "\(column) <> \(placeholder(value))"
        case .less: "\(column) < \(placeholder(value))"
        case .lessOrEqual: "\(column) <= \(placeholder(value))"
        case .greater: "\(column) > \(placeholder(value))"
        case .distinct: "\(column) \(distinct) \(placeholder(value))"
        case .isNull: "\(column) IS NULL"
        case .isNotNull: "\(column) IS NOT NULL"
        case .nullOrLess: "(\(column) IS NULL OR \(column) < \(placeholder(value)))"
        case .among: if case .texts(let values) = value { among(column, values) } else { "FALSE" }
        }
    }

    public static func equal(_ column: String, _ value: String) -> Condition { Condition(column, .equal, .text(value)) }
    public static func equal(_ column: String, _ value: Int) -> Condition { Condition(column, .equal, .integer(value)) }
    public static func isNull(_ column: String) -> Condition { Condition(column, .isNull) }
}

/// An order of rows: by a column, or as they were written.
public enum Ordering: Sendable, Hashable {
    case ascending(String)
    case descending(String)
    case written
    case writtenDescending
}

/// What a statement sets a column to.
public enum Assignment: Sendable, Hashable {
    case set(String, SQLValue)
    case increment(String, by: Int)
}

/// How rows read in a write transaction are locked.
public enum RowLock: Sendable, Hashable {
    case none
    /// Until the transaction ends: another writer of the row waits.
    case update
    /// As `update`, passing over rows another transaction has locked (claims).
    case skipLocked
}

/// One row written.
public enum RowWrite: Sendable {
    case insert(any StoredRecord)
    /// Rewrites every column of the row with the record's key.
    case update(any StoredRecord)
    /// Inserts, or rewrites the row with the same key.
    case upsert(any StoredRecord)
    /// Inserts unless a row with the same key exists.
    case insertIfAbsent(any StoredRecord)
    /// Inserts, or adds the record's `count` to the row with the same key (tallies).
    case add(any StoredRecord)

    /// The row written.
    public var record: any StoredRecord {
        switch self {
        case .insert(let record), .update(let record), .upsert(let record), .insertIfAbsent(let record), .add(let record): record
        }
    }

    /// Whether two writes are of the same kind and table, so one statement can write both.
    public func goesWith(_ other: RowWrite) -> Bool {
        let sameKind = switch (self, other) {
        case (.insert, .insert), (.update, .update), (.upsert, .upsert), (.insertIfAbsent, .insertIfAbsent), (.add, .add): true
        default: false
        }
        return sameKind && type(of: record).table == type(of: other.record).table
    }
}

/// A store whose writes all go through the shared write path: it offers a transaction, and the
/// write methods of `Store` come from `StoreWrites`.
public protocol TransactionalStore: Store {
    /// Runs `body` in one write transaction, committed when it returns and rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) throws -> T) async throws(StoreError) -> T
}
