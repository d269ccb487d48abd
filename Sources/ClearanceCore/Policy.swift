/// A studio's GenAI policy: principles, rules and prompt screening, loaded from YAML.
///
/// A policy is data. Studios change rules, watch-lists and wording by editing the file; the
/// engine reads it at run time and needs no rebuild.
public struct Policy: Sendable {
    public static let formatTag = "clearance/policy@1"

    public var id: String
    public var version: String
    public var title: String
    public var source: String?
    public var principles: [Principle]
    public var outcomes: [Outcome: OutcomeText]
    public var rules: [PolicyRule]
    public var screening: ScreeningLists
    /// The explanation given when a requester's own answer is worse than the derived one; `{concern.answer}` is filled in.
    public var selfAssessedBecause: MessageTemplate
    /// Tool records the embedded tests are judged with.
    public var testTools: [ToolRecord]
    public var tests: [PolicyTestCase]
    /// SHA-256 over the canonical form of the whole document.
    public var digest: String
    /// A studio's own rulebook, or an overlay laid over it (rulebooks.md §1).
    public var kind: RulebookKind = .studio
    /// An overlay's one line on what `applies-when` covers.
    public var scope: String? = nil
    /// When an overlay covers a request; nil means always.
    public var appliesWhen: Condition? = nil
    /// The days an overlay is in force, both ends inclusive; either may be open.
    public var effective: Effective = Effective()

    public var principleIDs: [String] { principles.map(\.id) }

    /// The outcome wording, with a plain fallback so an incomplete policy still reads.
    public func text(for outcome: Outcome) -> OutcomeText {
        outcomes[outcome] ?? OutcomeText(headline: outcome.rawValue, actions: [])
    }
}

/// The days a rulebook is in force: `from` and `until` inclusive, either open.
public struct Effective: Sendable, Hashable {
    public var from: Day?
    public var until: Day?

    public init(from: Day? = nil, until: Day? = nil) {
        self.from = from
        self.until = until
    }

    /// Which end of the period `day` falls outside, with that end's day.
    public enum Outside: Sendable, Hashable {
        case before(Day)
        case after(Day)
    }

    /// Where `day` falls outside the period, or nil when the rulebook is in force on it.
    public func outside(on day: Day) -> Outside? {
        if let from, day < from { return .before(from) }
        if let until, day > until { return .after(until) }
        return nil
    }

    /// Why the rulebook is not in force on `day`, as a decision says it, or nil when it is.
    public func whyNot(on day: Day) -> (whyNot: String, because: String)? {
        switch outside(on: day) {
        case .before(let from): ("before-effective", "effective from \(from); as-of \(day)")
        case .after(let until): ("after-effective", "effective until \(until); as-of \(day)")
        case nil: nil
        }
    }
}

/// Something a fired rule obliges the production to do and later show as done.
public struct ObligationTemplate: Sendable {
    /// A slug, unique within the rule; the decision prefixes the rulebook and suffixes the element.
    public var id: String
    public var kind: ObligationKind
    public var due: ObligationDue
    public var text: MessageTemplate
    /// Where it comes from; the rule's citation when the obligation names none.
    public var cite: String
}

/// One guiding principle, and how its answer is derived from the facts.
public struct Principle: Sendable {
    public var id: String
    public var title: String
    public var question: String
    /// Where a self-assessed doubt about this principle goes.
    public var area: Area
    public var cite: String
    /// Why the answer is yes when no check fires: a yes needs a basis.
    public var yesBecause: MessageTemplate
    public var checks: [PrincipleCheck]
}

/// A condition that lowers a principle's answer to `no` or `unsure`.
public struct PrincipleCheck: Sendable {
    public var answer: Answer
    public var forEach: Binding?
    public var when: Condition
    public var because: MessageTemplate
    public var area: Area
    var location: SourceLocation
}

/// The area a finding goes to: fixed, or read from a concern.
public enum AreaSource: Sendable, Hashable {
    case fixed(Area)
    case concernArea
}

/// One rule: when its condition holds, it adds a finding with an outcome, an area, a reason and actions.
public struct PolicyRule: Sendable {
    public var id: String
    public var outcome: Outcome
    public var area: AreaSource
    public var forEach: Binding?
    public var when: Condition
    public var reason: MessageTemplate
    public var cite: String
    public var actions: [MessageTemplate]
    /// When each action applies (same order as `actions`): an action written as
    /// `{text: …, when: …}` is given only when its condition also holds, so the next steps fit
    /// what is on record (a consent that covers the use, the request's media).
    public var actionConditions: [Condition] = []
    /// What the rule obliges when it fires.
    public var obligations: [ObligationTemplate] = []
    var location: SourceLocation
}

/// How the policy words an outcome: the summary's opening and the actions every such decision carries.
public struct OutcomeText: Sendable {
    public var headline: String
    public var actions: [String]
}

/// The prompt-screening data: phrases, likeness features and watch-lists.
public struct ScreeningLists: Sendable {
    /// Phrases asking for someone's manner, such as "in the style of".
    public var mannerPhrases: [String]
    /// Words for likeness features, such as "nose", that a possessive name may precede.
    public var likenessFeatures: [String]
    /// Named lists of people, works and franchises to flag wherever they appear.
    public var watchLists: [WatchList]

    /// One named watch-list.
    public struct WatchList: Sendable {
        public var name: String
        public var entries: [String]
    }

    public init(mannerPhrases: [String] = [], likenessFeatures: [String] = [], watchLists: [WatchList] = []) {
        self.mannerPhrases = mannerPhrases
        self.likenessFeatures = likenessFeatures
        self.watchLists = watchLists
    }
}
