internal import Crypto
internal import Foundation

/// The events a studio can subscribe a webhook endpoint to (service.md, "Webhooks").
public enum WebhookEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case requestSubmitted = "request.submitted"
    case requestDecided = "request.decided"
    case requestApproved = "request.approved"
    case requestRejected = "request.rejected"
    case requestAcknowledged = "request.acknowledged"
    case policyPublished = "policy.published"
    /// A coordinator recorded an obligation of a use as met, with its evidence.
    case obligationMet = "obligation.met"
    /// Sent to one endpoint when a studio admin asks for a test; nobody subscribes to it.
    case webhookTest = "webhook.test"

    /// The events an endpoint can subscribe to.
    public static let subscribable: [WebhookEvent] = allCases.filter { $0 != .webhookTest }

    /// The webhook events an audited change raises: a filing is also a decision, a revision or a
    /// re-triage is a new decision, and a verdict raises approval or rejection when it settles
    /// the request.
    public static func raised(byAction action: String, newState: String?) -> [WebhookEvent] {
        switch action {
        case "request.submitted": [.requestSubmitted, .requestDecided]
        case "request.revised": [.requestDecided]
        // A re-triage whose kept verdicts settle every area approves (or rejects) the request.
        case "request.retriaged":
            switch newState {
            case "approved": [.requestDecided, .requestApproved]
            case "rejected": [.requestDecided, .requestRejected]
            default: [.requestDecided]
            }
        case "request.acknowledged": [.requestAcknowledged]
        case "policy.published": [.policyPublished]
        case "obligation.met": [.obligationMet]
        case "webhook.tested": [.webhookTest]
        case "request.verdict":
            switch newState {
            case "approved": [.requestApproved]
            case "rejected": [.requestRejected]
            default: []
            }
        default: []
        }
    }
}

/// How a delivery's body is shaped.
public enum WebhookFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Clearance's own JSON event.
    case json
    /// Slack's incoming-webhook message: `{"text": "..."}`.
    case slack
}

/// Signing and retrying deliveries. Pure: the clock and the network stay with the caller.
public enum Webhook {
    /// The header values for a body sent at `timestamp` (Unix seconds): the signature is
    /// HMAC-SHA256 over `"<timestamp>.<raw body>"`, so a receiver that checks the timestamp is
    /// recent also refuses replays.
    public static func signature(secret: String, timestamp: Int, body: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: key)
        return "sha256=" + JSONValue.hex(mac)
    }

    /// Attempts before a delivery is given up as failed.
    public static let maxAttempts = 8

    /// Seconds to wait after the `attempt`th failure (from 1): 10 s, doubling, at most an hour.
    public static func delay(afterAttempt attempt: Int) -> Int {
        min(3600, 10 << min(max(attempt - 1, 0), 12))
    }

    /// The body for an endpoint's format.
    public static func body(format: WebhookFormat, deliveryID: String, event: WebhookEvent, at: String, actor: String,
                            studio: String, production: String?, subject: String, details: JSONValue, auditSeq: Int) -> String {
        switch format {
        case .json:
            return JSONValue.object([
                .init("id", .string(deliveryID)), .init("event", .string(event.rawValue)), .init("at", .string(at)),
                .init("studio", .string(studio)), .init("production", production.map { .string($0) } ?? .null),
                .init("subject", .string(subject)), .init("actor", .string(actor)), .init("details", details),
                .init("audit-seq", .number(auditSeq)),
            ]).rendered
        case .slack:
            let place = production.map { "\(studio)/\($0)" } ?? studio
            let text = switch event {
            case .requestSubmitted: "Clearance: new GenAI use request \(subject) on \(place)"
            case .requestDecided: "Clearance: request \(subject) on \(place) was triaged"
            case .requestApproved: "Clearance: request \(subject) on \(place) is approved"
            case .requestRejected: "Clearance: request \(subject) on \(place) was rejected"
            case .requestAcknowledged: "Clearance: the studio acknowledged request \(subject) on \(place)"
            case .policyPublished: "Clearance: \(studio) published a new policy version"
            case .obligationMet: "Clearance: an obligation of request \(subject) on \(place) was met"
            case .webhookTest: "Clearance: a test message from \(studio). This endpoint receives its events."
            }
            return JSONValue.object([.init("text", .string(text))]).rendered
        }
    }
}
