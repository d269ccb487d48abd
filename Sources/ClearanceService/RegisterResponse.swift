public import ClearanceCore
public import ClearanceStore
public import Foundation

/// A production's register as JSON: the heading, then every use.
public struct RegisterResponse: Encodable, Sendable {
    public var production: String
    public var studio: String
    public var title: String
    public var generatedAt: Date
    public var uses: [RegisterUseResponse]

    enum CodingKeys: String, CodingKey {
        case production, studio, title, generatedAt = "generated-at", uses
    }

    public init(production: ProductionRecord, generatedAt: Date, entries: [ProductionRegister.Entry]) {
        self.production = production.id
        studio = production.studioID
        title = production.title
        self.generatedAt = generatedAt
        uses = entries.map(RegisterUseResponse.init)
    }
}

/// One use as the JSON register lists it: the verdicts that count, their conditions and assets.
public struct RegisterUseResponse: Encodable, Sendable {
    public var id: String
    public var title: String
    public var department: String
    public var purpose: String
    public var destination: String
    public var finalDeliverable: Bool
    public var state: RequestState
    public var outcome: Outcome
    public var areas: [Area]
    public var approval: String
    public var verdicts: [VerdictResponse]
    public var conditions: [String]
    public var assets: [String]
    public var consents: [Consent]
    @ExplicitNull public var review: String?
    public var revision: Int
    public var requestDigest: String
    public var policyDigest: String
    public var updatedAt: Date
    /// What the current decision obliges, open or met; flagged when open and due before release
    /// (or where the audience meets it) on final-cut material.
    public var obligations: [ObligationResponse]

    /// A consent the use names, and where it stands.
    public struct Consent: Encodable, Sendable {
        public var id: String
        public var status: String
    }

    enum CodingKeys: String, CodingKey {
        case id, title, department, purpose, destination, finalDeliverable = "final-deliverable", state, outcome, areas, approval
        case verdicts, conditions, assets, consents, review, revision, requestDigest = "request-digest", policyDigest = "policy-digest"
        case updatedAt = "updated-at", obligations
    }

    public init(_ entry: ProductionRegister.Entry) {
        id = entry.request.id
        title = entry.request.title
        department = entry.department
        purpose = entry.purpose
        destination = entry.destination
        finalDeliverable = entry.finalDeliverable
        state = entry.request.state
        outcome = entry.request.outcome
        areas = entry.request.areas
        approval = entry.approval
        verdicts = entry.verdicts.map { VerdictResponse($0, stale: false) }
        conditions = entry.verdicts.flatMap(\.conditions)
        assets = entry.assets
        consents = entry.consents.map { Consent(id: $0.id, status: $0.status) }
        review = entry.request.review
        revision = entry.request.revision
        requestDigest = entry.requestDigest
        policyDigest = entry.policyDigest
        updatedAt = entry.request.updatedAt
        obligations = entry.obligations.map { ObligationResponse($0, flagged: entry.finalDeliverable && $0.blocksRelease) }
    }
}

/// One obligation of a request: what the decision lists, where it stands, and the evidence once
/// met. The register also says whether delivery waits on it (`flagged`).
public struct ObligationResponse: Encodable, Sendable {
    public var id: String
    public var rulebook: String
    public var rule: String
    public var talent: Int?
    public var step: Int?
    public var hit: Int?
    public var kind: ObligationKind
    public var due: ObligationDue
    public var text: String
    public var cite: String
    public var status: ObligationState
    public var flagged: Bool?
    public var metAt: Date?
    public var metBy: String?
    public var note: String?
    public var link: String?
    public var documentRef: String?

    enum CodingKeys: String, CodingKey {
        case id, rulebook, rule, talent, step, hit, kind, due, text, cite, status, flagged, metAt = "met-at", metBy = "met-by", note
        case link, documentRef = "document-ref"
    }

    public init(_ line: ObligationLine, flagged: Bool? = nil) {
        let obligation = line.obligation
        id = obligation.id
        rulebook = obligation.rulebook
        rule = obligation.rule
        talent = obligation.talent
        step = obligation.step
        hit = obligation.hit
        kind = obligation.kind
        due = obligation.due
        text = obligation.text
        cite = obligation.cite
        status = line.state
        self.flagged = flagged
        metAt = line.met?.metAt
        metBy = line.met?.metBy
        note = line.met?.note
        link = line.met?.link
        documentRef = line.met?.documentRef
    }
}
