internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// A studio.
struct StudioResponse: Encodable, Sendable {
    var id: String
    var name: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, createdAt = "created-at"
    }

    init(_ studio: StudioRecord) {
        id = studio.id
        name = studio.name
        createdAt = studio.createdAt
    }
}

/// A studio member, with their email when the user is known.
struct StudioMemberResponse: Encodable, Sendable {
    var user: String
    @ExplicitNull var email: String?
    var role: StudioRole
    var areas: [Area]
    var contact: Bool

    init(_ member: StudioMember, user: UserRecord?) {
        self.user = member.userID
        email = user?.email
        role = member.role
        areas = member.areas
        contact = member.isContact
    }
}

/// A production member, with their email when the user is known.
struct ProductionMemberResponse: Encodable, Sendable {
    var user: String
    @ExplicitNull var email: String?
    var role: ProductionRole

    init(_ member: ProductionMember, user: UserRecord?) {
        self.user = member.userID
        email = user?.email
        role = member.role
    }
}

/// An invitation: `production` only for a production's, and its `link` only when it is made.
struct InvitationResponse: Encodable, Sendable {
    var id: String
    var email: String
    var studio: String
    var production: String?
    var role: String
    var areas: [Area]
    var invitedBy: String
    var createdAt: Date
    var expiresAt: Date
    var link: String?

    enum CodingKeys: String, CodingKey {
        case id, email, studio, production, role, areas, invitedBy = "invited-by", createdAt = "created-at", expiresAt = "expires-at", link
    }

    init(_ invitation: InvitationRecord, link: String? = nil) {
        id = invitation.id
        email = invitation.email
        studio = invitation.studioID
        production = invitation.productionID
        role = invitation.role
        areas = invitation.areas
        invitedBy = invitation.invitedBy
        createdAt = invitation.createdAt
        expiresAt = invitation.expiresAt
        self.link = link
    }
}

/// A published policy version: its text only where asked for, and its re-triage where one was queued.
struct PolicyVersionResponse: Encodable, Sendable {
    var studio: String
    var number: Int
    var id: String
    var version: String
    var digest: String
    var publishedBy: String
    var publishedAt: Date
    var text: String?
    var retriage: RetriageResponse?
    /// For a version that keeps the studio's text: what changed in its overlays.
    var change: String?

    enum CodingKeys: String, CodingKey {
        case studio, number, id, version, digest, publishedBy = "published-by", publishedAt = "published-at", text, retriage, change
    }

    init(_ version: PolicyVersionRecord, includingText: Bool, retriage: StudioAdministration.RetriageProgress? = nil) {
        studio = version.studioID
        number = version.number
        id = version.policyID
        self.version = version.policyVersion
        digest = version.digest
        publishedBy = version.publishedBy
        publishedAt = version.publishedAt
        text = includingText ? version.text : nil
        self.retriage = retriage.map(RetriageResponse.init)
        change = version.change
    }
}

/// Requests re-triaged, still to do, and skipped, and the approved requests flagged for review once it is done.
struct RetriageResponse: Encodable, Sendable {
    var state: RetriageJob.State
    var retriaged: Int
    var remaining: Int
    var skipped: Int
    var flaggedForReview: [String]
    @ExplicitNull var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case state, retriaged, remaining, skipped, flaggedForReview = "flagged-for-review", finishedAt = "finished-at"
    }

    init(_ progress: StudioAdministration.RetriageProgress) {
        state = progress.job.state
        retriaged = progress.job.retriaged
        remaining = progress.remaining
        skipped = progress.skipped
        flaggedForReview = progress.job.flagged
        finishedAt = progress.job.finishedAt
    }
}

/// A tool in the studio's registry: the stored tool record as it is, and the studio's approval.
struct ToolResponse: Encodable, Sendable {
    var id: String
    /// The stored record (null if it no longer reads).
    var record: JSONValue
    var approvedFor: [String]
    @ExplicitNull var approvedUntil: String?
    @ExplicitNull var evidence: String?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, record, approvedFor = "approved-for", approvedUntil = "approved-until", evidence, updatedAt = "updated-at"
    }

    init(_ tool: ToolEntry) {
        id = tool.id
        record = JSONValue.parse(tool.record) ?? .null
        approvedFor = tool.approvedFor
        approvedUntil = tool.approvedUntil
        evidence = tool.evidence
        updatedAt = tool.updatedAt
    }
}

/// A webhook endpoint; its secret is shown once, when the endpoint is registered.
struct WebhookResponse: Encodable, Sendable {
    var id: String
    var url: String
    var events: [WebhookEvent]
    var format: WebhookFormat
    var createdAt: Date
    var secret: String?

    enum CodingKeys: String, CodingKey {
        case id, url, events, format, createdAt = "created-at", secret
    }

    init(_ endpoint: WebhookEndpoint, showingSecret: Bool) {
        id = endpoint.id
        url = endpoint.url
        events = endpoint.events
        format = endpoint.format
        createdAt = endpoint.createdAt
        secret = showingSecret ? endpoint.secret : nil
    }
}

/// One delivery of an event to an endpoint; the next attempt's time only while one is pending.
struct WebhookDeliveryResponse: Encodable, Sendable {
    var id: String
    var event: WebhookEvent
    var status: DeliveryStatus
    var attempts: Int
    @ExplicitNull var nextAttemptAt: Date?
    @ExplicitNull var lastStatusCode: Int?
    @ExplicitNull var lastError: String?
    var createdAt: Date
    @ExplicitNull var deliveredAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, event, status, attempts, nextAttemptAt = "next-attempt-at", lastStatusCode = "last-status-code", lastError = "last-error"
        case createdAt = "created-at", deliveredAt = "delivered-at"
    }

    init(_ delivery: WebhookDelivery) {
        id = delivery.id
        event = delivery.event
        status = delivery.status
        attempts = delivery.attempts
        nextAttemptAt = delivery.status == .pending ? delivery.nextAttemptAt : nil
        lastStatusCode = delivery.lastStatusCode
        lastError = delivery.lastError
        createdAt = delivery.createdAt
        deliveredAt = delivery.deliveredAt
    }
}
