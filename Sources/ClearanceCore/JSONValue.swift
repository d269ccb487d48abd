/// A JSON value that keeps its object members in the order they were built.
///
/// Decisions are printed with members in the order request-format.md shows; digests use the
/// canonical rendering (members sorted, no white space), so equal documents hash equally.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Int)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Compact JSON with members in their built order.
    public var rendered: String {
        String(decoding: bytes(canonical: false), as: UTF8.self)
    }

    /// Canonical JSON: members sorted by key (UTF-16 code units, as RFC 8785 orders them), compact, no trailing newline.
    public var canonical: String {
        String(decoding: bytes(canonical: true), as: UTF8.self)
    }

    /// The UTF-8 encoding of the rendered or canonical JSON.
    func bytes(canonical: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out, canonical: canonical)
        return out
    }

    /// The member with this key, for objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    private func write(to out: inout [UInt8], canonical: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): out.append(contentsOf: String(value).utf8)
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out, canonical: canonical)
            }
            out.append(UInt8(ascii: "]"))
        case .object(var members):
            if canonical { members.sort { Self.keyPrecedes($0.key, $1.key) } }
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out, canonical: canonical)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// UTF-16 order; for ASCII keys (the usual case) byte order is the same and cheaper.
    static func keyPrecedes(_ left: String, _ right: String) -> Bool {
        if left.utf8.allSatisfy({ $0 < 0x80 }) && right.utf8.allSatisfy({ $0 < 0x80 }) {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return left.utf16.lexicographicallyPrecedes(right.utf16)
    }

    /// Lower-case hexadecimal digits, for `\u00XX` escapes and digests.
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Bytes as lower-case hexadecimal text: digests, signatures and random ids.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        let plain = value.withUTF8 { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: buffer)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        let backslash = UInt8(ascii: "\\")
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), backslash: out += [backslash, byte]
            case 0x0A: out += [backslash, UInt8(ascii: "n")]
            case 0x0D: out += [backslash, UInt8(ascii: "r")]
            case 0x09: out += [backslash, UInt8(ascii: "t")]
            case 0x08: out += [backslash, UInt8(ascii: "b")]
            case 0x0C: out += [backslash, UInt8(ascii: "f")]
            case 0..<0x20: out += [backslash, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                   hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// Reads JSON text (as stored by the service) back into a value, keeping member order. It is
    /// read as JSON, never as YAML, so every character a JSON string may hold reads back.
    public static func parse(_ text: String) -> JSONValue? {
        try? JSONText.parse(text)
    }
}
