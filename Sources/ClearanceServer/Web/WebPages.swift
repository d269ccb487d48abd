internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Mustache
internal import NIOCore

/// The web pages: server-rendered HTML over the same core, store and access rules as the API.
/// Every change goes through the API's own functions, so a form and an API call leave the same
/// records and audit events. Forms are plain HTML and work without script; the one script, the
/// intake form's live preview, calls `POST /api/v1/triage`.
struct WebPages: Sendable {
    let api: ClearanceAPI
    let views: WebViews
    let signInTokens = SignInTokens()

    var store: any Store { api.store }
    var configuration: ServerConfiguration { api.configuration }

    init(api: ClearanceAPI) {
        self.api = api
        self.views = WebViews(root: api.configuration.webRoot)
    }

    func register(on router: Router<ClearanceContext>) {
        router.get("assets/:name") { _, context in try asset(try api.parameter(context, "name")) }
        router.get("signin") { request, context in try await signInPage(request, context) }
        router.post("signin") { request, context in try await page(request, context, signedIn: false) { try await signIn($0, request, context) } }
        router.post("signout") { request, context in
            // With a live session the token is checked as for any form; without one there is
            // nothing left to end, and the stale cookie is cleared either way.
            try await page(request, context, signedIn: context.caller != nil) { _ in try await signOut(request, context) }
        }
        registerInvitationPages(on: router)
        registerAccountPages(on: router)
        registerAdministrationPages(on: router)
        registerConsentPages(on: router)
        registerPolicyDraftPages(on: router)
        registerWebhookPages(on: router)
        registerQueuePages(on: router)
        registerToolPages(on: router)
        registerRulebookPages(on: router)
        router.get("") { request, context in try await page(request, context) { _ in try await home(context) } }
        router.get("productions/:production") { request, context in
            try await page(request, context) { _ in try await productionPage(request, context) }
        }
        router.get("productions/:production/requests/new") { request, context in
            try await page(request, context) { _ in try await intakePage(context, fields: [], errors: [:], status: .ok) }
        }
        router.post("productions/:production/requests/new") { request, context in
            try await page(request, context) { try await intakeSubmit($0, request, context) }
        }
        router.get("requests/:id") { request, context in
            try await page(request, context) { _ in try await requestPage(request, context) }
        }
        router.get("requests/:id/compare") { request, context in
            try await page(request, context) { _ in try await comparePage(request, context) }
        }
        router.get("requests/:id/revise") { request, context in try await page(request, context) { _ in try await revisePage(context) } }
        router.post("requests/:id/revise") { request, context in
            try await page(request, context) { try await intakeSubmit($0, request, context, revising: try api.parameter(context, "id")) }
        }
        router.post("productions/:production/scans/:scan/extend") { request, context in
            try await page(request, context) { try await extendSubmit($0, request, context) }
        }
        router.post("requests/:id/coverage/:extension") { request, context in
            try await page(request, context) { try await extensionDecision($0, request, context) }
        }
        router.post("requests/:id/comments") { request, context in
            try await page(request, context) { try await commentSubmit($0, request, context) }
        }
        router.post("requests/:id/withdraw") { request, context in
            try await page(request, context) { try await withdrawSubmit($0, request, context) }
        }
        router.post("requests/:id/verdict") { request, context in
            try await page(request, context) { try await verdictSubmit($0, request, context) }
        }
        router.post("requests/:id/acknowledge") { request, context in
            try await page(request, context) { try await acknowledgeSubmit($0, request, context) }
        }
        router.get("studios/:studio/tools") { request, context in try await page(request, context) { _ in try await toolsPage(request, context) } }
        router.get("studios/:studio/policy") { request, context in
            try await page(request, context) { _ in try await policyPage(request, context) }
        }
        router.get("studios/:studio/dashboard") { request, context in
            try await page(request, context) { _ in try await dashboard(context, studio: try api.parameter(context, "studio")) }
        }
        router.get("productions/:production/consents") { request, context in
            try await page(request, context) { _ in try await consentsPage(context) }
        }
        router.get("productions/:production/scans") { request, context in
            try await page(request, context) { _ in try await scansPage(context) }
        }
        router.get("productions/:production/scans/:scan") { request, context in
            try await page(request, context) { _ in try await scanPage(context) }
        }
        router.get("productions/:production/register") { request, context in
            try await page(request, context) { _ in try await registerPage(request, context) }
        }
        router.get("productions/:production/dashboard") { request, context in
            try await page(request, context) { _ in try await dashboard(context, production: try api.parameter(context, "production")) }
        }
    }

    // MARK: Shared steps

    /// Runs a page handler: anonymous visitors go to the sign-in page, every POST must carry the
    /// session's CSRF token, and problems render as an HTML error page with the same status.
    func page(_ request: Request, _ context: ClearanceContext, signedIn: Bool = true,
              _ handler: ([FormDocument.Field]) async throws -> Response) async throws -> Response {
        do {
            if signedIn, context.caller == nil || context.session == nil {
                if request.method == .get {
                    let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
                    return redirect("/signin?next=" + Self.percentEncode(next))
                }
                throw Problem(.unauthorized, "Signed out", detail: "your session has ended; sign in again")
            }
            // Only read once the visitor is known (or is signing in).
            let fields = request.method == .post ? try await formFields(request, context) : []
            if signedIn, let session = context.session {
                if request.method == .post {
                    guard session.accepts(csrf: fields.value(WebSecurity.csrfField)) else {
                        throw Problem.forbidden("the form's security token is missing or out of date; reload the page and try again")
                    }
                }
            }
            return try await handler(fields)
        } catch let problem as Problem {
            return views.error(problem, context: context)
        } catch let error as ServiceError {
            return views.error(Problem(error), context: context)
        } catch let error as StoreError {
            if case .conflict(let detail) = error { return views.error(Problem.conflict(detail), context: context) }
            throw error
        }
    }

    /// A urlencoded form body, read once and kept on the request's context for later reads.
    func formFields(_ request: Request, _ context: ClearanceContext) async throws -> [FormDocument.Field] {
        let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard type == "application/x-www-form-urlencoded" else {
            throw Problem(.unsupportedMediaType, "Unsupported form", detail: "forms are sent as application/x-www-form-urlencoded")
        }
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maxFormSize)
        } catch {
            throw Problem(.contentTooLarge, "Form too large", detail: "a form may send at most \(Self.maxFormSize / 1024) KiB")
        }
        return URLEncodedForm.parse(buffer.readString(length: buffer.readableBytes) ?? "", limit: FormDocument.maxFields + 50)
    }

    func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    func caller(_ context: ClearanceContext) throws -> Caller { try context.requireCaller() }

    var now: Date { configuration.now() }

    /// Far above what the intake form sends (its request-format limits cap the text), far below
    /// what would let one post cost much memory.
    static let maxFormSize = 256 * 1024

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }

    /// A page's script and styles, built into the binary.
    func asset(_ name: String) throws -> Response {
        guard let text = WebResources.asset(name, root: configuration.webRoot) else { throw Problem.notFound("asset '\(name)'") }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "text/plain"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// `application/x-www-form-urlencoded` bodies and query strings.
enum URLEncodedForm {
    /// At most `limit` pairs are read; the rest are ignored (FormDocument refuses that many anyway).
    static func parse(_ text: String, limit: Int = .max) -> [FormDocument.Field] {
        text.split(separator: "&", maxSplits: limit, omittingEmptySubsequences: true).prefix(limit).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A pair that does not decode is dropped whole rather than guessed at.
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            return FormDocument.Field(name: name, value: value)
        }
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension [FormDocument.Field] {
    func value(_ name: String) -> String? { first { $0.name == name }?.value }
    func values(_ name: String) -> [String] { filter { $0.name == name }.map(\.value) }
}
