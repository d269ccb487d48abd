internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// An invitation's link, as the invitee sees it: someone new chooses a password and lands signed
/// in; someone with an account signs in and accepts. Accepting is `People`'s use case, as for the API.
extension WebPages {
    func registerInvitationPages(on router: Router<ClearanceContext>) {
        router.get("invitations/:secret") { request, context in
            try await page(request, context, signedIn: false) { _ in try await invitationPage(request, context) }
        }
        router.post("invitations/:secret") { request, context in
            try await page(request, context, signedIn: false) { try await invitationSubmit($0, request, context) }
        }
    }

    /// The open invitation a link names, or a 404 page that says what to do.
    func linkedInvitation(_ context: ClearanceContext) async throws -> InvitationRecord {
        let secret = try api.parameter(context, "secret")
        guard let invitation = try await api.people.invitation(linkSecret: secret) else {
            throw Problem(.notFound, "Invitation not found",
                          detail: "This invitation link has expired or has already been used. Ask the person who invited you for a new one.")
        }
        return invitation
    }

    func invitationPage(_ request: Request, _ context: ClearanceContext, name: String = "", errors: [String: String] = [:],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let invitation = try await linkedInvitation(context)
        var values = try await describe(invitation)
        values["action"] = request.uri.path
        values["errors"] = errors
        values["name"] = name
        var headers: HTTPFields = [:]
        if let caller = context.caller {
            if caller.user.email == invitation.email {
                values["accept"] = true
            } else {
                values["otherAccount"] = caller.user.email
            }
        } else if try await store.user(email: invitation.email) != nil {
            values["signInLink"] = "/signin?next=" + Self.percentEncode(request.uri.path)
        } else {
            // No session yet: the form echoes a short-lived cookie, as the sign-in form does.
            values["create"] = true
            values["signInToken"] = formNonce(request, headers: &headers)
        }
        return views.render("invitation", values, title: "Invitation", context: context, status: status, headers: headers)
    }

    func invitationSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let invitation = try await linkedInvitation(context)
        if let caller = context.caller, let session = context.session {
            guard session.accepts(csrf: fields.value(WebSecurity.csrfField)) else {
                throw Problem.forbidden("the form's security token is missing or out of date; reload the page and try again")
            }
            guard caller.user.email == invitation.email else {
                throw Problem.forbidden("this invitation is for \(invitation.email); sign out, then open the link again")
            }
            return redirect(Self.landing(try await api.people.accept(invitation, by: caller.user, newUser: nil)))
        }
        guard acceptsFormNonce(fields, request) else {
            throw Problem.forbidden("the form had expired; reload the page and try again")
        }
        // Someone with an account signs in to accept, rather than choosing a second password.
        if try await store.user(email: invitation.email) != nil { return try await invitationPage(request, context, status: .conflict) }
        let name = (fields.value("name") ?? "").trimmingCharacters(in: .whitespaces)
        let password = fields.value("password") ?? ""
        var errors: [String: String] = [:]
        if name.isEmpty { errors["name"] = "Enter your name as colleagues know it." }
        if name.count > 200 { errors["name"] = "Keep the name under 200 characters." }
        if let problem = PasswordRule.problem(password: password, email: invitation.email) {
            errors["password"] = "The password " + problem + "."
        } else if password != fields.value("confirm") {
            errors["confirm"] = "The two passwords differ; type the same one twice."
        }
        guard errors.isEmpty else {
            return try await invitationPage(request, context, name: name, errors: errors, status: .unprocessableContent)
        }
        let (user, membership) = try await api.people.join(invitation, name: name, password: password)
        return redirect(Self.landing(membership), cookies: try await beginSession(for: user, request))
    }

    /// Where a new member lands: the production they joined, or their home page.
    static func landing(_ membership: Membership) -> String {
        switch membership {
        case .production(let member): "/productions/" + member.productionID
        case .studio: "/"
        }
    }

    /// What an invitation offers, in words: where, and as what.
    func describe(_ invitation: InvitationRecord) async throws -> [String: Any] {
        let studio = try await store.studio(id: invitation.studioID)
        var place = studio?.name ?? invitation.studioID
        if let productionID = invitation.productionID {
            let production = try await store.production(id: productionID)
            place = "\(production?.title ?? productionID), a production of \(place)"
        }
        var role = Wording.role(invitation.role)
        if !invitation.areas.isEmpty { role += " for " + invitation.areas.map { Wording.area($0) }.joined(separator: " and ") }
        return ["id": invitation.id, "email": invitation.email, "place": place, "role": role, "expires": Wording.date(invitation.expiresAt)]
    }

    /// The caller's open invitations, for the home page.
    func invitationRows(for caller: Caller) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for invitation in try await store.openInvitations(email: caller.user.email, at: now) {
            rows.append(try await describe(invitation))
        }
        return rows
    }
}
