/// The closed vocabularies of the use request and tool record (request-format.md, format 1).

/// The department filing the use.
public enum Department: String, Sendable, CaseIterable, Hashable {
    case art, camera, costume, editorial, localization, marketing, music, post, sound, vfx, writing, other
}

/// What the generated material is for.
public enum Purpose: String, Sendable, CaseIterable, Hashable {
    case ideation, pitch, previz, temp, background
    case keyCreative = "key-creative"
    case vfx, talent, voice, localization, script, marketing, other
}

/// A kind of media the use produces.
public enum Medium: String, Sendable, CaseIterable, Hashable {
    case image, video, audio, text
    case threeD = "3d"
}

/// What goes into a tool.
public enum InputKind: String, Sendable, CaseIterable, Hashable {
    case prompt
    case ownWork = "own-work"
    case licensed
    case publicDomain = "public-domain"
    case productionMaterial = "production-material"
    case unreleasedFootage = "unreleased-footage"
    case contracts
    case personalData = "personal-data"
    case talentLikeness = "talent-likeness"
    case thirdParty = "third-party"
}

/// Whether a model is trained on a step's inputs.
public enum Training: String, Sendable, CaseIterable, Hashable {
    case none
    case fineTune = "fine-tune"
    case train
}

/// Where a step's model came from.
public enum ModelOrigin: String, Sendable, CaseIterable, Hashable {
    case vendor
    case thisProduction = "this-production"
    case otherProduction = "other-production"
}

/// Where the generated material ends up.
public enum Destination: String, Sendable, CaseIterable, Hashable {
    case `internal`, pitch, temp, final
}

/// How visible or story-relevant the generated material is.
public enum Prominence: String, Sendable, CaseIterable, Hashable {
    case none, incidental, prominent
    case keyCreative = "key-creative"
}

/// How a performer's likeness, voice or performance is used.
public enum TalentUse: String, Sendable, CaseIterable, Hashable {
    case replica, voice
    case reAge = "re-age"
    case visualADR = "visual-adr"
    case alteration
}

/// The consent exception a talent use claims, if any.
public enum ConsentException: String, Sendable, CaseIterable, Hashable {
    case none
    case asScripted = "as-scripted"
    case safety, unrecognizable
    case customaryPost = "customary-post"
    case permittedDubbing = "permitted-dubbing"
}

/// The effect of a use on work usually done by union members.
public enum UnionWork: String, Sendable, CaseIterable, Hashable {
    case none, assists, replaces, unsure
}

/// An answer to a guiding principle. Ordered worst first: `no` < `unsure` < `yes`.
public enum Answer: String, Sendable, CaseIterable, Hashable, Comparable {
    case no, unsure, yes

    private var rank: Int {
        switch self {
        case .no: 0
        case .unsure: 1
        case .yes: 2
        }
    }

    public static func < (lhs: Answer, rhs: Answer) -> Bool { lhs.rank < rhs.rank }
}

/// A tool fact that may not be known: `yes`, `no` or `unknown`.
public enum TriState: String, Sendable, CaseIterable, Hashable {
    case yes, no, unknown
}

/// The three triage outcomes, ordered: the highest that applies wins.
public enum Outcome: String, Sendable, CaseIterable, Hashable, Comparable, Codable {
    case socialize
    case escalate
    case approvalRequired = "approval-required"

    private var rank: Int {
        switch self {
        case .socialize: 0
        case .escalate: 1
        case .approvalRequired: 2
        }
    }

    public static func < (lhs: Outcome, rhs: Outcome) -> Bool { lhs.rank < rhs.rank }
}

/// The approver area an escalation goes to.
public enum Area: String, Sendable, CaseIterable, Hashable, Codable {
    case creative, legal, talent, data, ethics, labor
}

/// Where a production is made or released, as the rulebooks name places (rulebooks.md §5).
public enum Territory: String, Sendable, CaseIterable, Hashable, Codable {
    case eu = "EU", gb = "GB", us = "US", usCA = "US-CA", usNY = "US-NY", usTN = "US-TN", kr = "KR", cn = "CN", world = "WORLD"

    /// The place in words, for pages.
    public var name: String {
        switch self {
        case .eu: "European Union"
        case .gb: "United Kingdom"
        case .us: "United States (all states)"
        case .usCA: "California"
        case .usNY: "New York"
        case .usTN: "Tennessee"
        case .kr: "South Korea"
        case .cn: "China"
        case .world: "Worldwide"
        }
    }
}

extension Territory {
    /// The codes a list stands for once expanded (rulebooks.md §1): `WORLD` is every other code,
    /// `US` adds the three states the rulebooks name. `GB` is not in `EU`. First-seen order, no repeats.
    public static func expanded(_ territories: [Territory]) -> [Territory] {
        var out: [Territory] = []
        func add(_ territory: Territory) { if !out.contains(territory) { out.append(territory) } }
        for territory in territories {
            switch territory {
            case .world:
                for each in allCases where each != .world { add(each) }
            case .us:
                add(.us)
                add(.usCA)
                add(.usNY)
                add(.usTN)
            default:
                add(territory)
            }
        }
        return out
    }
}

/// A generated person recognisable as no real performer, and how large a part it plays.
public enum SyntheticPerformer: String, Sendable, CaseIterable, Hashable {
    /// No synthetic performer.
    case none
    /// Stands in for background actors only.
    case background
    /// Plays a part a principal performer would otherwise play.
    case featured
}

/// Who negotiated a replica consent for the performer.
public enum Representation: String, Sendable, CaseIterable, Hashable {
    case counsel, union, none
}

/// What an obligation asks for (rulebooks.md §1).
public enum ObligationKind: String, Sendable, CaseIterable, Hashable, Codable {
    /// Tell the audience the work holds generated or manipulated material.
    case disclose
    /// Mark the material itself where the audience meets it.
    case label
    /// Obtain a documented consent or authorisation.
    case consent
    /// Give written notice to a person or body.
    case notice
    /// Consult a person or body and record their input.
    case consult
    /// Record a fact as evidence.
    case record
}

/// When an obligation falls due.
public enum ObligationDue: String, Sendable, CaseIterable, Hashable, Codable {
    /// Before the GenAI work or the scan starts.
    case beforeUse = "before-use"
    /// Before the material is delivered or published.
    case beforeRelease = "before-release"
    /// On the material, when the audience first sees or hears it.
    case atFirstExposure = "at-first-exposure"

    /// In words, for pages and terminals.
    public var words: String {
        switch self {
        case .beforeUse: "before the work starts"
        case .beforeRelease: "before release"
        case .atFirstExposure: "where the audience first meets it"
        }
    }
}

/// Whether a rulebook is a studio's own policy or an overlay laid over it.
public enum RulebookKind: String, Sendable, CaseIterable, Hashable, Codable {
    case studio, overlay
}
