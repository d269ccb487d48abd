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
    /// Runs every embedded test against this policy, with the policy's own test tools.
    public func runTests() -> [PolicyTestResult] {
        let engine = PolicyEngine(policy: self)
        let registry = ToolRegistry(testTools)
        return tests.map { test in
            let decision = engine.decide(test.request, tools: registry)
            var failures: [String] = []
            if let outcome = test.outcome, decision.outcome != outcome {
                let fired = decision.findings.map { "\($0.rule) (\($0.outcome.rawValue))" }
                failures.append("expected \(outcome.rawValue), got \(decision.outcome.rawValue); fired: "
                                + (fired.isEmpty ? "nothing" : fired.joined(separator: ", ")))
            }
            let fired = Set(decision.findings.map(\.rule))
            for rule in test.fires where !fired.contains(rule) {
                failures.append("expected rule '\(rule)' to fire, but it did not")
            }
            for rule in test.quiet where fired.contains(rule) {
                failures.append("expected rule '\(rule)' not to fire, but it did")
            }
            for (id, answer) in test.principles.sorted(by: { $0.key < $1.key }) {
                let got = decision.principles.first { $0.id == id }
                if got?.answer != answer {
                    failures.append("expected \(id) to be \(answer.rawValue), got \(got?.answer.rawValue ?? "nothing")"
                                    + (got.map { " (" + $0.because.joined(separator: "; ") + ")" } ?? ""))
                }
            }
            return PolicyTestResult(name: test.name, location: test.location, failures: failures, decision: decision)
        }
    }
}
