internal import ArgumentParser
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

extension ClearanceCommand {
    /// `clearance report`: reports read straight from the database.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reports for delivery.",
            subcommands: [Register.self]
        )

        /// `clearance report register PRODUCTION`: the production's GenAI register.
        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a production's GenAI register: every use, its decision, verdicts, conditions, consents, obligations and state.",
                discussion: "Uses that end up in final deliverables are marked (final-deliverable). Exit 2 if the production does not exist."
            )

            @Argument(help: "The production's id.")
            var production: String

            @Option(help: "csv or json.")
            var format: String = "csv"

            @Flag(help: "Print the disclosure plan instead: every obligation of every use, its status and when it is due (CSV).")
            var disclosurePlan = false

            @OptionGroup var store: StoreOptions

            func validate() throws {
                guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json, not '\(format)'") }
            }

            func run() async throws {
                let database = try await store.open(create: false)
                guard let record = try await database.production(id: production) else {
                    FileHandle.standardError.write(Data("error: no production '\(production)'\n".utf8))
                    throw ExitCode(2)
                }
                if disclosurePlan {
                    FileHandle.standardOutput.write(Data(try await DisclosurePlan.build(production: record, store: database, now: Date()).csv.utf8))
                    return
                }
                // Written out a page of uses at a time.
                for try await piece in ProductionRegister.text(production: record, store: database, now: Date(),
                                                               format: format == "json" ? .json : .csv) {
                    FileHandle.standardOutput.write(Data(piece.utf8))
                }
            }
        }
    }
}
