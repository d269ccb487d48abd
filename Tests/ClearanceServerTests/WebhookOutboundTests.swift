import ClearanceCore
import ClearanceServer
import ClearanceStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

extension OutboundAddressPolicy {
    /// Loopback receivers are internal addresses: webhook tests allow them, as a site would
    /// with `--outbound-allow 127.0.0.0/8 --outbound-allow ::1/128`.
    static let loopbackAllowed = OutboundAddressPolicy(allowing: ["127.0.0.0/8", "::1/128"].compactMap(AddressRange.init))
}

/// Webhooks may not be turned against the server's own network: internal targets are refused at
/// registration and at every delivery, whatever the URL's spelling, the DNS answer or a redirect
/// says; and an endpoint that never answers does not hold up another studio's deliveries.
@Suite("Webhooks: outbound requests")
struct WebhookOutboundTests {
    @Test("registration refuses internal addresses in any spelling, and internal names, with a 422 on /url")
    func registrationRefusesInternalTargets() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let refused = [
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.5.4/",
                "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://metadata.google.internal/computeMetadata/v1/",
                "http://localhost:8080/", "http://api.localhost/", "http://2130706433/", "http://0x7f000001/", "http://127.1/",
                "http://0177.0.0.1/", "http://0.0.0.0/", "http://0/", "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/",
                "http://[::ffff:a9fe:a9fe]/", "http://127.0.0.1:8080/api/v1/studios", "http://224.0.0.1/",
                "http://255.255.255.255/", "http://intranet/", "https://printer.local/",
            ]
            for url in refused {
                let answer = try await client.call(.post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                   json: #"{"url": "\#(url)", "events": ["request.submitted"]}"#)
                #expect(answer.status == .unprocessableContent, "\(url) was accepted")
                let problem = (answer["errors"] as? [[String: Any]])?.first
                #expect(problem?["pointer"] as? String == "/url")
                #expect((problem?["detail"] as? String)?.contains("requests may not go to internal addresses") == true, "\(url)")
            }
            let numeric = try await client.call(.post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                json: #"{"url": "http://2130706433/", "events": ["request.submitted"]}"#)
            #expect(numeric.text.contains("'2130706433' (127.0.0.1) is a loopback address"))
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                        json: #"{"url": "https://hooks.example.com/clearance", "events": ["request.submitted"]}"#)
        }
        // A site that allows loopback lets loopback receivers be registered, and nothing else.
        let testing = try await Service.make(outbound: .loopbackAllowed)
        try await testing.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: testing.adminToken)
            for url in ["http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://[::1]:9/hook"] {
                _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "\#(url)", "events": ["request.submitted"]}"#)
            }
            for url in ["http://10.0.0.1/", "http://metadata.google.internal/"] {
                _ = try await client.expect(.unprocessableContent, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "\#(url)", "events": ["request.submitted"]}"#)
            }
        }
    }

    @Test("a delivery to an internal address is refused, in every spelling and by the DNS answer, and nothing is sent")
    func deliveryRefusesInternalTargets() async throws {
        let inbox = WebhookTests.Inbox(failFirst: 0)
        let listener6 = try await SilentListener.start(host: "::1")
        try await WebhookTests.receiver(inbox).test(.live) { receiver in
            let port = try #require(receiver.port)
            let service = try await Service.make()
            // Stored as if registered before the policy, or by a name whose address changed since.
            let urls = ["127.0.0.1", "localhost", "2130706433", "0x7f000001", "127.1", "0.0.0.0", "rebound.example.test"]
                .map { "http://\($0):\(port)/hook" } + ["http://[::1]:\(listener6.port)/hook", "http://[::ffff:127.0.0.1]:\(port)/hook"]
            try await service.run { client in
                let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
                for url in urls { try await Self.storeEndpoint(service, studio: "acme", url: url) }
                _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
            }
            let resolver = ScriptedResolver(["rebound.example.test": [[.v4(0x7f00_0001)]]])
            let dispatcher = WebhookTests.dispatcher(service, policy: OutboundAddressPolicy(), resolver: resolver)
            #expect(try await dispatcher.deliverDue() == urls.count)
            #expect(inbox.received.isEmpty)
            #expect(listener6.accepted == 0)
            #expect(resolver.asked == ["rebound.example.test"])
            let deliveries = try await Self.deliveries(service, studio: "acme")
            #expect(deliveries.count == urls.count)
            for delivery in deliveries {
                #expect(delivery.lastError == "refused by policy")
                #expect(delivery.lastStatusCode == nil)
                #expect(delivery.status == .pending)
            }
            let chain = try await service.store.auditEventsInOrder()
            let attempts = chain.filter { $0.action == "webhook.attempt" }
            #expect(attempts.count == urls.count)
            #expect(attempts.allSatisfy { $0.details.contains(#""result":"refused by policy""#) })
        }
        await listener6.close()
    }

    @Test("a 307 or 308 answer is reported as it is: the signed body is not sent on to the port it names")
    func redirectsAreNotFollowed() async throws {
        let elsewhere = WebhookTests.Inbox(failFirst: 0)
        try await WebhookTests.receiver(elsewhere).test(.live) { target in
            let targetPort = try #require(target.port)
            let inbox = WebhookTests.Inbox(failFirst: 0)
            try await WebhookTests.receiver(inbox, redirectTo: "http://127.0.0.1:\(targetPort)/hook").test(.live) { receiver in
                let port = try #require(receiver.port)
                // No redirect is followed, even to an address the site allows.
                let policy = OutboundAddressPolicy.loopbackAllowed
                let service = try await Service.make(outbound: policy)
                try await service.run { client in
                    let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
                    for code in [307, 308] {
                        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                    json: #"{"url": "http://127.0.0.1:\#(port)/moved/\#(code)", "events": ["request.submitted"]}"#)
                    }
                    _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
                }
                #expect(try await WebhookTests.dispatcher(service, policy: policy).deliverDue() == 2)
                #expect(inbox.received.count == 2)
                #expect(elsewhere.received.isEmpty)
                let deliveries = try await Self.deliveries(service, studio: "acme")
                #expect(Set(deliveries.compactMap(\.lastError)) == ["HTTP 307", "HTTP 308"])
                #expect(Set(deliveries.compactMap(\.lastStatusCode)) == [307, 308])
                #expect(deliveries.allSatisfy { $0.status == .pending })
            }
        }
    }

    @Test("a name is resolved once per attempt and the connection goes to the address that was checked")
    func connectsToTheCheckedAddress() async throws {
        // First a public answer, then loopback (DNS rebinding): the second attempt is refused and
        // no connection is ever asked for to loopback.
        let rebinding = ScriptedResolver(["hooks.example.test": [[.v4(0xc633_6414)], [.v4(0x7f00_0001)]]])
        let recorder = RecordingTransport(status: 503)
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                        json: #"{"url": "https://hooks.example.test/in", "events": ["request.submitted"]}"#)
            _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
        }
        let dispatcher = WebhookTests.dispatcher(service, policy: OutboundAddressPolicy(), resolver: rebinding, transport: recorder)
        #expect(try await dispatcher.deliverDue() == 1)
        service.clock.advance(3600)
        #expect(try await dispatcher.deliverDue() == 1)
        #expect(rebinding.asked == ["hooks.example.test", "hooks.example.test"])
        #expect(recorder.addresses == [.v4(0xc633_6414)])
        let delivery = try #require(try await Self.deliveries(service, studio: "acme").first)
        #expect(delivery.lastError == "refused by policy")
        #expect(delivery.attempts == 2)

        // An answer with both kinds: only the public address is used.
        let mixed = ScriptedResolver(["hooks.example.test": [[.v4(0x7f00_0001), .v6(1), .v4(0xc633_6415)]]])
        let second = RecordingTransport(status: 204)
        service.clock.advance(3600)
        #expect(try await WebhookTests.dispatcher(service, policy: OutboundAddressPolicy(), resolver: mixed, transport: second)
            .deliverDue() == 1)
        #expect(second.addresses == [.v4(0xc633_6415)])

        // The real transport connects to the checked address without a lookup of its own: the
        // name exists only in the test's resolver, and the receiver still sees it as the Host.
        let inbox = WebhookTests.Inbox(failFirst: 0)
        try await WebhookTests.receiver(inbox).test(.live) { receiver in
            let port = try #require(receiver.port)
            let pinned = try await Service.make()
            try await pinned.run { client in
                let world = try await WorkflowRouteTests.world(client, admin: pinned.adminToken)
                _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "http://receiver.example.test:\#(port)/hook", "events": ["request.submitted"]}"#)
                _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
            }
            let resolver = ScriptedResolver(["receiver.example.test": [[.v4(0x7f00_0001)]]])
            #expect(try await WebhookTests.dispatcher(pinned, resolver: resolver).deliverDue() == 1)
            #expect(inbox.received.count == 1)
            #expect(inbox.received.first?.authority == "receiver.example.test:\(port)")
            let delivery = try #require(try await Self.deliveries(pinned, studio: "acme").first)
            #expect(delivery.status == .delivered)
            #expect(delivery.lastError == nil)
        }
    }

    @Test("an endpoint that never answers does not delay another studio's delivery; unanswered attempts all read 'no answer'")
    func deadEndpointDoesNotDelayAnotherStudio() async throws {
        let silent = try await SilentListener.start()
        let closedPort = try await SilentListener.closedPort()
        let service = try await Service.make(outbound: .loopbackAllowed)
        let store = service.store
        // When the healthy receiver is reached, how many of the silent endpoints' deliveries had
        // an attempt recorded: none while they are still waiting for an answer.
        let recordedAtArrival = Tally()
        let inbox = WebhookTests.Inbox(failFirst: 0)
        try await WebhookTests.receiver(inbox, arrival: {
            let silentEndpoints = ((try? await store.webhooks(studioID: "acme")) ?? []).filter { $0.url.contains(":\(silent.port)/") }
            var recorded = 0
            for endpoint in silentEndpoints {
                recorded += ((try? await store.deliveries(endpointID: endpoint.id, limit: 10)) ?? []).filter { $0.attempts > 0 }.count
            }
            recordedAtArrival.append(recorded)
        }).test(.live) { receiver in
            let port = try #require(receiver.port)
            try await service.run { client in
                let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
                // Acme: five endpoints that accept connections and never answer, a closed port, and
                // an https URL whose port speaks plain HTTP.
                var urls = (1...5).map { "http://127.0.0.1:\(silent.port)/dead/\($0)" }
                urls += ["http://127.0.0.1:\(closedPort)/hook", "https://127.0.0.1:\(port)/hook"]
                for url in urls {
                    _ = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                json: #"{"url": "\#(url)", "events": ["request.submitted"]}"#)
                }
                _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest())
                // Beta, another studio, files afterwards: its delivery is claimed last.
                _ = try await client.expect(.created, .post, "/api/v1/studios", token: service.adminToken,
                                            json: #"{"id": "beta", "name": "Beta", "admin": "boss@example.com"}"#)
                _ = try await client.expect(.created, .post, "/api/v1/studios/beta/productions", token: world.studioAdmin,
                                            json: #"{"id": "b1", "title": "B1"}"#)
                try await client.join("/api/v1/productions/b1/members", token: world.studioAdmin,
                                      json: #"{"email": "crew@example.com", "role": "requester"}"#, invitee: world.requester)
                _ = try await client.expect(.created, .post, "/api/v1/studios/beta/webhooks", token: world.studioAdmin,
                                            json: #"{"url": "http://127.0.0.1:\#(port)/hook", "events": ["request.submitted"]}"#)
                _ = try await client.expect(.created, .post, "/api/v1/productions/b1/requests", token: world.requester,
                                            yaml: escalatingRequest())
            }
            #expect(try await WebhookTests.dispatcher(service).deliverDue() == 8)
            #expect(silent.accepted == 5)
            await silent.close()
        }
        #expect(recordedAtArrival.values == [0])
        #expect(inbox.received.count == 1)
        let beta = try await Self.deliveries(service, studio: "beta")
        #expect(beta.map(\.status) == [.delivered])
        let acme = try await Self.deliveries(service, studio: "acme")
        #expect(acme.count == 7)
        for delivery in acme {
            #expect(delivery.lastError == "no answer")
            #expect(delivery.lastStatusCode == nil)
        }
    }

    // MARK: Helpers

    /// Puts an endpoint straight into the store, past registration's check.
    static func storeEndpoint(_ service: Service, studio: String, url: String) async throws {
        let endpoint = WebhookEndpoint(id: "wh-\(UUID().uuidString.prefix(8))", studioID: studio, url: url,
                                       events: [.requestSubmitted], format: .json, secret: "whsec_test", createdAt: service.clock.now)
        try await service.store.addWebhook(endpoint, audit: AuditDraft(at: Timestamps.string(service.clock.now), actor: "test",
                                                                      action: "webhook.added", studioID: studio, subject: endpoint.id))
    }

    /// Every delivery of every endpoint of a studio.
    static func deliveries(_ service: Service, studio: String) async throws -> [WebhookDelivery] {
        var all: [WebhookDelivery] = []
        for endpoint in try await service.store.webhooks(studioID: studio) {
            all += try await service.store.deliveries(endpointID: endpoint.id, limit: 100)
        }
        return all
    }
}

/// Gives each host its answers in turn (the last one again once they run out), and asks the
/// system about any other host.
final class ScriptedResolver: HostResolver {
    private let state: Mutex<(answers: [String: [[IPAddress]]], asked: [String])>

    init(_ answers: [String: [[IPAddress]]]) {
        state = Mutex((answers, []))
    }

    var asked: [String] { state.withLock { $0.asked } }

    func addresses(of host: String) async throws -> [IPAddress] {
        let scripted: [IPAddress]? = state.withLock { state in
            guard let queue = state.answers[host], let next = queue.first else { return nil }
            state.asked.append(host)
            if queue.count > 1 { state.answers[host] = Array(queue.dropFirst()) }
            return next
        }
        if let scripted { return scripted }
        return try await SystemResolver().addresses(of: host)
    }
}

/// Numbers noted from concurrent code.
final class Tally: Sendable {
    private let state = Mutex<[Int]>([])
    func append(_ value: Int) { state.withLock { $0.append(value) } }
    var values: [Int] { state.withLock { $0 } }
}

/// Stands in for the network: notes the address each request would connect to and answers
/// with a fixed status, sending nothing.
final class RecordingTransport: OutboundTransport {
    private let status: Int
    private let seen = Mutex<[IPAddress]>([])

    init(status: Int) {
        self.status = status
    }

    var addresses: [IPAddress] { seen.withLock { $0 } }

    func post(_ request: OutboundPost, connectingTo address: IPAddress, timeout: Duration) async throws -> Int {
        seen.withLock { $0.append(address) }
        return status
    }
}

/// A port that accepts connections and never answers: an endpoint that is up but dead, or a
/// listener that counts who connected.
struct SilentListener: Sendable {
    let channel: any Channel
    let port: Int
    private let connections: Tally

    /// How many connections it has accepted.
    var accepted: Int { connections.values.count }

    static func start(host: String = "127.0.0.1") async throws -> SilentListener {
        let connections = Tally()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .childChannelInitializer { channel in
                connections.append(1)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: host, port: 0).get()
        return SilentListener(channel: channel, port: channel.localAddress?.port ?? 0, connections: connections)
    }

    /// A loopback port with nothing listening on it.
    static func closedPort() async throws -> Int {
        let listener = try await start()
        await listener.close()
        return listener.port
    }

    func close() async {
        try? await channel.close()
    }
}
