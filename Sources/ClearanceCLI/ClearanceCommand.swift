public import ArgumentParser

/// `clearance`: triage GenAI uses on a production against a studio's policy.
public struct ClearanceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "clearance",
        abstract: "Clear generative-AI uses on a film or TV production against the studio's policy.",
        discussion: """
            Describe a proposed use in a YAML or JSON request and `clearance check` says whether to \
            socialize it, escalate it, or get written approval first, citing the guideline.
            """,
        subcommands: [Check.self, Scan.self, PolicyCommand.self, Serve.self, Admin.self, Audit.self, Report.self, Migrate.self, Mail.self]
    )

    public init() {}
}

/// Where a command writes: standard output for results, standard error for problems and progress.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }
}
