public import ClearanceCore

/// One change, as appended to an audit chain. Each studio has its own chain, and site-level
/// changes (users, sessions, tokens) have one more; `hash` covers every other field but `seq`,
/// including the previous event's hash, so editing, deleting or reordering events breaks the chain.
public struct AuditEvent: Sendable, Hashable, Codable {
    /// The event's number across every chain, in the order they were written: for listing and paging.
    public var seq: Int64
    /// The chain it belongs to: `studio:<id>`, `site`, or `legacy` for events written before
    /// chains were kept per studio.
    public var chain: String
    /// Its place in its chain, from 1.
    public var position: Int64
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

    public init(seq: Int64, chain: String, position: Int64, at: String, actor: String, action: String, studioID: String?,
                productionID: String?, subject: String, details: String, previousHash: String, hash: String) {
        self.seq = seq
        self.chain = chain
        self.position = position
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

/// A chain's newest event, kept beside the events so that cutting events off the end is caught
/// too, and what its first event follows.
public struct AuditChainHead: Sendable, Hashable, Codable {
    public var chain: String
    public var position: Int64
    public var hash: String
    /// The hash the chain's first event names as its previous one: zeros for a chain begun on an
    /// empty database, or the head of the old single chain for chains begun after the upgrade.
    public var anchor: String

    public init(chain: String, position: Int64, hash: String, anchor: String) {
        self.chain = chain
        self.position = position
        self.hash = hash
        self.anchor = anchor
    }

    /// An empty chain that follows `anchor`.
    public static func empty(_ chain: String, anchor: String = AuditChain.zeroHash) -> AuditChainHead {
        AuditChainHead(chain: chain, position: 0, hash: anchor, anchor: anchor)
    }
}

/// Sealing and checking audit hash chains. Pure: stores call it inside their transactions.
public enum AuditChain {
    /// The events written before chains were kept per studio: one chain, left as it was.
    public static let legacy = "legacy"
    /// Site-level changes: users, sessions, tokens, invitations accepted by new users.
    public static let site = "site"
    public static let zeroHash = "sha256:" + String(repeating: "0", count: 64)

    /// The chain a change belongs to: its studio's, or the site's.
    public static func chain(for studioID: String?) -> String {
        studioID.map { "studio:" + $0 } ?? site
    }

    /// The event that follows `head` in its chain; `seq` is its number across all chains.
    public static func seal(_ draft: AuditDraft, after head: AuditChainHead, seq: Int64) -> AuditEvent {
        var event = AuditEvent(seq: seq, chain: head.chain, position: head.position + 1, at: draft.at, actor: draft.actor,
                               action: draft.action, studioID: draft.studioID, productionID: draft.productionID,
                               subject: draft.subject, details: draft.details.canonical, previousHash: head.hash, hash: "")
        event.hash = hash(of: event)
        return event
    }

    /// The SHA-256 of an event's canonical form, without its own hash. An event of a studio or
    /// the site names its chain; one of the old single chain is hashed as it always was.
    public static func hash(of event: AuditEvent) -> String {
        var members: [JSONValue.Member] = [
            .init("seq", .number(Int(event.position))),
            .init("at", .string(event.at)),
            .init("actor", .string(event.actor)),
            .init("action", .string(event.action)),
            .init("studio", event.studioID.map { .string($0) } ?? .null),
            .init("production", event.productionID.map { .string($0) } ?? .null),
            .init("subject", .string(event.subject)),
            .init("details", .string(event.details)),
            .init("previous", .string(event.previousHash)),
        ]
        if event.chain != legacy { members.append(.init("chain", .string(event.chain))) }
        return CanonicalDigest.of(.object(members))
    }

    /// Checks one chain's events, in position order, against each other and against its recorded head.
    public static func verify(_ events: [AuditEvent], head: AuditChainHead?) -> AuditVerification {
        let anchor = head?.anchor ?? zeroHash
        var previous = (position: Int64(0), hash: anchor)
        for event in events {
            let expected = previous.position + 1
            if event.position != expected {
                let reason = event.position > expected
                    ? "event \(expected) is missing (the next stored event is \(event.position))"
                    : "event \(event.position) is out of order (expected \(expected))"
                return AuditVerification(events: events.count, brokenAt: expected, reason: reason)
            }
            if head.map({ event.chain != $0.chain }) ?? false {
                return AuditVerification(events: events.count, brokenAt: event.position,
                                         reason: "event \(event.position) belongs to another chain (\(event.chain))")
            }
            if event.previousHash != previous.hash {
                return AuditVerification(events: events.count, brokenAt: event.position,
                                         reason: event.position == 1
                                             ? "event 1 does not follow the chain's anchor: previous hash differs"
                                             : "event \(event.position) does not follow event \(previous.position): previous hash differs")
            }
            if hash(of: event) != event.hash {
                return AuditVerification(events: events.count, brokenAt: event.position,
                                         reason: "event \(event.position) was altered: its contents do not match its hash")
            }
            previous = (event.position, event.hash)
        }
        let recorded = head ?? .empty(legacy)
        if recorded.position != previous.position || recorded.hash != previous.hash {
            return AuditVerification(events: events.count, brokenAt: previous.position + 1,
                                     reason: "the chain ends at event \(previous.position) but the recorded head is event \(recorded.position)")
        }
        return AuditVerification(events: events.count, brokenAt: nil, reason: nil)
    }
}

/// What `verify` found: nil `brokenAt` means every link holds.
public struct AuditVerification: Sendable, Hashable {
    public var events: Int
    /// The position, in its chain, of the first event that does not hold.
    public var brokenAt: Int64?
    public var reason: String?

    public var intact: Bool { brokenAt == nil }

    public init(events: Int, brokenAt: Int64?, reason: String?) {
        self.events = events
        self.brokenAt = brokenAt
        self.reason = reason
    }
}
