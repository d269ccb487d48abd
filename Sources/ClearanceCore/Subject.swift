/// A request with everything the engine derives from it: resolved tools, screening hits, consent
/// problems and, once the principles are judged, their answers and concerns.
///
/// Fact values are computed here once per request, so conditions only compare.
struct Subject {
    let request: UseRequest
    let tools: [ToolRecord]
    let toolKnown: [Bool]
    let stepInputs: [[String]]
    let inputs: [String]
    let media: [String]
    let hits: [ScreeningHit]
    let stepHits: [[Int]]
    let consentProblems: [String?]
    /// Per talent entry: its named consent is on record, covers the use, was signed separately
    /// and notice was given (only where a register is checked).
    let consentOnRecord: [Bool]
    /// Per talent entry: the terms of its consent, from the register where the consent is on
    /// record there, else as the request states them; a term neither says is nil (unknown).
    let consentTerms: [KnownTerms]
    /// The territories the decision considers, expanded.
    var territories: [String] = []
    var principleAnswers: [Answer] = []
    var selfAnswers: [Answer?] = []
    var concerns: [Concern] = []

    init(request: UseRequest, tools registry: ToolRegistry, screener: PromptScreener,
         principleIDs: [String], consentCheck: ConsentCheck?, consentTerms: ConsentTerms? = nil) {
        self.request = request
        var tools: [ToolRecord] = []
        var known: [Bool] = []
        var stepInputs: [[String]] = []
        var inputs: [String] = []
        var hits: [ScreeningHit] = []
        var stepHits: [[Int]] = []
        tools.reserveCapacity(request.steps.count)
        for (index, step) in request.steps.enumerated() {
            switch step.tool {
            case .inline(let record):
                tools.append(record)
                known.append(true)
            case .registered(let id):
                if let record = registry[id] {
                    tools.append(record)
                    known.append(true)
                } else {
                    tools.append(.unknown(id: id))
                    known.append(false)
                }
            }
            let kinds = step.inputs.map { $0.rawValue }
            stepInputs.append(kinds)
            for kind in kinds where !inputs.contains(kind) { inputs.append(kind) }
            var mine: [Int] = []
            if let prompt = step.prompt {
                for hit in screener.screen(prompt, step: index) {
                    mine.append(hits.count)
                    hits.append(hit)
                }
            }
            stepHits.append(mine)
        }
        self.tools = tools
        self.toolKnown = known
        self.stepInputs = stepInputs
        self.inputs = inputs
        self.media = request.media.map { $0.rawValue }
        self.hits = hits
        self.stepHits = stepHits
        let problems: [String?] = request.talent.map { entry in
            guard entry.consent != nil else { return nil }
            return consentCheck?(entry)
        }
        self.consentProblems = problems
        let recorded = request.talent.map { entry in entry.consent == nil ? nil : consentTerms?(entry) }
        self.consentOnRecord = request.talent.indices.map { index in
            guard problems[index] == nil, let terms = recorded[index] else { return false }
            return terms.signedSeparately && terms.noticeGiven
        }
        // A consent in the register speaks for itself; the request's own terms count only for one that is not.
        self.consentTerms = request.talent.indices.map { index in
            if let terms = recorded[index] {
                return KnownTerms(specific: terms.specificDescription, represented: terms.represented, separately: terms.signedSeparately)
            }
            let given = request.talent[index].consentTerms
            return KnownTerms(specific: given?.specificDescription, represented: given?.represented, separately: given?.separatelySigned)
        }
        self.selfAnswers = principleIDs.map { request.answers[$0] }
    }

    /// The same request as an overlay sees it: the same steps, talent and screening hits, and
    /// only its own principles and concerns.
    func forRulebook(_ rulebook: Policy) -> Subject {
        var copy = self
        copy.principleAnswers = []
        copy.concerns = []
        copy.selfAnswers = rulebook.principleIDs.map { request.answers[$0] }
        return copy
    }

    /// The value of a fact in a scope. Facts whose variable is not bound read as missing.
    func value(of fact: Fact, in scope: Scope) -> FactValue {
        switch fact {
        case .title: return .text(request.title)
        case .production: return .text(request.production ?? "")
        case .department: return .symbol(request.department.rawValue)
        case .purpose: return .symbol(request.purpose.rawValue)
        case .media: return .symbols(media)
        case .destination: return .symbol(request.output.destination.rawValue)
        case .prominence: return .symbol(request.output.prominence.rawValue)
        case .realistic: return .bool(request.output.realistic)
        case .unionWork: return .symbol(request.unionWork.rawValue)
        case .nonfiction: return .bool(request.nonfiction)
        case .territories: return .symbols(territories)
        case .advertising: return .bool(request.output.advertising)
        case .syntheticPerformer: return .symbol(request.syntheticPerformer.rawValue)
        case .inputs: return .symbols(inputs)
        case .principle(let index):
            return index < principleAnswers.count ? .symbol(principleAnswers[index].rawValue) : .missing
        case .selfAnswer(let index):
            return .symbol(selfAnswers[index]?.rawValue ?? "none")
        default:
            break
        }
        if let step = scope.step {
            let tool = tools[step]
            switch fact {
            case .stepNumber: return .number(step + 1)
            case .stepInputs: return .symbols(stepInputs[step])
            case .stepTraining: return .symbol(request.steps[step].training.rawValue)
            case .stepModelOrigin: return .symbol(request.steps[step].modelOrigin.rawValue)
            case .stepPrompt: return .text(request.steps[step].prompt ?? "")
            case .toolID: return .text(tool.id)
            case .toolName: return .text(tool.name ?? tool.id)
            case .toolVendor: return .text(tool.vendor ?? "")
            case .toolKnown: return .bool(toolKnown[step])
            case .toolEnterprise: return .bool(tool.enterprise)
            case .toolTrainsOnInputs: return .symbol(tool.trainsOnInputs.rawValue)
            case .toolRetainsInputs: return .symbol(tool.retainsInputs.rawValue)
            case .toolTermsChecked: return .bool(tool.termsChecked != nil)
            case .toolOnPremises: return .bool(tool.onPremises)
            default: break
            }
        }
        if let talent = scope.talent {
            let entry = request.talent[talent]
            switch fact {
            case .performer: return .text(entry.performer)
            case .talentUse: return .symbol(entry.use.rawValue)
            case .talentException: return .symbol(entry.exception.rawValue)
            case .talentConsent: return .text(entry.consent ?? "none")
            case .talentHasConsent: return .bool(entry.consent != nil && consentProblems[talent] == nil)
            case .talentConsentProblem: return .text(consentProblems[talent] ?? "")
            case .talentConsentOnRecord: return .bool(consentOnRecord[talent])
            case .talentDeceased: return .bool(entry.deceased)
            case .talentMinor: return .bool(entry.minor)
            case .talentScan: return .bool(entry.scan)
            case .consentTermsSpecific: return .symbol(consentTerms[talent].specific.map { $0 ? "yes" : "no" } ?? "unknown")
            case .consentTermsSeparately: return .symbol(consentTerms[talent].separately.map { $0 ? "yes" : "no" } ?? "unknown")
            case .consentTermsRepresented: return .symbol(consentTerms[talent].represented?.rawValue ?? "unknown")
            default: break
            }
        }
        if let hit = scope.hit {
            let found = hits[hit]
            switch fact {
            case .hitKind: return .symbol(found.kind.rawValue)
            case .hitText: return .text(found.text)
            case .hitList: return .text(found.list ?? "")
            default: break
            }
        }
        if let concern = scope.concern {
            let found = concerns[concern]
            switch fact {
            case .concernPrinciple: return .symbol(found.principleID)
            case .concernAnswer: return .symbol(found.answer.rawValue)
            case .concernArea: return .symbol(found.area.rawValue)
            case .concernBecause: return .text(found.because)
            default: break
            }
        }
        return .missing
    }

    /// Whether some element of a collection passes `test`, stopping at the first; no arrays are built.
    func firstElement(of collection: Collection, in scope: Scope, where test: (Scope) -> Bool) -> Bool {
        switch collection {
        case .steps:
            for index in request.steps.indices where test(scope.binding(step: index)) { return true }
        case .talent:
            for index in request.talent.indices where test(scope.binding(talent: index)) { return true }
        case .hits:
            for index in hits.indices where test(scope.binding(hit: index, step: hits[index].step)) { return true }
        case .stepHits:
            guard let step = scope.step else { return false }
            for index in stepHits[step] where test(scope.binding(hit: index, step: step)) { return true }
        case .concerns:
            for index in concerns.indices where test(scope.binding(concern: index)) { return true }
        }
        return false
    }

    /// Calls `body` once per element a `for-each` ranges over, or once for the request when there is none.
    func forEachScope(_ binding: Binding?, _ body: (Scope) -> Void) {
        guard let binding else {
            body(.request)
            return
        }
        _ = firstElement(of: Collection.forEach(binding), in: .request) { scope in
            body(scope)
            return false
        }
    }
}

/// Checks that a named consent record covers a talent use; returns why not, or nil when it does.
///
/// `clearance check` has no consent register and passes none, so a named consent counts as given.
public typealias ConsentCheck = @Sendable (UseRequest.TalentEntry) -> String?

/// The terms of the consent record a talent entry names, where a register is checked; nil when
/// the consent is not in the register.
public typealias ConsentTerms = @Sendable (UseRequest.TalentEntry) -> RecordedConsentTerms?

/// What a consent record in the register says of its terms.
public struct RecordedConsentTerms: Sendable, Hashable {
    /// Signed separately from other terms.
    public var signedSeparately: Bool
    /// The performer was given notice (the notice day has come).
    public var noticeGiven: Bool
    /// It describes the intended uses reasonably specifically; nil when the record does not say.
    public var specificDescription: Bool?
    /// Who negotiated it for the performer; nil when the record does not say.
    public var represented: Representation?

    public init(signedSeparately: Bool, noticeGiven: Bool, specificDescription: Bool? = nil, represented: Representation? = nil) {
        self.signedSeparately = signedSeparately
        self.noticeGiven = noticeGiven
        self.specificDescription = specificDescription
        self.represented = represented
    }
}

/// What is known of a talent entry's consent terms; nil is unknown.
struct KnownTerms {
    var specific: Bool?
    var represented: Representation?
    var separately: Bool?
}

/// A principle check that answered no or unsure.
struct Concern {
    var principle: Int
    var principleID: String
    var answer: Answer
    var area: Area
    var because: String
    /// The step the check was about, from 0.
    var step: Int?
}

/// Which element of each collection a condition is looking at.
struct Scope {
    var step: Int?
    var talent: Int?
    var hit: Int?
    var concern: Int?

    static let request = Scope()

    func binding(step: Int) -> Scope { var copy = self; copy.step = step; return copy }
    func binding(talent: Int) -> Scope { var copy = self; copy.talent = talent; return copy }
    func binding(hit: Int, step: Int) -> Scope { var copy = self; copy.hit = hit; copy.step = step; return copy }
    func binding(concern: Int) -> Scope { var copy = self; copy.concern = concern; return copy }
}

extension Condition {
    /// Whether the condition holds for a subject in a scope.
    func holds(for subject: Subject, in scope: Scope) -> Bool {
        switch self {
        case .always(let value):
            return value
        case .all(let parts):
            for part in parts where !part.holds(for: subject, in: scope) { return false }
            return true
        case .any(let parts):
            for part in parts where part.holds(for: subject, in: scope) { return true }
            return false
        case .not(let inner):
            return !inner.holds(for: subject, in: scope)
        case .test(let fact, let comparison):
            return comparison.holds(for: subject.value(of: fact, in: scope))
        case .quantified(let quantifier, let collection, let inner):
            // `some` looks for a witness; `every` and `none` look for a counter-example.
            let wanted = quantifier != .every
            let found = subject.firstElement(of: collection, in: scope) { inner.holds(for: subject, in: $0) == wanted }
            return quantifier == .some ? found : !found
        }
    }
}

extension Comparison {
    func holds(for value: FactValue) -> Bool {
        switch self {
        case .equals(let expected):
            return value == expected
        case .oneOf(let expected):
            return expected.contains(value)
        case .has(let member):
            if case .symbols(let values) = value { return values.contains(member) }
            return false
        case .hasAny(let members):
            if case .symbols(let values) = value { return values.contains { members.contains($0) } }
            return false
        case .empty(let wanted):
            switch value {
            case .symbols(let values): return values.isEmpty == wanted
            case .text(let text): return text.isEmpty == wanted
            case .missing: return wanted
            default: return !wanted
            }
        }
    }
}

extension MessageTemplate {
    /// The message with its placeholders filled in from a scope. With `focus`, the condition that
    /// made the rule or check fire, a list fact names only the members the condition looked for
    /// ("unreleased footage", not "prompt, unreleased-footage"), in words.
    func render(for subject: Subject, in scope: Scope, focus: Condition? = nil) -> String {
        if segments.count == 1, case .literal(let text) = segments[0] { return text }
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let text): out += text
            case .fact(let fact):
                let value = subject.value(of: fact, in: scope)
                if case .symbols(let members) = value, let sought = focus?.soughtMembers(of: fact) {
                    let named = members.filter { sought.contains($0) }
                    if !named.isEmpty {
                        out += named.map { $0.replacingOccurrences(of: "-", with: " ") }.joined(separator: ", ")
                        continue
                    }
                }
                out += value.description
            }
        }
        return out
    }
}

extension Condition {
    /// The members a condition looks for in a list fact (`has`, `has-any`), outside any `not` and
    /// any quantifier; nil when it does not look for members of that fact.
    func soughtMembers(of fact: Fact) -> Set<String>? {
        switch self {
        case .always, .not, .quantified:
            return nil
        case .all(let parts), .any(let parts):
            let found = parts.compactMap { $0.soughtMembers(of: fact) }
            return found.isEmpty ? nil : found.reduce(into: Set<String>()) { $0.formUnion($1) }
        case .test(let tested, let comparison):
            guard tested == fact else { return nil }
            switch comparison {
            case .has(let member): return [member]
            case .hasAny(let members): return Set(members)
            case .equals, .oneOf, .empty: return nil
            }
        }
    }
}
