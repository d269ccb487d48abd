/// Bounds-checked big- and little-endian reads from a byte array. Every accessor returns nil
/// rather than trapping when the bytes are not there.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int

    init(_ bytes: [UInt8], at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { max(0, bytes.count - position) }
    var atEnd: Bool { position >= bytes.count }

    mutating func u8() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= remaining else { return nil }
        defer { position += count }
        return bytes[position ..< position + count]
    }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, count <= remaining else { return false }
        position += count
        return true
    }

    mutating func u16be() -> UInt16? { take(2).map { UInt16(bigEndian: $0) } }
    mutating func u32be() -> UInt32? { take(4).map { UInt32(bigEndian: $0) } }
    mutating func u64be() -> UInt64? { take(8).map { UInt64(bigEndian: $0) } }

    /// Bytes up to (not including) the next zero, which is consumed.
    mutating func nullTerminated(limit: Int = 4096) -> ArraySlice<UInt8>? {
        guard position < bytes.count else { return nil }
        let end = min(bytes.count, position + limit)
        guard let zero = bytes[position ..< end].firstIndex(of: 0) else { return nil }
        defer { position = zero + 1 }
        return bytes[position ..< zero]
    }
}

extension FixedWidthInteger {
    /// The integer the bytes spell, most significant first (the caller picks how many).
    init(bigEndian bytes: ArraySlice<UInt8>) {
        var value: Self = 0
        for byte in bytes { value = value << 8 | Self(byte) }
        self = value
    }

    /// The integer the bytes spell, least significant first.
    init(littleEndian bytes: ArraySlice<UInt8>) {
        var value: Self = 0
        for byte in bytes.reversed() { value = value << 8 | Self(byte) }
        self = value
    }
}

/// A four-character code as text, with anything unprintable shown as `?`.
func fourCC(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes.map { (0x20 ... 0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
}

/// Text from bytes that should be UTF-8, falling back to Latin-1 (PNG `tEXt` is Latin-1).
func text(_ bytes: some Collection<UInt8>) -> String {
    if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
    return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}
