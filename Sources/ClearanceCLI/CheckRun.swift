public import ClearanceCore

/// The exit codes of `clearance check` (request-format.md).
public enum CheckExitCode {
    public static let internalError: Int32 = 1
    public static let badInput: Int32 = 2

    public static func code(for outcome: Outcome) -> Int32 {
        switch outcome {
        case .socialize: 0
        case .escalate: 3
        case .approvalRequired: 4
        }
    }
}

/// How `clearance check` prints decisions.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// For a person: outcome first, then principles, findings and next steps.
    case text
    /// One decision object per input, one per line.
    case json
}

/// One document given to a command: its name for messages, and its text (nil when it could not be read).
public struct InputDocument: Sendable {
    public var name: String
    public var text: String?
    public var readError: String?

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    public init(name: String, readError: String) {
        self.name = name
        self.readError = readError
    }
}

/// `clearance check` without the file system: documents in, decisions and an exit code out.
public struct CheckRun: Sendable {
    public var engine: PolicyEngine
    public var tools: ToolRegistry
    public var format: OutputFormat
    /// The day, territories and switched-off overlays every request is judged with.
    public var context: RulebookContext?
    /// Text output also says why each rulebook that did not apply was left out.
    public var verbose = false

    public init(engine: PolicyEngine, tools: ToolRegistry, format: OutputFormat) {
        self.engine = engine
        self.tools = tools
        self.format = format
    }

    /// Checks every document, printing each decision whole or, for a bad document, only its errors.
    /// Returns 2 if any document was bad, otherwise the code of the highest outcome.
    public func run(_ documents: [InputDocument], console: Console) -> Int32 {
        var worst: Outcome?
        var bad = false
        let principles = Set(engine.policy.principleIDs)
        for (index, document) in documents.enumerated() {
            guard let text = document.text else {
                console.err("\(document.name): error: cannot read: \(document.readError ?? "unknown error")")
                bad = true
                continue
            }
            let request: UseRequest
            do {
                request = try UseRequest.parse(text, file: document.name, principles: principles)
            } catch {
                console.err(error.description)
                bad = true
                continue
            }
            let decision = engine.decide(request, tools: tools, context: context)
            worst = max(worst ?? decision.outcome, decision.outcome)
            switch format {
            case .json:
                console.out(decision.json.rendered)
            case .text:
                if index > 0 { console.out("") }
                console.out(DecisionText.render(decision, request: request, source: document.name, policy: engine.policy,
                                                verbose: verbose))
            }
        }
        if bad { return CheckExitCode.badInput }
        return worst.map(CheckExitCode.code(for:)) ?? 0
    }
}
