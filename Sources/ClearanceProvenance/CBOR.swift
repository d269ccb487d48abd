/// A CBOR data item, as much of it as the scanner needs. Byte strings keep only their length:
/// nothing the scanner reports lives in one, and hashes and signatures are large.
indirect enum CBOR: Sendable, Hashable {
    case unsigned(UInt64)
    case negative(UInt64)
    case bytes(count: Int)
    case text(String)
    case array([CBOR])
    case map([(key: CBOR, value: CBOR)])
    case tagged(UInt64, CBOR)
    case bool(Bool)
    case null
    case other

    static func == (lhs: CBOR, rhs: CBOR) -> Bool {
        switch (lhs, rhs) {
        case let (.unsigned(a), .unsigned(b)), let (.negative(a), .negative(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        case let (.text(a), .text(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.tagged(t1, a), .tagged(t2, b)): t1 == t2 && a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null), (.other, .other): true
        default: false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .text(let text): hasher.combine(text)
        case .unsigned(let value): hasher.combine(value)
        default: hasher.combine(0)
        }
    }

    /// The value under a text key of a map, looking through tags.
    subscript(key: String) -> CBOR? {
        guard case .map(let entries) = untagged else { return nil }
        return entries.first { $0.key.untagged == .text(key) }?.value
    }

    var untagged: CBOR {
        var value = self
        while case .tagged(_, let inner) = value { value = inner }
        return value
    }

    var string: String? {
        if case .text(let text) = untagged { return text }
        return nil
    }

    var elements: [CBOR]? {
        if case .array(let items) = untagged { return items }
        return nil
    }
}

/// Decodes one CBOR item with bounded nesting and item count, so a hostile claim cannot
/// recurse deeply or allocate without limit.
struct CBORDecoder {
    enum Failure: Error, Equatable {
        case truncated
        case tooDeep
        case tooManyItems
        case malformed(String)
    }

    private var cursor: ByteCursor
    private let maximumDepth: Int
    private var itemBudget: Int

    init(_ bytes: [UInt8], maximumDepth: Int = 24, maximumItems: Int = 200_000) {
        cursor = ByteCursor(bytes)
        self.maximumDepth = maximumDepth
        itemBudget = maximumItems
    }

    static func decode(_ bytes: [UInt8], maximumDepth: Int = 24) throws(Failure) -> CBOR {
        var decoder = CBORDecoder(bytes, maximumDepth: maximumDepth)
        return try decoder.item(depth: 0)
    }

    private mutating func argument(_ info: UInt8) throws(Failure) -> UInt64? {
        switch info {
        case 0 ..< 24: return UInt64(info)
        case 24: guard let value = cursor.u8() else { throw .truncated }; return UInt64(value)
        case 25: guard let value = cursor.u16be() else { throw .truncated }; return UInt64(value)
        case 26: guard let value = cursor.u32be() else { throw .truncated }; return UInt64(value)
        case 27: guard let value = cursor.u64be() else { throw .truncated }; return value
        case 31: return nil
        default: throw .malformed("reserved additional information \(info)")
        }
    }

    private mutating func length(_ value: UInt64) throws(Failure) -> Int {
        guard value <= UInt64(cursor.remaining) else { throw .truncated }
        return Int(value)
    }

    mutating func item(depth: Int) throws(Failure) -> CBOR {
        guard depth <= maximumDepth else { throw .tooDeep }
        itemBudget -= 1
        guard itemBudget >= 0 else { throw .tooManyItems }
        guard let initial = cursor.u8() else { throw .truncated }
        let major = initial >> 5
        let info = initial & 0x1F
        switch major {
        case 0:
            guard let value = try argument(info) else { throw .malformed("indefinite integer") }
            return .unsigned(value)
        case 1:
            guard let value = try argument(info) else { throw .malformed("indefinite integer") }
            return .negative(value)
        case 2, 3:
            var collected: [UInt8] = []
            var total = 0
            if let count = try argument(info) {
                let count = try length(count)
                guard let slice = cursor.take(count) else { throw .truncated }
                if major == 3 { collected = Array(slice) }
                total = count
            } else {
                while true {
                    guard let next = cursor.u8() else { throw .truncated }
                    if next == 0xFF { break }
                    guard next >> 5 == major else { throw .malformed("mixed string chunks") }
                    guard let count = try argument(next & 0x1F) else { throw .malformed("nested indefinite string") }
                    let size = try length(count)
                    guard let slice = cursor.take(size) else { throw .truncated }
                    if major == 3 { collected.append(contentsOf: slice) }
                    total += size
                }
            }
            return major == 2 ? .bytes(count: total) : .text(String(decoding: collected, as: UTF8.self))
        case 4:
            var items: [CBOR] = []
            if let count = try argument(info) {
                // Each item takes at least one byte, which bounds a hostile count.
                let count = try length(count)
                items.reserveCapacity(count)
                for _ in 0 ..< count { items.append(try item(depth: depth + 1)) }
            } else {
                while true {
                    guard let next = cursor.bytes[safe: cursor.position] else { throw .truncated }
                    if next == 0xFF { _ = cursor.u8(); break }
                    items.append(try item(depth: depth + 1))
                }
            }
            return .array(items)
        case 5:
            var entries: [(key: CBOR, value: CBOR)] = []
            if let count = try argument(info) {
                let count = try length(count)
                for _ in 0 ..< count {
                    let key = try item(depth: depth + 1)
                    entries.append((key, try item(depth: depth + 1)))
                }
            } else {
                while true {
                    guard let next = cursor.bytes[safe: cursor.position] else { throw .truncated }
                    if next == 0xFF { _ = cursor.u8(); break }
                    let key = try item(depth: depth + 1)
                    entries.append((key, try item(depth: depth + 1)))
                }
            }
            return .map(entries)
        case 6:
            guard let tag = try argument(info) else { throw .malformed("indefinite tag") }
            return .tagged(tag, try item(depth: depth + 1))
        default:
            switch info {
            case 20: return .bool(false)
            case 21: return .bool(true)
            case 22, 23: return .null
            case 24: guard cursor.skip(1) else { throw .truncated }; return .other
            case 25: guard cursor.skip(2) else { throw .truncated }; return .other
            case 26: guard cursor.skip(4) else { throw .truncated }; return .other
            case 27: guard cursor.skip(8) else { throw .truncated }; return .other
            case 31: throw .malformed("unexpected break")
            default: return .other
            }
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
