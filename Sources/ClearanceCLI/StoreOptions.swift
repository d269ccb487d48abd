internal import ArgumentParser
internal import ClearanceSQLite
internal import ClearanceStore
internal import Foundation

/// Where the service keeps its data; each option falls back to an environment variable.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (env CLEARANCE_DATA_DIR; default ./clearance-data).")
    var dataDir: String?

    @Option(help: "A database URL: sqlite:///path/file.db (env CLEARANCE_DATABASE; default SQLite in the data directory).")
    var database: String?

    var resolvedDataDir: String {
        dataDir ?? ProcessInfo.processInfo.environment["CLEARANCE_DATA_DIR"] ?? "./clearance-data"
    }

    /// The SQLite file this configuration names.
    func sqlitePath() throws -> String {
        let url = database ?? ProcessInfo.processInfo.environment["CLEARANCE_DATABASE"]
        guard let url, !url.isEmpty else { return resolvedDataDir + "/clearance.sqlite" }
        if url.hasPrefix("sqlite://") { return String(url.dropFirst("sqlite://".count)) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            throw ValidationError("PostgreSQL is not supported by this build yet; use SQLite (the default)")
        }
        throw ValidationError("--database must be a sqlite:// URL, not '\(url)'")
    }

    /// Opens the store, creating the data directory and database when `create` is set.
    func open(create: Bool) throws -> any Store {
        let path = try sqlitePath()
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
