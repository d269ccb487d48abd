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

            @Argument(help: "The policy or overlay file; the built-in default policy when omitted.")
            var file: String?

            @Option(help: "The studio policy an overlay's tests are judged under (the built-in default when omitted).")
            var policy: String?

            @Flag(help: "Test the built-in default policy and every built-in overlay.")
            var builtIn = false

            @Flag(name: .shortAndLong, help: "List every test, not only failures.")
            var verbose = false

            func run() async throws {
                let console = DocumentFiles.standardConsole
                var studio: Policy?
                if let policy {
                    guard let loaded = PolicyRuns.load(PolicyFiles.text(path: policy), console: console) else {
                        throw ExitCode(CheckExitCode.badInput)
                    }
                    studio = loaded
                }
                let today = CheckOptions.systemToday
                let documents = builtIn ? [PolicyFiles.text(path: nil)] + PolicyFiles.builtInOverlays : [PolicyFiles.text(path: file)]
                let codes = documents.map { PolicyRuns.test($0, verbose: verbose, console: console, studio: studio, today: today) }
                if let code = codes.max(), code != 0 { throw ExitCode(code) }
            }
        }

        struct Lint: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a policy for schema errors, unknown facts, rules that can never fire and duplicate ids.",
                discussion: "Exit codes: 0 no errors (warnings may be printed), 2 errors found."
            )

            @Argument(help: "The policy or overlay file; the built-in default policy when omitted.")
            var file: String?

            @Flag(help: "Lint the built-in default policy and every built-in overlay.")
            var builtIn = false

            func run() async throws {
                let documents = builtIn ? [PolicyFiles.text(path: nil)] + PolicyFiles.builtInOverlays : [PolicyFiles.text(path: file)]
                let codes = documents.map { PolicyRuns.lint($0, console: DocumentFiles.standardConsole, today: CheckOptions.systemToday) }
                if let code = codes.max(), code != 0 { throw ExitCode(code) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print the built-in default policy, to start a studio's own from it, or a built-in overlay."
            )

            @Option(help: "A built-in overlay's id, such as eu-ai-act-art50.")
            var overlay: String?

            func run() async throws {
                guard let overlay else {
                    print(Policy.defaultPolicyText, terminator: "")
                    return
                }
                guard let text = Policy.builtInOverlayTexts[overlay + ".yaml"] else {
                    let known = Policy.builtInOverlayTexts.keys.map { String($0.dropLast(5)) }.sorted()
                    DocumentFiles.standardConsole.err("error: no built-in overlay '\(overlay)'; the built-ins are " + known.joined(separator: ", "))
                    throw ExitCode(CheckExitCode.badInput)
                }
                print(text, terminator: "")
            }
        }
    }
}
