extension JSONValue: Encodable {
    /// Writes the value as it is, members in their order, so a stored document embeds unchanged.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for member in members { try container.encode(member.value, forKey: MemberKey(member.key)) }
        }
    }

    /// A member's name as a coding key, for objects whose member names are data rather than fields.
    public struct MemberKey: CodingKey, Sendable, Hashable {
        public var stringValue: String
        public var intValue: Int? { nil }

        public init(_ name: String) { stringValue = name }
        public init(stringValue: String) { self.init(stringValue) }
        public init?(intValue: Int) { nil }
    }
}
