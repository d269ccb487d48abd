internal import ArgumentParser
internal import ClearancePostgres
internal import ClearanceSQLite
internal import ClearanceStore
internal import Foundation

extension ClearanceCommand {
    /// `clearance migrate --from sqlite:PATH --to postgres://…`: copies a whole installation.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole SQLite installation, audit chain included, into an empty PostgreSQL database.",
            discussion: """
                The source's audit chain must verify before anything is copied, and the target's must verify afterwards \
                with the same head. The target must be empty: migrate never merges. Exit codes: 0 copied and verified, \
                1 refused or failed (nothing is left half-copied: the copy is one transaction), 2 a database cannot be opened.
                """
        )

        @Option(help: "The SQLite database to copy: sqlite:PATH or sqlite:///PATH.")
        var from: String

        @Option(help: "The PostgreSQL database to fill: postgres://user:password@host:port/database[?sslmode=…].")
        var to: String

        func validate() throws {
            guard from.hasPrefix("sqlite:") else { throw ValidationError("--from must be sqlite:PATH, not '\(from)'") }
            guard to.hasPrefix("postgres://") || to.hasPrefix("postgresql://") else {
                throw ValidationError("--to must be a postgres:// URL, not '\(PostgresStore.redacted(to))'")
            }
        }

        func run() async throws {
            let path = from.hasPrefix("sqlite://") ? String(from.dropFirst("sqlite://".count)) : String(from.dropFirst("sqlite:".count))
            let source: SQLiteStore
            let target: PostgresStore
            do {
                source = try StoreOptions.openSQLite(path, create: false)
                target = try await PostgresStore.connect(url: to, maximumConnections: 2)
            } catch {
                Self.fail("\(error)")
                throw ExitCode(2)
            }
            defer { target.shutdown() }

            let snapshot = try await source.snapshot()
            for head in snapshot.auditHeads {
                let check = AuditChain.verify(snapshot.auditEvents.filter { $0.chain == head.chain }.sorted { $0.position < $1.position },
                                              head: head)
                if let broken = check.brokenAt {
                    Self.fail("the source's audit chain \(head.chain) is broken at event \(broken) (\(check.reason ?? "")); nothing was copied")
                    throw ExitCode(1)
                }
            }
            let existing = try await target.existingRows()
            guard existing == 0 else {
                Self.fail("\(PostgresStore.redacted(to)) already holds data (\(existing) users, studios and audit events); "
                          + "migrate copies into an empty database only")
                throw ExitCode(1)
            }
            print("copying \(path) to \(PostgresStore.redacted(to))")
            do {
                try await target.load(snapshot) { table, rows in print("  \(table): \(rows)") }
            } catch {
                Self.fail("the copy failed and was rolled back: \(error)")
                throw ExitCode(1)
            }
            let results = try await target.verifyAuditChains()
            let copied = results.reduce(0) { $0 + $1.result.events }
            guard results.allSatisfy({ $0.result.intact }), copied == snapshot.auditEvents.count,
                  results.map(\.head) == snapshot.auditHeads.sorted(by: { $0.chain < $1.chain }) else {
                let reason = results.first { !$0.result.intact }.map { "\($0.head.chain): \($0.result.reason ?? "")" } ?? "different heads"
                Self.fail("the copied audit chains do not verify (\(reason)); drop the target database and run migrate again")
                throw ExitCode(1)
            }
            print("audit chains intact on the target: \(results.count) chains, \(copied) events")
        }

        static func fail(_ message: String) {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        }
    }
}
