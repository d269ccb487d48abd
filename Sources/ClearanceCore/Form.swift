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
        fields = reader.mapping(root, .root, allowed: allowed, required: required, refusingNulls: true)
    }

    private func node(_ key: String) -> Node? {
        guard let node = fields?[key], !reader.isNull(node) else { return nil }
        return node
    }

    /// Whether the field is present and not null.
    public func has(_ key: String) -> Bool { node(key) != nil }

    /// Free text.
    public func text(_ key: String, maxLength: Int = 2000, nonEmpty: Bool = true) -> String? {
        let path = FieldPath.root.appending(key)
        return node(key).flatMap { reader.textScalar($0, path) }.flatMap { reader.text($0, path, maxLength: maxLength, nonEmpty: nonEmpty) }
    }

    /// Free text that may be left blank, such as a note: blank text reads as none.
    public func blankableText(_ key: String, maxLength: Int = 2000) -> String? {
        text(key, maxLength: maxLength, nonEmpty: false).flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
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

    /// A whole number within `range`, written as a plain number.
    public func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let node = node(key) else { return nil }
        // JSON Schema counts 75.0 as the integer 75, so a whole number written with a fraction is one.
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              let value = Int(scalar.string) ?? Double(scalar.string).flatMap({ $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil }) else {
            reader.report(node, .root.appending(key), "expected a whole number, found \(reader.describe(node))")
            return nil
        }
        guard range.contains(value) else {
            reader.report(node, .root.appending(key), "must be from \(range.lowerBound) to \(range.upperBound)")
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
        guard let values = textItems(key, maxLength: maxLength) else { return nil }
        let read = values.compactMap { $0 }
        return read.count == values.count ? read : nil
    }

    /// A list of free texts item by item: nil for an item that was reported, so the caller can
    /// still check the others.
    public func textItems(_ key: String, maxLength: Int = 2000) -> [String?]? {
        guard let node = node(key), let items = reader.sequence(node, .root.appending(key)) else { return nil }
        return items.enumerated().map { index, item in
            let path = FieldPath.root.appending(key).appending(index)
            return reader.textScalar(item, path).flatMap { reader.text($0, path, maxLength: maxLength, nonEmpty: true) }
        }
    }

    /// A mapping of free texts nested under `key`, with only the `allowed` keys; a blank text reads as none.
    public func texts(in key: String, allowed: Set<String>, maxLength: Int = 4000) -> [String: String]? {
        guard let node = node(key) else { return nil }
        let path = FieldPath.root.appending(key)
        guard let nested = reader.mapping(node, path, allowed: allowed, refusingNulls: false) else { return nil }
        var texts: [String: String] = [:]
        for name in nested.order {
            guard let value = nested[name], !reader.isNull(value) else { continue }
            if let text = reader.textScalar(value, path.appending(name)).flatMap({ reader.text($0, path.appending(name), maxLength: maxLength) }),
               !text.trimmingSpaces.isEmpty {
                texts[name] = text
            }
        }
        return texts
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

    /// Throws every problem found so far, if any, in the order of the document: problems the
    /// reader found and problems the caller found later are listed where they occur.
    public func finish() throws(DocumentError) {
        guard reader.hasErrors else { return }
        func place(_ item: (offset: Int, element: Diagnostic)) -> (Int, Int, Int) {
            (item.element.location?.line ?? .max, item.element.location?.column ?? .max, item.offset)
        }
        let ordered = reader.diagnostics.enumerated().sorted { place($0) < place($1) }
        throw DocumentError(ordered.map(\.element))
    }
}

extension DocumentReader {
    /// The node, unless it is a plain YAML scalar that YAML reads as a boolean or a number: in a
    /// field that takes text or an id, `false` or `12` is a value of the wrong type, not the text
    /// "false" (quoted, it is text, as it always is in JSON). Readers that resolve no tags (the
    /// request reader) are held to the same rule.
    func textScalar(_ node: Node, _ path: FieldPath) -> Node? {
        if case .scalar(let scalar) = node, [Tag.Name.bool, .int, .float].contains(Resolver.default.resolveTag(of: node)) {
            report(node, path, "must be a string, not '\(scalar.string)'; quote it to mean the text")
            return nil
        }
        return node
    }
}
