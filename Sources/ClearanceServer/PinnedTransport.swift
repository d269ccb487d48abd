internal import AsyncHTTPClient
public import ClearanceCore
internal import Foundation
internal import NIOCore
internal import NIOHTTP1

/// Sends one outbound POST over a connection to an address chosen beforehand. Tests stand in
/// their own to see where requests would go without sending them there.
public protocol OutboundTransport: Sendable {
    /// POSTs `request` over a connection to `address` (the URL's port) and returns the status
    /// code; throws when no answer came within `timeout`.
    func post(_ request: OutboundPost, connectingTo address: IPAddress, timeout: Duration) async throws -> Int
}

/// The real transport, on AsyncHTTPClient. Each request gets a client of its own whose only DNS
/// entry maps the URL's host to the checked address: it connects there without a lookup, while
/// the Host header, TLS SNI and the certificate check still use the host name. Redirects are
/// not followed, so a 307 cannot send the signed body on to another address.
public struct PinnedTransport: OutboundTransport {
    /// How long connecting may take, within the request's own timeout.
    let connectTimeout: Duration

    public init(connectTimeout: Duration = .seconds(5)) {
        self.connectTimeout = connectTimeout
    }

    /// The URL has no host to pin.
    struct NoHost: Error {}

    public func post(_ request: OutboundPost, connectingTo address: IPAddress, timeout: Duration) async throws -> Int {
        guard let host = URL(string: request.url)?.host, !host.isEmpty else { throw NoHost() }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(min(connectTimeout, timeout)), read: Self.amount(timeout)),
            connectionPool: .init(idleTimeout: .seconds(1)),
            proxy: nil
        )
        // AsyncHTTPClient looks the host up as written, or bracketed for an IPv6 literal.
        configuration.dnsOverride = [host: address.description, "[\(host)]": address.description]
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        outgoing.body = .bytes(ByteBuffer(string: request.body))
        let result: Result<Int, any Error>
        do {
            let response = try await client.execute(outgoing, timeout: Self.amount(timeout))
            result = .success(Int(response.status.code))
        } catch {
            result = .failure(error)
        }
        // The body is not read: the status is the answer. Shutting down closes the connection.
        try? await client.shutdown()
        return try result.get()
    }

    private static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
