/// A fact about a request that a policy condition or message can read.
///
/// Facts are named in policies by dotted paths (`output.destination`, `step.tool.enterprise`).
/// Names are resolved once, when the policy loads, so evaluation never looks up strings.
public enum Fact: Sendable, Hashable {
    // The request as a whole.
    case title, production, department, purpose, media, destination, prominence, realistic, unionWork, nonfiction
    /// The territories the decision considers, expanded (`WORLD`, `US`).
    case territories
    case advertising, syntheticPerformer
    /// Every input kind of every step.
    case inputs
    /// The final answer to a principle, by its index in the policy. Readable in rules only.
    case principle(Int)
    /// The requester's own answer to a principle (`none` when not given).
    case selfAnswer(Int)
    // One step of the pipeline (in scope inside `for-each: step` or `some: steps`).
    case stepNumber, stepInputs, stepTraining, stepModelOrigin, stepPrompt
    case toolID, toolName, toolVendor, toolKnown, toolEnterprise, toolTrainsOnInputs, toolRetainsInputs, toolTermsChecked
    case toolOnPremises
    // One talent entry.
    case performer, talentUse, talentException, talentConsent, talentHasConsent, talentConsentProblem, talentDeceased
    case talentConsentOnRecord, talentMinor, talentScan
    case consentTermsSpecific, consentTermsSeparately, consentTermsRepresented
    // One prompt-screening hit.
    case hitKind, hitText, hitList
    // One principle concern: a check that answered no or unsure.
    case concernPrinciple, concernAnswer, concernArea, concernBecause

    /// The variable that must be bound to read this fact, or nil for a request-level fact.
    public var binding: Binding? {
        switch self {
        case .title, .production, .department, .purpose, .media, .destination, .prominence, .realistic,
             .unionWork, .nonfiction, .inputs, .principle, .selfAnswer, .territories, .advertising, .syntheticPerformer:
            nil
        case .stepNumber, .stepInputs, .stepTraining, .stepModelOrigin, .stepPrompt, .toolID, .toolName, .toolVendor,
             .toolKnown, .toolEnterprise, .toolTrainsOnInputs, .toolRetainsInputs, .toolTermsChecked, .toolOnPremises:
            .step
        case .performer, .talentUse, .talentException, .talentConsent, .talentHasConsent, .talentConsentProblem, .talentDeceased,
             .talentConsentOnRecord, .talentMinor, .talentScan, .consentTermsSpecific, .consentTermsSeparately, .consentTermsRepresented:
            .talent
        case .hitKind, .hitText, .hitList:
            .hit
        case .concernPrinciple, .concernAnswer, .concernArea, .concernBecause:
            .concern
        }
    }
}

/// A variable a quantifier or `for-each` binds: one element of a collection.
public enum Binding: String, Sendable, Hashable, CaseIterable {
    case step, talent, hit, concern
}

/// The type of a fact, with the closed set of values it can take where there is one.
public enum FactType: Sendable, Hashable {
    case bool
    case symbol([String])
    case symbols([String])
    case text
    case number

    var domain: [String]? {
        switch self {
        case .symbol(let values), .symbols(let values): values
        default: nil
        }
    }

    var name: String {
        switch self {
        case .bool: "true/false"
        case .symbol(let values): "one of " + values.joined(separator: "|")
        case .symbols(let values): "a list of " + values.joined(separator: "|")
        case .text: "text"
        case .number: "a number"
        }
    }
}

/// A collection a quantifier or `for-each` ranges over.
public enum Collection: String, Sendable, Hashable, CaseIterable {
    /// The steps of the pipeline; binds `step`.
    case steps
    /// The talent entries; binds `talent`.
    case talent
    /// Every prompt-screening hit of every step; binds `hit` and its `step`.
    case hits
    /// The hits of the step in scope; binds `hit`.
    case stepHits = "step.hits"
    /// The principle concerns (checks that answered no or unsure); binds `concern`. Rules only.
    case concerns

    /// The variables an element binds.
    var binds: [Binding] {
        switch self {
        case .steps: [.step]
        case .talent: [.talent]
        case .hits: [.hit, .step]
        case .stepHits: [.hit]
        case .concerns: [.concern]
        }
    }

    /// The variable that must already be bound to range over this collection.
    var requires: Binding? { self == .stepHits ? .step : nil }

    /// The collection a `for-each: <binding>` ranges over.
    static func forEach(_ binding: Binding) -> Collection {
        switch binding {
        case .step: .steps
        case .talent: .talent
        case .hit: .hits
        case .concern: .concerns
        }
    }
}

/// The catalogue of fact names a policy may use, with their types. It is the one list the loader,
/// the linter and `docs/policy-language.md` agree on.
public struct FactCatalog: Sendable {
    /// One named fact.
    public struct Entry: Sendable {
        public var name: String
        public var fact: Fact
        public var type: FactType
        public var summary: String
    }

    public let entries: [Entry]
    private let byName: [String: Entry]

    init(principles: [String]) {
        func names<T: RawRepresentable & CaseIterable>(_: T.Type) -> [String] where T.RawValue == String {
            T.allCases.map(\.rawValue)
        }
        let answers = names(Answer.self)
        let triState = names(TriState.self)
        var entries: [Entry] = [
            .init(name: "title", fact: .title, type: .text, summary: "the request's title"),
            .init(name: "production", fact: .production, type: .text, summary: "the production slug, or empty"),
            .init(name: "department", fact: .department, type: .symbol(names(Department.self)), summary: "the filing department"),
            .init(name: "purpose", fact: .purpose, type: .symbol(names(Purpose.self)), summary: "what the material is for"),
            .init(name: "media", fact: .media, type: .symbols(names(Medium.self)), summary: "the kinds of media produced"),
            .init(name: "output.destination", fact: .destination, type: .symbol(names(Destination.self)), summary: "where the material ends up"),
            .init(name: "output.prominence", fact: .prominence, type: .symbol(names(Prominence.self)), summary: "how visible or story-relevant it is"),
            .init(name: "output.realistic", fact: .realistic, type: .bool, summary: "could an audience take it for real"),
            .init(name: "union-work", fact: .unionWork, type: .symbol(names(UnionWork.self)), summary: "effect on union-covered work"),
            .init(name: "nonfiction", fact: .nonfiction, type: .bool, summary: "the production is non-fiction"),
            .init(name: "inputs", fact: .inputs, type: .symbols(names(InputKind.self)), summary: "every input kind of every step"),
            .init(name: "territories", fact: .territories,
                  type: .symbols(Territory.allCases.filter { $0 != .world }.map(\.rawValue)),
                  summary: "where the work is made or released, expanded (WORLD is every code, US adds its states)"),
            .init(name: "output.advertising", fact: .advertising, type: .bool, summary: "for an ad, trailer or promo rather than the work"),
            .init(name: "synthetic-performer", fact: .syntheticPerformer, type: .symbol(names(SyntheticPerformer.self)),
                  summary: "a generated person recognisable as no real performer: none, background or featured"),
            .init(name: "step.number", fact: .stepNumber, type: .number, summary: "the step's position, from 1"),
            .init(name: "step.inputs", fact: .stepInputs, type: .symbols(names(InputKind.self)), summary: "what goes into the step's tool"),
            .init(name: "step.training", fact: .stepTraining, type: .symbol(names(Training.self)), summary: "whether a model is trained on the inputs"),
            .init(name: "step.model-origin", fact: .stepModelOrigin, type: .symbol(names(ModelOrigin.self)), summary: "where the model came from"),
            .init(name: "step.prompt", fact: .stepPrompt, type: .text, summary: "the step's prompt, or empty"),
            .init(name: "step.tool.id", fact: .toolID, type: .text, summary: "the tool's id"),
            .init(name: "step.tool.name", fact: .toolName, type: .text, summary: "the tool's name, or its id"),
            .init(name: "step.tool.vendor", fact: .toolVendor, type: .text, summary: "the tool's vendor, or empty"),
            .init(name: "step.tool.known", fact: .toolKnown, type: .bool, summary: "the tool is in the registry or written inline"),
            .init(name: "step.tool.enterprise", fact: .toolEnterprise, type: .bool, summary: "covered by an enterprise agreement (false when unknown)"),
            .init(name: "step.tool.trains-on-inputs", fact: .toolTrainsOnInputs, type: .symbol(triState), summary: "the tool trains on inputs"),
            .init(name: "step.tool.retains-inputs", fact: .toolRetainsInputs, type: .symbol(triState), summary: "the tool keeps inputs"),
            .init(name: "step.tool.terms-checked", fact: .toolTermsChecked, type: .bool, summary: "someone has recorded reading the terms"),
            .init(name: "step.tool.on-premises", fact: .toolOnPremises, type: .bool,
                  summary: "runs on machines the production or studio controls, sending nothing out"),
            .init(name: "talent.performer", fact: .performer, type: .text, summary: "the performer's name"),
            .init(name: "talent.use", fact: .talentUse, type: .symbol(names(TalentUse.self)), summary: "how the performer is used"),
            .init(name: "talent.exception", fact: .talentException, type: .symbol(names(ConsentException.self)), summary: "the consent exception claimed"),
            .init(name: "talent.consent", fact: .talentConsent, type: .text, summary: "the consent record id, or 'none'"),
            .init(name: "talent.has-consent", fact: .talentHasConsent, type: .bool, summary: "a consent record is named and, where records are checked, covers this use"),
            .init(name: "talent.consent-problem", fact: .talentConsentProblem, type: .text, summary: "why a named consent does not count, or empty"),
            .init(name: "talent.consent-on-record", fact: .talentConsentOnRecord, type: .bool,
                  summary: "the named consent is in the production's register, covers this use, was signed separately and notice was given"),
            .init(name: "talent.deceased", fact: .talentDeceased, type: .bool, summary: "the performer has died"),
            .init(name: "talent.minor", fact: .talentMinor, type: .bool, summary: "the performer is under 18 on the as-of day"),
            .init(name: "talent.scan", fact: .talentScan, type: .bool, summary: "a new scan or capture session of the performer is part of the use"),
            .init(name: "talent.consent-terms.specific-description", fact: .consentTermsSpecific, type: .symbol(triState),
                  summary: "the consent describes the intended uses reasonably specifically"),
            .init(name: "talent.consent-terms.separately-signed", fact: .consentTermsSeparately, type: .symbol(triState),
                  summary: "the replica licence terms were signed or initialled separately"),
            .init(name: "talent.consent-terms.represented", fact: .consentTermsRepresented,
                  type: .symbol(names(Representation.self) + ["unknown"]),
                  summary: "who negotiated the consent for the performer: counsel, union, none or unknown"),
            .init(name: "hit.kind", fact: .hitKind, type: .symbol(ScreeningHit.Kind.allCases.map(\.rawValue)), summary: "what the screening found"),
            .init(name: "hit.text", fact: .hitText, type: .text, summary: "the words of the prompt that matched"),
            .init(name: "hit.list", fact: .hitList, type: .text, summary: "the watch-list that matched, or empty"),
            .init(name: "concern.principle", fact: .concernPrinciple, type: .symbol(principles), summary: "the principle concerned"),
            .init(name: "concern.answer", fact: .concernAnswer, type: .symbol(answers), summary: "no or unsure"),
            .init(name: "concern.area", fact: .concernArea, type: .symbol(names(Area.self)), summary: "the approver area of the check"),
            .init(name: "concern.because", fact: .concernBecause, type: .text, summary: "the check's explanation"),
        ]
        for (index, id) in principles.enumerated() {
            entries.append(.init(name: "principles.\(id)", fact: .principle(index), type: .symbol(answers),
                                 summary: "the final answer to \(id) (rules only)"))
            entries.append(.init(name: "answers.\(id)", fact: .selfAnswer(index), type: .symbol(answers + ["none"]),
                                 summary: "the requester's own answer to \(id), or none"))
        }
        self.entries = entries
        self.byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> Entry? { byName[name] }

    /// Every name, for suggestions in errors.
    var names: Set<String> { Set(byName.keys) }
}
