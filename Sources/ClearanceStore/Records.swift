public import ClearanceCore
public import Foundation

/// A person who signs in: a crew member, an approver, a vendor or a site admin.
public struct UserRecord: Sendable, Hashable, Codable {
    public var id: String
    public var email: String
    public var name: String
    /// A bcrypt hash, or nil for a user who only uses API tokens.
    public var passwordHash: String?
    public var isSiteAdmin: Bool
    public var createdAt: Date
    /// Set while a site admin has deactivated the account: it cannot sign in or use a token.
    public var deactivatedAt: Date?

    public init(id: String, email: String, name: String, passwordHash: String?, isSiteAdmin: Bool, createdAt: Date,
                deactivatedAt: Date? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.isSiteAdmin = isSiteAdmin
        self.createdAt = createdAt
        self.deactivatedAt = deactivatedAt
    }

    public var isActive: Bool { deactivatedAt == nil }
}

/// An API token. Only the SHA-256 of the secret is kept; the secret is shown once, when made.
public struct TokenRecord: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    /// Hex SHA-256 of the secret.
    public var secretHash: String
    public var label: String
    public var createdAt: Date
    public var revokedAt: Date?
    /// The token stops working at this time. Every token the service makes has one; tokens made
    /// before expiry existed were given one by the migration that added it.
    public var expiresAt: Date?

    public init(id: String, userID: String, secretHash: String, label: String, createdAt: Date, revokedAt: Date? = nil,
                expiresAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.secretHash = secretHash
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
    }

    /// Usable at `time`: not revoked and not expired.
    public func isLive(at time: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { time < $0 } ?? true)
    }
}

/// A signed-in browser. The cookie carries the secret; only its SHA-256 is kept. A session ends
/// when its user signs out or at `expiresAt`, whichever comes first.
public struct SessionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date
    public var endedAt: Date?

    public init(id: String, userID: String, secretHash: String, createdAt: Date, expiresAt: Date, endedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }

    /// Usable at `time`: not ended and not expired.
    public func isLive(at time: Date) -> Bool { endedAt == nil && time < expiresAt }
}

/// A studio: it owns a policy, a tool registry, productions and members.
public struct StudioRecord: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

/// What a member may do in a studio (service.md, "People and roles").
public enum StudioRole: String, Sendable, Hashable, Codable, CaseIterable {
    case admin, approver, viewer
}

/// What a member may do in a production.
public enum ProductionRole: String, Sendable, Hashable, Codable, CaseIterable {
    case requester, coordinator, viewer
}

/// A user's role in one studio; approvers act for the listed areas only.
public struct StudioMember: Sendable, Hashable, Codable {
    public var studioID: String
    public var userID: String
    public var role: StudioRole
    public var areas: [Area]
    /// Whether an approver acts as a studio contact, who acknowledges socialized uses; nil
    /// until a studio admin chooses, when approvers of `legal` or `creative` are.
    public var contact: Bool?

    public init(studioID: String, userID: String, role: StudioRole, areas: [Area] = [], contact: Bool? = nil) {
        self.studioID = studioID
        self.userID = userID
        self.role = role
        self.areas = areas
        self.contact = contact
    }

    /// The areas whose approvers are the studio's contacts unless the studio chooses otherwise.
    public static let defaultContactAreas: Set<Area> = [.legal, .creative]

    /// Acts as a studio contact: an approver marked so (or, unmarked, one of `legal` or `creative`).
    public var isContact: Bool {
        guard role == .approver else { return false }
        return contact ?? !Self.defaultContactAreas.isDisjoint(with: areas)
    }
}

/// A user's role in one production.
public struct ProductionMember: Sendable, Hashable, Codable {
    public var productionID: String
    public var userID: String
    public var role: ProductionRole

    public init(productionID: String, userID: String, role: ProductionRole) {
        self.productionID = productionID
        self.userID = userID
        self.role = role
    }
}

/// One published version of a studio's policy; versions are numbered from 1 and never change.
public struct PolicyVersionRecord: Sendable, Hashable, Codable {
    public var studioID: String
    public var number: Int
    /// The policy's own id and version string, from its text.
    public var policyID: String
    public var policyVersion: String
    public var digest: String
    public var text: String
    public var publishedBy: String
    public var publishedAt: Date
    /// For a version that keeps the studio's text: what changed in its rulebooks instead (an
    /// overlay switched on or off, a custom overlay published, an overlay coming into force).
    public var change: String? = nil

    public init(studioID: String, number: Int, policyID: String, policyVersion: String, digest: String,
                text: String, publishedBy: String, publishedAt: Date) {
        self.studioID = studioID
        self.number = number
        self.policyID = policyID
        self.policyVersion = policyVersion
        self.digest = digest
        self.text = text
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }
}

/// A tool in a studio's registry: the request-format tool record plus the studio's approval.
public struct ToolEntry: Sendable, Hashable, Codable {
    public var studioID: String
    public var id: String
    /// The tool record as canonical JSON.
    public var record: String
    /// The purposes the studio approved the tool for; empty means not approved for any.
    public var approvedFor: [String]
    public var approvedUntil: String?
    /// A note or a link backing the approval.
    public var evidence: String?
    public var updatedAt: Date

    public init(studioID: String, id: String, record: String, approvedFor: [String], approvedUntil: String?,
                evidence: String?, updatedAt: Date) {
        self.studioID = studioID
        self.id = id
        self.record = record
        self.approvedFor = approvedFor
        self.approvedUntil = approvedUntil
        self.evidence = evidence
        self.updatedAt = updatedAt
    }
}

/// A production (a title) of one studio.
public struct ProductionRecord: Sendable, Hashable, Codable {
    public var id: String
    public var studioID: String
    public var title: String
    public var createdAt: Date
    /// What sort of work it is; nil when nobody has said.
    public var kind: ProductionKind?
    /// Where it is made and released, as rulebook territory codes (rulebooks.md §5), as entered.
    public var territories: [String]
    /// The first day of principal photography, `YYYY-MM-DD`.
    public var photographyStartsOn: String?
    /// The day the production delivers, `YYYY-MM-DD`.
    public var deliveryOn: String?
    /// Set once a studio admin archives it: it takes no new requests and leaves the lists.
    public var archivedAt: Date?

    public init(id: String, studioID: String, title: String, createdAt: Date, kind: ProductionKind? = nil,
                territories: [String] = [], photographyStartsOn: String? = nil, deliveryOn: String? = nil,
                archivedAt: Date? = nil) {
        self.id = id
        self.studioID = studioID
        self.title = title
        self.createdAt = createdAt
        self.kind = kind
        self.territories = territories
        self.photographyStartsOn = photographyStartsOn
        self.deliveryOn = deliveryOn
        self.archivedAt = archivedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, studioID, title, createdAt, kind, territories, photographyStartsOn, deliveryOn, archivedAt
    }

    /// Rows written before productions had these fields decode with none of them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        studioID = try container.decode(String.self, forKey: .studioID)
        title = try container.decode(String.self, forKey: .title)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        kind = try container.decodeIfPresent(ProductionKind.self, forKey: .kind)
        territories = try container.decodeIfPresent([String].self, forKey: .territories) ?? []
        photographyStartsOn = try container.decodeIfPresent(String.self, forKey: .photographyStartsOn)
        deliveryOn = try container.decodeIfPresent(String.self, forKey: .deliveryOn)
        archivedAt = try container.decodeIfPresent(Date.self, forKey: .archivedAt)
    }

    public var isArchived: Bool { archivedAt != nil }
}

/// The sort of work a production is; the rulebooks read non-fiction and advertising.
public enum ProductionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case scripted, nonfiction, unscripted, advertising
}

/// A one-time link a site admin issues so that a user can set a new password. Only the hash of
/// its secret is kept.
public struct PasswordResetRecord: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var secretHash: String
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?

    public init(id: String, userID: String, secretHash: String, createdBy: String, createdAt: Date, expiresAt: Date,
                usedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.secretHash = secretHash
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }

    public func isOpen(at time: Date) -> Bool { usedAt == nil && time < expiresAt }
}

/// A use request's current state, with its latest revision's title and decision.
public struct UseRequestRecord: Sendable, Hashable, Codable {
    public var id: String
    public var studioID: String
    public var productionID: String
    public var requesterID: String
    public var title: String
    public var state: RequestState
    public var revision: Int
    public var outcome: Outcome
    public var areas: [Area]
    public var createdAt: Date
    public var updatedAt: Date
    /// Why the request needs another look, e.g. an approved request a new policy would decide differently.
    public var review: String?

    public init(id: String, studioID: String, productionID: String, requesterID: String, title: String,
                state: RequestState, revision: Int, outcome: Outcome, areas: [Area], createdAt: Date, updatedAt: Date,
                review: String? = nil) {
        self.review = review
        self.id = id
        self.studioID = studioID
        self.productionID = productionID
        self.requesterID = requesterID
        self.title = title
        self.state = state
        self.revision = revision
        self.outcome = outcome
        self.areas = areas
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One revision of a request's document, kept forever.
public struct RevisionRecord: Sendable, Hashable, Codable {
    public var requestID: String
    public var number: Int
    /// The request document as canonical JSON.
    public var document: String
    public var requestDigest: String
    public var authorID: String
    public var createdAt: Date

    public init(requestID: String, number: Int, document: String, requestDigest: String, authorID: String, createdAt: Date) {
        self.requestID = requestID
        self.number = number
        self.document = document
        self.requestDigest = requestDigest
        self.authorID = authorID
        self.createdAt = createdAt
    }
}

/// The engine's output for one revision under one policy version. Never edited.
public struct DecisionRecord: Sendable, Hashable, Codable {
    public var requestID: String
    public var revision: Int
    public var policyNumber: Int
    public var policyDigest: String
    public var requestDigest: String
    public var outcome: Outcome
    /// The decision as request-format.md's JSON.
    public var decisionJSON: String
    public var createdAt: Date

    public init(requestID: String, revision: Int, policyNumber: Int, policyDigest: String, requestDigest: String,
                outcome: Outcome, decisionJSON: String, createdAt: Date) {
        self.requestID = requestID
        self.revision = revision
        self.policyNumber = policyNumber
        self.policyDigest = policyDigest
        self.requestDigest = requestDigest
        self.outcome = outcome
        self.decisionJSON = decisionJSON
        self.createdAt = createdAt
    }
}

/// The kind of consent a performer gave (SAG-AFTRA's categories).
public enum ConsentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case employmentReplica = "employment-replica"
    case independentReplica = "independent-replica"
    case voice
    case alteration

    /// Whether consent of this kind covers a talent use.
    public func covers(_ use: TalentUse) -> Bool {
        switch (self, use) {
        case (.employmentReplica, .replica), (.independentReplica, .replica): true
        case (.employmentReplica, .voice), (.independentReplica, .voice), (.voice, .voice): true
        case (.alteration, .reAge), (.alteration, .visualADR), (.alteration, .alteration): true
        default: false
        }
    }
}

/// A performer's consent to a digital replica or alteration, as the production keeps it.
public struct ConsentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var studioID: String
    /// The productions it was given for; the first is the one it was recorded under.
    public var productions: [String]
    public var performer: String
    public var kind: ConsentKind
    /// A reasonably specific description of the permitted use.
    public var permittedUse: String
    /// Dates as `YYYY-MM-DD`.
    public var signedOn: String
    public var noticeOn: String?
    public var expiresOn: String?
    public var signedSeparately: Bool
    public var documentRef: String?
    public var revokedAt: Date?
    public var revokedReason: String?
    public var createdBy: String
    public var createdAt: Date
    /// Whether it describes the intended uses reasonably specifically; nil when not recorded.
    public var specificDescription: Bool? = nil
    /// Who negotiated it for the performer; nil when not recorded.
    public var represented: Representation? = nil

    public init(id: String, studioID: String, productions: [String], performer: String, kind: ConsentKind,
                permittedUse: String, signedOn: String, noticeOn: String?, expiresOn: String?, signedSeparately: Bool,
                documentRef: String?, revokedAt: Date? = nil, revokedReason: String? = nil, createdBy: String, createdAt: Date) {
        self.id = id
        self.studioID = studioID
        self.productions = productions
        self.performer = performer
        self.kind = kind
        self.permittedUse = permittedUse
        self.signedOn = signedOn
        self.noticeOn = noticeOn
        self.expiresOn = expiresOn
        self.signedSeparately = signedSeparately
        self.documentRef = documentRef
        self.revokedAt = revokedAt
        self.revokedReason = revokedReason
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// The terms the rulebooks read from this record (rulebooks.md §5): they stand for the
    /// request's own `consent-terms` whenever a talent entry names this consent.
    public func terms(today: String) -> RecordedConsentTerms {
        RecordedConsentTerms(signedSeparately: signedSeparately, noticeGiven: noticeOn.map { $0 <= today } ?? false,
                             specificDescription: specificDescription, represented: represented)
    }

    /// Why this consent does not cover a talent entry on a production on a day, or nil when it does.
    public func problem(for entry: UseRequest.TalentEntry, production: String, today: String) -> String? {
        if !productions.contains(production) {
            return "consent '\(id)' is not recorded for this production"
        }
        if performer.lowercased() != entry.performer.lowercased() {
            return "consent '\(id)' is for \(performer), not \(entry.performer)"
        }
        if revokedAt != nil {
            return "consent '\(id)' was revoked"
        }
        if !kind.covers(entry.use) {
            return "consent '\(id)' (\(kind.rawValue)) does not cover a \(entry.use.rawValue) use"
        }
        if let expiresOn, expiresOn < today {
            return "consent '\(id)' expired on \(expiresOn)"
        }
        return nil
    }
}

/// An approver's verdict for one area of one request, bound to the digests it was given for.
public struct VerdictRecord: Sendable, Hashable, Codable {
    public var id: String
    public var requestID: String
    public var revision: Int
    public var area: Area
    public var approverID: String
    public var verdict: VerdictKind
    public var conditions: [String]
    public var note: String?
    public var requestDigest: String
    public var policyDigest: String
    /// `YYYY-MM-DD`, after which an approval no longer counts.
    public var expiresOn: String?
    public var createdAt: Date
    /// The deliverables the verdict covers, as asset references: a path glob such as
    /// `shots/ep101/*.exr`, or `id:ASSET-ID`. `clearance scan` matches flagged files against them.
    public var assets: [String]
    /// Set on a verdict a re-triage kept: the id of the verdict it carries to the new decision,
    /// whose findings for its area did not change (`DecisionChange`).
    public var carriedFrom: String?

    public init(id: String, requestID: String, revision: Int, area: Area, approverID: String, verdict: VerdictKind,
                conditions: [String], note: String?, requestDigest: String, policyDigest: String, expiresOn: String?,
                createdAt: Date, assets: [String] = [], carriedFrom: String? = nil) {
        self.carriedFrom = carriedFrom
        self.id = id
        self.requestID = requestID
        self.revision = revision
        self.area = area
        self.approverID = approverID
        self.verdict = verdict
        self.conditions = conditions
        self.note = note
        self.requestDigest = requestDigest
        self.policyDigest = policyDigest
        self.expiresOn = expiresOn
        self.createdAt = createdAt
        self.assets = assets
    }

    /// Verdicts written before asset references existed (snapshots, older rows) have no `assets`;
    /// they cover none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        requestID = try container.decode(String.self, forKey: .requestID)
        revision = try container.decode(Int.self, forKey: .revision)
        area = try container.decode(Area.self, forKey: .area)
        approverID = try container.decode(String.self, forKey: .approverID)
        verdict = try container.decode(VerdictKind.self, forKey: .verdict)
        conditions = try container.decode([String].self, forKey: .conditions)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        requestDigest = try container.decode(String.self, forKey: .requestDigest)
        policyDigest = try container.decode(String.self, forKey: .policyDigest)
        expiresOn = try container.decodeIfPresent(String.self, forKey: .expiresOn)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        assets = try container.decodeIfPresent([String].self, forKey: .assets) ?? []
        carriedFrom = try container.decodeIfPresent(String.self, forKey: .carriedFrom)
    }

    /// The same verdict, bound to a new decision of the same revision.
    public func carried(to decision: DecisionRecord, id newID: String, at time: Date) -> VerdictRecord {
        var copy = self
        copy.id = newID
        copy.policyDigest = decision.policyDigest
        copy.requestDigest = decision.requestDigest
        copy.createdAt = time
        copy.carriedFrom = carriedFrom ?? id
        return copy
    }
}

/// One message in a request's comment thread: between its requester, the production's
/// coordinator and the approvers of its areas. Kept in the history and the audit chain.
public struct CommentRecord: Sendable, Hashable, Codable {
    public var id: String
    public var requestID: String
    /// The revision that was current when it was written.
    public var revision: Int
    public var authorID: String
    public var body: String
    public var createdAt: Date

    public init(id: String, requestID: String, revision: Int, authorID: String, body: String, createdAt: Date) {
        self.id = id
        self.requestID = requestID
        self.revision = revision
        self.authorID = authorID
        self.body = body
        self.createdAt = createdAt
    }
}

/// A coordinator's request, from a deliverable scan, to add a file to the assets an approved use
/// covers; an approver of the area whose verdict named assets (or of legal) confirms or declines.
/// A confirmed one adds its reference to the use's final approval, and nothing else changes.
public struct CoverageExtension: Sendable, Hashable, Codable {
    public var id: String
    public var requestID: String
    /// The revision whose approval it extends; a later revision leaves it behind.
    public var revision: Int
    public var scanID: String
    /// The asset reference to add (the file's path, or `id:ASSET-ID`).
    public var reference: String
    /// The area whose approver decides it.
    public var area: Area
    public var requestedBy: String
    public var requestedAt: Date
    /// Nil while open; then whether it was confirmed.
    public var confirmed: Bool?
    public var decidedBy: String?
    public var decidedAt: Date?

    public init(id: String, requestID: String, revision: Int, scanID: String, reference: String, area: Area, requestedBy: String,
                requestedAt: Date, confirmed: Bool? = nil, decidedBy: String? = nil, decidedAt: Date? = nil) {
        self.id = id
        self.requestID = requestID
        self.revision = revision
        self.scanID = scanID
        self.reference = reference
        self.area = area
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.confirmed = confirmed
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// The studio contact's receipt of a socialized use.
public struct AcknowledgementRecord: Sendable, Hashable, Codable {
    public var requestID: String
    public var revision: Int
    public var userID: String
    public var note: String?
    public var createdAt: Date

    public init(requestID: String, revision: Int, userID: String, note: String?, createdAt: Date) {
        self.requestID = requestID
        self.revision = revision
        self.userID = userID
        self.note = note
        self.createdAt = createdAt
    }
}

/// A studio's webhook endpoint. The signing secret is kept as given, not hashed: signing needs it.
public struct WebhookEndpoint: Sendable, Hashable, Codable {
    public var id: String
    public var studioID: String
    public var url: String
    public var events: [WebhookEvent]
    public var format: WebhookFormat
    public var secret: String
    public var createdAt: Date

    public init(id: String, studioID: String, url: String, events: [WebhookEvent], format: WebhookFormat, secret: String,
                createdAt: Date) {
        self.id = id
        self.studioID = studioID
        self.url = url
        self.events = events
        self.format = format
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// Where a delivery stands.
public enum DeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, delivered, failed
}

/// One event for one endpoint, in the outbox until delivered or given up.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    public var id: String
    public var endpointID: String
    public var studioID: String
    public var event: WebhookEvent
    /// The exact bytes sent (and signed) on every attempt.
    public var body: String
    public var status: DeliveryStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastStatusCode: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(id: String, endpointID: String, studioID: String, event: WebhookEvent, body: String, status: DeliveryStatus,
                attempts: Int, nextAttemptAt: Date, lastStatusCode: Int?, lastError: String?, createdAt: Date, deliveredAt: Date?) {
        self.id = id
        self.endpointID = endpointID
        self.studioID = studioID
        self.event = event
        self.body = body
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatusCode = lastStatusCode
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// What one delivery attempt came to.
public struct DeliveryAttempt: Sendable, Hashable {
    public var deliveryID: String
    public var at: Date
    /// The receiver's status code, or nil when it could not be reached.
    public var statusCode: Int?
    public var error: String?
    /// When to try again; nil when delivered or given up.
    public var retryAt: Date?

    public var delivered: Bool { statusCode.map { (200..<300).contains($0) } ?? false }

    public init(deliveryID: String, at: Date, statusCode: Int?, error: String?, retryAt: Date?) {
        self.deliveryID = deliveryID
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.retryAt = retryAt
    }
}

/// One uploaded scan of a production's deliverables for GenAI provenance markers (`clearance
/// scan`): who sent it, what it counted, and the report itself.
public struct ScanRecord: Sendable, Hashable, Codable {
    public var id: String
    public var productionID: String
    public var studioID: String
    public var uploadedBy: String
    public var createdAt: Date
    /// The scanner that made the report, as it names itself.
    public var scanner: String
    /// Files scanned.
    public var total: Int
    /// Files whose markers say generative AI made or touched them.
    public var flagged: Int
    /// Flagged files no approved final use covers: unapproved GenAI in the deliverables.
    public var unapproved: Int
    /// Files per provenance verdict (`generated`, `ai-edited`, `review`, …).
    public var byVerdict: [String: Int]
    /// The scan report as JSON; nil when scans are listed, so a list never reads whole reports.
    public var report: String?

    public init(id: String, productionID: String, studioID: String, uploadedBy: String, createdAt: Date, scanner: String,
                total: Int, flagged: Int, unapproved: Int, byVerdict: [String: Int], report: String?) {
        self.id = id
        self.productionID = productionID
        self.studioID = studioID
        self.uploadedBy = uploadedBy
        self.createdAt = createdAt
        self.scanner = scanner
        self.total = total
        self.flagged = flagged
        self.unapproved = unapproved
        self.byVerdict = byVerdict
        self.report = report
    }
}

/// An invitation to join a studio or one of its productions, sent to an email. Whoever holds its
/// link accepts it: someone new by choosing a password, someone with an account by signing in.
/// The inviter learns nothing about which. Only the SHA-256 of the link's secret is kept.
public struct InvitationRecord: Sendable, Hashable, Codable {
    public var id: String
    public var secretHash: String
    public var studioID: String
    /// Set for an invitation to a production; nil for one to the studio itself.
    public var productionID: String?
    public var email: String
    /// A `StudioRole` for a studio invitation, a `ProductionRole` for a production's.
    public var role: String
    /// An approver's areas; empty otherwise.
    public var areas: [Area]
    /// For an approver: whether they act as a studio contact (nil: the default by area).
    public var contact: Bool?
    public var invitedBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?
    public var acceptedBy: String?

    public init(id: String, secretHash: String, studioID: String, productionID: String?, email: String, role: String,
                areas: [Area], contact: Bool? = nil, invitedBy: String, createdAt: Date, expiresAt: Date, acceptedAt: Date? = nil,
                acceptedBy: String? = nil) {
        self.contact = contact
        self.id = id
        self.secretHash = secretHash
        self.studioID = studioID
        self.productionID = productionID
        self.email = email
        self.role = role
        self.areas = areas
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
        self.acceptedBy = acceptedBy
    }

    /// Open: not yet accepted and not expired at `time`.
    public func isOpen(at time: Date) -> Bool { acceptedAt == nil && time < expiresAt }

    /// The membership accepting this invitation gives `userID`; nil if the stored role is not one
    /// of its scope's roles (a row written by hand).
    public func membership(for userID: String) -> Membership? {
        if let productionID {
            return ProductionRole(rawValue: role).map { .production(ProductionMember(productionID: productionID, userID: userID, role: $0)) }
        }
        return StudioRole(rawValue: role).map {
            .studio(StudioMember(studioID: studioID, userID: userID, role: $0, areas: areas, contact: contact))
        }
    }
}

/// A studio or a production membership.
public enum Membership: Sendable, Hashable {
    case studio(StudioMember)
    case production(ProductionMember)
}

extension VerdictRecord {
    /// A verdict counts only for the digests it was given for: a revision or a new policy's
    /// decision makes it stale.
    public func isStale(against decision: DecisionRecord?) -> Bool {
        guard let decision else { return true }
        return decision.requestDigest != requestDigest || decision.policyDigest != policyDigest
    }
}

/// The re-triage of a studio's open requests under a newly published policy version, run in the
/// background by whichever server instance holds its lease. Its progress survives a restart:
/// each request's new decision and the job's count move together, and a request already decided
/// under the version is never decided again.
public struct RetriageJob: Sendable, Hashable, Codable {
    public var studioID: String
    public var number: Int
    /// Who published the version: the actor of the job's audit events.
    public var publishedBy: String
    /// The open requests the studio had when the version was published.
    public var total: Int
    public var retriaged: Int
    /// Requests the version could not re-triage (unreadable under it, or in a state a re-triage
    /// leaves alone); they keep their decision.
    public var setAside: [String]
    /// Approved requests the version would decide differently, flagged for review.
    public var flagged: [String]
    public var state: State
    public var owner: String?
    public var leaseUntil: Date?
    public var createdAt: Date
    public var finishedAt: Date?
    /// Set when only one production's requests are affected (an overlay switched for it).
    public var productionID: String? = nil

    public enum State: String, Sendable, Hashable, Codable {
        case waiting, running, done
    }

    public init(studioID: String, number: Int, publishedBy: String, total: Int = 0, retriaged: Int = 0, setAside: [String] = [],
                flagged: [String] = [], state: State = .waiting, owner: String? = nil, leaseUntil: Date? = nil, createdAt: Date,
                finishedAt: Date? = nil) {
        self.studioID = studioID
        self.number = number
        self.publishedBy = publishedBy
        self.total = total
        self.retriaged = retriaged
        self.setAside = setAside
        self.flagged = flagged
        self.state = state
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }

    /// Requests that left the job's list without a new decision from it: set aside, or revised or
    /// withdrawn meanwhile (a revision is triaged under the new version by itself).
    public func skipped(remaining: Int) -> Int { max(0, total - retriaged - remaining) }
}

extension Representation: Codable {}

/// An obligation a production has shown as met, with its evidence (rulebooks.md §4). Whether an
/// obligation is open or no longer owed follows from the request's decisions; only meeting one
/// is recorded.
public struct ObligationMet: Sendable, Hashable, Codable {
    public var requestID: String
    /// The obligation's id as decisions list it, such as `eu-ai-act-art50/disclose`.
    public var obligationID: String
    public var studioID: String
    public var productionID: String
    /// What was done; a note or a link is required.
    public var note: String?
    public var link: String?
    public var documentRef: String?
    public var metBy: String
    public var metAt: Date

    public init(requestID: String, obligationID: String, studioID: String, productionID: String, note: String?, link: String?,
                documentRef: String?, metBy: String, metAt: Date) {
        self.requestID = requestID
        self.obligationID = obligationID
        self.studioID = studioID
        self.productionID = productionID
        self.note = note
        self.link = link
        self.documentRef = documentRef
        self.metBy = metBy
        self.metAt = metAt
    }
}

/// An overlay switched on or off for a studio, or for one production (whose setting wins).
public struct OverlaySetting: Sendable, Hashable, Codable {
    public var studioID: String
    /// The production it is set for; empty for the whole studio.
    public var productionID: String
    public var overlayID: String
    public var enabled: Bool
    public var changedBy: String
    public var changedAt: Date

    public init(studioID: String, productionID: String, overlayID: String, enabled: Bool, changedBy: String, changedAt: Date) {
        self.studioID = studioID
        self.productionID = productionID
        self.overlayID = overlayID
        self.enabled = enabled
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}

/// One published version of a studio's custom overlay.
public struct OverlayVersionRecord: Sendable, Hashable, Codable {
    public var studioID: String
    public var overlayID: String
    public var number: Int
    public var version: String
    public var digest: String
    public var text: String
    public var publishedBy: String
    public var publishedAt: Date

    public init(studioID: String, overlayID: String, number: Int, version: String, digest: String, text: String,
                publishedBy: String, publishedAt: Date) {
        self.studioID = studioID
        self.overlayID = overlayID
        self.number = number
        self.version = version
        self.digest = digest
        self.text = text
        self.publishedBy = publishedBy
        self.publishedAt = publishedAt
    }
}
