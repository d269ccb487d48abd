/// Judges requests against one loaded policy. Load once, decide many times; it holds no mutable state.
public struct PolicyEngine: Sendable {
    public let policy: Policy
    private let screener: PromptScreener

    public init(policy: Policy) {
        self.policy = policy
        self.screener = PromptScreener(policy.screening)
    }

    /// The decision for one request.
    ///
    /// - Parameters:
    ///   - tools: the tool registry; a step naming a tool that is not in it gets an unknown tool.
    ///   - consentCheck: verifies named consent records, where a register exists.
    ///   - consentTerms: the named consent records' terms, where a register exists.
    public func decide(_ request: UseRequest, tools: ToolRegistry = .empty, consentCheck: ConsentCheck? = nil,
                       consentTerms: ConsentTerms? = nil) -> Decision {
        var subject = Subject(request: request, tools: tools, screener: screener,
                              principleIDs: policy.principleIDs, consentCheck: consentCheck, consentTerms: consentTerms)
        let principles = judgePrinciples(&subject)
        var findings: [Decision.Finding] = []
        var ruleActions: [String] = []
        for rule in policy.rules {
            fire(rule, on: subject, into: &findings, actions: &ruleActions)
        }
        let outcome = findings.map(\.outcome).max() ?? .socialize
        let text = policy.text(for: outcome)
        let reasons = findings.filter { $0.outcome == outcome }.map { Self.clause($0.reason) }
        var uniqueReasons: [String] = []
        for reason in reasons where !uniqueReasons.contains(reason) { uniqueReasons.append(reason) }
        let summary = uniqueReasons.isEmpty ? text.headline + "." : text.headline + ": " + uniqueReasons.joined(separator: "; ") + "."

        var actions: [String] = []
        for action in text.actions where !actions.contains(action) { actions.append(action) }
        for action in ruleActions where !actions.contains(action) { actions.append(action) }
        return Decision(outcome: outcome, summary: summary, principles: principles, findings: findings, actions: actions,
                        policy: .init(id: policy.id, version: policy.version, digest: policy.digest),
                        requestDigest: request.digest)
    }

    /// The final answer to each principle: the worst of every check and the requester's own answer.
    private func judgePrinciples(_ subject: inout Subject) -> [Decision.PrincipleAnswer] {
        var answers: [Decision.PrincipleAnswer] = []
        answers.reserveCapacity(policy.principles.count)
        for (index, principle) in policy.principles.enumerated() {
            var derived = Answer.yes
            var because: [String] = []
            var raised: [Concern] = []
            // Checks cannot read concerns (the loader refuses it), so new ones are added after the loop.
            for check in principle.checks {
                subject.forEachScope(check.forEach) { scope in
                    guard check.when.holds(for: subject, in: scope) else { return }
                    let reason = check.because.render(for: subject, in: scope, focus: check.when)
                    derived = min(derived, check.answer)
                    if !because.contains(reason) { because.append(reason) }
                    raised.append(Concern(principle: index, principleID: principle.id, answer: check.answer,
                                          area: check.area, because: reason, step: scope.step))
                }
            }
            subject.concerns += raised
            var final = derived
            if let own = subject.selfAnswers[index], own < derived {
                final = own
                subject.concerns.append(Concern(principle: index, principleID: principle.id, answer: own,
                                                area: principle.area, because: "", step: nil))
                var scope = Scope.request
                scope.concern = subject.concerns.count - 1
                let reason = policy.selfAssessedBecause.render(for: subject, in: scope)
                subject.concerns[subject.concerns.count - 1].because = reason
                because.append(reason)
            }
            if because.isEmpty { because = [principle.yesBecause.render(for: subject, in: .request)] }
            subject.principleAnswers.append(final)
            answers.append(.init(id: principle.id, answer: final, because: because))
        }
        return answers
    }

    private func fire(_ rule: PolicyRule, on subject: Subject, into findings: inout [Decision.Finding], actions: inout [String]) {
        subject.forEachScope(rule.forEach) { scope in
            guard rule.when.holds(for: subject, in: scope) else { return }
            let area: Area
            var step = scope.step
            switch rule.area {
            case .fixed(let fixed): area = fixed
            case .concernArea:
                let concern = scope.concern.map { subject.concerns[$0] }
                area = concern?.area ?? .creative
                if step == nil { step = concern?.step }
            }
            findings.append(.init(rule: rule.id, outcome: rule.outcome, area: area, step: step.map { $0 + 1 },
                                  talent: scope.talent.map { $0 + 1 }, reason: rule.reason.render(for: subject, in: scope, focus: rule.when),
                                  cite: rule.cite))
            for (index, template) in rule.actions.enumerated() {
                if index < rule.actionConditions.count, !rule.actionConditions[index].holds(for: subject, in: scope) { continue }
                let action = template.render(for: subject, in: scope, focus: rule.when)
                if !actions.contains(action) { actions.append(action) }
            }
        }
    }

    /// A reason as a clause of the summary: without its closing full stop.
    static func clause(_ reason: String) -> String {
        var text = reason
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
