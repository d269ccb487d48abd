/// A place in a source document: the file name as the user gave it, and a 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// The path of a field inside a document, such as `steps[1].inputs[0]`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path: a mapping key or a sequence index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = FieldPath()

    public func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    public func appending(_ index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    /// Dotted form for people: `output.destination`, `steps[0].inputs[2]`; the root is `(document)`.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(document)" : text
    }

    /// RFC 6901 JSON pointer, for problem+json responses: `/output/destination`.
    public var jsonPointer: String {
        components.map { component -> String in
            switch component {
            case .key(let key):
                return "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let index):
                return "/\(index)"
            }
        }.joined()
    }
}

/// One problem found in a document, with where it is and which field it concerns.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Errors make a document unusable; warnings are reported but do not stop it loading.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var path: FieldPath?
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation?, path: FieldPath?, _ message: String) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
    }

    /// `file:line:column: error: field: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): "
        if let path, !path.components.isEmpty { text += "\(path): " }
        text += message
        return text
    }
}

/// A document that could not be used, with every problem found in it.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
