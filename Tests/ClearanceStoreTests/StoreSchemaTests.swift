import ClearancePostgres
import ClearanceSQLite
import ClearanceStore
import ClearanceTestSupport
import Testing

/// The tables are declared once (`StoreTable`); both stores' migrations must create exactly them.
@Suite("Store schema")
struct StoreSchemaTests {
    /// Tables a migration keeps that no record is written to: the migrations' own ledger, and
    /// the head of the single chain from before chains were kept per studio.
    static let bookkeeping: Set<String> = ["grdb_migrations", "schemaMigration", "auditHead"]

    @Test("each migrated database has the declared tables with the declared columns", arguments: StoreKind.all)
    func migratedMatchesDeclared(kind: StoreKind) async throws {
        let store = try await kind.make()
        let actual: [String: Set<String>] = if let sqlite = store as? SQLiteStore {
            try await sqlite.tableColumns()
        } else if let postgres = store as? PostgresStore {
            try await postgres.tableColumns()
        } else {
            [:]
        }
        try #require(!actual.isEmpty)
        for table in StoreTable.allCases {
            let columns = try #require(actual[table.name], "\(kind) has no table \(table.name)")
            // Rows are numbered in the order they were written by a column the database fills in
            // (`seq` on PostgreSQL; on SQLite the rowid, which one table names); the audit
            // event's seq is a record column on both.
            let extra = columns.subtracting(table.columns).subtracting(["seq", "rowid"])
            #expect(extra.isEmpty, "\(kind): \(table.name) has columns no record declares: \(extra.sorted())")
            let missing = Set(table.columns).subtracting(columns)
            #expect(missing.isEmpty, "\(kind): \(table.name) lacks declared columns: \(missing.sorted())")
            #expect(Set(table.key).isSubset(of: Set(table.columns)) && Set(table.jsonColumns).isSubset(of: Set(table.columns)))
        }
        let undeclared = Set(actual.keys).subtracting(StoreTable.allCases.map(\.name)).subtracting(Self.bookkeeping)
        #expect(undeclared.isEmpty, "\(kind) has tables nothing declares: \(undeclared.sorted())")
    }
}
