internal import AsyncHTTPClient
public import ClearanceStore
internal import ClearanceCore
public import Foundation
public import Logging
internal import NIOCore
internal import NIOHTTP1
public import ServiceLifecycle

/// Sends the outbox's due deliveries, signed, and records every attempt in the audit chain.
/// Runs beside the HTTP server; stops with it on SIGTERM. Failed attempts are retried with
/// exponential backoff (`Webhook.delay`). Each pass claims its deliveries for a minute, so
/// dispatchers in several instances on one database never send the same one; a delivery whose
/// dispatcher died mid-send is sent again once the claim lapses.
public struct WebhookDispatcher: Service {
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger
    /// How often to look for due deliveries.
    let interval: Duration

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
                interval: Duration = .seconds(1)) {
        self.store = store
        self.now = now
        self.logger = logger
        self.interval = interval
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
        // The lease outlasts a send (10 s timeout) with room to spare.
        let due = try await store.claimDueDeliveries(at: time, limit: limit, leaseUntil: time.addingTimeInterval(Self.lease))
        for (delivery, endpoint) in due {
            let attempt = await send(delivery, to: endpoint)
            let outcome = attempt.delivered ? "delivered" : attempt.retryAt == nil ? "failed" : "retrying"
            try await store.recordAttempt(attempt, audit: AuditDraft(
                at: Timestamps.string(attempt.at), actor: "webhooks", action: "webhook.attempt", studioID: delivery.studioID,
                subject: delivery.id, details: .object([
                    .init("endpoint", .string(endpoint.id)), .init("event", .string(delivery.event.rawValue)),
                    .init("attempt", .number(delivery.attempts + 1)), .init("outcome", .string(outcome)),
                    .init("status-code", attempt.statusCode.map { .number($0) } ?? .null),
                ])))
        }
        return due.count
    }

    func send(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async -> DeliveryAttempt {
        let started = now()
        let timestamp = Int(started.timeIntervalSince1970)
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Clearance-Webhooks/1")
        request.headers.add(name: "X-Clearance-Event", value: delivery.event.rawValue)
        request.headers.add(name: "X-Clearance-Delivery", value: delivery.id)
        request.headers.add(name: "X-Clearance-Timestamp", value: String(timestamp))
        request.headers.add(name: "X-Clearance-Signature",
                            value: Webhook.signature(secret: endpoint.secret, timestamp: timestamp, body: delivery.body))
        request.body = .bytes(ByteBuffer(string: delivery.body))
        var statusCode: Int?
        var failure: String?
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            statusCode = Int(response.status.code)
            if !(200..<300).contains(Int(response.status.code)) { failure = "the receiver answered \(response.status.code)" }
        } catch {
            failure = "could not deliver: \(error)"
        }
        let attempts = delivery.attempts + 1
        let delivered = failure == nil
        let retryAt: Date? = delivered || attempts >= Webhook.maxAttempts
            ? nil : started.addingTimeInterval(TimeInterval(Webhook.delay(afterAttempt: attempts)))
        if !delivered {
            logger.warning("webhook delivery failed", metadata: [
                "delivery": .string(delivery.id), "attempt": .stringConvertible(attempts), "error": .string(failure ?? ""),
            ])
        }
        return DeliveryAttempt(deliveryID: delivery.id, at: started, statusCode: statusCode, error: failure, retryAt: retryAt)
    }
}
