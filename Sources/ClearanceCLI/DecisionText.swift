public import ClearanceCore

/// The text form of a decision, for a person at a terminal: the outcome first, then why, then what to do.
public enum DecisionText {
    public static func render(_ decision: Decision, request: UseRequest, source: String, policy: Policy) -> String {
        var lines: [String] = []
        let label = switch decision.outcome {
        case .socialize: "SOCIALIZE"
        case .escalate: "ESCALATE"
        case .approvalRequired: "APPROVAL REQUIRED"
        }
        lines.append("\(label)  \(request.title)  (\(source))")
        lines.append(decision.summary)
        let areas = decision.areas
        if !areas.isEmpty && decision.outcome != .socialize {
            lines.append("Approvers: " + areas.map(\.rawValue).joined(separator: ", "))
        }

        lines.append("")
        lines.append("Principles")
        let titles = Dictionary(policy.principles.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        for principle in decision.principles {
            let answer = principle.answer.rawValue.padding(6)
            lines.append("  \(principle.id) \(answer) \(titles[principle.id] ?? "")")
            for reason in principle.because { lines.append("            - \(reason)") }
        }

        if !decision.findings.isEmpty {
            lines.append("")
            lines.append("Findings")
            for finding in decision.findings {
                let step = finding.step.map { ", step \($0)" } ?? ""
                lines.append("  \(finding.outcome.rawValue.padding(17)) \(finding.rule) (\(finding.area.rawValue)\(step))")
                lines.append("      \(finding.reason) [\(finding.cite)]")
            }
        }

        lines.append("")
        lines.append("Next steps")
        for (index, action) in decision.actions.enumerated() {
            lines.append("  \(index + 1). \(action)")
        }
        lines.append("")
        lines.append("Policy \(decision.policy.id) \(decision.policy.version) (\(decision.policy.digest.prefix(19))…), request \(decision.requestDigest.prefix(19))…")
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
