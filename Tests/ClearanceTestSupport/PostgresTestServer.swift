public import ClearancePostgres
internal import ClearanceSQLite
public import ClearanceStore
internal import Foundation

/// The PostgreSQL server the tests may use, named by `CLEARANCE_TEST_DATABASE_URL` (a URL to a
/// database the tests may create other databases from). Each store gets a database of its own.
public enum PostgresTestServer {
    public static let url: String? = ProcessInfo.processInfo.environment["CLEARANCE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A new, empty database on the test server, migrated.
    ///
    /// Swift Testing starts every test at once, so on a small machine a store's migrations can
    /// wait behind dozens of others for longer than `connect`'s default 10 s, which is meant for a
    /// server that does not answer at all; tests allow two minutes.
    public static func freshStore() async throws -> PostgresStore {
        try await PostgresStore.connect(url: try await freshDatabase(), maximumConnections: 8, timeout: .seconds(120))
    }

    /// The URL of a new, empty database.
    public static func freshDatabase() async throws -> String {
        guard let url, var components = URLComponents(string: url) else {
            throw StoreError.database("CLEARANCE_TEST_DATABASE_URL is not set")
        }
        let name = "clearance_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresStore.createDatabase(name, server: url)
        components.path = "/" + name
        return components.string ?? url
    }
}

/// The stores the suites run against.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqliteFile = "SQLite file (WAL)"
    case sqliteMemory = "SQLite in memory"
    case postgres = "PostgreSQL"

    /// Every SQLite kind, and PostgreSQL when `CLEARANCE_TEST_DATABASE_URL` names a server
    /// (`scripts/with-postgres` starts a throwaway one; `scripts/test` says when it is skipped).
    public static let all: [StoreKind] = PostgresTestServer.url == nil ? [.sqliteFile, .sqliteMemory] : allCases

    public var description: String { rawValue }

    public func make() async throws -> any Store {
        switch self {
        case .sqliteFile:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try SQLiteStore(path: directory.appendingPathComponent("clearance.sqlite").path)
        case .sqliteMemory:
            return try SQLiteStore(inMemory: ())
        case .postgres:
            return try await PostgresTestServer.freshStore()
        }
    }
}
