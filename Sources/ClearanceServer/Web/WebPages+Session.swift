internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

extension WebPages {
    // MARK: Sign in and out

    /// The sign-in form. It sets a short-lived cookie that the form echoes back, so a sign-in
    /// cannot be posted from another site (there is no session yet to tie a token to).
    func signInPage(_ request: Request, _ context: ClearanceContext, email: String = "", next: String? = nil, error: String? = nil,
                    status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) async throws -> Response {
        var headers = headers
        let nonce = formNonce(request, headers: &headers)
        let next = next ?? request.uri.queryParameters["next"].map(String.init) ?? ""
        var values: [String: Any] = ["signInToken": nonce, "email": email, "next": Self.safeNext(next) ?? ""]
        if let error { values["error"] = error }
        var signedOut = context
        signedOut.caller = nil
        signedOut.session = nil
        return views.render("signin", values, title: "Sign in", context: signedOut, status: status, headers: headers)
    }

    func signIn(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        guard acceptsFormNonce(fields, request) else {
            return try await signInPage(request, context, email: fields.value("email") ?? "", next: fields.value("next"),
                                        error: "The sign-in form had expired. Please sign in again.", status: .forbidden)
        }
        let email = (fields.value("email") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let time = now
        let user: UserRecord
        switch try await api.passwords.check(email: email, password: fields.value("password") ?? "",
                                             address: context.remoteIP ?? "unknown", at: time) {
        case .matched(let matched):
            user = matched
        case .throttled(let wait):
            context.logger.notice("sign-in throttled", metadata: ["email": .string(email)])
            return try await signInPage(
                request, context, email: email, next: fields.value("next"),
                error: "Too many failed sign-ins. Try again in \(Self.minutes(wait)).",
                status: .tooManyRequests, headers: [.retryAfter: String(wait)])
        case .refused:
            context.logger.notice("sign-in failed", metadata: ["email": .string(email)])
            return try await signInPage(request, context, email: email, next: fields.value("next"),
                                        error: "That email and password do not match an account.",
                                        status: .unauthorized)
        }
        return redirect(Self.safeNext(fields.value("next") ?? "") ?? "/", cookies: try await beginSession(for: user, request))
    }

    /// Starts a web session for a user who has just proven who they are: the cookies that carry
    /// it, and clear the sign-in form's.
    func beginSession(for user: UserRecord, _ request: Request) async throws -> [String] {
        let (_, secret) = try await api.people.startSession(for: user, lasting: WebSecurity.sessionLifetime)
        let secure = WebSecurity.isSecure(request, configuration: configuration)
        return [
            WebSecurity.setCookie(WebSecurity.sessionCookie, secret, maxAge: Int(WebSecurity.sessionLifetime), secure: secure),
            WebSecurity.setCookie(WebSecurity.signInCookie, "", maxAge: 0, secure: secure),
        ]
    }

    /// The token a form sent before there is a session (signing in, accepting an invitation as
    /// someone new) echoes back: a short-lived cookie this server issued. One value per browser, so
    /// two open tabs both work; but only a value this server issued and that has not expired is
    /// kept, never one the browser arrived with. Adds the cookie to `headers`.
    func formNonce(_ request: Request, headers: inout HTTPFields) -> String {
        let existing = WebSecurity.cookie(WebSecurity.signInCookie, in: request)
            .flatMap { signInTokens.isIssued($0, at: now) ? $0 : nil }
        let nonce = existing ?? signInTokens.issue(at: now)
        headers.append(HTTPField(name: .setCookie, value: WebSecurity.setCookie(
            WebSecurity.signInCookie, nonce, maxAge: 3600, secure: WebSecurity.isSecure(request, configuration: configuration))))
        return nonce
    }

    /// Whether a form posted without a session echoes the cookie `formNonce` issued.
    func acceptsFormNonce(_ fields: [FormDocument.Field], _ request: Request) -> Bool {
        guard let sent = fields.value(WebSecurity.csrfField), let expected = WebSecurity.cookie(WebSecurity.signInCookie, in: request) else {
            return false
        }
        return WebSecurity.same(sent, expected) && signInTokens.isIssued(expected, at: now)
    }

    func signOut(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        // The middleware has already found the live session; nothing to look up again.
        if let caller = context.caller, let session = context.session {
            try await api.people.endSession(session.id, by: caller)
        }
        return redirect("/signin", cookies: [WebSecurity.setCookie(
            WebSecurity.sessionCookie, "", maxAge: 0, secure: WebSecurity.isSecure(request, configuration: configuration))])
    }

    static func minutes(_ seconds: Int) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }

    /// Only a path on this site: never another origin (`//host`) or a scheme.
    static func safeNext(_ next: String) -> String? {
        // Browsers drop tabs and newlines and read a backslash as a slash, so `/\t/evil` or `/\evil`
        // would leave the site. Only a plain path and query of safe characters is followed.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.~?=&%-")
        guard next.hasPrefix("/"), !next.hasPrefix("//"), next.count < 500, next.allSatisfy(allowed.contains) else { return nil }
        return next
    }

    // MARK: Home

    func home(_ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        // Archived productions leave the home page; their own pages stay.
        let productions = try await visibleProductions(caller).filter { !$0.isArchived }
        var mine: [[String: Any]] = []
        for productionID in caller.productionRoles.keys.sorted() {
            for request in try await store.requests(RequestQuery(productionID: productionID, requesterID: caller.user.id, limit: 50)) {
                mine.append(Self.row(request))
            }
        }
        var queues: [[String: Any]] = []
        var acknowledgements: [[String: Any]] = []
        var studios: [[String: Any]] = []
        for (studioID, member) in caller.studioRoles.sorted(by: { $0.key < $1.key }) {
            let studio = try await store.studio(id: studioID)
            let name = studio?.name ?? studioID
            studios.append(["id": studioID, "name": name, "role": Self.roleName(member.role.rawValue).lowercased(), "isMember": true,
                            "isAdmin": member.role == .admin])
            if member.role == .approver {
                let table = try await listing(Self.query(.verdicts, studioID: studioID, member: member, caller: caller), after: nil,
                                              size: Self.homeListSize, link: "/studios/\(studioID)/queue",
                                              more: { shown, total in "Showing the newest \(shown) of \(total) waiting." },
                                              waitingFor: member.areas)
                queues.append(["studio": name, "requests": table as Any])
            }
            if caller.canAcknowledge(in: studioID) {
                let table = try await listing(Self.query(.acknowledgements, studioID: studioID, member: member, caller: caller), after: nil,
                                              size: Self.homeListSize, link: "/studios/\(studioID)/to-acknowledge",
                                              more: { shown, total in "Showing the newest \(shown) of \(total) to acknowledge." })
                acknowledgements.append(["studio": name, "requests": table as Any])
            }
        }
        // With queues in several studios, each is headed by its studio's name.
        queues = queues.map { $0.merging(["many": queues.count > 1]) { $1 } }
        acknowledgements = acknowledgements.map { $0.merging(["many": acknowledgements.count > 1]) { $1 } }
        for studioID in Set(caller.productionStudios.values).subtracting(caller.studioRoles.keys).sorted() {
            let studio = try await store.studio(id: studioID)
            studios.append(["id": studioID, "name": studio?.name ?? studioID, "role": "production member"])
        }
        return views.render("home", [
            "productions": productions.map { production in
                ["id": production.id, "title": production.title, "studio": production.studioID,
                 "canFile": caller.canFileRequests(in: production.id)]
            },
            "mine": Self.table(mine) as Any,
            "isApprover": caller.studioRoles.values.contains { $0.role == .approver },
            "queues": queues,
            "isContact": caller.studioRoles.values.contains { $0.role == .approver || $0.role == .admin },
            "acknowledgements": acknowledgements,
            "studios": studios,
            "invitations": try await invitationRows(for: caller),
            "siteAdmin": caller.isSiteAdmin,
        ], title: "Home", context: context)
    }

    /// The areas of `mine` that the request needs and that have no verdict for its current digests yet.
    func waitingAreas(_ request: UseRequestRecord, for mine: [Area]) async throws -> [Area] {
        let wanted = request.areas.filter { mine.contains($0) }
        guard !wanted.isEmpty else { return [] }
        let decision = try await store.decisions(requestID: request.id).last
        let answered = Set(try await store.verdicts(requestID: request.id).filter { !$0.isStale(against: decision) }.map(\.area))
        return wanted.filter { !answered.contains($0) }
    }

    /// Rows for the `request-rows` partial; nil (a false section) when there are none.
    static func table(_ rows: [[String: Any]]) -> [String: Any]? {
        rows.isEmpty ? nil : ["rows": rows]
    }

    static func row(_ request: UseRequestRecord) -> [String: Any] {
        ["id": request.id, "title": request.title, "production": request.productionID, "state": Wording.state(request.state),
         "stateClass": request.state.rawValue, "outcome": request.outcome.rawValue, "outcomeLabel": Wording.outcomeTag(request.outcome),
         "areas": request.areas.map(Wording.area).joined(separator: ", "), "updated": Wording.date(request.updatedAt),
         "review": present(request.review)]
    }
}
