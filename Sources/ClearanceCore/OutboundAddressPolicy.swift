internal import Foundation

/// Where an address leads: the public internet, or one of the internal kinds that requests sent
/// on a studio admin's behalf may not reach.
public enum AddressScope: String, Sendable, Hashable, CaseIterable {
    case global
    case loopback
    case linkLocal
    /// RFC 1918 space, shared (CGNAT) space, and IPv6 site-local and local-use NAT64 space.
    case privateUse
    case uniqueLocal
    case multicast
    case unspecified
    /// 240.0.0.0/4, with the broadcast address.
    case reserved

    /// The scope in a sentence: "a loopback address".
    public var phrase: String {
        switch self {
        case .global: "a public address"
        case .loopback: "a loopback address"
        case .linkLocal: "a link-local address"
        case .privateUse: "a private address"
        case .uniqueLocal: "a unique-local address"
        case .multicast: "a multicast address"
        case .unspecified: "the unspecified address"
        case .reserved: "a reserved address"
        }
    }
}

extension IPAddress {
    /// The address's scope. An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) has
    /// the IPv4 address's scope.
    public var scope: AddressScope {
        let judged = judgedAs
        return Self.internalBlocks.first { $0.range.contains(judged) }?.scope ?? .global
    }

    /// The address that is judged: the IPv4 address an IPv6 one carries, or the address itself.
    var judgedAs: IPAddress { embeddedIPv4.map(IPAddress.v4) ?? self }

    private static let internalBlocks: [(range: AddressRange, scope: AddressScope)] = blocks([
        ("0.0.0.0/8", .unspecified), ("10.0.0.0/8", .privateUse), ("100.64.0.0/10", .privateUse),
        ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal), ("172.16.0.0/12", .privateUse),
        ("192.168.0.0/16", .privateUse), ("224.0.0.0/4", .multicast), ("240.0.0.0/4", .reserved),
        ("::/128", .unspecified), ("::1/128", .loopback), ("fe80::/10", .linkLocal), ("fec0::/10", .privateUse),
        ("fc00::/7", .uniqueLocal), ("ff00::/8", .multicast), ("64:ff9b:1::/48", .privateUse),
    ])

    private static func blocks(_ table: [(String, AddressScope)]) -> [(range: AddressRange, scope: AddressScope)] {
        table.map { text, scope in
            guard let range = AddressRange(text) else { preconditionFailure("the built-in block \(text) does not read") }
            return (range, scope)
        }
    }
}

/// Which addresses the server may send requests to on a studio admin's behalf (webhooks now,
/// identity providers later): public addresses, and internal ones only inside the ranges the
/// site lists with `--outbound-allow`. Pure: resolving names and connecting stay with the caller,
/// which must connect to the very address it checked.
public struct OutboundAddressPolicy: Sendable, Hashable {
    /// The internal ranges this site lets requests reach, such as a loopback receiver in tests.
    public var allowed: [AddressRange]

    public init(allowing allowed: [AddressRange] = []) {
        self.allowed = allowed
    }

    /// Reads the allow list as given: each entry (one `--outbound-allow`, or the value of
    /// `CLEARANCE_OUTBOUND_ALLOW`) may hold several ranges separated by commas.
    public init(allowList entries: [String]) throws(OutboundAllowListError) {
        var ranges: [AddressRange] = []
        for entry in entries {
            for item in entry.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                guard let range = AddressRange(text) else { throw OutboundAllowListError(entry: text) }
                ranges.append(range)
            }
        }
        self.init(allowing: ranges)
    }

    /// Whether a request may go to `address`: it is public, or inside an allowed range.
    public func permits(_ address: IPAddress) -> Bool {
        let judged = address.judgedAs
        return judged.scope == .global || allowed.contains { $0.contains(judged) || $0.contains(address) }
    }

    /// Why a URL may not be registered as a destination, in plain words; nil when it may be.
    /// Only what can be told without DNS is checked here: an address however spelled, and names
    /// that are internal by convention. Every request checks the addresses the name resolves to.
    public func problem(withURL text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return "'\(text)' is not an http or https URL"
        }
        if let addresses = Self.addresses(withoutLookup: host) {
            guard let first = addresses.first, !addresses.contains(where: permits) else { return nil }
            let spelled = host == first.description ? "'\(host)'" : "'\(host)' (\(first))"
            return "\(spelled) is \(first.scope.phrase); requests may not go to internal addresses"
        }
        if Self.isInternalName(host), !allowsInternalNames {
            return "'\(host)' is an internal host name; requests may not go to internal addresses"
        }
        return nil
    }

    /// The addresses a host stands for without asking DNS: an address however spelled, or
    /// loopback for `localhost` and its subdomains. Nil for any other name.
    public static func addresses(withoutLookup host: String) -> [IPAddress]? {
        if let address = IPAddress(host: host) { return [address] }
        let name = normalised(host)
        if name == "localhost" || name.hasSuffix(".localhost") { return [.v4(0x7f00_0001), .v6(1)] }
        return nil
    }

    /// Names that only an inside network answers: one label (completed by the search domains),
    /// or a suffix kept for private use (`metadata.google.internal`, `printer.local`, …).
    static func isInternalName(_ host: String) -> Bool {
        let name = normalised(host)
        guard name.contains(".") else { return true }
        return internalSuffixes.contains { name.hasSuffix("." + $0) }
    }

    private static let internalSuffixes = ["internal", "local", "localdomain", "home.arpa", "lan", "home", "corp", "intranet", "private"]

    private static func normalised(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }

    /// A site that lists an internal range beyond loopback may have receivers behind internal
    /// names; those names are then left to the check of their addresses at each request.
    private var allowsInternalNames: Bool {
        allowed.contains { range in
            switch range.base {
            case .v4(let value): !(value >> 24 == 127 && range.prefixLength >= 8)
            case .v6(let value): !(value == 1 && range.prefixLength == 128)
            }
        }
    }
}

/// An allow-list entry that is not an address range.
public struct OutboundAllowListError: Error, Sendable, CustomStringConvertible {
    public let entry: String
    public var description: String { "'\(entry)' is not an address range such as 10.0.0.0/8 or fd00::/8" }
}
