internal import ClearanceCore

/// Turns an HTML form into a request document, with no knowledge of the request format.
///
/// Each control is named by the JSON pointer of the field it fills, so a field error from the
/// parser (which carries a pointer) lands next to the control that caused it. A name may end in
/// `[]` (the values form a list of strings) or `:bool` (the value `true` is the boolean true).
/// Empty values are left out, so a blank optional field takes the format's default. Numbered
/// segments build lists; gaps left by empty groups are closed up, and the returned fields are
/// renumbered the same way, so the form re-renders with the pointers the errors name.
///
/// `web/assets/preview.js` builds the live preview's document by the same rules.
struct FormDocument {
    /// One control's name and value, in form order.
    struct Field: Hashable {
        var name: String
        var value: String
    }

    enum Kind {
        case text, list, bool

        /// How a control's name marks the kind.
        var suffix: String {
            switch self {
            case .text: ""
            case .list: "[]"
            case .bool: ":bool"
            }
        }
    }

    var document: JSONValue
    /// The non-empty fields, renumbered to match `document`.
    var fields: [Field]

    /// Bounds on what a form may describe, far above anything the request format allows, so a
    /// hostile form cannot make the server build a huge tree.
    static let maxFields = 2000
    static let maxIndex = 99
    static let maxDepth = 6

    init(_ submitted: [Field]) throws(FormDocumentError) {
        guard submitted.count <= Self.maxFields else { throw .tooManyFields }
        var tree = Node.object([:], order: [])
        var kept: [(path: [String], kind: Kind, field: Field)] = []
        for field in submitted where !field.value.isEmpty && field.name.hasPrefix("/") {
            let (path, kind) = try Self.parse(field.name)
            kept.append((path, kind, field))
        }
        // Close the gaps: per list, the indices in use, in order.
        var indices: [[String]: [Int]] = [:]
        for entry in kept {
            for (depth, segment) in entry.path.enumerated() {
                if let index = Int(segment) {
                    let prefix = Array(entry.path[..<depth])
                    if !(indices[prefix]?.contains(index) ?? false) { indices[prefix, default: []].append(index) }
                }
            }
        }
        let renumber = indices.mapValues { used in
            Dictionary(uniqueKeysWithValues: used.sorted().enumerated().map { ($1, $0) })
        }
        var fields: [Field] = []
        for entry in kept {
            var path = entry.path
            for depth in path.indices {
                if let index = Int(entry.path[depth]), let new = renumber[Array(entry.path[..<depth])]?[index] {
                    path[depth] = String(new)
                }
            }
            tree.insert(path[...], kind: entry.kind, value: entry.field.value)
            fields.append(Field(name: "/" + path.joined(separator: "/") + entry.kind.suffix, value: entry.field.value))
        }
        self.document = tree.json
        self.fields = fields
    }

    /// The fields that fill a form with an existing document: the inverse of `init`. Lists of
    /// plain values become repeated `[]` fields, booleans `:bool` fields, empty lists and nulls
    /// are left out, and lists of objects are numbered.
    static func fields(of document: JSONValue, at pointer: String = "") -> [Field] {
        switch document {
        case .null: return []
        case .bool(let value): return [Field(name: pointer + Kind.bool.suffix, value: value ? "true" : "false")]
        case .number(let number): return [Field(name: pointer, value: String(number))]
        case .string(let text): return [Field(name: pointer, value: text)]
        case .object(let members): return members.flatMap { fields(of: $0.value, at: pointer + "/" + $0.key) }
        case .array(let items):
            let plain = items.allSatisfy { if case .string = $0 { true } else if case .number = $0 { true } else { false } }
            if plain { return items.flatMap { fields(of: $0, at: pointer + Kind.list.suffix) } }
            return items.enumerated().flatMap { fields(of: $1, at: pointer + "/\($0)") }
        }
    }

    /// The pointer segments of a control's name, and how its values are read.
    static func parse(_ name: String) throws(FormDocumentError) -> ([String], Kind) {
        let (pointer, kind) = split(name)
        let segments = pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !segments.isEmpty, segments.count <= maxDepth,
              segments.allSatisfy({ !$0.isEmpty && $0.count <= 40 }) else { throw .badName(name) }
        for segment in segments {
            if let index = Int(segment), !(0...maxIndex).contains(index) { throw .badName(name) }
        }
        return (segments, kind)
    }

    /// A control's name as the JSON pointer it fills and the kind its suffix marks.
    static func split(_ name: String) -> (pointer: Substring, kind: Kind) {
        for kind in [Kind.list, .bool] where name.hasSuffix(kind.suffix) {
            return (name.dropLast(kind.suffix.count), kind)
        }
        return (Substring(name), .text)
    }

    /// A tree under construction: objects keep their keys' first-seen order.
    private indirect enum Node {
        case object([String: Node], order: [String])
        case list([Int: Node])
        case strings([String])
        case leaf(JSONValue)

        mutating func insert(_ path: ArraySlice<String>, kind: Kind, value: String) {
            guard let head = path.first else {
                switch (kind, self) {
                case (.list, .strings(let values)): self = .strings(values + [value])
                case (.list, _): self = .strings([value])
                case (.bool, _): self = .leaf(.bool(value == "true"))
                case (.text, _): self = .leaf(.string(value))
                }
                return
            }
            let rest = path.dropFirst()
            if let index = Int(head) {
                var items: [Int: Node] = if case .list(let existing) = self { existing } else { [:] }
                var child = items[index] ?? Self.empty(for: rest)
                child.insert(rest, kind: kind, value: value)
                items[index] = child
                self = .list(items)
            } else {
                var (members, order): ([String: Node], [String]) = if case .object(let m, let o) = self { (m, o) } else { ([:], []) }
                var child = members[head] ?? Self.empty(for: rest)
                if members[head] == nil { order.append(head) }
                child.insert(rest, kind: kind, value: value)
                members[head] = child
                self = .object(members, order: order)
            }
        }

        static func empty(for rest: ArraySlice<String>) -> Node {
            guard let next = rest.first else { return .leaf(.null) }
            return Int(next) != nil ? .list([:]) : .object([:], order: [])
        }

        var json: JSONValue {
            switch self {
            case .object(let members, let order):
                .object(order.compactMap { key in members[key].map { JSONValue.Member(key, $0.json) } })
            case .list(let items): .array(items.keys.sorted().compactMap { items[$0]?.json })
            case .strings(let values): .array(values.map { .string($0) })
            case .leaf(let value): value
            }
        }
    }
}

enum FormDocumentError: Error, Equatable, CustomStringConvertible {
    case tooManyFields
    case badName(String)

    var description: String {
        switch self {
        case .tooManyFields: "the form has more than \(FormDocument.maxFields) fields"
        case .badName(let name): "the form field '\(name.prefix(80))' is not a field of the request"
        }
    }
}

/// A step's tool that is not in the registry, described on the intake form: the step's tool
/// list says `unlisted` and the record's answers sit under `/steps/N/unlisted/…`. In the request
/// document the tool is that inline record (request-format.md allows one). `web/assets/preview.js`
/// turns the form into a document by the same rule.
enum UnlistedTool {
    static let choice = "unlisted"

    /// The form's fields as the request document's: the description becomes the step's tool
    /// record (with an id made from its name) when the list says `unlisted`, and is dropped otherwise.
    static func toDocument(_ fields: [FormDocument.Field]) -> [FormDocument.Field] {
        let unlisted = Set(fields.compactMap { field -> String? in
            guard field.value == choice, let step = step(of: field.name), field.name == "/steps/\(step)/tool" else { return nil }
            return step
        })
        var result: [FormDocument.Field] = []
        var named: [String: String] = [:]
        var hasID: Set<String> = []
        var hasEnterprise: Set<String> = []
        for field in fields {
            guard let step = step(of: field.name) else { result.append(field); continue }
            let marker = "/steps/\(step)/unlisted/"
            if field.name == "/steps/\(step)/tool" && unlisted.contains(step) { continue }
            if field.name.hasPrefix(marker) {
                guard unlisted.contains(step) else { continue }
                let key = String(field.name.dropFirst(marker.count))
                if key == "name" { named[step] = field.value }
                if key == "id" { hasID.insert(step) }
                if key == "enterprise:bool" { hasEnterprise.insert(step) }
                result.append(.init(name: "/steps/\(step)/tool/" + key, value: field.value))
                continue
            }
            result.append(field)
        }
        for step in unlisted.sorted() {
            if !hasID.contains(step) { result.append(.init(name: "/steps/\(step)/tool/id", value: slug(named[step] ?? "", step: step))) }
            // An unticked box sends nothing: no agreement.
            if !hasEnterprise.contains(step) { result.append(.init(name: "/steps/\(step)/tool/enterprise:bool", value: "false")) }
        }
        return result
    }

    /// The document's fields as the form's: an inline tool record fills the description and
    /// sets the step's list to `unlisted`.
    static func toForm(_ fields: [FormDocument.Field]) -> [FormDocument.Field] {
        var result: [FormDocument.Field] = []
        var marked: Set<String> = []
        for field in fields {
            if let step = step(of: field.name), field.name.hasPrefix("/steps/\(step)/tool/") {
                if marked.insert(step).inserted { result.append(.init(name: "/steps/\(step)/tool", value: choice)) }
                result.append(.init(name: "/steps/\(step)/unlisted/" + field.name.dropFirst("/steps/\(step)/tool/".count),
                                    value: field.value))
            } else {
                result.append(field)
            }
        }
        return result
    }

    /// Field errors at the inline record's pointers, moved to the description's controls.
    static func toForm(errors: [String: String]) -> [String: String] {
        var moved: [String: String] = [:]
        for (pointer, message) in errors {
            if let step = step(of: pointer), pointer.hasPrefix("/steps/\(step)/tool/") {
                moved["/steps/\(step)/unlisted/" + pointer.dropFirst("/steps/\(step)/tool/".count)] = message
            } else {
                moved[pointer] = message
            }
        }
        return moved
    }

    /// The step index a `/steps/N/…` name is about.
    static func step(of name: String) -> String? {
        guard name.hasPrefix("/steps/") else { return nil }
        let rest = name.dropFirst("/steps/".count)
        guard let index = rest.split(separator: "/", maxSplits: 1).first, Int(index) != nil else { return nil }
        return String(index)
    }

    /// An id for a described tool, from its name: lower-case letters, digits and dashes.
    static func slug(_ name: String, step: String) -> String {
        var text = ""
        for character in name.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) { text.append(character) }
            else if !text.hasSuffix("-") && !text.isEmpty { text.append("-") }
        }
        text = String(text.prefix(40))
        while text.hasSuffix("-") { text.removeLast() }
        return text.isEmpty ? "unlisted-tool-\(Int(step).map { $0 + 1 } ?? 1)" : text
    }
}
