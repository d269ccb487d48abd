/// An IPv4 or IPv6 address: what a URL spells literally, or what a host name resolves to.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt128)

    /// Reads a host the way the C library does before it would ask DNS: an IPv6 address
    /// (brackets and a `%zone` allowed), or an IPv4 address in any `inet_aton` spelling, so
    /// `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` are all 127.0.0.1. A trailing dot is
    /// ignored. Nil for a name.
    public init?(host: String) {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains(":") {
            guard let value = Self.ipv6(text, zoneAllowed: true) else { return nil }
            self = .v6(value)
        } else {
            if text.hasSuffix(".") { text = text.dropLast() }
            guard let value = Self.inetAton(text) else { return nil }
            self = .v4(value)
        }
    }

    /// Reads an address as written in an allow list: four decimal parts for IPv4, or IPv6 text.
    public init?(literal: String) {
        let text = Substring(literal)
        if text.contains(":") {
            guard let value = Self.ipv6(text, zoneAllowed: false) else { return nil }
            self = .v6(value)
        } else {
            guard let value = Self.dottedQuad(text) else { return nil }
            self = .v4(value)
        }
    }

    /// The IPv4 address an IPv6 address stands for, when it carries one: IPv4-mapped
    /// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`) and 6to4
    /// (`2002:aabb:ccdd::`). Such an address is judged as the IPv4 address it reaches.
    public var embeddedIPv4: UInt32? {
        guard case .v6(let value) = self else { return nil }
        let low32 = UInt32(truncatingIfNeeded: value)
        switch value >> 32 {
        case 0xffff: return low32                                  // ::ffff:0:0/96
        case 0 where value > 1: return low32                      // ::/96 but not :: or ::1
        case 0x0064_ff9b_0000_0000_0000_0000: return low32        // 64:ff9b::/96
        default: break
        }
        if value >> 112 == 0x2002 { return UInt32(truncatingIfNeeded: value >> 80) } // 2002::/16
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let value): return Self.dotted(value)
        case .v6(let value): return Self.ipv6Text(value)
        }
    }

    // MARK: Reading

    /// `inet_aton`: one to four parts, each decimal, octal (leading 0) or hex (0x); the last part
    /// fills the bytes the others leave.
    static func inetAton(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var value: UInt64 = 0
        for (index, part) in parts.enumerated() {
            guard let number = inetNumber(part) else { return nil }
            if index == parts.count - 1 {
                let width = UInt64(8 * (5 - parts.count))
                guard number < (1 << width) else { return nil }
                value = value << width | number
            } else {
                guard number <= 255 else { return nil }
                value = value << 8 | number
            }
        }
        return UInt32(value)
    }

    private static func inetNumber(_ part: Substring) -> UInt64? {
        let lower = part.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            if digits.isEmpty { return 0 } // as the C library reads it
            guard digits.count <= 16, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
            return UInt64(digits, radix: 16)
        }
        guard !lower.isEmpty, lower.count <= 20, lower.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return lower.count > 1 && lower.hasPrefix("0") ? UInt64(lower.dropFirst(), radix: 8) : UInt64(lower, radix: 10)
    }

    /// Exactly four decimal parts, 0 to 255, without leading zeros.
    static func dottedQuad(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part == "0" || !part.hasPrefix("0"), let byte = UInt32(part), byte <= 255 else { return nil }
            value = value << 8 | byte
        }
        return value
    }

    /// IPv6 text: up to eight groups of one to four hex digits, one `::`, and an optional
    /// dotted-quad tail.
    static func ipv6(_ text: Substring, zoneAllowed: Bool) -> UInt128? {
        var text = text
        if let percent = text.firstIndex(of: "%") {
            guard zoneAllowed, text.index(after: percent) < text.endIndex else { return nil }
            text = text[..<percent]
        }
        let groups: [UInt16]
        if let gap = text.firstRange(of: "::") {
            guard let head = ipv6Groups(text[..<gap.lowerBound], tailMayBeIPv4: false),
                  let tail = ipv6Groups(text[gap.upperBound...], tailMayBeIPv4: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = ipv6Groups(text, tailMayBeIPv4: true), all.count == 8 else { return nil }
            groups = all
        }
        return groups.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    private static func ipv6Groups(_ text: Substring, tailMayBeIPv4: Bool) -> [UInt16]? {
        guard !text.isEmpty else { return [] }
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, piece) in pieces.enumerated() {
            if tailMayBeIPv4, index == pieces.count - 1, piece.contains(".") {
                guard let value = dottedQuad(piece) else { return nil }
                groups += [UInt16(value >> 16), UInt16(value & 0xffff)]
            } else {
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isASCII), piece.allSatisfy(\.isHexDigit),
                      let value = UInt16(piece, radix: 16) else { return nil }
                groups.append(value)
            }
        }
        return groups
    }

    // MARK: Writing

    private static func dotted(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String(value >> $0 & 0xff) }.joined(separator: ".")
    }

    /// RFC 5952 text: lower case, the longest run of two or more zero groups as `::`, and
    /// IPv4-mapped addresses with their dotted-quad tail.
    private static func ipv6Text(_ value: UInt128) -> String {
        if value >> 32 == 0xffff { return "::ffff:" + dotted(UInt32(truncatingIfNeeded: value)) }
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: value >> (112 - 16 * $0)) }
        var best: Range<Int>?
        var start: Int?
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if start == nil { start = index }
            } else if let first = start {
                if index - first >= 2, index - first > (best?.count ?? 0) { best = first..<index }
                start = nil
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let run = best else { return hex.joined(separator: ":") }
        return hex[..<run.lowerBound].joined(separator: ":") + "::" + hex[run.upperBound...].joined(separator: ":")
    }
}
