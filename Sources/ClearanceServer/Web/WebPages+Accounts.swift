internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// A person's own account: the first-run set-up link, a password-reset link, and the account page
/// (password, other sessions, API tokens). Each change is `People`'s use case, as for the API.
extension WebPages {
    func registerAccountPages(on router: Router<ClearanceContext>) {
        router.get("setup/:secret") { request, context in
            try await page(request, context, signedIn: false) { _ in try await setupPage(request, context) }
        }
        router.post("setup/:secret") { request, context in
            try await page(request, context, signedIn: false) { try await setupSubmit($0, request, context) }
        }
        router.get("reset/:secret") { request, context in
            try await page(request, context, signedIn: false) { _ in try await resetPage(request, context) }
        }
        router.post("reset/:secret") { request, context in
            try await page(request, context, signedIn: false) { try await resetSubmit($0, request, context) }
        }
        router.get("account") { request, context in try await page(request, context) { _ in try await accountPage(request, context) } }
        router.post("account/password") { request, context in
            try await page(request, context) { try await passwordSubmit($0, request, context) }
        }
        router.post("account/sessions") { request, context in
            try await page(request, context) { _ in
                let caller = try caller(context)
                guard let session = context.session else { throw Problem(.unauthorized, "Signed out", detail: "sign in again") }
                let ended = try await api.people.signOutOtherSessions(keeping: session.id, by: caller)
                return finished(ended == 0 ? "no-other-sessions" : "sessions-ended", at: "/account", request)
            }
        }
        router.post("account/tokens") { request, context in
            try await page(request, context) { try await tokenSubmit($0, request, context) }
        }
        router.post("account/tokens/:id/revoke") { request, context in
            try await page(request, context) { _ in
                let caller = try caller(context)
                try await api.people.revokeToken(try api.parameter(context, "id"), of: caller.user.id, by: caller)
                return finished("token-revoked", at: "/account", request)
            }
        }
    }

    // MARK: Set-up link

    /// The form that creates the first site admin, while the printed link is live and no admin exists.
    func setupPage(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field] = [], errors: [String: String] = [:],
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        try await requireSetupLink(context)
        var headers: HTTPFields = [:]
        let controls = FormControls(fields: fields, errors: errors)
        return views.render("set-password", [
            "heading": "Set up Clearance", "action": request.uri.path,
            "lead": "Nobody runs this site yet. Create the first site admin: the account that creates studios and people. This link works once, within the hour after the server printed it.",
            "name": controls.text("/name", "Your name", hint: "As colleagues know it."),
            "email": controls.text("/email", "Your email", hint: "You sign in with it."),
            "password": Self.passwordControl(errors), "confirm": Self.confirmControl(errors),
            "signInToken": formNonce(request, headers: &headers), "button": "Create the site admin",
            "hasErrors": !errors.isEmpty, "errorSummary": Self.summary(errors),
        ], title: "Set up Clearance", context: context, status: status, headers: headers)
    }

    func setupSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        try await requireSetupLink(context)
        guard acceptsFormNonce(fields, request) else { throw Problem.forbidden("the form had expired; reload the page and try again") }
        // Taken for the length of this request: a second submission at the same moment finds no link.
        guard let taken = configuration.setupLink.take(try api.parameter(context, "secret"), at: now) else {
            throw Self.setupLinkGone
        }
        let kept = fields.filter { $0.name == "/name" || $0.name == "/email" }
        guard fields.value("/password") == fields.value("/confirm") else {
            configuration.setupLink.restore(taken)
            return try await setupPage(request, context, fields: kept, errors: ["/confirm": "The two passwords differ; type the same one twice."],
                                       status: .unprocessableContent)
        }
        let user: UserRecord
        do {
            user = try await api.people.createFirstAdmin(email: fields.value("/email") ?? "", name: fields.value("/name") ?? "",
                                                         password: fields.value("/password") ?? "")
        } catch let error as ServiceError {
            configuration.setupLink.restore(taken)
            guard case .invalid = error else { throw error }
            return try await setupPage(request, context, fields: kept, errors: Self.fieldErrors(error), status: .unprocessableContent)
        } catch {
            configuration.setupLink.restore(taken)
            throw error
        }
        return redirect("/site", cookies: try await beginSession(for: user, request) + [doneCookie("site-ready", at: "/site", request)])
    }

    /// The link is live and the site still has no admin; otherwise a page that says what to do.
    func requireSetupLink(_ context: ClearanceContext) async throws {
        let secret = try api.parameter(context, "secret")
        guard configuration.setupLink.accepts(secret, at: now), try await store.siteAdminCount() == 0 else { throw Self.setupLinkGone }
    }

    static let setupLinkGone = Problem(.notFound, "Set-up link not valid",
                                       detail: "This set-up link has been used or has expired. If you are the site admin, sign in. Otherwise restart the server for a new link, or run clearance admin create.")

    // MARK: Reset link

    func resetPage(_ request: Request, _ context: ClearanceContext, errors: [String: String] = [:],
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let (_, user) = try await linkedReset(context)
        var headers: HTTPFields = [:]
        return views.render("set-password", [
            "heading": "Choose a new password", "action": request.uri.path,
            "lead": "For \(user.email). Once it is set, every browser signed in to this account is signed out, and this link stops working.",
            "password": Self.passwordControl(errors), "confirm": Self.confirmControl(errors),
            "signInToken": formNonce(request, headers: &headers), "button": "Set the password and sign in",
            "hasErrors": !errors.isEmpty, "errorSummary": Self.summary(errors),
        ], title: "Choose a new password", context: context, status: status, headers: headers)
    }

    func resetSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        _ = try await linkedReset(context)
        guard acceptsFormNonce(fields, request) else { throw Problem.forbidden("the form had expired; reload the page and try again") }
        guard fields.value("/password") == fields.value("/confirm") else {
            return try await resetPage(request, context, errors: ["/confirm": "The two passwords differ; type the same one twice."],
                                       status: .unprocessableContent)
        }
        let user: UserRecord
        do {
            user = try await api.people.resetPassword(linkSecret: try api.parameter(context, "secret"), to: fields.value("/password") ?? "")
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await resetPage(request, context, errors: Self.fieldErrors(error), status: .unprocessableContent)
        }
        return redirect("/account", cookies: try await beginSession(for: user, request) + [doneCookie("password-set", at: "/account", request)])
    }

    func linkedReset(_ context: ClearanceContext) async throws -> (PasswordResetRecord, UserRecord) {
        guard let found = try await api.people.passwordReset(linkSecret: try api.parameter(context, "secret")) else {
            throw Problem(.notFound, "Reset link not valid",
                          detail: "This link has been used or has expired. Ask a site admin for a new one.")
        }
        return found
    }

    // MARK: Account page

    func accountPage(_ request: Request, _ context: ClearanceContext, passwordErrors: [String: String] = [:],
                     tokenErrors: [String: String] = [:], tokenFields: [FormDocument.Field] = [],
                     newToken: [String: Any]? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let time = now
        let tokens = try await store.tokens(userID: caller.user.id).sorted { $0.createdAt > $1.createdAt }
        let productions = try await visibleProductions(caller).sorted { $0.title < $1.title }
        let controls = FormControls(fields: tokenFields, errors: tokenErrors)
        var values: [String: Any] = [
            "name": caller.user.name, "email": caller.user.email, "siteAdmin": caller.isSiteAdmin,
            "hasPassword": caller.user.passwordHash != nil,
            "current": ["name": "/current", "id": IntakeForm.id("/current"), "label": "Current password", "error": passwordErrors["/current"] as Any],
            "password": Self.passwordControl(passwordErrors, label: "New password"), "confirm": Self.confirmControl(passwordErrors),
            "passwordErrors": !passwordErrors.isEmpty,
            "sessions": try await api.people.liveSessions(of: caller),
            "tokens": tokens.map { token in
                let live = token.revokedAt == nil && (token.expiresAt.map { $0 > time } ?? true)
                return [
                    "id": token.id, "label": token.label, "created": Wording.date(token.createdAt),
                    "expires": token.expiresAt.map(Wording.date) ?? "never", "live": live,
                    "status": token.revokedAt != nil ? "Revoked " + Wording.date(token.revokedAt ?? time) : live ? "In use" : "Expired",
                ] as [String: Any]
            },
            "label": controls.text("/label", "What it is for", hint: "For example: the edit suite's scan before delivery."),
            "days": controls.text("/days", "Days it works", hint: "1 to \(TokenLifetime.maxDays); \(TokenLifetime.defaultDays) if left blank."),
            "production": controls.select("/production", "Production it scans for (optional)",
                                          productions.map { ($0.id, $0.title) }, blank: "None: show no scan command"),
            "tokenErrors": !tokenErrors.isEmpty, "newToken": newToken as Any,
        ]
        let (done, cleared) = takeDone(request, at: "/account")
        if let done { values["done"] = done }
        return views.render("account", values, title: "Your account", context: context, status: status, headers: cleared)
    }

    func passwordSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        guard fields.value("/password") == fields.value("/confirm") else {
            return try await accountPage(request, context, passwordErrors: ["/confirm": "The two new passwords differ; type the same one twice."],
                                         status: .unprocessableContent)
        }
        do {
            try await api.people.changePassword(current: fields.value("/current") ?? "", to: fields.value("/password") ?? "",
                                                keepingSession: context.session?.id, checkedBy: api.passwords,
                                                from: context.remoteIP ?? "unknown", by: caller)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await accountPage(request, context, passwordErrors: Self.fieldErrors(error), status: .unprocessableContent)
        }
        return finished("password-changed", at: "/account", request)
    }

    /// A new token, shown once on the page that answers the form (never in a redirect or cookie).
    func tokenSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let kept = fields.filter { ["/label", "/days", "/production"].contains($0.name) }
        let daysText = (fields.value("/days") ?? "").trimmingCharacters(in: .whitespaces)
        guard let days = daysText.isEmpty ? TokenLifetime.defaultDays : Int(daysText) else {
            return try await accountPage(request, context, tokenErrors: ["/days": "Give a whole number of days from 1 to \(TokenLifetime.maxDays)."],
                                         tokenFields: kept, status: .unprocessableContent)
        }
        let productions = try await visibleProductions(caller)
        let production = fields.value("/production").flatMap { id in productions.first { $0.id == id } }
        let token: TokenRecord, secret: String
        do {
            (token, secret) = try await api.people.createToken(label: fields.value("/label") ?? "", days: days, by: caller)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            // The API's field is expires-in-days; the form's is days.
            let errors = Self.fieldErrors(error).reduce(into: [String: String]()) { $0[$1.key == "/expires-in-days" ? "/days" : $1.key] = $1.value }
            return try await accountPage(request, context, tokenErrors: errors, tokenFields: kept, status: .unprocessableContent)
        }
        var shown: [String: Any] = ["label": token.label, "secret": secret, "expires": token.expiresAt.map(Wording.date) ?? "never"]
        if let production {
            shown["production"] = production.title
            shown["command"] = "CLEARANCE_TOKEN=\(secret) clearance scan --server \(siteBase(request)) --production \(production.id) --upload DELIVERABLES"
        }
        return try await accountPage(request, context, newToken: shown, status: .created)
    }

    /// The productions the caller can see: their studios' (by studio), then those they belong
    /// to in other studios.
    func visibleProductions(_ caller: Caller) async throws -> [ProductionRecord] {
        var productions: [ProductionRecord] = []
        var seen = Set<String>()
        for studioID in caller.studioRoles.keys.sorted() {
            for production in try await store.productions(studioID: studioID) where seen.insert(production.id).inserted {
                productions.append(production)
            }
        }
        for productionID in caller.productionRoles.keys.sorted() where !seen.contains(productionID) {
            if let production = try await store.production(id: productionID) { productions.append(production) }
        }
        return productions
    }

    /// The site's address as people reach it: `--public-url`, else the host the browser asked for.
    func siteBase(_ request: Request) -> String {
        if let publicURL = configuration.publicURL { return publicURL }
        let scheme = WebSecurity.isSecure(request, configuration: configuration) ? "https" : "http"
        return scheme + "://" + (request.head.authority ?? "\(configuration.host):\(configuration.port)")
    }

    // MARK: Shared by the account and administration pages

    static func passwordControl(_ errors: [String: String], label: String = "Password") -> [String: Any] {
        ["name": "/password", "id": IntakeForm.id("/password"), "label": label, "error": errors["/password"] as Any,
         "hint": "At least 12 characters, not containing your email's name. A short sentence is easy to remember and hard to guess."]
    }

    static func confirmControl(_ errors: [String: String]) -> [String: Any] {
        ["name": "/confirm", "id": IntakeForm.id("/confirm"), "label": "The password again", "error": errors["/confirm"] as Any]
    }

    /// A service's field problems, by field pointer, in sentence case.
    static func fieldErrors(_ error: ServiceError) -> [String: String] {
        var errors: [String: String] = [:]
        for (pointer, message) in (error.fieldMessages ?? [:]).sorted(by: { $0.key < $1.key }) {
            // A list's item belongs to the list's one control on a form ("/territories/1" → "/territories").
            var parts = pointer.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count > 2, parts.last.map({ $0.allSatisfy(\.isNumber) }) == true { parts.removeLast() }
            let field = parts.joined(separator: "/")
            if errors[field] == nil { errors[field] = Wording.sentence(message) }
        }
        return errors
    }

    /// The error summary at the top of a form: each problem, linking to its field.
    static func summary(_ errors: [String: String]) -> [[String: String]] {
        errors.sorted { $0.key < $1.key }.map { ["id": IntakeForm.id($0.key), "message": $0.value] }
    }

    /// The answer to a form that changed something: back to `path`, which says once what was done.
    func finished(_ what: String, at path: String, _ http: Request) -> Response {
        redirect(path, cookies: [doneCookie(what, at: path, http)])
    }

    func doneCookie(_ what: String, at path: String, _ http: Request) -> String {
        WebSecurity.setCookie(WebSecurity.doneCookie, what, maxAge: 60, secure: WebSecurity.isSecure(http, configuration: configuration),
                              path: path)
    }

    /// What the form that led to `path` did, in words, and the header that forgets it.
    func takeDone(_ http: Request, at path: String) -> (String?, HTTPFields) {
        guard let key = WebSecurity.cookie(WebSecurity.doneCookie, in: http) else { return (nil, [:]) }
        let cleared: HTTPFields = [.setCookie: WebSecurity.setCookie(
            WebSecurity.doneCookie, "", maxAge: 0, secure: WebSecurity.isSecure(http, configuration: configuration), path: path)]
        return (Self.doneNotices[key], cleared)
    }

    /// What each form's page says once it is done, by the key `finished` sets.
    static let doneNotices: [String: String] = [
        "filed": "Your request is filed. Its triage is below, with what to do next.",
        "revised": "Your revision is filed and triaged again. Verdicts given for the earlier revision no longer count.",
        "verdict": "Your verdict is recorded.",
        "acknowledged": "You acknowledged this use. The crew can see it.",
        "withdrawn": "You withdrew the request.",
        "commented": "Your comment is posted.",
        "obligation-met": "The obligation is recorded as met, with your evidence.",
        "overlay-switched": "Done. The open requests it covers are being checked again; their pages show the new triage in a moment.",
        "overlay-unchanged": "Nothing changed: it was already set that way.",
        "overlay-published": "The studio's own rules are published. Its open requests are being checked again under them.",
        "coverage-asked": "You asked the approver to extend this approval to the file. It counts once they confirm.",
        "coverage-confirmed": "Confirmed: the approval now covers the file, and nothing else about it changed.",
        "coverage-declined": "Declined: the approval does not cover the file.",
            "site-ready": "You are the site admin. Create a studio next, then invite its people.",
        "password-set": "Your new password is set, and every other browser signed in to your account was signed out.",
        "password-changed": "Password changed. Every other browser signed in to your account was signed out.",
        "sessions-ended": "Every other browser signed in to your account was signed out.",
        "no-other-sessions": "You were not signed in anywhere else.",
        "token-revoked": "Token revoked. Anything still using it is refused from now on.",
        "studio-created": "Studio created, on the default policy. Invite its admins and approvers next.",
        "studio-renamed": "Studio renamed.",
        "user-created": "Account created.",
        "user-deactivated": "Account deactivated: its sessions ended and its tokens were revoked.",
        "user-reactivated": "Account reactivated. Its old tokens stay revoked.",
        "member-set": "Role changed.",
        "member-removed": "Removed. They no longer see anything here.",
        "production-created": "Production created. Invite its coordinator and crew next.",
        "production-updated": "Production details saved.",
        "production-archived": "Production archived: it takes no new requests.",
        "production-restored": "Production restored: it takes requests again.",
        "policy-published": "New version published. Open requests are being triaged again under it in the background; approved ones it decides differently are flagged for review.",
        "policy-unchanged": "The draft decides exactly as the current version, so nothing was published.",
        "tool-saved": "Tool saved. Requests filed from now on are triaged with its new terms.",
        "tool-retired": "Tool retired from the registry. Requests that still name it count it as an unknown tool when next triaged.",
        "webhook-tested": "Test event queued. Its delivery shows below within a few seconds; reload to see it.",
        "webhook-removed": "Webhook removed. Nothing more is sent to it.",
        "consent-recorded": "Consent recorded. Requests can now name it in their talent entries.",
        "consent-corrected": "Correction saved.",
        "consent-revoked": "Consent revoked. It no longer covers any use.",
    ]
}
