internal import ArgumentParser
internal import ClearanceService
internal import Foundation

extension ClearanceCommand {
    /// `clearance admin`: site administration from the shell.
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Site administration.",
            subcommands: [Create.self]
        )

        /// `clearance admin create EMAIL`: a site admin and their first API token.
        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a site admin and print one API token on standard output, and nothing else."
            )

            @Argument(help: "The admin's email address.")
            var email: String

            @Option(help: "The admin's name (default: the email's local part).")
            var name: String?

            @Flag(name: .customLong("password-stdin"),
                  help: "Also read a password (12 characters or more, not containing the email's name part) from the first line of standard input, for signing in to the web pages.")
            var passwordFromStandardInput = false

            @OptionGroup var store: StoreOptions

            func run() async throws {
                var password: String?
                if passwordFromStandardInput {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw ValidationError("--password-stdin: standard input has no password line")
                    }
                    password = line
                }
                let database = try await store.open(create: true)
                do {
                    let secret = try await SiteAdmin.create(email: email, name: name ?? String(email.split(separator: "@").first ?? ""),
                                                            password: password, store: database)
                    print(secret)
                } catch let error as SiteAdminError {
                    throw ValidationError(error.description)
                }
            }
        }
    }
}
