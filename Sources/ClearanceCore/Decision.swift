/// The triage of one request under one policy (request-format.md, "Decision").
public struct Decision: Sendable, Hashable {
    public var outcome: Outcome
    /// One sentence: the outcome's headline and the reasons that decided it.
    public var summary: String
    /// Every principle of the policy, in order, with its answer.
    public var principles: [PrincipleAnswer]
    /// Every rule that fired.
    public var findings: [Finding]
    /// The next steps, most general first, without repeats.
    public var actions: [String]
    public var policy: PolicyStamp
    public var requestDigest: String
    /// The day that chose the rulebooks, and where it came from: `use-date` or `decision-day`.
    public var asOf: Day? = nil
    public var asOfFrom: String = "decision-day"
    /// The territories considered, as given (not expanded), and where they came from:
    /// `request`, `production`, `option` or `none`.
    public var territories: [Territory] = []
    public var territoriesFrom: String = "none"
    /// What the fired rules oblige, one per id, in finding order.
    public var obligations: [Obligation] = []
    /// Every rulebook considered: the studio's first, then the overlays by id.
    public var rulebooks: [RulebookUse] = []
    /// SHA-256 over the canonical JSON of `rulebooks` without the finding counts.
    public var rulebooksDigest: String? = nil

    /// A principle's final answer and why.
    public struct PrincipleAnswer: Sendable, Hashable {
        /// The overlay whose principle it is; nil for the studio's.
        public var rulebook: String? = nil
        public var id: String
        public var answer: Answer
        public var because: [String]
    }

    /// One rule that fired.
    public struct Finding: Sendable, Hashable {
        /// The overlay whose rule fired; nil for the studio's own rules.
        public var rulebook: String? = nil
        public var rule: String
        public var outcome: Outcome
        public var area: Area
        /// The pipeline step it concerns, from 1.
        public var step: Int?
        /// The talent entry it concerns, from 1 (a rule that runs for each performer).
        public var talent: Int? = nil
        public var reason: String
        public var cite: String
    }

    /// Something a fired rule obliges (rulebooks.md §3).
    public struct Obligation: Sendable, Hashable {
        /// `RULEBOOK/OBLIGATION`, with `/talent-N`, `/step-N` or `/step-N/hit-M` for a rule that runs per element.
        public var id: String
        public var rulebook: String
        public var rule: String
        public var talent: Int?
        public var step: Int?
        public var hit: Int?
        public var kind: ObligationKind
        public var due: ObligationDue
        public var text: String
        public var cite: String
    }

    /// One rulebook considered, and whether it applied.
    public struct RulebookUse: Sendable, Hashable {
        public var id: String
        public var kind: RulebookKind
        public var version: String
        public var digest: String
        public var applied: Bool
        /// Its findings, for an applied rulebook.
        public var findings: Int?
        /// For one that did not apply: `disabled`, `before-effective`, `after-effective` or `applies-when`.
        public var whyNot: String?
        /// The same in words.
        public var because: String?

        func json(withFindings: Bool) -> JSONValue {
            var members: [JSONValue.Member] = [
                .init("id", .string(id)), .init("kind", .string(kind.rawValue)), .init("version", .string(version)),
                .init("digest", .string(digest)), .init("applied", .bool(applied)),
            ]
            if withFindings, let findings { members.append(.init("findings", .number(findings))) }
            if let whyNot { members.append(.init("why-not", .string(whyNot))) }
            if let because { members.append(.init("because", .string(because))) }
            return .object(members)
        }
    }

    /// Which policy decided: the digest changes whenever the policy text does.
    public struct PolicyStamp: Sendable, Hashable {
        public var id: String
        public var version: String
        public var digest: String
    }

    /// The approver areas whose verdicts the request needs, in first-seen order: those of every
    /// finding at `escalate` or above, not only of those at the deciding outcome, so a data
    /// concern under a talent concern still reaches the data approver (service.md). A request
    /// that is only socialized needs none.
    public var areas: [Area] {
        var seen: [Area] = []
        for finding in findings where finding.outcome >= .escalate && !seen.contains(finding.area) {
            seen.append(finding.area)
        }
        return seen
    }
}

extension Decision {
    /// SHA-256 over the canonical JSON of the rulebooks considered, without their finding counts.
    static func digest(of rulebooks: [RulebookUse]) -> String {
        CanonicalDigest.of(.array(rulebooks.map { $0.json(withFindings: false) }))
    }

    /// The decision as JSON, with members in the order request-format.md and rulebooks.md show.
    /// A decision made before rulebooks (no `as-of`) keeps the old shape.
    public var json: JSONValue {
        var members: [JSONValue.Member] = [
            .init("outcome", .string(outcome.rawValue)),
            .init("summary", .string(summary)),
        ]
        if let asOf {
            members += [
                .init("as-of", .string(asOf.description)), .init("as-of-from", .string(asOfFrom)),
                .init("territories", .array(territories.map { .string($0.rawValue) })),
                .init("territories-from", .string(territoriesFrom)),
            ]
        }
        members += [
            .init("principles", .array(principles.map { principle in
                var members: [JSONValue.Member] = principle.rulebook.map { [.init("rulebook", .string($0))] } ?? []
                members += [
                    .init("id", .string(principle.id)),
                    .init("answer", .string(principle.answer.rawValue)),
                    .init("because", .array(principle.because.map { .string($0) })),
                ]
                return .object(members)
            })),
            .init("findings", .array(findings.map { finding in
                var members: [JSONValue.Member] = finding.rulebook.map { [.init("rulebook", .string($0))] } ?? []
                members += [
                    .init("rule", .string(finding.rule)),
                    .init("outcome", .string(finding.outcome.rawValue)),
                    .init("area", .string(finding.area.rawValue)),
                ]
                if let step = finding.step { members.append(.init("step", .number(step))) }
                if let talent = finding.talent { members.append(.init("talent", .number(talent))) }
                members.append(.init("reason", .string(finding.reason)))
                members.append(.init("cite", .string(finding.cite)))
                return .object(members)
            })),
        ]
        if asOf != nil {
            members.append(.init("obligations", .array(obligations.map(\.json))))
        }
        members.append(.init("actions", .array(actions.map { .string($0) })))
        if asOf != nil {
            members.append(.init("rulebooks", .array(rulebooks.map { $0.json(withFindings: true) })))
        }
        members.append(.init("policy", .object([
            .init("id", .string(policy.id)),
            .init("version", .string(policy.version)),
            .init("digest", .string(policy.digest)),
        ])))
        if let rulebooksDigest { members.append(.init("rulebooks-digest", .string(rulebooksDigest))) }
        members.append(.init("request-digest", .string(requestDigest)))
        return .object(members)
    }
}

extension Decision.Obligation {
    var json: JSONValue {
        var members: [JSONValue.Member] = [.init("id", .string(id)), .init("rulebook", .string(rulebook)), .init("rule", .string(rule))]
        if let talent { members.append(.init("talent", .number(talent))) }
        if let step { members.append(.init("step", .number(step))) }
        if let hit { members.append(.init("hit", .number(hit))) }
        members += [
            .init("kind", .string(kind.rawValue)), .init("due", .string(due.rawValue)),
            .init("text", .string(text)), .init("cite", .string(cite)),
        ]
        return .object(members)
    }
}

extension Decision.Obligation {
    /// An obligation as a stored decision lists it; nil when it does not read.
    public init?(json: JSONValue) {
        guard case .string(let id) = json["id"], case .string(let rulebook) = json["rulebook"], case .string(let rule) = json["rule"],
              case .string(let kindText) = json["kind"], let kind = ObligationKind(rawValue: kindText),
              case .string(let dueText) = json["due"], let due = ObligationDue(rawValue: dueText),
              case .string(let text) = json["text"], case .string(let cite) = json["cite"] else { return nil }
        let number = { (key: String) -> Int? in if case .number(let value) = json[key] { value } else { nil } }
        self.init(id: id, rulebook: rulebook, rule: rule, talent: number("talent"), step: number("step"), hit: number("hit"),
                  kind: kind, due: due, text: text, cite: cite)
    }

    /// The obligations a stored decision lists (none for one made before rulebooks).
    public static func listed(in decision: JSONValue?) -> [Decision.Obligation] {
        guard case .array(let items) = decision?["obligations"] else { return [] }
        return items.compactMap(Decision.Obligation.init(json:))
    }
}
