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
/// allows. They run concurrently, at most `DeliveryConcurrency.perEndpoint` at a time to one
/// endpoint, so an endpoint that never answers holds up only its own deliveries.
public struct WebhookDispatcher: Service {
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger
    /// How often to look for due deliveries.
    let interval: Duration
    let gate: OutboundGate
    let inFlight: InFlightAttempts

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
                interval: Duration = .seconds(1), gate: OutboundGate = OutboundGate(policy: OutboundAddressPolicy()),
                concurrency: DeliveryConcurrency = DeliveryConcurrency()) {
        self.store = store
        self.now = now
        self.logger = logger
        self.interval = interval
        self.gate = gate
        self.inFlight = InFlightAttempts(concurrency)
    }

    /// How long a claimed delivery stays with this dispatcher before another may take it.
    static let lease: TimeInterval = 60

    /// Starts a pass every `interval` without waiting for earlier ones, so a pass held up by a
    /// slow endpoint does not hold up deliveries that fall due meanwhile.
    public func run() async throws {
        await withDiscardingTaskGroup { passes in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                passes.addTask {
                    do {
                        _ = try await deliverDue()
                    } catch {
                        logger.error("webhook pass failed", metadata: ["error": .string(String(describing: error))])
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over the due deliveries; returns how many were attempted. Each endpoint's
    /// deliveries are shared among at most `perEndpoint` lanes, each sending one at a time.
    /// A claimed delivery that gets no lane (its endpoint is busy, or all lanes are) or whose
    /// turn comes too late to finish within the claim is left to be claimed again when the
    /// claim lapses: it is never sent twice.
    public func deliverDue(limit: Int = 50) async throws -> Int {
        guard inFlight.hasRoom else { return 0 }
        let time = now()
        let started = ContinuousClock.now
        let due = try await store.claimDueDeliveries(at: time, limit: limit, leaseUntil: time.addingTimeInterval(Self.lease))
        let lastStart = started + .seconds(Self.lease) - gate.timeout - .seconds(5)
        var lanes: [(endpoint: WebhookEndpoint, deliveries: [WebhookDelivery])] = []
        for (endpoint, deliveries) in Self.byEndpoint(due) {
            let granted = inFlight.reserve(endpoint.id, wanted: deliveries.count)
            for lane in 0..<granted {
                lanes.append((endpoint, stride(from: lane, to: deliveries.count, by: granted).map { deliveries[$0] }))
            }
        }
        return await withTaskGroup(of: Int.self) { group in
            for lane in lanes {
                group.addTask {
                    defer { inFlight.release(lane.endpoint.id) }
                    var attempted = 0
                    for delivery in lane.deliveries {
                        guard ContinuousClock.now < lastStart, !Task.isCancelled, !Task.isShuttingDownGracefully else { break }
                        await attempt(delivery, to: lane.endpoint)
                        attempted += 1
                    }
                    return attempted
                }
            }
            return await group.reduce(0, +)
        }
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

    /// The claimed deliveries grouped by endpoint, endpoints and deliveries in claim order.
    static func byEndpoint(_ due: [(WebhookDelivery, WebhookEndpoint)]) -> [(WebhookEndpoint, [WebhookDelivery])] {
        var groups: [(WebhookEndpoint, [WebhookDelivery])] = []
        var index: [String: Int] = [:]
        for (delivery, endpoint) in due {
            if let position = index[endpoint.id] {
                groups[position].1.append(delivery)
            } else {
                index[endpoint.id] = groups.count
                groups.append((endpoint, [delivery]))
            }
        }
        return groups
    }
}
