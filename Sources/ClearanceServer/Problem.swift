public import ClearanceCore
public import ClearanceService
public import HTTPTypes
public import Hummingbird
internal import NIOCore

/// An RFC 9457 problem: every error the API answers with. Built from typed errors once, here
/// at the edge; it never carries a stack trace, SQL or an internal message.
public struct Problem: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String?
    /// Field-level problems, each with a JSON pointer into the body.
    public var errors: [FieldProblem]
    /// Seconds to wait, sent as `Retry-After` (429).
    public var retryAfter: Int?

    /// One problem with one field of the body; `line` and `column` only where known.
    public struct FieldProblem: Sendable, Hashable, Encodable {
        public var pointer: String
        public var detail: String
        public var line: Int?
        public var column: Int?
    }

    public init(_ status: HTTPResponse.Status, _ title: String, detail: String? = nil, errors: [FieldProblem] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    /// Too many failed password checks for the account or from the address.
    static func tooManyAttempts(retryAfter seconds: Int) -> Problem {
        var problem = Problem(.tooManyRequests, "Too many attempts",
                              detail: "too many failed sign-ins; try again in \(seconds) seconds")
        problem.retryAfter = seconds
        return problem
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, "Not found", detail: "\(what) does not exist")
    }

    public static let unauthorized = Problem(
        .unauthorized, "Unauthorized", detail: "send a valid API token as 'Authorization: Bearer <token>'")

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, "Forbidden", detail: detail)
    }

    public static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, "Conflict", detail: detail)
    }

    public static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, "Bad request", detail: detail)
    }

    /// A single field that failed a check the service makes beyond the document's own schema.
    public static func invalid(_ pointer: String, _ detail: String) -> Problem {
        Problem(.unprocessableContent, "The body is not valid", detail: detail,
                errors: [FieldProblem(pointer: pointer, detail: detail)])
    }

    /// The one mapping of the application layer's errors to problem+json.
    public init(_ error: ServiceError) {
        switch error {
        case .notFound(let what): self = .notFound(what)
        case .forbidden(let detail): self = .forbidden(detail)
        case .conflict(let detail): self = .conflict(detail)
        case .document(let error): self = .document(error)
        case .invalid(let issues):
            let detail = issues.count == 1 ? issues[0].message
                : "\(issues.count) problems: " + issues.map(\.message).prefix(3).joined(separator: "; ")
            self.init(.unprocessableContent, "The body is not valid", detail: detail,
                      errors: issues.map { FieldProblem(pointer: $0.field, detail: $0.message) })
        }
    }

    /// A document that did not read: 400 when it is not JSON or YAML at all, 422 when a field is wrong.
    public static func document(_ error: DocumentError) -> Problem {
        let errors = error.diagnostics.filter { $0.severity == .error }
        let syntaxOnly = errors.allSatisfy { $0.path == nil }
        let fields = errors.map { diagnostic in
            FieldProblem(pointer: diagnostic.path?.jsonPointer ?? "", detail: diagnostic.message,
                         line: diagnostic.location?.line, column: diagnostic.location?.column)
        }
        if syntaxOnly {
            return Problem(.badRequest, "The body cannot be parsed", detail: errors.first?.description, errors: fields)
        }
        let count = errors.count == 1 ? "1 problem" : "\(errors.count) problems"
        return Problem(.unprocessableContent, "The body is not valid",
                       detail: "\(count): " + errors.map(\.message).prefix(3).joined(separator: "; "), errors: fields)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: try JSONValueEncoder().encode(self).rendered + "\n")))
    }
}

/// The RFC 9457 body: `retryAfter` goes in a header instead.
extension Problem: Encodable {
    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("about:blank", forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
    }
}

extension Problem {
    /// A policy or overlay whose own embedded tests fail: each failing test, at its place in the text.
    static func failedTests(_ failed: PolicyTestFailures, what: String) -> Problem {
        Problem(.unprocessableContent, "The \(what) fails its own tests",
                detail: "\(failed.results.count) of \(failed.total) embedded tests failed",
                errors: failed.results.map { result in
                    Problem.FieldProblem(pointer: "/tests", detail: "\(result.name): " + result.failures.joined(separator: "; "),
                                         line: result.location.line, column: result.location.column)
                })
    }
}
