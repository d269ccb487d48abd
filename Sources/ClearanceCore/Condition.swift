/// A condition over the facts of a request, as compiled from a policy.
public indirect enum Condition: Sendable, Hashable {
    case always(Bool)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(Fact, Comparison)
    case quantified(Quantifier, Collection, Condition)
}

/// How many elements of a collection must meet a condition.
public enum Quantifier: String, Sendable, Hashable, CaseIterable {
    case some, every, none
}

/// A test on one fact's value.
public enum Comparison: Sendable, Hashable {
    /// The fact equals the value.
    case equals(FactValue)
    /// The fact equals one of the values.
    case oneOf([FactValue])
    /// A list fact contains the value.
    case has(String)
    /// A list fact contains at least one of the values.
    case hasAny([String])
    /// A list or text fact is (or is not) empty.
    case empty(Bool)
}

/// A fact's value at evaluation time.
public enum FactValue: Sendable, Hashable, CustomStringConvertible {
    case bool(Bool)
    case symbol(String)
    case symbols([String])
    case text(String)
    case number(Int)
    /// The fact has no value here (for instance, a concern that has no step).
    case missing

    /// The value as a message shows it.
    public var description: String {
        switch self {
        case .bool(let value): value ? "yes" : "no"
        case .symbol(let value), .text(let value): value
        case .symbols(let values): values.joined(separator: ", ")
        case .number(let value): String(value)
        case .missing: ""
        }
    }
}

/// A message with `{fact.name}` placeholders, compiled when the policy loads.
public struct MessageTemplate: Sendable, Hashable {
    /// A run of literal text, or a fact to fill in.
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case fact(Fact)
    }

    public var segments: [Segment]
    /// The text as written in the policy.
    public var source: String

    public init(segments: [Segment], source: String) {
        self.segments = segments
        self.source = source
    }
}
