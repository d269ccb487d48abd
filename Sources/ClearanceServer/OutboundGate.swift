public import ClearanceCore
internal import Foundation
public import Logging

/// One POST to a URL a studio admin configured: the exact bytes and headers to send.
public struct OutboundPost: Sendable {
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: String

    public init(url: String, headers: [(name: String, value: String)], body: String) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// What came of one outbound request, and all that studio admins are told about it: a refused
/// or unanswered request says nothing about what lies behind the address (closed, filtered,
/// TLS), so the server cannot be used to map the inside network.
public enum OutboundResult: Sendable, Hashable, CustomStringConvertible {
    case answered(status: Int)
    case refusedByPolicy
    case noAnswer

    /// `HTTP 503`, `refused by policy`, `no answer`.
    public var description: String {
        switch self {
        case .answered(let status): "HTTP \(status)"
        case .refusedByPolicy: "refused by policy"
        case .noAnswer: "no answer"
        }
    }
}

/// Sends requests to URLs that studio admins configure, only where the site's address policy
/// lets them go. The host is resolved once per request, every address it has is checked, and the
/// connection goes to the address that passed, with no second lookup; redirects are not followed.
public struct OutboundGate: Sendable {
    public var policy: OutboundAddressPolicy
    let resolver: any HostResolver
    let transport: any OutboundTransport
    /// How long one request may take in all, from looking up the host to the status line.
    public var timeout: Duration

    public init(policy: OutboundAddressPolicy, resolver: any HostResolver = SystemResolver(),
                transport: any OutboundTransport = PinnedTransport(), timeout: Duration = .seconds(10)) {
        self.policy = policy
        self.resolver = resolver
        self.transport = transport
        self.timeout = timeout
    }

    public func post(_ request: OutboundPost, logger: Logger) async -> OutboundResult {
        guard let url = URL(string: request.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              let host = url.host, !host.isEmpty else {
            return .refusedByPolicy
        }
        // The lookup counts against the timeout: no request starts after it has run out.
        let deadline = ContinuousClock.now + timeout
        let candidates: [IPAddress]
        if let known = OutboundAddressPolicy.addresses(withoutLookup: host) {
            candidates = known
        } else {
            do {
                candidates = try await resolver.addresses(of: host)
            } catch {
                logger.debug("outbound host did not resolve", metadata: ["host": .string(host)])
                return .noAnswer
            }
        }
        guard !candidates.isEmpty else { return .noAnswer }
        guard let address = candidates.first(where: policy.permits) else {
            logger.notice("outbound request refused by the address policy", metadata: [
                "host": .string(host), "addresses": .string(candidates.map(\.description).joined(separator: " ")),
            ])
            return .refusedByPolicy
        }
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { return .noAnswer }
        do {
            return .answered(status: try await transport.post(request, connectingTo: address, timeout: remaining))
        } catch {
            logger.debug("outbound request had no answer", metadata: [
                "host": .string(host), "address": .string(address.description), "error": .string(String(describing: error)),
            ])
            return .noAnswer
        }
    }
}
