internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// A use request where it stands. Filing and revising add the decision; the request's own view
/// adds the document, the verdicts that count, the moves allowed and where its approval stands.
struct RequestResponse: Encodable, Sendable {
    var id: String
    var studio: String
    var production: String
    var requester: String
    var title: String
    var state: RequestState
    var revision: Int
    var outcome: Outcome
    var areas: [Area]
    var createdAt: Date
    var updatedAt: Date
    @ExplicitNull var review: String?
    var decision: JSONValue?
    var document: JSONValue?
    var verdicts: [VerdictResponse]?
    var allowed: [String]?
    var approval: String?

    enum CodingKeys: String, CodingKey {
        case id, studio, production, requester, title, state, revision, outcome, areas, createdAt = "created-at", updatedAt = "updated-at"
        case review, decision, document, verdicts, allowed, approval
    }

    init(_ record: UseRequestRecord, decision: JSONValue? = nil, document: JSONValue? = nil) {
        id = record.id
        studio = record.studioID
        production = record.productionID
        requester = record.requesterID
        title = record.title
        state = record.state
        revision = record.revision
        outcome = record.outcome
        areas = record.areas
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        review = record.review
        self.decision = decision
        self.document = document
    }

    /// The request as `GET /requests/{id}` shows it, its approval judged against `today` (`YYYY-MM-DD`).
    init(_ view: RequestView, today: String) {
        self.init(view.record, decision: view.decision.flatMap { JSONValue.parse($0.decisionJSON) },
                  document: view.revision.flatMap { JSONValue.parse($0.document) })
        let current = view.current
        verdicts = current.map { VerdictResponse($0, stale: false) }
        allowed = view.allowed.map(\.rawValue)
        approval = ProductionRegister.approval(view.record, verdicts: current, today: today)
    }
}

/// A verdict just given, and the request as it then stands.
struct VerdictGivenResponse: Encodable, Sendable {
    var request: RequestResponse
    var verdict: VerdictResponse
}

/// One revision of a request, with its document as stored (null if it no longer reads).
struct RevisionResponse: Encodable, Sendable {
    var number: Int
    var requestDigest: String
    var author: String
    var createdAt: Date
    var document: JSONValue

    enum CodingKeys: String, CodingKey {
        case number, requestDigest = "request-digest", author, createdAt = "created-at", document
    }

    init(_ revision: RevisionRecord) {
        number = revision.number
        requestDigest = revision.requestDigest
        author = revision.authorID
        createdAt = revision.createdAt
        document = JSONValue.parse(revision.document) ?? .null
    }
}

/// One decision on a revision, with the decision as stored (null if it no longer reads).
struct DecisionResponse: Encodable, Sendable {
    var revision: Int
    var policyVersion: Int
    var policyDigest: String
    var requestDigest: String
    var outcome: Outcome
    var createdAt: Date
    var decision: JSONValue

    enum CodingKeys: String, CodingKey {
        case revision, policyVersion = "policy-version", policyDigest = "policy-digest", requestDigest = "request-digest", outcome
        case createdAt = "created-at", decision
    }

    init(_ decision: DecisionRecord) {
        revision = decision.revision
        policyVersion = decision.policyNumber
        policyDigest = decision.policyDigest
        requestDigest = decision.requestDigest
        outcome = decision.outcome
        createdAt = decision.createdAt
        self.decision = JSONValue.parse(decision.decisionJSON) ?? .null
    }
}

/// A comment on a request.
struct CommentResponse: Encodable, Sendable {
    var id: String
    var author: String
    var revision: Int
    var body: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, author, revision, body, createdAt = "created-at"
    }

    init(_ comment: CommentRecord) {
        id = comment.id
        author = comment.authorID
        revision = comment.revision
        body = comment.body
        createdAt = comment.createdAt
    }
}

/// A studio contact's acknowledgement of a socialized use.
struct AcknowledgementResponse: Encodable, Sendable {
    var user: String
    var revision: Int
    @ExplicitNull var note: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case user, revision, note, createdAt = "created-at"
    }

    init(_ acknowledgement: AcknowledgementRecord) {
        user = acknowledgement.userID
        revision = acknowledgement.revision
        note = acknowledgement.note
        createdAt = acknowledgement.createdAt
    }
}

/// Everything that happened to a request, by kind and as one timeline.
struct RequestHistoryResponse: Encodable, Sendable {
    var request: RequestResponse
    var revisions: [RevisionResponse]
    var decisions: [DecisionResponse]
    var verdicts: [VerdictResponse]
    var acknowledgements: [AcknowledgementResponse]
    var comments: [CommentResponse]
    var timeline: [TimelineEntryResponse]

    init(_ view: RequestView) {
        request = RequestResponse(view.record)
        revisions = view.revisions.map(RevisionResponse.init)
        decisions = view.decisions.map(DecisionResponse.init)
        verdicts = view.verdicts.map { VerdictResponse($0, stale: $0.isStale(against: view.decisions.last)) }
        acknowledgements = view.acknowledgements.map(AcknowledgementResponse.init)
        comments = view.comments.map(CommentResponse.init)
        timeline = TimelineEntry.ordered(revisions: view.revisions, decisions: view.decisions, verdicts: view.verdicts,
                                         acknowledgements: view.acknowledgements, comments: view.comments).map(TimelineEntryResponse.init)
    }
}

/// One timeline entry: its `kind` first, then the members of what it is.
enum TimelineEntryResponse: Encodable, Sendable {
    case revision(RevisionResponse)
    case decision(DecisionResponse)
    case verdict(VerdictResponse)
    case acknowledgement(AcknowledgementResponse)
    case comment(CommentResponse)

    init(_ entry: TimelineEntry) {
        switch entry {
        case .revision(let revision): self = .revision(RevisionResponse(revision))
        case .decision(let decision): self = .decision(DecisionResponse(decision))
        case .verdict(let verdict, let stale): self = .verdict(VerdictResponse(verdict, stale: stale))
        case .acknowledgement(let acknowledgement): self = .acknowledgement(AcknowledgementResponse(acknowledgement))
        case .comment(let comment): self = .comment(CommentResponse(comment))
        }
    }

    func encode(to encoder: any Encoder) throws {
        let (kind, entry): (String, any Encodable) = switch self {
        case .revision(let revision): ("revision", revision)
        case .decision(let decision): ("decision", decision)
        case .verdict(let verdict): ("verdict", verdict)
        case .acknowledgement(let acknowledgement): ("acknowledgement", acknowledgement)
        case .comment(let comment): ("comment", comment)
        }
        var container = encoder.container(keyedBy: JSONValue.MemberKey.self)
        try container.encode(kind, forKey: JSONValue.MemberKey("kind"))
        // The entry's members go into the same object, after `kind`.
        try entry.encode(to: encoder)
    }
}
