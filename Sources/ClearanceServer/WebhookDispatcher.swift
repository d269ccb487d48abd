public import ClearanceStore
public import ClearanceCore
public import Foundation
public import Logging
public import ServiceLifecycle

/// Sends the outbox's due deliveries, signed, and records every attempt in the audit chain.
/// Runs beside the HTTP server; stops with it on SIGTERM. Failed attempts are retried with
/// exponential backoff (`Webhook.delay`). Each pass claims its deliveries for a minute, so
/// dispatchers in several instances on one database never send the same one; a delivery whose
/// dispatcher died mid-send is sent again once the claim lapses.
///
/// Deliveries go through an `OutboundGate`, so they reach only addresses the site's policy
/// allows.
public struct WebhookDispatcher: Service {
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger
    /// How often to look for due deliveries.
    let interval: Duration
    let gate: OutboundGate

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
                interval: Duration = .seconds(1), gate: OutboundGate = OutboundGate(policy: OutboundAddressPolicy())) {
        self.store = store
        self.now = now
        self.logger = logger
        self.interval = interval
        self.gate = gate
    }

    /// How long a claimed delivery stays with this dispatcher before another may take it.
    static let lease: TimeInterval = 60

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await deliverDue()
            } catch {
                logger.error("webhook pass failed", metadata: ["error": .string(String(describing: error))])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass over the due deliveries; returns how many were attempted.
    public func deliverDue(limit: Int = 50) async throws -> Int {
        let time = now()
        let due = try await store.claimDueDeliveries(at: time, limit: limit, leaseUntil: time.addingTimeInterval(Self.lease))
        for (delivery, endpoint) in due {
            await attempt(delivery, to: endpoint)
        }
        return due.count
    }

    /// Sends one delivery and records the attempt with its audit event.
    func attempt(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async {
        let (attempt, result) = await send(delivery, to: endpoint)
        let outcome = attempt.delivered ? "delivered" : attempt.retryAt == nil ? "failed" : "retrying"
        do {
            try await store.recordAttempt(attempt, audit: AuditDraft(
                at: Timestamps.string(attempt.at), actor: "webhooks", action: "webhook.attempt", studioID: delivery.studioID,
                subject: delivery.id, details: .object([
                    .init("endpoint", .string(endpoint.id)), .init("event", .string(delivery.event.rawValue)),
                    .init("attempt", .number(delivery.attempts + 1)), .init("outcome", .string(outcome)),
                    .init("result", .string(result)),
                    .init("status-code", attempt.statusCode.map { .number($0) } ?? .null),
                ])))
        } catch {
            // The claim lapses and the delivery is tried again.
            logger.error("webhook attempt not recorded", metadata: [
                "delivery": .string(delivery.id), "error": .string(String(describing: error)),
            ])
        }
    }

    /// One attempt, and its result as studio admins see it: `delivered`, `refused by policy`,
    /// `no answer` or `HTTP <status>`.
    func send(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async -> (DeliveryAttempt, String) {
        let started = now()
        let timestamp = Int(started.timeIntervalSince1970)
        let request = OutboundPost(url: endpoint.url, headers: [
            ("Content-Type", "application/json"),
            ("User-Agent", "Clearance-Webhooks/1"),
            ("X-Clearance-Event", delivery.event.rawValue),
            ("X-Clearance-Delivery", delivery.id),
            ("X-Clearance-Timestamp", String(timestamp)),
            ("X-Clearance-Signature", Webhook.signature(secret: endpoint.secret, timestamp: timestamp, body: delivery.body)),
        ], body: delivery.body)
        let result = await gate.post(request, logger: logger)
        var statusCode: Int?
        if case .answered(let status) = result { statusCode = status }
        let delivered = statusCode.map { (200..<300).contains($0) } ?? false
        let attempts = delivery.attempts + 1
        let retryAt: Date? = delivered || attempts >= Webhook.maxAttempts
            ? nil : started.addingTimeInterval(TimeInterval(Webhook.delay(afterAttempt: attempts)))
        if !delivered {
            logger.warning("webhook delivery failed", metadata: [
                "delivery": .string(delivery.id), "attempt": .stringConvertible(attempts), "result": .string(result.description),
            ])
        }
        let attempt = DeliveryAttempt(deliveryID: delivery.id, at: started, statusCode: statusCode,
                                      error: delivered ? nil : result.description, retryAt: retryAt)
        return (attempt, delivered ? "delivered" : result.description)
    }
}
