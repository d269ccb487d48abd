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

    /// A principle's final answer and why.
    public struct PrincipleAnswer: Sendable, Hashable {
        public var id: String
        public var answer: Answer
        public var because: [String]
    }

    /// One rule that fired.
    public struct Finding: Sendable, Hashable {
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
    /// The decision as JSON, with members in the order request-format.md shows.
    public var json: JSONValue {
        .object([
            .init("outcome", .string(outcome.rawValue)),
            .init("summary", .string(summary)),
            .init("principles", .array(principles.map { principle in
                .object([
                    .init("id", .string(principle.id)),
                    .init("answer", .string(principle.answer.rawValue)),
                    .init("because", .array(principle.because.map { .string($0) })),
                ])
            })),
            .init("findings", .array(findings.map { finding in
                var members: [JSONValue.Member] = [
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
            .init("actions", .array(actions.map { .string($0) })),
            .init("policy", .object([
                .init("id", .string(policy.id)),
                .init("version", .string(policy.version)),
                .init("digest", .string(policy.digest)),
            ])),
            .init("request-digest", .string(requestDigest)),
        ])
    }
}
