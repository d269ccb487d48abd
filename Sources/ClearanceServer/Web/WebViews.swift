internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Mustache
internal import NIOCore

/// The page templates (`web/templates`, built into the binary) and how a page is answered.
struct WebViews: Sendable {
    /// The built-in templates, parsed once; nil when they are read from disk (`--web-root`).
    private let builtIn: MustacheLibrary?
    private let root: String?

    init(root: String? = nil) {
        self.root = root
        builtIn = root == nil ? Self.library(WebResources.embedded, strict: true) : nil
    }

    /// The templates: built in, or read afresh from `--web-root` for each page.
    var library: MustacheLibrary { builtIn ?? Self.library(WebResources.files(root: root), strict: false) }

    static func library(_ files: [String: String], strict: Bool) -> MustacheLibrary {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in files where name.hasPrefix("templates/") && name.hasSuffix(".mustache") {
            let key = String(name.dropFirst("templates/".count).dropLast(".mustache".count))
            do {
                templates[key] = try MustacheTemplate(string: text)
            } catch {
                // The built-in templates are part of the build and a test renders every one, so a
                // broken one is a programming error caught before release. One being edited on disk
                // is left out until it parses again.
                if strict { preconditionFailure("template \(name) does not parse: \(error)") }
            }
        }
        return MustacheLibrary(templates: templates)
    }

    /// A full page in the site layout, with who is signed in and the CSRF token its forms carry.
    func render(_ template: String, _ values: [String: Any], title: String, context: ClearanceContext,
                status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var values = values
        values["pageTitle"] = title
        if let caller = context.caller {
            values["user"] = ["name": caller.user.name, "email": caller.user.email, "isSiteAdmin": caller.isSiteAdmin]
        }
        if let session = context.session {
            values["csrf"] = session.csrfToken
        }
        let html = library.render(Self.normalized(values) ?? values, withTemplate: template) ?? ""
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The values without their nil entries. Mustache renders a section for any value that is
    /// present, so a nil left in a dictionary would count as true; removed, it counts as false.
    static func normalized(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return normalized(wrapped)
        }
        if let members = value as? [String: Any] { return members.compactMapValues(normalized) }
        if let items = value as? [Any] { return items.compactMap(normalized) }
        return value
    }

    /// A problem as a page: what went wrong, in the API's words, and a way back.
    func error(_ problem: Problem, context: ClearanceContext) -> Response {
        render("error", [
            "status": problem.status.code, "title": problem.title, "detail": problem.detail ?? "",
            "errors": problem.errors.map { ["pointer": $0.pointer, "detail": $0.detail] },
            "signIn": problem.status == .unauthorized, "hasErrors": !problem.errors.isEmpty,
        ], title: problem.title, context: context, status: problem.status)
    }
}

/// A value for a template: nil (so left out) when empty, because Mustache treats an empty string as true.
func present(_ text: String?) -> Any {
    guard let text, !text.isEmpty else { return Optional<String>.none as Any }
    return text
}

extension String {
    /// The text with its first letter in capitals: "Legal: approved".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
}

/// Text the pages show for the core's values, in production language.
enum Wording {
    static func outcome(_ outcome: Outcome) -> String {
        switch outcome {
        case .socialize: "Go ahead and tell your studio contact"
        case .escalate: "Talk to your studio contact first"
        case .approvalRequired: "Written approval needed before you start"
        }
    }

    static func state(_ state: RequestState) -> String {
        state.rawValue.replacingOccurrences(of: "-", with: " ")
    }

    /// A member's role as a sentence part: "an approver", "a requester".
    static func role(_ role: String) -> String {
        switch role {
        case "admin": "a studio admin"
        case "approver": "an approver"
        case "viewer": "a viewer"
        case "requester": "a requester (files GenAI use requests)"
        case "coordinator": "the GenAI coordinator"
        default: role
        }
    }

    /// An approval area in plain words.
    static func area(_ area: Area) -> String {
        switch area {
        case .creative: "creative"
        case .legal: "legal"
        case .talent: "talent"
        case .data: "data and security"
        case .ethics: "ethics"
        case .labor: "labor relations"
        }
    }

    /// A finding's outcome as a short tag.
    static func outcomeTag(_ outcome: Outcome) -> String {
        switch outcome {
        case .socialize: "tell your contact"
        case .escalate: "talk to your contact"
        case .approvalRequired: "written approval"
        }
    }

    /// Where the output goes, as the register says it.
    static func destination(_ raw: String) -> String {
        switch raw {
        case "internal": "inside the production"
        case "pitch": "a pitch"
        case "temp": "temp, replaced before delivery"
        case "final": "the final cut"
        default: raw
        }
    }

    /// The register's approval column in words.
    static func approval(_ raw: String) -> String {
        switch raw {
        case "approved-with-conditions": "approved with conditions"
        case "not-required": "not needed (socialized)"
        case "escalated": "waiting on approvers"
        case "changes-requested": "changes asked for"
        default: raw.replacingOccurrences(of: "-", with: " ")
        }
    }

    /// A verdict as a past-tense phrase: "approved with conditions".
    static func verdict(_ verdict: VerdictKind) -> String {
        switch verdict {
        case .approved: "approved"
        case .approvedWithConditions: "approved with conditions"
        case .changesRequested: "asked for changes"
        case .rejected: "rejected"
        }
    }

    /// A message as a sentence: capital first letter, full stop at the end.
    static func sentence(_ message: String) -> String {
        guard let first = message.first else { return message }
        let text = first.uppercased() + message.dropFirst()
        return text.hasSuffix(".") || text.hasSuffix("?") ? text : text + "."
    }

    static func date(_ date: Date) -> String {
        Timestamps.string(date).replacingOccurrences(of: "T", with: " ").prefix(16) + " UTC"
    }
}
