internal import ArgumentParser
internal import ClearanceCore

extension ClearanceCommand {
    /// `clearance policy`: work with policy files.
    struct PolicyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Test, lint or print a policy.",
            subcommands: [Test.self, Lint.self, Show.self]
        )

        struct Test: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Run a policy's embedded tests.",
                discussion: "Exit codes: 0 every test passed, 1 a test failed, 2 the policy has errors."
            )

            @Argument(help: "The policy file; the built-in default policy when omitted.")
            var file: String?

            @Flag(name: .shortAndLong, help: "List every test, not only failures.")
            var verbose = false

            func run() async throws {
                let code = PolicyRuns.test(PolicyFiles.text(path: file), verbose: verbose, console: DocumentFiles.standardConsole)
                if code != 0 { throw ExitCode(code) }
            }
        }

        struct Lint: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a policy for schema errors, unknown facts, rules that can never fire and duplicate ids.",
                discussion: "Exit codes: 0 no errors (warnings may be printed), 2 errors found."
            )

            @Argument(help: "The policy file; the built-in default policy when omitted.")
            var file: String?

            func run() async throws {
                let code = PolicyRuns.lint(PolicyFiles.text(path: file), console: DocumentFiles.standardConsole)
                if code != 0 { throw ExitCode(code) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the built-in default policy, to start a studio's own from it."
            )

            func run() async throws {
                print(Policy.defaultPolicyText, terminator: "")
            }
        }
    }
}
