public import ClearanceCore

/// Why a use case refused: the one error type the application layer throws besides the store's.
/// Each edge maps it once: the API to problem+json (`Problem.init(_:)`), the web pages to a
/// message beside the field it names (`fieldMessages`), the CLI to its exit codes.
public enum ServiceError: Error, Sendable, Equatable {
    /// The thing does not exist, or the caller may not know that it does (both answer alike).
    case notFound(String)
    /// The caller may see it but not do this.
    case forbidden(String)
    /// The thing is not in a state that allows this (a request already decided, say).
    case conflict(String)
    /// The input read, but breaks a rule: each problem names the field (a JSON pointer).
    case invalid([FieldIssue])
    /// A document (a request, a form body) did not read: its own diagnostics.
    case document(DocumentError)

    /// One field's problem.
    public struct FieldIssue: Sendable, Hashable {
        /// A JSON pointer into the input ("/area", "/assets/2"); "" for the input as a whole.
        public var field: String
        public var message: String

        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    /// A single field that breaks a rule.
    public static func invalid(_ field: String, _ message: String) -> ServiceError {
        .invalid([FieldIssue(field, message)])
    }

    /// What a form shows beside each field, by JSON pointer (the first problem of each field);
    /// nil when the error is not about the input (not found, forbidden, conflict).
    public var fieldMessages: [String: String]? {
        let issues: [FieldIssue]
        switch self {
        case .invalid(let list): issues = list
        case .document(let error):
            issues = error.diagnostics.filter { $0.severity == .error }.map {
                FieldIssue($0.path?.jsonPointer ?? "", $0.message)
            }
        case .notFound, .forbidden, .conflict: return nil
        }
        var messages: [String: String] = [:]
        for issue in issues where messages[issue.field] == nil { messages[issue.field] = issue.message }
        return messages
    }

    public static func == (lhs: ServiceError, rhs: ServiceError) -> Bool {
        switch (lhs, rhs) {
        case (.notFound(let a), .notFound(let b)), (.forbidden(let a), .forbidden(let b)), (.conflict(let a), .conflict(let b)): a == b
        case (.invalid(let a), .invalid(let b)): a == b
        case (.document(let a), .document(let b)): a.diagnostics.map(\.description) == b.diagnostics.map(\.description)
        default: false
        }
    }
}
