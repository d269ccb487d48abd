internal import ClearanceCore
internal import ClearanceStore

/// One audit event, with its details as stored (null if they no longer read).
struct AuditEventResponse: Encodable, Sendable {
    var seq: Int64
    var chain: String
    var position: Int64
    var at: String
    var actor: String
    var action: String
    @ExplicitNull var studio: String?
    @ExplicitNull var production: String?
    var subject: String
    var details: JSONValue
    var previousHash: String
    var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, chain, position, at, actor, action, studio, production, subject, details, previousHash = "previous-hash", hash
    }

    init(_ event: AuditEvent) {
        seq = event.seq
        chain = event.chain
        position = event.position
        at = event.at
        actor = event.actor
        action = event.action
        studio = event.studioID
        production = event.productionID
        subject = event.subject
        details = JSONValue.parse(event.details) ?? .null
        previousHash = event.previousHash
        hash = event.hash
    }
}

/// What verifying one chain found, with the head it was verified up to.
struct AuditVerificationResponse: Encodable, Sendable {
    var chain: String
    var intact: Bool
    var events: Int
    @ExplicitNull var brokenAt: Int64?
    @ExplicitNull var reason: String?
    var head: String
    var anchor: String

    enum CodingKeys: String, CodingKey {
        case chain, intact, events, brokenAt = "broken-at", reason, head, anchor
    }

    init(_ verification: AuditVerification, head: AuditChainHead) {
        chain = head.chain
        intact = verification.intact
        events = verification.events
        brokenAt = verification.brokenAt
        reason = verification.reason
        self.head = head.hash
        anchor = head.anchor
    }
}

/// What verifying every chain found: the first break (if any) and each chain's result.
struct AuditChainsVerificationResponse: Encodable, Sendable {
    var intact: Bool
    var events: Int
    @ExplicitNull var brokenAt: Int64?
    /// The first broken chain and why.
    @ExplicitNull var reason: String?
    var chains: [AuditVerificationResponse]

    enum CodingKeys: String, CodingKey {
        case intact, events, brokenAt = "broken-at", reason, chains
    }

    init(_ results: [(head: AuditChainHead, result: AuditVerification)]) {
        let firstBroken = results.first { !$0.result.intact }
        intact = firstBroken == nil
        events = results.reduce(0) { $0 + $1.result.events }
        brokenAt = firstBroken?.result.brokenAt
        reason = firstBroken.map { "\($0.head.chain): \($0.result.reason ?? "")" }
        chains = results.map { AuditVerificationResponse($0.result, head: $0.head) }
    }
}
