/// Judges requests against a studio's rulebook and the overlays laid over it (rulebooks.md §2).
/// Load once, decide many times; it holds no mutable state.
public struct PolicyEngine: Sendable {
    /// The studio rulebook: it decides exactly as it did before overlays existed.
    public let policy: Policy
    /// Every overlay considered, in id order (bytewise).
    public let overlays: [Policy]
    private let screener: PromptScreener

    public init(policy: Policy, overlays: [Policy] = []) {
        self.policy = policy
        self.overlays = overlays.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        self.screener = PromptScreener(policy.screening)
    }

    /// The decision for one request.
    ///
    /// - Parameters:
    ///   - tools: the tool registry; a step naming a tool that is not in it gets an unknown tool.
    ///   - consentCheck: verifies named consent records, where a register exists.
    ///   - consentTerms: the named consent records' terms, where a register exists.
    ///   - context: the day of the decision, the territories known outside the request, and
    ///     which overlays are switched off. Without one, no overlay is considered and the decision
    ///     has the shape it had before rulebooks.
    public func decide(_ request: UseRequest, tools: ToolRegistry = .empty, consentCheck: ConsentCheck? = nil,
                       consentTerms: ConsentTerms? = nil, context: RulebookContext? = nil) -> Decision {
        var subject = Subject(request: request, tools: tools, screener: screener,
                              principleIDs: policy.principleIDs, consentCheck: consentCheck, consentTerms: consentTerms)
        let asOf = request.useDate ?? context?.today
        let territories = request.territories ?? context?.territories ?? []
        subject.territories = Territory.expanded(territories).map(\.rawValue)

        var judged = judge(policy, rulebook: nil, subject: &subject)
        var uses: [Decision.RulebookUse] = []
        if let context, let asOf {
            uses.append(.init(id: policy.id, kind: .studio, version: policy.version, digest: policy.digest, applied: true,
                              findings: judged.findings.count))
            for overlay in overlays {
                var use = Decision.RulebookUse(id: overlay.id, kind: .overlay, version: overlay.version, digest: overlay.digest,
                                               applied: false)
                if let why = Self.whyNot(overlay, on: asOf, subject: subject, context: context) {
                    use.whyNot = why.whyNot
                    use.because = why.because
                } else {
                    var own = subject.forRulebook(overlay)
                    let part = judge(overlay, rulebook: overlay.id, subject: &own)
                    use.applied = true
                    use.findings = part.findings.count
                    judged.append(part)
                }
                uses.append(use)
            }
        }

        let outcome = judged.findings.map(\.outcome).max() ?? .socialize
        let text = policy.text(for: outcome)
        var reasons: [String] = []
        for finding in judged.findings where finding.outcome == outcome {
            let reason = Self.clause(finding.reason)
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        let summary = reasons.isEmpty ? text.headline + "." : text.headline + ": " + reasons.joined(separator: "; ") + "."
        var actions: [String] = []
        for action in text.actions + judged.actions where !actions.contains(action) { actions.append(action) }

        var decision = Decision(outcome: outcome, summary: summary, principles: judged.principles, findings: judged.findings,
                                actions: actions, policy: .init(id: policy.id, version: policy.version, digest: policy.digest),
                                requestDigest: request.digest)
        if let context, let asOf {
            decision.asOf = asOf
            decision.asOfFrom = request.useDate == nil ? "decision-day" : "use-date"
            decision.territories = territories
            decision.territoriesFrom = request.territories != nil ? "request"
                : context.territories != nil ? context.territoriesFrom.rawValue : "none"
            var seen: Set<String> = []
            decision.obligations = judged.obligations.filter { seen.insert($0.id).inserted }
            decision.rulebooks = uses
            decision.rulebooksDigest = Decision.digest(of: uses)
        }
        return decision
    }

    /// Why an overlay does not apply, checked in the spec's order, or nil when it does.
    private static func whyNot(_ overlay: Policy, on day: Day, subject: Subject,
                               context: RulebookContext) -> (whyNot: String, because: String)? {
        if let switchedOff = context.disabled[overlay.id] {
            return ("disabled", "disabled for this \(switchedOff.rawValue)")
        }
        if let outside = overlay.effective.whyNot(on: day) { return outside }
        if let appliesWhen = overlay.appliesWhen, !appliesWhen.holds(for: subject, in: .request) {
            return ("applies-when", "not in scope: \(overlay.scope ?? "its conditions do not hold")")
        }
        return nil
    }

    /// What one rulebook says of a subject: its principles' answers, fired rules, actions and obligations.
    private struct Judged {
        var principles: [Decision.PrincipleAnswer] = []
        var findings: [Decision.Finding] = []
        var actions: [String] = []
        var obligations: [Decision.Obligation] = []

        mutating func append(_ other: Judged) {
            principles += other.principles
            findings += other.findings
            actions += other.actions
            obligations += other.obligations
        }
    }

    private func judge(_ rulebook: Policy, rulebook id: String?, subject: inout Subject) -> Judged {
        var judged = Judged()
        judged.principles = judgePrinciples(rulebook, &subject)
        if let id {
            for index in judged.principles.indices { judged.principles[index].rulebook = id }
        }
        for rule in rulebook.rules {
            fire(rule, of: rulebook.id, named: id, on: subject, into: &judged)
        }
        return judged
    }

    /// The final answer to each principle: the worst of every check and the requester's own answer.
    private func judgePrinciples(_ rulebook: Policy, _ subject: inout Subject) -> [Decision.PrincipleAnswer] {
        var answers: [Decision.PrincipleAnswer] = []
        answers.reserveCapacity(rulebook.principles.count)
        for (index, principle) in rulebook.principles.enumerated() {
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
            if index < subject.selfAnswers.count, let own = subject.selfAnswers[index], own < derived {
                final = own
                subject.concerns.append(Concern(principle: index, principleID: principle.id, answer: own,
                                                area: principle.area, because: "", step: nil))
                var scope = Scope.request
                scope.concern = subject.concerns.count - 1
                let reason = rulebook.selfAssessedBecause.render(for: subject, in: scope)
                subject.concerns[subject.concerns.count - 1].because = reason
                because.append(reason)
            }
            if because.isEmpty { because = [principle.yesBecause.render(for: subject, in: .request)] }
            subject.principleAnswers.append(final)
            answers.append(.init(id: principle.id, answer: final, because: because))
        }
        return answers
    }

    private func fire(_ rule: PolicyRule, of rulebookID: String, named id: String?, on subject: Subject, into judged: inout Judged) {
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
            judged.findings.append(.init(rulebook: id, rule: rule.id, outcome: rule.outcome, area: area, step: step.map { $0 + 1 },
                                         talent: scope.talent.map { $0 + 1 },
                                         reason: rule.reason.render(for: subject, in: scope, focus: rule.when), cite: rule.cite))
            for (index, template) in rule.actions.enumerated() {
                if index < rule.actionConditions.count, !rule.actionConditions[index].holds(for: subject, in: scope) { continue }
                let action = template.render(for: subject, in: scope, focus: rule.when)
                if !judged.actions.contains(action) { judged.actions.append(action) }
            }
            for obligation in rule.obligations {
                judged.obligations.append(Self.obligation(obligation, of: rule, in: rulebookID, scope: scope, subject: subject))
            }
        }
    }

    /// An obligation as the decision lists it: its id names the rulebook and, for a rule that runs
    /// per element, the element (rulebooks.md §3).
    private static func obligation(_ template: ObligationTemplate, of rule: PolicyRule, in rulebook: String, scope: Scope,
                                   subject: Subject) -> Decision.Obligation {
        var id = rulebook + "/" + template.id
        var talent: Int?, step: Int?, hit: Int?
        switch rule.forEach {
        case .talent:
            talent = scope.talent.map { $0 + 1 }
            if let talent { id += "/talent-\(talent)" }
        case .step:
            step = scope.step.map { $0 + 1 }
            if let step { id += "/step-\(step)" }
        case .hit:
            if let found = scope.hit, let at = scope.step {
                step = at + 1
                hit = (subject.stepHits[at].firstIndex(of: found) ?? 0) + 1
                id += "/step-\(at + 1)/hit-\(hit ?? 1)"
            }
        case .concern, nil:
            break
        }
        return Decision.Obligation(id: id, rulebook: rulebook, rule: rule.id, talent: talent, step: step, hit: hit,
                                   kind: template.kind, due: template.due,
                                   text: template.text.render(for: subject, in: scope, focus: rule.when), cite: template.cite)
    }

    /// A reason as a clause of the summary: without its closing full stop.
    static func clause(_ reason: String) -> String {
        var text = reason
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// What a decision knows besides the request: the day it is made, the territories given outside
/// the request, and the overlays switched off (rulebooks.md §2).
public struct RulebookContext: Sendable, Hashable {
    /// Where territories given outside the request came from.
    public enum TerritorySource: String, Sendable, Hashable {
        case production, option
    }

    /// Who switched an overlay off.
    public enum SwitchedOff: String, Sendable, Hashable {
        case studio, production, check
    }

    /// The day of the decision (UTC); a request's `use-date` wins.
    public var today: Day
    /// The production's territories (service) or `--territories` (CLI); a request's own win.
    public var territories: [Territory]?
    public var territoriesFrom: TerritorySource
    /// Overlays switched off, by id.
    public var disabled: [String: SwitchedOff]

    public init(today: Day, territories: [Territory]? = nil, territoriesFrom: TerritorySource = .option,
                disabled: [String: SwitchedOff] = [:]) {
        self.today = today
        self.territories = territories.flatMap { $0.isEmpty ? nil : $0 }
        self.territoriesFrom = territoriesFrom
        self.disabled = disabled
    }
}
