/// A block of addresses in CIDR notation, such as `10.0.0.0/8` or `fd00::/8`.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let base: IPAddress
    public let prefixLength: Int

    /// Reads `ADDRESS/LENGTH`, or a bare address as a block of one. Host bits are cleared, so
    /// `127.0.0.1/8` is `127.0.0.0/8`. Nil when the text is not an address or the length is out
    /// of range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(literal: String(parts[0])) else { return nil }
        let width = address.width
        var length = width
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let given = Int(parts[1]), (0...width).contains(given) else {
                return nil
            }
            length = given
        }
        self.init(base: address, prefixLength: length)
    }

    /// A block from an address and a prefix length that fits it.
    public init(base: IPAddress, prefixLength: Int) {
        let length = min(max(prefixLength, 0), base.width)
        switch base {
        case .v4(let value): self.base = .v4(length == 0 ? 0 : value & ~UInt32(0) << (32 - length))
        case .v6(let value): self.base = .v6(length == 0 ? 0 : value & ~UInt128(0) << (128 - length))
        }
        self.prefixLength = length
    }

    /// Whether `address` is in the block. IPv4 blocks do not hold IPv6 addresses; an IPv6
    /// address that carries an IPv4 one is compared as that IPv4 address by the caller.
    public func contains(_ address: IPAddress) -> Bool {
        address.width == base.width && AddressRange(base: address, prefixLength: prefixLength).base == base
    }

    public var description: String { "\(base)/\(prefixLength)" }
}

extension IPAddress {
    /// Bits in the address: 32 or 128.
    var width: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }
}
