internal import Yams

extension Policy {
    /// The keys a policy document may have at its top level (the JSON Schema lists the same).
    public static let topLevelFields: Set<String> = [
        "format", "id", "version", "title", "source", "principles", "outcomes", "self-assessed-because",
        "definitions", "rules", "screening", "tools", "tests", "kind", "scope", "applies-when", "effective",
    ]
    /// Keys only an overlay may have, and keys only a studio rulebook may have (rulebooks.md §1).
    static let overlayOnlyFields = ["scope", "applies-when", "effective"]
    static let studioOnlyFields = ["outcomes", "screening", "self-assessed-because"]
    static let effectiveFields: Set<String> = ["from", "until"]
    static let obligationFields: Set<String> = ["id", "kind", "due", "text", "cite"]
    static let principleFields: Set<String> = ["id", "title", "question", "area", "cite", "yes-because", "checks"]
    static let checkFields: Set<String> = ["answer", "for-each", "when", "because", "area"]
    static let outcomeFields: Set<String> = ["headline", "actions"]
    static let ruleFields: Set<String> = ["id", "outcome", "area", "for-each", "when", "reason", "cite", "actions", "obligations"]
    static let screeningFields: Set<String> = ["manner-phrases", "likeness-features", "watch-lists"]
    static let watchListFields: Set<String> = ["name", "entries"]
    static let testFields: Set<String> = ["name", "request", "expect"]
    static let expectFields: Set<String> = ["outcome", "fires", "quiet", "principles", "applies", "obligations"]
    /// The keys a condition mapping may use.
    static let conditionKeys: Set<String> = [
        "all", "any", "not", "ref", "fact", "is", "in", "has", "has-any", "empty", "some", "every", "none", "where",
    ]

    /// Loads and validates a policy written in YAML.
    /// - Throws: `DocumentError` with every error found, each with line, column and field path.
    public static func load(_ text: String, file: String = "<policy>") throws(DocumentError) -> Policy {
        let (policy, diagnostics) = examine(text, file: file)
        guard let policy, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw DocumentError(diagnostics.filter { $0.severity == .error })
        }
        return policy
    }

    /// Loads a policy and returns it (when it has no errors) with every diagnostic, warnings included.
    public static func examine(_ text: String, file: String = "<policy>") -> (Policy?, [Diagnostic]) {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else { return (nil, reader.diagnostics) }
        let loader = PolicyLoader(reader: reader)
        let policy = loader.load(root)
        return (reader.hasErrors ? nil : policy, reader.diagnostics)
    }
}

/// Reads a policy document into a compiled `Policy`: fact names resolved, values checked against
/// their fact's type, messages split into text and placeholders.
final class PolicyLoader {
    let reader: DocumentReader
    private var catalog = FactCatalog(principles: [])
    private var definitionNodes: [String: (node: Node, path: FieldPath)] = [:]
    private var usedDefinitions: Set<String> = []
    private var reportedDefinitionErrors: Set<String> = []
    /// Set while `applies-when` is compiled: it may read only request, step and talent facts.
    private var readingAppliesWhen = false

    init(reader: DocumentReader) {
        self.reader = reader
    }

    func load(_ root: Node) -> Policy? {
        let path = FieldPath.root
        // The kind decides which keys are required, so it is read first.
        var kind = RulebookKind.studio
        if case .mapping(let mapping) = root, let kindNode = mapping["kind"] {
            guard let read: RulebookKind = reader.choice(kindNode, path.appending("kind")) else { return nil }
            kind = read
        }
        let required = kind == .studio ? ["id", "version", "title", "principles", "outcomes", "rules"]
            : ["id", "version", "title", "source", "scope", "rules"]
        guard let fields = reader.mapping(root, path, allowed: Policy.topLevelFields, required: required) else { return nil }
        if let node = fields["format"], let tag = reader.text(node, path.appending("format")), tag != Policy.formatTag {
            reader.report(node, path.appending("format"), "unsupported format '\(tag)'; this version reads '\(Policy.formatTag)'")
        }
        let misplaced = kind == .studio ? Policy.overlayOnlyFields : Policy.studioOnlyFields
        for key in misplaced {
            guard let node = fields[key] else { continue }
            reader.report(node, path.appending(key), kind == .studio
                ? "'\(key)' belongs to an overlay; a studio rulebook has none (add 'kind: overlay' if this is one)"
                : "an overlay has no '\(key)': headlines, actions by outcome and prompt screening come from the studio rulebook")
        }
        let id = fields["id"].flatMap { UseRequest.readSlug($0, path.appending("id"), reader) }
        let version = fields["version"].flatMap { reader.text($0, path.appending("version"), maxLength: 100, nonEmpty: true) }
        let title = fields["title"].flatMap { reader.text($0, path.appending("title"), maxLength: 300, nonEmpty: true) }
        let source = fields["source"].flatMap { reader.text($0, path.appending("source")) }

        // Principles first: their ids name facts (`principles.P1`, `answers.P1`).
        var principleIDs: [String] = []
        var principleNodes: [(Node, FieldPath)] = []
        if let node = fields["principles"], let items = reader.sequence(node, path.appending("principles"), nonEmpty: kind == .studio) {
            for (index, item) in items.enumerated() {
                let itemPath = path.appending("principles").appending(index)
                principleNodes.append((item, itemPath))
                if case .mapping(let mapping) = item, let idNode = mapping["id"], let value = idNode.string {
                    if principleIDs.contains(value) {
                        reader.report(idNode, itemPath.appending("id"), "duplicate principle id '\(value)'")
                    }
                    principleIDs.append(value)
                }
            }
        }
        catalog = FactCatalog(principles: principleIDs)

        readDefinitions(fields["definitions"], path.appending("definitions"))

        let principles = principleNodes.compactMap { readPrinciple($0.0, $0.1) }
        let outcomes = kind == .overlay ? [:] : fields["outcomes"].flatMap { readOutcomes($0, path.appending("outcomes")) }
        let scope = fields["scope"].flatMap { reader.text($0, path.appending("scope"), maxLength: 300, nonEmpty: true) }
        var appliesWhen: Condition?
        if let node = fields["applies-when"] {
            readingAppliesWhen = true
            appliesWhen = condition(node, path.appending("applies-when"), bound: [], inRule: false)
            readingAppliesWhen = false
        }
        let effective = fields["effective"].flatMap { readEffective($0, path.appending("effective")) } ?? Effective()
        var selfAssessed: MessageTemplate? = MessageTemplate(
            segments: [.literal("the requester answered "), .fact(.concernAnswer)], source: "the requester answered {concern.answer}")
        if let node = fields["self-assessed-because"] {
            selfAssessed = template(node, path.appending("self-assessed-because"), bound: [.concern], inRule: false)
        }

        var rules: [PolicyRule] = []
        if let node = fields["rules"], let items = reader.sequence(node, path.appending("rules"), nonEmpty: true) {
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                guard let rule = readRule(item, path.appending("rules").appending(index)) else { continue }
                if !seen.insert(rule.id).inserted {
                    reader.report(at: rule.location, path: path.appending("rules").appending(index).appending("id"),
                                  "duplicate rule id '\(rule.id)'")
                }
                rules.append(rule)
            }
        }
        let screening = fields["screening"].flatMap { readScreening($0, path.appending("screening")) } ?? ScreeningLists()
        let tools = fields["tools"].flatMap { ToolRecord.readList($0, path.appending("tools"), reader) } ?? []
        let tests = fields["tests"].flatMap { readTests($0, path.appending("tests"), ruleIDs: Set(rules.map(\.id)),
                                                       principleIDs: Set(principleIDs)) } ?? []

        for (name, entry) in definitionNodes.sorted(by: { $0.key < $1.key }) where !usedDefinitions.contains(name) {
            reader.report(.warning, entry.node, entry.path, "definition '\(name)' is never used")
        }

        guard let id, let version, let title, let outcomes, let selfAssessed else { return nil }
        var policy = Policy(id: id, version: version, title: title, source: source, principles: principles, outcomes: outcomes,
                            rules: rules, screening: screening, selfAssessedBecause: selfAssessed, testTools: tools, tests: tests,
                            digest: CanonicalDigest.of(JSONValue(node: root)))
        policy.kind = kind
        policy.scope = scope
        policy.appliesWhen = appliesWhen
        policy.effective = effective
        return policy
    }

    /// `effective: {from: DATE, until: DATE}`, either end optional, `from` not after `until`.
    private func readEffective(_ node: Node, _ path: FieldPath) -> Effective? {
        guard let fields = reader.mapping(node, path, allowed: Policy.effectiveFields, refusingNulls: true) else { return nil }
        let from = fields["from"].map { UseRequest.readDay($0, path.appending("from"), reader) }
        let until = fields["until"].map { UseRequest.readDay($0, path.appending("until"), reader) }
        if case .some(nil) = from { return nil }
        if case .some(nil) = until { return nil }
        let effective = Effective(from: from ?? nil, until: until ?? nil)
        if let start = effective.from, let end = effective.until, start > end, let untilNode = fields["until"] {
            reader.report(untilNode, path.appending("until"), "'until' (\(end)) is before 'from' (\(start))")
            return nil
        }
        return effective
    }

    /// A rule's `obligations`: each with a slug id (unique within the rule), a kind, a due point and a text.
    private func readObligations(_ node: Node, _ path: FieldPath, bound: Set<Binding>, ruleCite: String?) -> [ObligationTemplate]? {
        guard let items = reader.sequence(node, path) else { return nil }
        var seen: Set<String> = []
        var read: [ObligationTemplate] = []
        var failed = false
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index)
            guard let fields = reader.mapping(item, itemPath, allowed: Policy.obligationFields,
                                              required: ["id", "kind", "due", "text"], refusingNulls: true) else {
                failed = true
                continue
            }
            let id = fields["id"].flatMap { UseRequest.readSlug($0, itemPath.appending("id"), reader) }
            if let id, let idNode = fields["id"], !seen.insert(id).inserted {
                reader.report(idNode, itemPath.appending("id"), "obligation '\(id)' is listed twice in this rule")
            }
            let kind: ObligationKind? = fields["kind"].flatMap { reader.choice($0, itemPath.appending("kind")) }
            let due: ObligationDue? = fields["due"].flatMap { reader.choice($0, itemPath.appending("due")) }
            let text = fields["text"].flatMap { template($0, itemPath.appending("text"), bound: bound, inRule: true) }
            let cite = fields["cite"].map { reader.text($0, itemPath.appending("cite"), nonEmpty: true) } ?? ruleCite
            guard let id, let kind, let due, let text, let cite else {
                failed = true
                continue
            }
            read.append(ObligationTemplate(id: id, kind: kind, due: due, text: text, cite: cite))
        }
        return failed ? nil : read
    }

    // MARK: Sections

    private func readPrinciple(_ node: Node, _ path: FieldPath) -> Principle? {
        guard let fields = reader.mapping(node, path, allowed: Policy.principleFields,
                                          required: ["id", "title", "question", "area", "cite", "yes-because"]) else { return nil }
        let id = fields["id"].flatMap { readIdentifier($0, path.appending("id")) }
        let title = fields["title"].flatMap { reader.text($0, path.appending("title"), nonEmpty: true) }
        let question = fields["question"].flatMap { reader.text($0, path.appending("question"), nonEmpty: true) }
        let area: Area? = fields["area"].flatMap { reader.choice($0, path.appending("area")) }
        let cite = fields["cite"].flatMap { reader.text($0, path.appending("cite"), nonEmpty: true) }
        let yesBecause = fields["yes-because"].flatMap { template($0, path.appending("yes-because"), bound: [], inRule: false) }
        var checks: [PrincipleCheck] = []
        if let checksNode = fields["checks"], let items = reader.sequence(checksNode, path.appending("checks")) {
            for (index, item) in items.enumerated() {
                if let check = readCheck(item, path.appending("checks").appending(index), principleArea: area ?? .creative) {
                    checks.append(check)
                }
            }
        }
        guard let id, let title, let question, let area, let cite, let yesBecause else { return nil }
        return Principle(id: id, title: title, question: question, area: area, cite: cite, yesBecause: yesBecause, checks: checks)
    }

    private func readCheck(_ node: Node, _ path: FieldPath, principleArea: Area) -> PrincipleCheck? {
        guard let fields = reader.mapping(node, path, allowed: Policy.checkFields, required: ["answer", "because"]) else { return nil }
        let answer: Answer? = fields["answer"].flatMap { reader.choice($0, path.appending("answer")) }
        if answer == .yes, let answerNode = fields["answer"] {
            reader.report(answerNode, path.appending("answer"), "a check lowers an answer: use no or unsure")
        }
        let forEach = readForEach(fields["for-each"], path.appending("for-each"), allowConcern: false)
        let bound = forEach.flatMap { $0 }.map { Set(Collection.forEach($0).binds) } ?? []
        let when = fields["when"].map { condition($0, path.appending("when"), bound: bound, inRule: false) } ?? .always(true)
        let because = fields["because"].flatMap { template($0, path.appending("because"), bound: bound, inRule: false) }
        let area: Area? = fields["area"].map { reader.choice($0, path.appending("area")) } ?? principleArea
        guard let answer, answer != .yes, let forEach, let when, let because, let area else { return nil }
        return PrincipleCheck(answer: answer, forEach: forEach, when: when, because: because, area: area,
                              location: reader.location(of: node))
    }

    private func readOutcomes(_ node: Node, _ path: FieldPath) -> [Outcome: OutcomeText]? {
        guard let fields = reader.mapping(node, path, allowed: Set(Outcome.allCases.map(\.rawValue)),
                                          required: Outcome.allCases.map(\.rawValue)) else { return nil }
        var outcomes: [Outcome: OutcomeText] = [:]
        for outcome in Outcome.allCases {
            let itemPath = path.appending(outcome.rawValue)
            guard let itemNode = fields[outcome.rawValue],
                  let item = reader.mapping(itemNode, itemPath, allowed: Policy.outcomeFields, required: ["headline"]) else { continue }
            let headline = item["headline"].flatMap { reader.text($0, itemPath.appending("headline"), nonEmpty: true) }
            let actions = item["actions"].map { texts($0, itemPath.appending("actions")) } ?? []
            if let headline, let actions { outcomes[outcome] = OutcomeText(headline: headline, actions: actions) }
        }
        return outcomes.count == Outcome.allCases.count ? outcomes : nil
    }

    private func readRule(_ node: Node, _ path: FieldPath) -> PolicyRule? {
        guard let fields = reader.mapping(node, path, allowed: Policy.ruleFields,
                                          required: ["id", "outcome", "area", "reason", "cite"]) else { return nil }
        let id = fields["id"].flatMap { readIdentifier($0, path.appending("id")) }
        let outcome: Outcome? = fields["outcome"].flatMap { reader.choice($0, path.appending("outcome")) }
        let forEach = readForEach(fields["for-each"], path.appending("for-each"), allowConcern: true)
        let bound = forEach.flatMap { $0 }.map { Set(Collection.forEach($0).binds) } ?? []
        var area: AreaSource?
        if let areaNode = fields["area"], let text = reader.text(areaNode, path.appending("area")) {
            if text == "{concern.area}" {
                if bound.contains(.concern) {
                    area = .concernArea
                } else {
                    reader.report(areaNode, path.appending("area"), "'{concern.area}' needs 'for-each: concern'")
                }
            } else {
                let choice: Area? = reader.choice(areaNode, path.appending("area"))
                area = choice.map { .fixed($0) }
            }
        }
        let when = fields["when"].map { condition($0, path.appending("when"), bound: bound, inRule: true) } ?? .always(true)
        let reason = fields["reason"].flatMap { template($0, path.appending("reason"), bound: bound, inRule: true) }
        let cite = fields["cite"].flatMap { reader.text($0, path.appending("cite"), nonEmpty: true) }
        var actions: [MessageTemplate]? = []
        var actionConditions: [Condition] = []
        if let actionsNode = fields["actions"], let items = reader.sequence(actionsNode, path.appending("actions")) {
            let read = items.enumerated().map { index, item -> (MessageTemplate, Condition)? in
                let itemPath = path.appending("actions").appending(index)
                // An action is a message, or `{text: message, when: condition}` for one that
                // applies only when its condition also holds.
                guard case .mapping = item else {
                    return template(item, itemPath, bound: bound, inRule: true).map { ($0, Condition.always(true)) }
                }
                guard let parts = reader.mapping(item, itemPath, allowed: ["text", "when"], required: ["text", "when"]) else { return nil }
                let text = parts["text"].flatMap { template($0, itemPath.appending("text"), bound: bound, inRule: true) }
                let applies = parts["when"].flatMap { condition($0, itemPath.appending("when"), bound: bound, inRule: true) }
                guard let text, let applies else { return nil }
                return (text, applies)
            }
            actions = read.contains { $0 == nil } ? nil : read.compactMap { $0?.0 }
            actionConditions = read.compactMap { $0?.1 }
        }
        let obligations = fields["obligations"].map { readObligations($0, path.appending("obligations"), bound: bound, ruleCite: cite) } ?? []
        guard let id, let outcome, let forEach, let area, let when, let reason, let cite, let actions, let obligations else { return nil }
        return PolicyRule(id: id, outcome: outcome, area: area, forEach: forEach, when: when, reason: reason, cite: cite,
                          actions: actions, actionConditions: actionConditions, obligations: obligations,
                          location: reader.location(of: node))
    }

    /// `for-each: step|talent|hit|concern`. Returns `.some(nil)` when absent, nil on error.
    private func readForEach(_ node: Node?, _ path: FieldPath, allowConcern: Bool) -> Binding?? {
        guard let node else { return .some(nil) }
        guard let binding: Binding = reader.choice(node, path) else { return nil }
        if binding == .concern && !allowConcern {
            reader.report(node, path, "principle checks cannot range over concerns: concerns are what checks produce")
            return nil
        }
        return .some(binding)
    }

    private func readScreening(_ node: Node, _ path: FieldPath) -> ScreeningLists? {
        guard let fields = reader.mapping(node, path, allowed: Policy.screeningFields) else { return nil }
        let phrases = fields["manner-phrases"].map { texts($0, path.appending("manner-phrases")) } ?? []
        let features = fields["likeness-features"].map { texts($0, path.appending("likeness-features")) } ?? []
        var lists: [ScreeningLists.WatchList] = []
        if let listsNode = fields["watch-lists"], let items = reader.sequence(listsNode, path.appending("watch-lists")) {
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                let itemPath = path.appending("watch-lists").appending(index)
                guard let list = reader.mapping(item, itemPath, allowed: Policy.watchListFields, required: ["name", "entries"]),
                      let nameNode = list["name"], let name = readIdentifier(nameNode, itemPath.appending("name")),
                      let entriesNode = list["entries"], let entries = texts(entriesNode, itemPath.appending("entries")) else { continue }
                if !seen.insert(name).inserted {
                    reader.report(nameNode, itemPath.appending("name"), "duplicate watch-list name '\(name)'")
                }
                lists.append(.init(name: name, entries: entries))
            }
        }
        guard let phrases, let features else { return nil }
        return ScreeningLists(mannerPhrases: phrases, likenessFeatures: features, watchLists: lists)
    }

    private func readTests(_ node: Node, _ path: FieldPath, ruleIDs: Set<String>, principleIDs: Set<String>) -> [PolicyTestCase]? {
        guard let items = reader.sequence(node, path) else { return nil }
        var tests: [PolicyTestCase] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index)
            guard let fields = reader.mapping(item, itemPath, allowed: Policy.testFields, required: ["name", "request", "expect"]) else { continue }
            let name = fields["name"].flatMap { reader.text($0, itemPath.appending("name"), nonEmpty: true) }
            if let name, let nameNode = fields["name"], !seen.insert(name).inserted {
                reader.report(nameNode, itemPath.appending("name"), "duplicate test name '\(name)'")
            }
            let request = fields["request"].flatMap { requestNode in
                UseRequest.read(requestNode, reader: reader, principles: principleIDs, path: itemPath.appending("request"))
            }
            guard let expectNode = fields["expect"],
                  let expect = reader.mapping(expectNode, itemPath.appending("expect"), allowed: Policy.expectFields) else { continue }
            let expectPath = itemPath.appending("expect")
            let outcome: Outcome?? = expect["outcome"].map { reader.choice($0, expectPath.appending("outcome")) } ?? .some(nil)
            let fires = expect["fires"].map { ruleList($0, expectPath.appending("fires"), ruleIDs) } ?? []
            let quiet = expect["quiet"].map { ruleList($0, expectPath.appending("quiet"), ruleIDs) } ?? []
            var principles: [String: Answer]? = [:]
            if let answersNode = expect["principles"],
               let answers = reader.mapping(answersNode, expectPath.appending("principles"), allowed: principleIDs) {
                for key in answers.order {
                    guard let valueNode = answers[key] else { continue }
                    if let answer: Answer = reader.choice(valueNode, expectPath.appending("principles").appending(key)) {
                        principles?[key] = answer
                    } else {
                        principles = nil
                    }
                }
            }
            let applies: Bool?? = expect["applies"].map { reader.bool($0, expectPath.appending("applies")) } ?? .some(nil)
            let obligations = expect["obligations"].map { texts($0, expectPath.appending("obligations")) } ?? []
            if outcome == .some(nil), fires?.isEmpty ?? false, quiet?.isEmpty ?? false, principles?.isEmpty ?? false,
               applies == .some(nil), obligations?.isEmpty ?? false {
                reader.report(expectNode, expectPath, "a test must expect something: an outcome, rules that fire or stay quiet, "
                              + "principle answers, whether the rulebook applies, or obligations")
            }
            guard let name, let request, let outcome, let fires, let quiet, let principles, let applies, let obligations else { continue }
            var test = PolicyTestCase(name: name, request: request, outcome: outcome, fires: fires, quiet: quiet,
                                      principles: principles, location: reader.location(of: item))
            test.applies = applies
            test.obligations = obligations
            tests.append(test)
        }
        return tests
    }

    private func ruleList(_ node: Node, _ path: FieldPath, _ ruleIDs: Set<String>) -> [String]? {
        guard let items = texts(node, path) else { return nil }
        var ok = true
        if case .sequence(let sequence) = node {
            for (index, (item, id)) in zip(sequence, items).enumerated() where !ruleIDs.contains(id) {
                let suggestion = reader.closest(to: id, in: ruleIDs).map { "; did you mean '\($0)'?" } ?? ""
                reader.report(item, path.appending(index), "no rule has the id '\(id)'\(suggestion)")
                ok = false
            }
        }
        return ok ? items : nil
    }

    // MARK: Definitions and conditions

    private func readDefinitions(_ node: Node?, _ path: FieldPath) {
        guard let node else { return }
        guard case .mapping(let mapping) = node else {
            reader.report(node, path, "expected a mapping of names to conditions, found \(reader.describe(node))")
            return
        }
        for (keyNode, valueNode) in mapping {
            guard let name = keyNode.string, UseRequest.isSlug(name) else {
                reader.report(keyNode, path, "a definition name must be an id: lower-case letters, digits, '-', '_' or '.'")
                continue
            }
            definitionNodes[name] = (valueNode, path.appending(name))
        }
    }

    /// Compiles a condition. `bound` are the variables in scope; rule-only facts need `inRule`.
    func condition(_ node: Node, _ path: FieldPath, bound: Set<Binding>, inRule: Bool, refs: [String] = []) -> Condition? {
        guard case .mapping(let mapping) = node else {
            reader.report(node, path, "expected a condition (a mapping such as {fact: output.destination, is: final}), found \(reader.describe(node))")
            return nil
        }
        var keys: [String] = []
        for (keyNode, _) in mapping {
            guard let key = keyNode.string, Policy.conditionKeys.contains(key) else {
                let key = keyNode.string ?? ""
                let suggestion = reader.closest(to: key, in: Policy.conditionKeys).map { "; did you mean '\($0)'?" } ?? ""
                reader.report(keyNode, path.appending(key), "unknown condition key '\(key)'\(suggestion)")
                return nil
            }
            keys.append(key)
        }
        func value(_ key: String) -> Node? { mapping[key] }

        if keys.contains("fact") {
            return test(mapping, keys, path, bound: bound, inRule: inRule)
        }
        let shapes = keys.filter { ["all", "any", "not", "ref", "some", "every", "none"].contains($0) }
        guard shapes.count == 1, let shape = shapes.first else {
            reader.report(node, path, shapes.isEmpty
                ? "a condition needs one of all, any, not, ref, some, every, none or fact"
                : "a condition has one of \(shapes.joined(separator: ", ")), not several; wrap them in 'all' or 'any'")
            return nil
        }
        if shape != "some" && shape != "every" && shape != "none", keys.contains("where") {
            reader.report(node, path.appending("where"), "'where' goes with some, every or none")
            return nil
        }
        let extra = keys.filter { $0 != shape && $0 != "where" }
        if let first = extra.first {
            reader.report(node, path.appending(first), "'\(first)' cannot be used with '\(shape)'")
            return nil
        }
        guard let inner = value(shape) else { return nil }
        let innerPath = path.appending(shape)
        switch shape {
        case "all", "any":
            guard let items = reader.sequence(inner, innerPath, nonEmpty: true) else { return nil }
            let parts = items.enumerated().map { condition($1, innerPath.appending($0), bound: bound, inRule: inRule, refs: refs) }
            guard !parts.contains(where: { $0 == nil }) else { return nil }
            let compiled = parts.compactMap { $0 }
            return shape == "all" ? .all(compiled) : .any(compiled)
        case "not":
            return condition(inner, innerPath, bound: bound, inRule: inRule, refs: refs).map { .not($0) }
        case "ref":
            guard let name = reader.text(inner, innerPath, nonEmpty: true) else { return nil }
            guard let definition = definitionNodes[name] else {
                let suggestion = reader.closest(to: name, in: Set(definitionNodes.keys)).map { "; did you mean '\($0)'?" } ?? ""
                reader.report(inner, innerPath, "no definition named '\(name)'\(suggestion)")
                return nil
            }
            usedDefinitions.insert(name)
            if refs.contains(name) {
                reader.report(inner, innerPath, "definition '\(name)' refers to itself: " + (refs + [name]).joined(separator: " → "))
                return nil
            }
            // A definition is compiled where it is used, so its facts are checked against that scope.
            let errorsBefore = reader.diagnostics.count
            let compiled = condition(definition.node, definition.path, bound: bound, inRule: inRule, refs: refs + [name])
            if compiled == nil, reader.diagnostics.count > errorsBefore {
                reader.report(inner, innerPath, "definition '\(name)' cannot be used here (see the errors above)")
            }
            return compiled
        default:
            guard let quantifier = Quantifier(rawValue: shape), let collectionName = inner.string else {
                reader.report(inner, innerPath, "expected a collection: \(Collection.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            guard let collection = Collection(rawValue: collectionName) else {
                let suggestion = reader.closest(to: collectionName, in: Set(Collection.allCases.map(\.rawValue))).map { "; did you mean '\($0)'?" } ?? ""
                reader.report(inner, innerPath, "'\(collectionName)' is not a collection; use one of \(Collection.allCases.map(\.rawValue).joined(separator: ", "))\(suggestion)")
                return nil
            }
            if let required = collection.requires, !bound.contains(required) {
                reader.report(inner, innerPath, "'\(collectionName)' is only available where a \(required.rawValue) is in scope")
                return nil
            }
            if readingAppliesWhen, collection == .hits || collection == .stepHits || collection == .concerns {
                reader.report(inner, innerPath, "applies-when reads the request, its steps and its talent, not \(collectionName): "
                              + "screening hits and concerns are known only once the rules are judged")
                return nil
            }
            if collection == .concerns && !inRule {
                reader.report(inner, innerPath, "concerns can only be read in rules, after the principles are judged")
                return nil
            }
            let innerBound = bound.union(collection.binds)
            guard let whereNode = value("where") else { return .quantified(quantifier, collection, .always(true)) }
            return condition(whereNode, path.appending("where"), bound: innerBound, inRule: inRule, refs: refs)
                .map { .quantified(quantifier, collection, $0) }
        }
    }

    private func test(_ mapping: Node.Mapping, _ keys: [String], _ path: FieldPath, bound: Set<Binding>, inRule: Bool) -> Condition? {
        guard let factNode = mapping["fact"], let factName = reader.text(factNode, path.appending("fact"), nonEmpty: true),
              let entry = resolve(factName, factNode, path.appending("fact"), bound: bound, inRule: inRule) else { return nil }
        let operators = keys.filter { $0 != "fact" }
        guard operators.count == 1, let op = operators.first, let operand = mapping[op] else {
            reader.report(factNode, path, operators.isEmpty
                ? "a test needs one of is, in, has, has-any or empty"
                : "a test takes one of is, in, has, has-any or empty, not \(operators.joined(separator: " and "))")
            return nil
        }
        let operandPath = path.appending(op)
        let isList: Bool
        if case .symbols = entry.type { isList = true } else { isList = false }
        switch op {
        case "is", "in":
            guard !isList else {
                reader.report(operand, operandPath, "'\(factName)' is a list; test it with has or has-any")
                return nil
            }
            if op == "is" { return factValue(operand, operandPath, entry).map { .test(entry.fact, .equals($0)) } }
            guard let items = reader.sequence(operand, operandPath, nonEmpty: true) else { return nil }
            let values = items.enumerated().map { factValue($1, operandPath.appending($0), entry) }
            guard !values.contains(where: { $0 == nil }) else { return nil }
            return .test(entry.fact, .oneOf(values.compactMap { $0 }))
        case "has", "has-any":
            guard isList, let domain = entry.type.domain else {
                reader.report(operand, operandPath, "'\(factName)' is not a list; test it with is or in")
                return nil
            }
            if op == "has" { return member(operand, operandPath, domain).map { .test(entry.fact, .has($0)) } }
            guard let items = reader.sequence(operand, operandPath, nonEmpty: true) else { return nil }
            let values = items.enumerated().map { member($1, operandPath.appending($0), domain) }
            guard !values.contains(where: { $0 == nil }) else { return nil }
            return .test(entry.fact, .hasAny(values.compactMap { $0 }))
        case "empty":
            switch entry.type {
            case .symbols, .text: break
            default:
                reader.report(operand, operandPath, "'\(factName)' is \(entry.type.name); only lists and text can be empty")
                return nil
            }
            return reader.bool(operand, operandPath).map { .test(entry.fact, .empty($0)) }
        default:
            reader.report(operand, operandPath, "'\(op)' is not a test; use is, in, has, has-any or empty")
            return nil
        }
    }

    private func member(_ node: Node, _ path: FieldPath, _ domain: [String]) -> String? {
        guard let text = reader.text(node, path) else { return nil }
        guard domain.contains(text) else {
            let suggestion = reader.closest(to: text, in: Set(domain)).map { "; did you mean '\($0)'?" } ?? ""
            reader.report(node, path, "'\(text)' is not one of \(domain.joined(separator: "|"))\(suggestion)")
            return nil
        }
        return text
    }

    private func factValue(_ node: Node, _ path: FieldPath, _ entry: FactCatalog.Entry) -> FactValue? {
        switch entry.type {
        case .bool:
            return reader.bool(node, path).map { .bool($0) }
        case .symbol(let domain):
            // YAML reads an unquoted no/yes as text here, so `is: no` means the answer "no".
            return member(node, path, domain).map { .symbol($0) }
        case .symbols:
            return nil
        case .text:
            return reader.text(node, path).map { .text($0) }
        case .number:
            guard let number = node.int else {
                reader.report(node, path, "expected a whole number, found \(reader.describe(node))")
                return nil
            }
            return .number(number)
        }
    }

    /// Looks up a fact name and checks it can be read where it is used.
    private func resolve(_ name: String, _ node: Node, _ path: FieldPath, bound: Set<Binding>, inRule: Bool) -> FactCatalog.Entry? {
        guard let entry = catalog[name] else {
            let suggestion = reader.closest(to: name, in: catalog.names).map { "; did you mean '\($0)'?" } ?? ""
            reader.report(node, path, "unknown fact '\(name)'\(suggestion)")
            return nil
        }
        if readingAppliesWhen {
            var late = entry.fact.binding == .hit || entry.fact.binding == .concern
            if case .principle = entry.fact { late = true }
            if late {
                reader.report(node, path, "applies-when cannot read '\(name)': it reads request, step and talent facts only")
                return nil
            }
        }
        if let binding = entry.fact.binding, !bound.contains(binding) {
            let ways = binding == .concern ? "'for-each: concern'"
                : "'for-each: \(binding.rawValue)' or a quantifier such as {some: \(Collection.forEach(binding).rawValue), where: …}"
            reader.report(node, path, "'\(name)' needs a \(binding.rawValue) in scope: use it inside \(ways)")
            return nil
        }
        if case .principle = entry.fact, !inRule {
            reader.report(node, path, "'\(name)' is the principle's final answer, known only once every principle is judged: use it in rules")
            return nil
        }
        return entry
    }

    /// Compiles a message with `{fact}` placeholders.
    func template(_ node: Node, _ path: FieldPath, bound: Set<Binding>, inRule: Bool) -> MessageTemplate? {
        guard let text = reader.text(node, path, nonEmpty: true) else { return nil }
        var segments: [MessageTemplate.Segment] = []
        var literal = ""
        var rest = Substring(text)
        var failed = false
        while let open = rest.firstIndex(of: "{") {
            literal += rest[rest.startIndex..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                reader.report(node, path, "a '{' has no closing '}'")
                return nil
            }
            let name = String(rest[rest.index(after: open)..<close]).trimmingSpaces
            if let entry = resolve(name, node, path, bound: bound, inRule: inRule) {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                segments.append(.fact(entry.fact))
            } else {
                failed = true
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { segments.append(.literal(literal)) }
        return failed ? nil : MessageTemplate(segments: segments, source: text)
    }

    // MARK: Small readers

    private func texts(_ node: Node, _ path: FieldPath) -> [String]? {
        guard let items = reader.sequence(node, path) else { return nil }
        let values = items.enumerated().map { reader.text($1, path.appending($0), nonEmpty: true) }
        return values.contains { $0 == nil } ? nil : values.compactMap { $0 }
    }

    /// Principle, rule and list ids: letters, digits and '-' (principle ids such as `P1` may use capitals).
    private func readIdentifier(_ node: Node, _ path: FieldPath) -> String? {
        guard let value = reader.text(node, path, maxLength: 100, nonEmpty: true) else { return nil }
        let valid = value.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
            || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard valid else {
            reader.report(node, path, "'\(value)' is not a valid id: use letters, digits, '-' or '_'")
            return nil
        }
        return value
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
