/// Whether a new decision changes what an approver area decides. One rule, used for a verdict
/// across a re-triage (it stays current when its area is unchanged), for the review flag of an
/// approved request, and so for the final approvals a scan checks against.
///
/// An area's findings are compared by what they are about: the rule, its outcome, and the step
/// and talent entry it concerns. Their wording (reason, citation) is not compared, so editing a
/// message or adding a watch-list name that touches no finding changes no area.
public enum DecisionChange {
    /// What identifies one finding.
    public struct Key: Sendable, Hashable {
        /// The overlay whose rule it is; nil for the studio's.
        public var rulebook: String? = nil
        public var rule: String
        public var outcome: Outcome
        public var area: Area
        public var step: Int?
        public var talent: Int?

        public init(rule: String, outcome: Outcome, area: Area, step: Int?, talent: Int?) {
            self.rule = rule
            self.outcome = outcome
            self.area = area
            self.step = step
            self.talent = talent
        }

        public init(_ finding: Decision.Finding) {
            self.init(rule: finding.rule, outcome: finding.outcome, area: finding.area, step: finding.step, talent: finding.talent)
            rulebook = finding.rulebook
        }
    }

    /// The findings of a decision as stored (its JSON); those that do not read are left out.
    public static func keys(ofStored decision: JSONValue?) -> [Key] {
        guard case .array(let findings) = decision?["findings"] else { return [] }
        return findings.compactMap { finding in
            guard case .string(let rule) = finding["rule"],
                  case .string(let outcomeText) = finding["outcome"], let outcome = Outcome(rawValue: outcomeText),
                  case .string(let areaText) = finding["area"], let area = Area(rawValue: areaText) else { return nil }
            let number = { (key: String) -> Int? in if case .number(let value) = finding[key] { value } else { nil } }
            var key = Key(rule: rule, outcome: outcome, area: area, step: number("step"), talent: number("talent"))
            if case .string(let rulebook) = finding["rulebook"] { key.rulebook = rulebook }
            return key
        }
    }

    public static func keys(of decision: Decision) -> [Key] { decision.findings.map(Key.init) }

    /// The areas whose findings differ between two decisions (counted, so one more firing of
    /// the same rule counts as a change).
    public static func changedAreas(from before: [Key], to after: [Key]) -> Set<Area> {
        // Decisions stored before findings named their talent entry have none: for a rule whose
        // findings name it on one side only, the entry is left out of the comparison.
        let named = { (keys: [Key]) in Set(keys.filter { $0.talent != nil }.map(\.rule)) }
        let oneSided = named(before).symmetricDifference(named(after))
        let strip = { (keys: [Key]) in
            keys.map { key in
                guard oneSided.contains(key.rule) else { return key }
                var stripped = key
                stripped.talent = nil
                return stripped
            }
        }
        let before = strip(before), after = strip(after)
        func tally(_ keys: [Key]) -> [Area: [Key: Int]] {
            var byArea: [Area: [Key: Int]] = [:]
            for key in keys { byArea[key.area, default: [:]][key, default: 0] += 1 }
            return byArea
        }
        let old = tally(before), new = tally(after)
        return Set(Set(old.keys).union(new.keys).filter { old[$0] != new[$0] })
    }
}
