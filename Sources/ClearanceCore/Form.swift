internal import Yams

/// A small JSON or YAML input document of the service (a new studio, a member, a consent...),
/// read field by field with every problem collected, like requests are.
///
/// Typical use: `let form = try Form(text, allowed: [...], required: [...])`, read each field,
/// then `try form.finish()`, which throws all the problems at once.
public final class Form {
    private let reader: DocumentReader
    private let fields: Fields?

    /// Parses the text and checks its keys.
    /// - Throws: `DocumentError` when the text cannot be parsed at all.
    public init(_ text: String, file: String = "<body>", allowed: Set<String>, required: [String] = []) throws(DocumentError) {
        reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else { throw DocumentError(reader.diagnostics) }
        fields = reader.mapping(root, .root, allowed: allowed, required: required)
    }

    private func node(_ key: String) -> Node? {
        guard let node = fields?[key], !reader.isNull(node) else { return nil }
        return node
    }

    /// Whether the field is present and not null.
    public func has(_ key: String) -> Bool { node(key) != nil }

    /// Free text.
    public func text(_ key: String, maxLength: Int = 2000, nonEmpty: Bool = true) -> String? {
        node(key).flatMap { reader.text($0, .root.appending(key), maxLength: maxLength, nonEmpty: nonEmpty) }
    }

    /// An id: lower-case letters, digits, '-', '_' and '.'.
    public func slug(_ key: String) -> String? {
        node(key).flatMap { UseRequest.readSlug($0, .root.appending(key), reader) }
    }

    /// A date written `YYYY-MM-DD`.
    public func date(_ key: String) -> String? {
        guard let node = node(key), let value = reader.text(node, .root.appending(key)) else { return nil }
        guard ToolRecord.isISODate(value) else {
            reader.report(node, .root.appending(key), "'\(value)' is not a date in the form YYYY-MM-DD")
            return nil
        }
        return value
    }

    public func bool(_ key: String) -> Bool? {
        node(key).flatMap { reader.bool($0, .root.appending(key)) }
    }

    /// One value of a closed set.
    public func choice<Value: RawRepresentable & CaseIterable>(_ key: String, _: Value.Type = Value.self) -> Value?
    where Value.RawValue == String {
        node(key).flatMap { reader.choice($0, .root.appending(key)) }
    }

    /// A list of values of a closed set.
    public func choices<Value: RawRepresentable & CaseIterable & Equatable>(_ key: String, _: Value.Type = Value.self) -> [Value]?
    where Value.RawValue == String {
        node(key).flatMap { reader.choices($0, .root.appending(key), nonEmpty: false) }
    }

    /// A list of ids.
    public func slugs(_ key: String) -> [String]? {
        guard let node = node(key), let items = reader.sequence(node, .root.appending(key)) else { return nil }
        let values = items.enumerated().compactMap { index, item in
            UseRequest.readSlug(item, .root.appending(key).appending(index), reader)
        }
        return values.count == items.count ? values : nil
    }

    /// A list of texts.
    public func texts(_ key: String, maxLength: Int = 2000) -> [String]? {
        guard let node = node(key), let items = reader.sequence(node, .root.appending(key)) else { return nil }
        let values = items.enumerated().compactMap { index, item in
            reader.text(item, .root.appending(key).appending(index), maxLength: maxLength, nonEmpty: true)
        }
        return values.count == items.count ? values : nil
    }

    /// A tool record (request-format.md), nested under `key`.
    public func tool(_ key: String) -> ToolRecord? {
        node(key).flatMap { ToolRecord.read($0, .root.appending(key), reader) }
    }

    /// Records a problem the caller found with a field.
    public func reject(_ key: String, _ message: String) {
        let location = fields?[key].map { reader.location(of: $0) }
        reader.report(at: location, path: .root.appending(key), message)
    }

    /// Records a problem the caller found with one item of a list field, pointing at that item.
    public func reject(_ key: String, item index: Int, _ message: String) {
        var location = fields?[key].map { reader.location(of: $0) }
        if let node = fields?[key], case .sequence(let sequence) = node {
            let items = Array(sequence)
            if items.indices.contains(index) { location = reader.location(of: items[index]) }
        }
        reader.report(at: location, path: .root.appending(key).appending(index), message)
    }

    /// Throws every problem found so far, if any.
    public func finish() throws(DocumentError) {
        if reader.hasErrors { throw DocumentError(reader.diagnostics) }
    }
}
