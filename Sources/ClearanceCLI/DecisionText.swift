public import ClearanceCore

/// The text form of a decision, for a person at a terminal: the outcome first, then why, then what to do.
public enum DecisionText {
    public static func render(_ decision: Decision, request: UseRequest, source: String, policy: Policy, verbose: Bool = false) -> String {
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

        if let asOf = decision.asOf {
            let applied = decision.rulebooks.filter(\.applied).map { "\($0.id) \($0.version)" }
            lines.append("Rulebooks: " + applied.joined(separator: ", "))
            let day = decision.asOfFrom == "use-date" ? "the use-date" : "the day of the decision"
            let places = decision.territories.isEmpty ? "no territories"
                : decision.territories.map(\.rawValue).joined(separator: ", ") + " (from the \(decision.territoriesFrom == "option" ? "--territories option" : decision.territoriesFrom))"
            lines.append("  as of \(asOf) (\(day)); \(places)")
            if verbose {
                for use in decision.rulebooks where !use.applied {
                    lines.append("  not applied: \(use.id) \(use.version): \(use.because ?? use.whyNot ?? "")")
                }
            }
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
            // Grouped by rulebook, the studio's first, in the decision's order.
            var groups: [(String?, [Decision.Finding])] = []
            for finding in decision.findings {
                if let last = groups.indices.last, groups[last].0 == finding.rulebook {
                    groups[last].1.append(finding)
                } else {
                    groups.append((finding.rulebook, [finding]))
                }
            }
            for (rulebook, findings) in groups {
                if decision.asOf != nil { lines.append("  \(rulebook ?? decision.policy.id)") }
                for finding in findings {
                    let step = finding.step.map { ", step \($0)" } ?? ""
                    let talent = finding.talent.map { ", performer \($0)" } ?? ""
                    lines.append("    \(finding.outcome.rawValue.padding(17)) \(finding.rule) (\(finding.area.rawValue)\(step)\(talent))")
                    lines.append("        \(finding.reason) [\(finding.cite)]")
                }
            }
        }

        if !decision.obligations.isEmpty {
            lines.append("")
            lines.append("Obligations")
            for obligation in decision.obligations {
                lines.append("  \(obligation.kind.rawValue.padding(8)) \(obligation.due.words): \(obligation.text)")
                lines.append("           \(obligation.id) [\(obligation.cite)]")
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
