import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Webhooks against a real HTTP receiver on loopback that fails at first and then recovers.
@Suite("Webhooks")
struct WebhookTests {
    /// What the receiver saw: every request, and whether it accepted it.
    final class Inbox: Sendable {
        struct Received: Sendable {
            var headers: HTTPFields
            var body: String
            var accepted: Bool
            /// The Host the sender named.
            var authority: String?
        }

        private let state = Mutex<(received: [Received], failuresLeft: Int)>(([], 0))

        init(failFirst: Int) { state.withLock { $0.failuresLeft = failFirst } }

        func take(_ request: Request, _ body: String) -> Bool {
            state.withLock { state in
                let accepted = state.failuresLeft == 0
                if !accepted { state.failuresLeft -= 1 }
                state.received.append(Received(headers: request.headers, body: body, accepted: accepted,
                                               authority: request.head.authority))
                return accepted
            }
        }

        var received: [Received] { state.withLock { $0.received } }
    }

    /// The dispatcher logs each failed attempt; these tests fail on purpose.
    static var quietLogger: Logger {
        var logger = Logger(label: "webhooks-test")
        logger.logLevel = .critical
        return logger
    }

    /// A receiver on loopback (`.test(.live)` binds it to localhost): `POST /hook` takes a
    /// delivery (and first runs `arrival`); `POST /moved/307` and `/moved/308` answer with a
    /// redirect to `redirectTo`.
    static func receiver(_ inbox: Inbox, redirectTo: String = "",
                         arrival: @escaping @Sendable () async -> Void = {}) -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            await arrival()
            return inbox.take(request, String(buffer: body)) ? .noContent : .internalServerError
        }
        for status in [HTTPResponse.Status.temporaryRedirect, .permanentRedirect] {
            router.post("moved/\(status.code)") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                _ = inbox.take(request, String(buffer: body))
                return Response(status: status, headers: [.location: redirectTo])
            }
        }
        var logger = Logger(label: "receiver")
        logger.logLevel = .warning
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
    }

    /// A dispatcher on the service's clock that lets deliveries reach loopback, as a site with
    /// `--outbound-allow 127.0.0.0/8 --outbound-allow ::1/128` would.
    static func dispatcher(_ service: Service, policy: OutboundAddressPolicy = .loopbackAllowed,
                           resolver: any HostResolver = SystemResolver(),
                           transport: any OutboundTransport = PinnedTransport()) -> WebhookDispatcher {
        let clock = service.clock
        return WebhookDispatcher(store: service.store, now: { clock.now }, logger: quietLogger,
                                 gate: OutboundGate(policy: policy, resolver: resolver, transport: transport))
    }

    @Test("each event reaches the receiver exactly once, signed, through failures and a restart of the dispatcher", arguments: StoreKind.all)
    func deliveries(kind: StoreKind) async throws {
        let inbox = Inbox(failFirst: 2)
        try await Self.receiver(inbox).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            let service = try await Service.make(kind, outbound: .loopbackAllowed)
            let clock = service.clock
            let (secret, requestID) = try await service.run { client in
                let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
                let hook = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                   json: #"{"url": "http://127.0.0.1:\#(port)/hook", "events": ["request.submitted", "request.decided", "request.approved", "request.acknowledged", "policy.published"]}"#)
                _ = try await client.expect(.forbidden, .post, "/api/v1/studios/acme/webhooks", token: world.legal,
                                            json: #"{"url": "http://127.0.0.1:\#(port)/hook", "events": ["request.submitted"]}"#)
                _ = try await client.expect(.unprocessableContent, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "ftp://example.com/x", "events": ["request.submitted"]}"#)
                let id = try await RegisterTests.approvedUse(client, world)
                return (hook["secret"] as? String ?? "", id)
            }
            // First dispatcher: two attempts fail (the receiver answers 500), the rest go through.
            let first = Self.dispatcher(service)
            #expect(try await first.deliverDue() == 3) // submitted, decided, approved
            #expect(inbox.received.filter(\.accepted).count == 1)
            // Nothing is due until the backoff has passed; then a new dispatcher (as after a restart) sends the rest.
            #expect(try await first.deliverDue() == 0)
            clock.advance(60)
            let second = Self.dispatcher(service)
            #expect(try await second.deliverDue() == 2)
            #expect(try await second.deliverDue() == 0)

            let accepted = inbox.received.filter(\.accepted)
            let events = accepted.compactMap { $0.headers[HTTPField.Name("X-Clearance-Event")!] }
            #expect(events.sorted() == ["request.approved", "request.decided", "request.submitted"])
            let deliveryIDs = accepted.compactMap { $0.headers[HTTPField.Name("X-Clearance-Delivery")!] }
            #expect(Set(deliveryIDs).count == deliveryIDs.count)
            for message in inbox.received {
                let timestamp = Int(message.headers[HTTPField.Name("X-Clearance-Timestamp")!] ?? "") ?? 0
                #expect(message.headers[HTTPField.Name("X-Clearance-Signature")!]
                        == Webhook.signature(secret: secret, timestamp: timestamp, body: message.body))
                #expect(message.body.contains(requestID))
            }
            #expect(Webhook.signature(secret: "wrong", timestamp: 1, body: accepted[0].body)
                    != accepted[0].headers[HTTPField.Name("X-Clearance-Signature")!])

            // The deliveries are listed with their attempts, and every attempt is in the audit chain.
            try await service.run { client in
                let hooks = try await client.call(.get, "/api/v1/studios/acme/webhooks", token: nil)
                #expect(hooks.status == .unauthorized)
            }
            let endpoint = try #require(try await service.store.webhooks(studioID: "acme").first)
            let deliveries = try await service.store.deliveries(endpointID: endpoint.id, limit: 10)
            #expect(deliveries.allSatisfy { $0.status == .delivered })
            #expect(deliveries.map(\.attempts).sorted() == [1, 2, 2])
            let (chain, head) = try await service.store.auditChain("studio:acme")
            #expect(chain.filter { $0.action == "webhook.attempt" }.count == 5)
            #expect(AuditChain.verify(chain, head: head).intact)
        }
    }

    @Test("a Slack endpoint gets a Slack message; an endpoint that never recovers is given up after the last attempt", arguments: StoreKind.all)
    func slackAndGivingUp(kind: StoreKind) async throws {
        let inbox = Inbox(failFirst: 1_000)
        try await Self.receiver(inbox).test(.live) { receiverClient in
            let port = try #require(receiverClient.port)
            let service = try await Service.make(kind, outbound: .loopbackAllowed)
            let clock = service.clock
            try await service.run { client in
                let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
                _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "http://127.0.0.1:\#(port)/hook", "events": ["request.submitted"], "format": "slack"}"#)
                _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
            }
            let dispatcher = Self.dispatcher(service)
            for _ in 0..<Webhook.maxAttempts {
                #expect(try await dispatcher.deliverDue() == 1)
                clock.advance(3600)
            }
            #expect(try await dispatcher.deliverDue() == 0)
            #expect(inbox.received.count == Webhook.maxAttempts)
            let message = try JSONSerialization.jsonObject(with: Data(inbox.received[0].body.utf8)) as? [String: Any]
            #expect((message?["text"] as? String)?.hasPrefix("Clearance: new GenAI use request") == true)
            let endpoint = try #require(try await service.store.webhooks(studioID: "acme").first)
            let delivery = try #require(try await service.store.deliveries(endpointID: endpoint.id, limit: 1).first)
            #expect(delivery.status == .failed)
            #expect(delivery.lastStatusCode == 500)
            #expect(delivery.lastError == "HTTP 500")
        }
    }

    @Test("backoff doubles from 10 s and stops at an hour")
    func backoff() {
        #expect((1...10).map(Webhook.delay(afterAttempt:)) == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600])
    }
}
