internal import Foundation
internal import Yams

/// Walks a parsed YAML or JSON document and collects every problem instead of stopping at the first.
///
/// JSON is read through the same YAML parser, so both spellings give the same field paths and
/// the same line and column numbers in errors.
final class DocumentReader {
    let file: String
    /// How plain scalars get their YAML tags. Readers that look only at the text of scalars (as
    /// the request reader does) use `.basic` and skip the regular expressions of `.default`.
    let resolver: Resolver
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, resolver: Resolver = .default) {
        self.file = file
        self.resolver = resolver
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Parses text into a node tree, or records the syntax error with its position. UTF-8 is named
    /// explicitly: Yams works out its default by reading the whole process environment on every parse.
    ///
    /// JSON text (an object or array) goes through `JSONText.yamlReady` first, so every valid JSON
    /// text reads, surrogate pairs and all. The tree is then checked against `NodeBudget`, so a
    /// document built of nested aliases is refused before anything walks its expansion.
    func parse(_ text: String) -> Node? {
        var yaml = text
        if JSONText.looksLikeJSON(text), let ready = try? JSONText.yamlReady(text) { yaml = ready }
        do {
            guard let node = try Yams.compose(yaml: yaml, resolver, .default, .utf8) else {
                report(at: SourceLocation(file: file, line: 1, column: 1), path: .root, "the document is empty")
                return nil
            }
            if let problem = NodeBudget.standard.problem(in: node) {
                report(at: SourceLocation(file: file, line: 1, column: 1), path: nil, problem)
                return nil
            }
            return node
        } catch let error as YamlError {
            report(syntax: error)
            return nil
        } catch {
            report(at: SourceLocation(file: file, line: 1, column: 1), path: nil, "cannot parse: \(error)")
            return nil
        }
    }

    private func report(syntax error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "syntax error: \(problem)"
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            report(at: location(mark), path: nil, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            report(at: location(context.mark), path: nil,
                   "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        case .reader(let problem, let offset, _, _):
            report(at: SourceLocation(file: file, line: 1, column: 1), path: nil,
                   "cannot read the text: \(problem)" + (offset.map { " at byte \($0)" } ?? ""))
        default:
            report(at: SourceLocation(file: file, line: 1, column: 1), path: nil, "syntax error: \(error)")
        }
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func location(of node: Node) -> SourceLocation {
        location(node.mark)
    }

    func report(_ severity: Diagnostic.Severity = .error, at location: SourceLocation?, path: FieldPath?, _ message: String) {
        diagnostics.append(Diagnostic(severity, at: location, path: path, message))
    }

    func report(_ node: Node, _ path: FieldPath, _ message: String) {
        report(.error, at: location(of: node), path: path, message)
    }

    func report(_ severity: Diagnostic.Severity, _ node: Node, _ path: FieldPath, _ message: String) {
        report(severity, at: location(of: node), path: path, message)
    }

    func add(_ diagnostics: [Diagnostic]) {
        self.diagnostics += diagnostics
    }

    // MARK: Shapes

    /// The keys of a mapping, with unknown keys reported. Returns nil (and reports) when the node is not a mapping.
    ///
    /// With `refusingNulls`, a field given as null (JSON's `null`, YAML's `~` or an empty value) is
    /// reported too: in the service's own documents no field takes null, and leaving a field out
    /// is how to ask for its default. A required field given as null is reported as missing.
    func mapping(_ node: Node, _ path: FieldPath, allowed: Set<String>, required: [String] = [],
                 refusingNulls: Bool = false) -> Fields? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping (key: value pairs), found \(describe(node))")
            return nil
        }
        var fields = Fields(node: node, path: path)
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(keyNode, path, "a key must be plain text")
                continue
            }
            guard allowed.contains(key.string) else {
                let suggestion = closest(to: key.string, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                report(keyNode, path.appending(key.string), "unknown field '\(key.string)'\(suggestion)")
                continue
            }
            fields.values[key.string] = valueNode
            fields.order.append(key.string)
        }
        for key in required where fields.values[key] == nil || isNull(fields.values[key]) {
            report(node, path.appending(key), "required field '\(key)' is missing")
        }
        if refusingNulls {
            for key in fields.order where !required.contains(key) {
                guard let value = fields.values[key], isNull(value) else { continue }
                report(value, path.appending(key), "'\(key)' is null; leave the field out to use its default")
            }
        }
        return fields
    }

    /// The items of a sequence; a single scalar is not accepted in place of a list.
    func sequence(_ node: Node, _ path: FieldPath, nonEmpty: Bool = false) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list, found \(describe(node))")
            return nil
        }
        let items = Array(sequence)
        if nonEmpty && items.isEmpty {
            report(node, path, "must list at least one item")
            return nil
        }
        return items
    }

    func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        return Self.isNullScalar(node)
    }

    /// A plain `~`, `null` or empty value: YAML's null, which counts as the field being absent.
    static func isNullScalar(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    // MARK: Scalars

    func text(_ node: Node, _ path: FieldPath, maxLength: Int? = nil, nonEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected text, found \(describe(node))")
            return nil
        }
        let value = scalar.string
        if let problem = TextCharacters.problem(in: value) {
            report(node, path, problem)
            return nil
        }
        if nonEmpty && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            report(node, path, "must not be empty")
            return nil
        }
        if let maxLength, value.count > maxLength {
            report(node, path, "is \(value.count) characters long; the limit is \(maxLength)")
            return nil
        }
        return value
    }

    /// A boolean: plain `true`/`false` (YAML 1.1's `yes`/`no`/`on`/`off` too). A quoted string is a wrong type.
    func bool(_ node: Node, _ path: FieldPath) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
            default: break
            }
        }
        report(node, path, "expected true or false, found \(describe(node))")
        return nil
    }

    /// A value from a closed set, named as in the format.
    func choice<Value: RawRepresentable & CaseIterable>(_ node: Node, _ path: FieldPath, _: Value.Type = Value.self) -> Value?
    where Value.RawValue == String {
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected one of \(Self.list(Value.self)), found \(describe(node))")
            return nil
        }
        guard let value = Value(rawValue: scalar.string) else {
            let suggestion = closest(to: scalar.string, in: Set(Value.allCases.map(\.rawValue)))
                .map { "; did you mean '\($0)'?" } ?? ""
            report(node, path, "'\(scalar.string)' is not one of \(Self.list(Value.self))\(suggestion)")
            return nil
        }
        return value
    }

    /// A list of values from a closed set.
    func choices<Value: RawRepresentable & CaseIterable & Equatable>(_ node: Node, _ path: FieldPath, nonEmpty: Bool, _: Value.Type = Value.self) -> [Value]?
    where Value.RawValue == String {
        guard let items = sequence(node, path, nonEmpty: nonEmpty) else { return nil }
        var values: [Value] = []
        var failed = false
        for (index, item) in items.enumerated() {
            if let value: Value = choice(item, path.appending(index)) {
                if !values.contains(value) { values.append(value) }
            } else {
                failed = true
            }
        }
        return failed ? nil : values
    }

    static func list<Value: RawRepresentable & CaseIterable>(_: Value.Type) -> String where Value.RawValue == String {
        Value.allCases.map(\.rawValue).joined(separator: "|")
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            let shown = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return "'\(shown)'"
        case .alias: return "an alias"
        }
    }

    /// The allowed word nearest to a misspelling, when it is near enough to be a likely typo.
    func closest(to word: String, in candidates: Set<String>) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return nil }
        return best.1 <= max(1, word.count / 3) ? best.0 : nil
    }
}

/// The known fields of one mapping, with the mapping's own node for locating "missing field" errors.
struct Fields {
    let node: Node
    let path: FieldPath
    var values: [String: Node] = [:]
    var order: [String] = []

    subscript(key: String) -> Node? {
        guard let value = values[key], !DocumentReader.isNullScalar(value) else { return nil }
        return value
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
