public import ClearanceCore

/// One change, as appended to the audit chain. `hash` covers every other field, including the
/// previous event's hash, so editing, deleting or reordering events breaks the chain.
public struct AuditEvent: Sendable, Hashable, Codable {
    public var seq: Int64
    /// ISO 8601 time with milliseconds, kept as text so the hashed bytes survive storage exactly.
    public var at: String
    public var actor: String
    public var action: String
    public var studioID: String?
    public var productionID: String?
    public var subject: String
    /// Canonical JSON.
    public var details: String
    public var previousHash: String
    public var hash: String

    public init(seq: Int64, at: String, actor: String, action: String, studioID: String?, productionID: String?,
                subject: String, details: String, previousHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.studioID = studioID
        self.productionID = productionID
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// A change about to be recorded: the store gives it a place in the chain in the same
/// transaction as the change itself.
public struct AuditDraft: Sendable, Hashable {
    public var at: String
    public var actor: String
    public var action: String
    public var studioID: String?
    public var productionID: String?
    public var subject: String
    public var details: JSONValue

    public init(at: String, actor: String, action: String, studioID: String? = nil, productionID: String? = nil,
                subject: String, details: JSONValue = .object([])) {
        self.at = at
        self.actor = actor
        self.action = action
        self.studioID = studioID
        self.productionID = productionID
        self.subject = subject
        self.details = details
    }
}

/// The newest event's place in the chain, kept beside the events so that cutting events off the
/// end is caught too.
public struct AuditHead: Sendable, Hashable, Codable {
    public var seq: Int64
    public var hash: String

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The head of an empty chain.
    public static let genesis = AuditHead(seq: 0, hash: "sha256:" + String(repeating: "0", count: 64))
}

/// Sealing and checking the audit hash chain. Pure: stores call it inside their transactions.
public enum AuditChain {
    /// The event that follows `head`.
    public static func seal(_ draft: AuditDraft, after head: AuditHead) -> AuditEvent {
        var event = AuditEvent(seq: head.seq + 1, at: draft.at, actor: draft.actor, action: draft.action,
                               studioID: draft.studioID, productionID: draft.productionID, subject: draft.subject,
                               details: draft.details.canonical, previousHash: head.hash, hash: "")
        event.hash = hash(of: event)
        return event
    }

    /// The SHA-256 of an event's canonical form, without its own hash.
    public static func hash(of event: AuditEvent) -> String {
        CanonicalDigest.of(.object([
            .init("seq", .number(Int(event.seq))),
            .init("at", .string(event.at)),
            .init("actor", .string(event.actor)),
            .init("action", .string(event.action)),
            .init("studio", event.studioID.map { .string($0) } ?? .null),
            .init("production", event.productionID.map { .string($0) } ?? .null),
            .init("subject", .string(event.subject)),
            .init("details", .string(event.details)),
            .init("previous", .string(event.previousHash)),
        ]))
    }

    /// Checks events in stored order against each other and against the recorded head.
    public static func verify(_ events: [AuditEvent], head: AuditHead?) -> AuditVerification {
        var previous = AuditHead.genesis
        for event in events {
            let expected = previous.seq + 1
            if event.seq != expected {
                let reason = event.seq > expected
                    ? "event \(expected) is missing (the next stored event is \(event.seq))"
                    : "event \(event.seq) is out of order (expected \(expected))"
                return AuditVerification(events: events.count, brokenAt: expected, reason: reason)
            }
            if event.previousHash != previous.hash {
                return AuditVerification(events: events.count, brokenAt: event.seq,
                                         reason: "event \(event.seq) does not follow event \(previous.seq): previous hash differs")
            }
            if hash(of: event) != event.hash {
                return AuditVerification(events: events.count, brokenAt: event.seq,
                                         reason: "event \(event.seq) was altered: its contents do not match its hash")
            }
            previous = AuditHead(seq: event.seq, hash: event.hash)
        }
        let recorded = head ?? .genesis
        if recorded != previous {
            return AuditVerification(events: events.count, brokenAt: previous.seq + 1,
                                     reason: "the chain ends at event \(previous.seq) but the recorded head is event \(recorded.seq)")
        }
        return AuditVerification(events: events.count, brokenAt: nil, reason: nil)
    }
}

/// What `verify` found: nil `brokenAt` means every link holds.
public struct AuditVerification: Sendable, Hashable {
    public var events: Int
    /// The sequence number of the first event that does not hold.
    public var brokenAt: Int64?
    public var reason: String?

    public var intact: Bool { brokenAt == nil }

    public init(events: Int, brokenAt: Int64?, reason: String?) {
        self.events = events
        self.brokenAt = brokenAt
        self.reason = reason
    }
}
