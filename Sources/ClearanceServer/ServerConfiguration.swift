public import ClearanceCore
public import Foundation
internal import ClearanceStore
internal import Synchronization

/// What `buildApplication` needs besides the store.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The clock; tests pin it.
    public var now: @Sendable () -> Date
    /// bcrypt cost for passwords; tests lower it.
    public var passwordCost: UInt8
    /// Mark the session cookie `Secure`: set when TLS ends in front of the server. It is also set
    /// for any request a proxy forwards with `X-Forwarded-Proto: https`.
    public var secureCookies: Bool
    /// Which addresses requests made on a studio admin's behalf (webhooks) may reach: public
    /// ones, and the internal ranges listed with `--outbound-allow`.
    public var outbound: OutboundAddressPolicy
    /// The site's address as people reach it (`https://clearance.example.com`), for the links the
    /// server shows or prints; without it, links are paths on whatever host the page came from.
    public var publicURL: String?
    /// Serve the web templates and assets from this folder (`web/` in the repository), read afresh
    /// on every request, instead of the copies built into the binary: for working on the pages.
    public var webRoot: String?

    /// The one-time link that creates the first site admin, armed by `clearance serve` when the
    /// database has none.
    public var setupLink = SetupLink()

    /// The largest body the API reads: 1 MiB, room for a long policy.
    public static let maxBodySize = 1 << 20

    /// Connection limits, so slow or idle clients cannot hold the server's connections.
    public var connections = ConnectionLimits()

    public init(host: String = "127.0.0.1", port: Int = 8080, passwordCost: UInt8 = 12, secureCookies: Bool = false,
                outbound: OutboundAddressPolicy = OutboundAddressPolicy(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.secureCookies = secureCookies
        self.outbound = outbound
        self.passwordCost = passwordCost
        self.host = host
        self.port = port
        self.now = now
    }
}

/// How long a client may take and how many connections it may hold.
public struct ConnectionLimits: Sendable {
    /// From a connection opening (or its previous response ending) to a complete request head;
    /// this also ends idle keep-alive connections.
    public var headerTimeout: Duration = .seconds(10)
    /// From a request's head to the end of its body.
    public var bodyTimeout: Duration = .seconds(60)
    /// Connections open at once; more wait in the listen queue until one closes.
    public var maxConnections = 512

    public init() {}
}

/// The set-up link `clearance serve` prints on a database with no site admin: whoever opens it
/// first creates that admin. It works once, for an hour, and only in the process that printed it;
/// only its secret's hash is kept.
public final class SetupLink: Sendable {
    private let armed = Mutex<(hash: String, expires: Date)?>(nil)

    /// How long a printed link works.
    public static let lifetime: TimeInterval = 3600

    public init() {}

    /// A new secret, replacing any earlier one.
    public func arm(at time: Date) -> String {
        let secret = RandomID.make("clr_", words: 4)
        armed.withLock { $0 = (SecretHash.of(secret), time.addingTimeInterval(Self.lifetime)) }
        return secret
    }

    /// Whether `secret` is the live link's.
    public func accepts(_ secret: String, at time: Date) -> Bool {
        armed.withLock { link in
            guard let link, time < link.expires else { return false }
            return WebSecurity.same(SecretHash.of(secret), link.hash)
        }
    }

    /// The live link, if `secret` is its, taken so that no other request can use it meanwhile.
    /// Hand it back with `restore` if it was not used after all.
    public func take(_ secret: String, at time: Date) -> Taken? {
        armed.withLock { link in
            guard let current = link, time < current.expires, WebSecurity.same(SecretHash.of(secret), current.hash) else { return nil }
            link = nil
            return Taken(hash: current.hash, expires: current.expires)
        }
    }

    /// A taken link, given back when the form it opened had to be filled in again.
    public func restore(_ taken: Taken) {
        armed.withLock { link in if link == nil { link = (taken.hash, taken.expires) } }
    }

    public struct Taken: Sendable {
        let hash: String
        let expires: Date
    }
}
