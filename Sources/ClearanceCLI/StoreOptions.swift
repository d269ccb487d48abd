internal import ArgumentParser
internal import ClearancePostgres
internal import ClearanceSQLite
internal import ClearanceStore
internal import Foundation
internal import Logging
internal import ServiceLifecycle

/// Where the service keeps its data; each option falls back to an environment variable.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (env CLEARANCE_DATA_DIR; default ./clearance-data).")
    var dataDir: String?

    @Option(help: """
        A database URL: sqlite:///path/file.db, or postgres://user:password@host:port/database[?sslmode=disable|prefer|require] \
        (env CLEARANCE_DATABASE_URL or CLEARANCE_DATABASE; default SQLite in the data directory).
        """)
    var database: String?

    /// Where the data lives, as the options and environment name it.
    enum Location {
        case sqlite(path: String)
        case postgres(url: String)

        var description: String {
            switch self {
            case .sqlite(let path): path
            case .postgres(let url): PostgresStore.redacted(url)
            }
        }
    }

    var resolvedDataDir: String {
        dataDir ?? ProcessInfo.processInfo.environment["CLEARANCE_DATA_DIR"] ?? "./clearance-data"
    }

    /// The database this configuration names.
    func location() throws -> Location {
        let environment = ProcessInfo.processInfo.environment
        let url = database ?? environment["CLEARANCE_DATABASE_URL"] ?? environment["CLEARANCE_DATABASE"]
        guard let url, !url.isEmpty else { return .sqlite(path: resolvedDataDir + "/clearance.sqlite") }
        if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
        if url.hasPrefix("sqlite:") { return .sqlite(path: String(url.dropFirst("sqlite:".count))) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
        throw ValidationError("--database must be a sqlite:// or postgres:// URL, not '\(PostgresStore.redacted(url))'")
    }

    /// Opens the store, creating the data directory and SQLite database when `create` is set.
    /// A PostgreSQL database must exist; its tables are created or migrated on open.
    /// The store for `serve`, with what the server's service group runs for it: for PostgreSQL,
    /// the connection pool as a service (closed when the group shuts down) and the migrations,
    /// run as the group starts and before the server takes requests. SQLite is ready at once.
    func openForServing(logger: Logger) async throws -> (store: any Store, services: [any Service],
                                                         prepare: @Sendable () async throws -> Void) {
        switch try location() {
        case .postgres(let url):
            let store: PostgresStore
            do {
                store = try PostgresStore.forService(url: url)
            } catch {
                throw ValidationError("cannot open the database at \(PostgresStore.redacted(url)): \(error)")
            }
            return (store, [store.clientService], {
                try await store.migrate(timeout: .seconds(30), url: url)
                logger.info("database migrated", metadata: ["database": .string(PostgresStore.redacted(url))])
            })
        case .sqlite(let path):
            return (try Self.openSQLite(path, create: true), [], {})
        }
    }

    func open(create: Bool) async throws -> any Store {
        switch try location() {
        case .postgres(let url):
            do {
                return try await PostgresStore.connect(url: url)
            } catch {
                throw ValidationError("cannot open the database at \(PostgresStore.redacted(url)): \(error)")
            }
        case .sqlite(let path):
            return try Self.openSQLite(path, create: create)
        }
    }

    static func openSQLite(_ path: String, create: Bool) throws -> SQLiteStore {
        let directory = (path as NSString).deletingLastPathComponent
        if create {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } else if !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("no database at \(path); start `clearance serve` first or pass --data-dir")
        }
        do {
            return try SQLiteStore(path: path)
        } catch {
            throw ValidationError("cannot open the database at \(path): \(error)")
        }
    }
}
