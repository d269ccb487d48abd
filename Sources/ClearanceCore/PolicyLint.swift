extension Policy {
    /// Every problem `clearance policy lint` reports: load errors (schema, unknown facts, duplicate
    /// ids), rules and checks that can never fire, unused definitions, and rules no test exercises.
    ///
    /// For an overlay it also reports, given `today`, an `until` that has passed (a warning), and,
    /// unless the text is a built-in overlay itself, an id that a built-in overlay already has.
    public static func lint(_ text: String, file: String = "<policy>", today: Day? = nil) -> [Diagnostic] {
        let (policy, diagnostics) = examine(text, file: file)
        guard let policy else { return diagnostics }
        var found = diagnostics
        if policy.kind == .overlay {
            found += overlayProblems(policy, today: today)
        }
        for (index, principle) in policy.principles.enumerated() {
            for (checkIndex, check) in principle.checks.enumerated() where !check.when.canHold {
                found.append(Diagnostic(at: check.location,
                                        path: FieldPath().appending("principles").appending(index).appending("checks").appending(checkIndex),
                                        "this \(principle.id) check can never hold: its condition contradicts itself"))
            }
        }
        for (index, rule) in policy.rules.enumerated() where !rule.when.canHold {
            found.append(Diagnostic(at: rule.location, path: FieldPath().appending("rules").appending(index),
                                    "rule '\(rule.id)' can never fire: its condition contradicts itself"))
        }
        let fires = Set(policy.tests.flatMap(\.fires))
        let quiet = Set(policy.tests.flatMap(\.quiet))
        for (index, rule) in policy.rules.enumerated() {
            let path = FieldPath().appending("rules").appending(index)
            if !fires.contains(rule.id) {
                found.append(Diagnostic(.warning, at: rule.location, path: path, "no test expects rule '\(rule.id)' to fire"))
            }
            if !quiet.contains(rule.id) {
                found.append(Diagnostic(.warning, at: rule.location, path: path, "no test expects rule '\(rule.id)' to stay quiet"))
            }
        }
        return found
    }
}

extension Policy {
    /// What an overlay may not be beside the built-ins, and what is stale about it on `today`.
    public static func overlayProblems(_ overlay: Policy, today: Day?) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let builtIn = ((try? builtInOverlays()) ?? []).first { $0.id == overlay.id }
        if let builtIn, builtIn.digest != overlay.digest {
            found.append(Diagnostic(at: nil, path: FieldPath().appending("id"),
                                    "'\(overlay.id)' is the id of a built-in overlay; give a custom overlay an id of its own"))
        }
        if let today, let until = overlay.effective.until, until < today {
            found.append(Diagnostic(.warning, at: nil, path: FieldPath().appending("effective").appending("until"),
                                    "this overlay ended on \(until); it applies only to uses dated on or before that day"))
        }
        return found
    }
}

extension Condition {
    /// False when the condition is certainly false for every request: it demands two different
    /// values of one fact, a value outside the fact's domain, or elements of a collection that
    /// cannot exist. Tests this analysis cannot reason about count as satisfiable.
    var canHold: Bool {
        guard let terms = disjunctiveTerms(negated: false, limit: 512) else { return true }
        return terms.contains { term in term.isSatisfiable }
    }

    /// The condition as an OR of ANDs of constraints, or nil when that grows past `limit` terms.
    private func disjunctiveTerms(negated: Bool, limit: Int) -> [Term]? {
        switch self {
        case .always(let value):
            return value != negated ? [Term()] : []
        case .not(let inner):
            return inner.disjunctiveTerms(negated: !negated, limit: limit)
        case .all(let parts) where !negated, .any(let parts) where negated:
            var terms = [Term()]
            for part in parts {
                guard let partTerms = part.disjunctiveTerms(negated: negated, limit: limit) else { return nil }
                var next: [Term] = []
                for left in terms {
                    for right in partTerms { next.append(left.merged(with: right)) }
                }
                guard next.count <= limit else { return nil }
                terms = next
            }
            return terms
        case .all(let parts), .any(let parts):
            var terms: [Term] = []
            for part in parts {
                guard let partTerms = part.disjunctiveTerms(negated: negated, limit: limit) else { return nil }
                terms += partTerms
                guard terms.count <= limit else { return nil }
            }
            return terms
        case .test(let fact, let comparison):
            guard let domain = fact.singleValueDomain, let allowed = comparison.values(in: domain) else { return [Term()] }
            let set = negated ? Set(domain).subtracting(allowed) : allowed
            return [Term(constraints: [fact: set])]
        case .quantified(let quantifier, let collection, let inner):
            // `some` (and `every` over the steps, which always exist) needs an element that meets the condition.
            let needsWitness = (quantifier == .some && !negated) || (quantifier == .every && collection == .steps && !negated)
                || (quantifier == .none && negated)
            guard needsWitness else { return [Term()] }
            return inner.canHold ? [Term()] : []
        }
    }

    /// One conjunction: for each single-valued fact, the values it may take.
    private struct Term {
        var constraints: [Fact: Set<String>] = [:]

        func merged(with other: Term) -> Term {
            var copy = self
            for (fact, values) in other.constraints {
                copy.constraints[fact] = copy.constraints[fact].map { $0.intersection(values) } ?? values
            }
            return copy
        }

        var isSatisfiable: Bool { constraints.values.allSatisfy { !$0.isEmpty } }
    }
}

extension Fact {
    /// The values a single-valued fact can take, for the never-fires analysis.
    var singleValueDomain: [String]? {
        switch self {
        case .realistic, .nonfiction, .toolKnown, .toolEnterprise, .toolTermsChecked, .talentHasConsent, .talentDeceased,
             .advertising, .toolOnPremises, .talentMinor, .talentScan:
            ["true", "false"]
        case .syntheticPerformer: SyntheticPerformer.allCases.map(\.rawValue)
        case .consentTermsSpecific, .consentTermsSeparately: TriState.allCases.map(\.rawValue)
        case .consentTermsRepresented: Representation.allCases.map(\.rawValue) + ["unknown"]
        case .department: Department.allCases.map(\.rawValue)
        case .purpose: Purpose.allCases.map(\.rawValue)
        case .destination: Destination.allCases.map(\.rawValue)
        case .prominence: Prominence.allCases.map(\.rawValue)
        case .unionWork: UnionWork.allCases.map(\.rawValue)
        case .stepTraining: Training.allCases.map(\.rawValue)
        case .stepModelOrigin: ModelOrigin.allCases.map(\.rawValue)
        case .toolTrainsOnInputs, .toolRetainsInputs: TriState.allCases.map(\.rawValue)
        case .talentUse: TalentUse.allCases.map(\.rawValue)
        case .talentException: ConsentException.allCases.map(\.rawValue)
        case .hitKind: ScreeningHit.Kind.allCases.map(\.rawValue)
        case .principle: Answer.allCases.map(\.rawValue)
        case .selfAnswer: Answer.allCases.map(\.rawValue) + ["none"]
        // A concern exists only because a check answered no or unsure.
        case .concernAnswer: [Answer.no.rawValue, Answer.unsure.rawValue]
        case .concernArea: Area.allCases.map(\.rawValue)
        default: nil
        }
    }
}

extension Comparison {
    /// The values of a single-valued fact that pass this comparison, or nil when it is not such a test.
    func values(in domain: [String]) -> Set<String>? {
        func key(_ value: FactValue) -> String? {
            switch value {
            case .bool(let flag): String(flag)
            case .symbol(let symbol): symbol
            default: nil
            }
        }
        switch self {
        case .equals(let value):
            return key(value).map { Set([$0]).intersection(domain) }
        case .oneOf(let values):
            let keys = values.compactMap(key)
            return keys.count == values.count ? Set(keys).intersection(domain) : nil
        default:
            return nil
        }
    }
}
