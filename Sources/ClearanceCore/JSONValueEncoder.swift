public import Foundation

/// Encodes any `Encodable` into a `JSONValue`, keeping object members in the order they were
/// encoded, so a typed value renders byte for byte as the same members built by hand would.
///
/// Integers become numbers; a `Date` becomes the text the service writes times as (ISO 8601 in UTC
/// with milliseconds); a `JSONValue` (a stored document, say) goes in as it is. A number
/// `JSONValue` cannot hold (a fraction, or an integer beyond `Int`) is an `EncodingError`.
/// Encoding a key twice in one object replaces its value where it first stood, as JSONEncoder does.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        let root = EncodedNode()
        try root.set(value, codingPath: [])
        return root.value
    }

    /// The text of a time as the service writes it: ISO 8601 in UTC with milliseconds.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A value being encoded: filled in place, since containers hand out their children before
/// those are encoded. Lives only for one `encode` call, on one thread.
private final class EncodedNode {
    enum Content {
        case unset
        case value(JSONValue)
        case object(keys: [String], members: [String: EncodedNode])
        case array([EncodedNode])
    }

    var content = Content.unset

    var value: JSONValue {
        switch content {
        // A value that encodes nothing at all is an empty object, as with JSONEncoder.
        case .unset: .object([])
        case .value(let value): value
        case .object(let keys, let members): .object(keys.compactMap { key in members[key].map { .init(key, $0.value) } })
        case .array(let items): .array(items.map(\.value))
        }
    }

    func set(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: content = .value(json)
        case let date as Date: content = .value(.string(JSONValueEncoder.timestamp(date)))
        default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
        }
    }

    func setNumber(_ value: some BinaryInteger, codingPath: [any CodingKey]) throws {
        guard let number = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is beyond a JSON number here"))
        }
        content = .value(.number(number))
    }

    func setNumber(_ value: some BinaryFloatingPoint, codingPath: [any CodingKey]) throws {
        guard let number = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "only whole numbers are written"))
        }
        content = .value(.number(number))
    }

    /// The child at `key`, made an object member (keeping its first place) if it is not one yet.
    func member(_ key: String) -> EncodedNode {
        guard case .object(var keys, var members) = content else {
            let child = EncodedNode()
            content = .object(keys: [key], members: [key: child])
            return child
        }
        if let existing = members[key] {
            existing.content = .unset
            return existing
        }
        let child = EncodedNode()
        keys.append(key)
        members[key] = child
        content = .object(keys: keys, members: members)
        return child
    }

    func makeObject() {
        if case .object = content { return }
        content = .object(keys: [], members: [:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func appended() -> EncodedNode {
        let child = EncodedNode()
        guard case .array(var items) = content else {
            content = .array([child])
            return child
        }
        items.append(child)
        content = .array(items)
        return child
    }

    var count: Int {
        if case .array(let items) = content { return items.count }
        return 0
    }
}

/// A key for an unkeyed container's item or a super encoder, in coding paths.
private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) { self.init(index: intValue) }
}

private struct NodeEncoder: Encoder {
    let node: EncodedNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    var codingPath: [any CodingKey]

    func child(_ key: Key) -> (EncodedNode, [any CodingKey]) { (node.member(key.stringValue), codingPath + [key]) }

    mutating func encodeNil(forKey key: Key) throws { child(key).0.content = .value(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).0.content = .value(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).0.content = .value(.string(value)) }
    // The other numbers take the general way, which ends in the single-value container.
    mutating func encode(_ value: Double, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).0.content = .value(.number(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeValue(value, forKey: key) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws { try encodeValue(value, forKey: key) }

    func encodeValue(_ value: some Encodable, forKey key: Key) throws {
        let (node, path) = child(key)
        try node.set(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let (node, path) = child(key)
        return NodeEncoder(node: node, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let (node, path) = child(key)
        return NodeEncoder(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.member("super"), codingPath: codingPath + [IndexKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let (node, path) = child(key)
        return NodeEncoder(node: node, codingPath: path)
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodedNode
    var codingPath: [any CodingKey]
    var count: Int { node.count }

    func next() -> (EncodedNode, [any CodingKey]) {
        let path = codingPath + [IndexKey(index: node.count)]
        return (node.appended(), path)
    }

    mutating func encodeNil() throws { next().0.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { next().0.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { next().0.content = .value(.string(value)) }
    mutating func encode(_ value: Int) throws { next().0.content = .value(.number(value)) }
    // The other numbers take the general way, which ends in the single-value container.
    mutating func encode(_ value: Double) throws { try encodeValue(value) }
    mutating func encode(_ value: Float) throws { try encodeValue(value) }
    mutating func encode(_ value: Int8) throws { try encodeValue(value) }
    mutating func encode(_ value: Int16) throws { try encodeValue(value) }
    mutating func encode(_ value: Int32) throws { try encodeValue(value) }
    mutating func encode(_ value: Int64) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt8) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt16) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt32) throws { try encodeValue(value) }
    mutating func encode(_ value: UInt64) throws { try encodeValue(value) }
    mutating func encode(_ value: some Encodable) throws { try encodeValue(value) }

    func encodeValue(_ value: some Encodable) throws {
        let (node, path) = next()
        try node.set(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (node, path) = next()
        return NodeEncoder(node: node, codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (node, path) = next()
        return NodeEncoder(node: node, codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let (node, path) = next()
        return NodeEncoder(node: node, codingPath: path)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodedNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { node.content = .value(.number(value)) }
    mutating func encode(_ value: Int8) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: Int16) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: Int32) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: Int64) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt8) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt16) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt32) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt64) throws { try node.setNumber(value, codingPath: codingPath) }
    mutating func encode(_ value: some Encodable) throws { try node.set(value, codingPath: codingPath) }
}
