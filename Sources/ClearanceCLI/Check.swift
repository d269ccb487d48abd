public import ArgumentParser
internal import ClearanceCore

extension ClearanceCommand {
    /// `clearance check`: the triage of one or more requests.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Triage proposed GenAI uses: socialize, escalate, or written approval first.",
            discussion: """
                Each FILE is a use request in YAML or JSON (format clearance/use-request@1); '-' or \
                no FILE reads standard input. Exit codes: 0 socialize, 3 escalate, \
                4 approval-required, 2 bad input (with file:line:column), 1 internal error. With \
                several inputs, every one is checked; the code is 2 if any was bad, otherwise the \
                highest outcome's.
                """
        )

        @Argument(help: "Request files (YAML or JSON), or '-' for standard input.")
        var files: [String] = []

        @Option(help: "A policy file to judge by instead of the built-in default policy.")
        var policy: String?

        @Option(help: "A YAML or JSON list of tool records (the tool registry).")
        var tools: String?

        @Option(help: "text for people, json for one decision object per line.")
        var format: OutputFormat = .text

        func run() async throws {
            let console = DocumentFiles.standardConsole
            let code = PolicyFiles.withPolicy(path: policy, console: console) { loaded in
                var registry = ToolRegistry.empty
                if let tools {
                    let document = DocumentFiles.read(tools)
                    guard let text = document.text else {
                        console.err("\(document.name): error: cannot read: \(document.readError ?? "unknown error")")
                        return CheckExitCode.badInput
                    }
                    do throws(DocumentError) {
                        registry = ToolRegistry(try ToolRecord.parseList(text, file: document.name))
                    } catch {
                        console.err(error.description)
                        return CheckExitCode.badInput
                    }
                }
                let run = CheckRun(engine: PolicyEngine(policy: loaded), tools: registry, format: format)
                let documents = (files.isEmpty ? ["-"] : files).map(DocumentFiles.read)
                return run.run(documents, console: console)
            }
            if code != 0 { throw ExitCode(code) }
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
