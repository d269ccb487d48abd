public import ArgumentParser
internal import ClearanceCore
internal import Foundation

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

        @Option(help: "The day of the decision, YYYY-MM-DD (today in UTC when omitted); a request's use-date wins.")
        var today: String?

        @Option(help: "Where the work is made or released, when a request does not say: codes separated by commas (EU,GB,US,US-CA,US-NY,US-TN,KR,CN,WORLD).")
        var territories: String?

        @Option(help: "A custom overlay file to judge by as well (repeatable).")
        var overlay: [String] = []

        @Option(help: "Leave out a built-in overlay by id (repeatable).")
        var disable: [String] = []

        @Flag(help: "Judge by the studio policy alone: no overlay applies.")
        var noOverlays = false

        @Flag(name: .shortAndLong, help: "Also say why each rulebook that did not apply was left out.")
        var verbose = false

        func run() async throws {
            let console = DocumentFiles.standardConsole
            let options = CheckOptions(today: today, territories: territories, overlays: overlay, disabled: disable, noOverlays: noOverlays)
            guard let rulebooks = options.resolve(console: console) else { throw ExitCode(CheckExitCode.badInput) }
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
                var run = CheckRun(engine: PolicyEngine(policy: loaded, overlays: rulebooks.overlays), tools: registry, format: format)
                run.context = rulebooks.context
                run.verbose = verbose
                let documents = (files.isEmpty ? ["-"] : files).map(DocumentFiles.read)
                return run.run(documents, console: console)
            }
            if code != 0 { throw ExitCode(code) }
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// `clearance check`'s rulebook options, read and checked before any request is (rulebooks.md §2).
struct CheckOptions {
    var today: String?
    var territories: String?
    var overlays: [String]
    var disabled: [String]
    var noOverlays: Bool

    /// Today in UTC, from the system clock.
    static var systemToday: Day { Day(secondsSince1970: Date().timeIntervalSince1970) }

    /// The overlays considered and the context, or nil after printing what is wrong.
    func resolve(console: Console) -> (overlays: [Policy], context: RulebookContext)? {
        var day = Self.systemToday
        if let today {
            guard let given = Day(today) else {
                console.err("error: --today: '\(today)' is not a real date in the form YYYY-MM-DD")
                return nil
            }
            day = given
        }
        var codes: [Territory]?
        if let territories {
            var read: [Territory] = []
            for code in territories.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !code.isEmpty {
                guard let territory = Territory(rawValue: code.uppercased()) else {
                    console.err("error: --territories: '\(code)' is not a territory; use "
                                + Territory.allCases.map(\.rawValue).joined(separator: ", "))
                    return nil
                }
                if !read.contains(territory) { read.append(territory) }
            }
            codes = read
        }
        let builtIns: [Policy]
        do {
            builtIns = try Policy.builtInOverlays()
        } catch {
            console.err(error.description)
            return nil
        }
        var considered = builtIns
        for path in overlays {
            guard let custom = PolicyRuns.load(DocumentFiles.read(path), console: console) else { return nil }
            guard custom.kind == .overlay else {
                console.err("\(path): error: --overlay takes an overlay (kind: overlay); this is a studio policy")
                return nil
            }
            if let problem = Policy.overlayProblems(custom, today: nil).first {
                console.err("\(path): \(problem.description)")
                return nil
            }
            considered.removeAll { $0.id == custom.id }
            considered.append(custom)
        }
        var switchedOff: [String: RulebookContext.SwitchedOff] = [:]
        for id in disabled {
            guard considered.contains(where: { $0.id == id }) else {
                console.err("error: --disable: no overlay has the id '\(id)'; the overlays are "
                            + considered.map(\.id).sorted().joined(separator: ", "))
                return nil
            }
            switchedOff[id] = .check
        }
        if noOverlays {
            for overlay in considered { switchedOff[overlay.id] = .check }
        }
        return (considered, RulebookContext(today: day, territories: codes, territoriesFrom: .option, disabled: switchedOff))
    }
}
