/// A test written into a policy: a request and what the policy must decide for it.
public struct PolicyTestCase: Sendable {
    public var name: String
    public var request: UseRequest
    /// The outcome the decision must have, if the test states one.
    public var outcome: Outcome?
    /// Rules that must fire.
    public var fires: [String]
    /// Rules that must not fire.
    public var quiet: [String]
    /// Principle answers the decision must give.
    public var principles: [String: Answer]
    /// Whether the rulebook must apply (overlays), if the test says.
    public var applies: Bool? = nil
    /// Obligation ids the decision must list.
    public var obligations: [String] = []
    var location: SourceLocation
}

/// What running one embedded test showed.
public struct PolicyTestResult: Sendable {
    public var name: String
    public var location: SourceLocation
    /// Each way the decision differed from the expectation; empty when the test passed.
    public var failures: [String]
    public var decision: Decision

    public var passed: Bool { failures.isEmpty }
}

extension Policy {
    /// Runs every embedded test. A studio rulebook's tests are judged under it alone; an overlay's
    /// under `studio` plus that overlay alone, with both rulebooks' test tools. A test request
    /// without a `use-date` is judged on the overlay's first effective day, else on `today`.
    public func runTests(studio: Policy? = nil, today: Day) -> [PolicyTestResult] {
        let base = kind == .overlay ? (studio ?? (try? Policy.loadDefault()) ?? self) : self
        let engine = kind == .overlay ? PolicyEngine(policy: base, overlays: [self]) : PolicyEngine(policy: self)
        var tools = base.testTools
        for tool in testTools { tools.removeAll { $0.id == tool.id }; tools.append(tool) }
        let registry = ToolRegistry(tools)
        let mine: String? = kind == .overlay ? id : nil
        return tests.map { test in
            let context = RulebookContext(today: effective.from ?? today)
            let decision = engine.decide(test.request, tools: registry, context: context)
            var failures: [String] = []
            if let outcome = test.outcome, decision.outcome != outcome {
                let fired = decision.findings.map { "\($0.rule) (\($0.outcome.rawValue))" }
                failures.append("expected \(outcome.rawValue), got \(decision.outcome.rawValue); fired: "
                                + (fired.isEmpty ? "nothing" : fired.joined(separator: ", ")))
            }
            if let applies = test.applies, let use = decision.rulebooks.first(where: { $0.id == id }), use.applied != applies {
                failures.append(applies ? "expected the rulebook to apply, but it did not (\(use.because ?? use.whyNot ?? ""))"
                                        : "expected the rulebook not to apply, but it did")
            }
            let fired = Set(decision.findings.filter { $0.rulebook == mine }.map(\.rule))
            for rule in test.fires where !fired.contains(rule) {
                failures.append("expected rule '\(rule)' to fire, but it did not")
            }
            for rule in test.quiet where fired.contains(rule) {
                failures.append("expected rule '\(rule)' not to fire, but it did")
            }
            let listed = decision.obligations.map(\.id)
            for obligation in test.obligations where !listed.contains(obligation) {
                failures.append("expected obligation '\(obligation)', but the decision lists "
                                + (listed.isEmpty ? "none" : listed.joined(separator: ", ")))
            }
            for (id, answer) in test.principles.sorted(by: { $0.key < $1.key }) {
                let got = decision.principles.first { $0.id == id && $0.rulebook == mine }
                if got?.answer != answer {
                    failures.append("expected \(id) to be \(answer.rawValue), got \(got?.answer.rawValue ?? "nothing")"
                                    + (got.map { " (" + $0.because.joined(separator: "; ") + ")" } ?? ""))
                }
            }
            return PolicyTestResult(name: test.name, location: test.location, failures: failures, decision: decision)
        }
    }
}
