internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Running the site, a studio and its productions from the browser: studios and accounts (site
/// admins), people and their roles (studio admins and coordinators), productions (studio admins).
/// Each form calls the same use case as the API, which decides who may do it.
extension WebPages {
    func registerAdministrationPages(on router: Router<ClearanceContext>) {
        router.get("site") { request, context in try await page(request, context) { _ in try await sitePage(request, context) } }
        router.get("site/audit") { request, context in try await page(request, context) { _ in try await siteAuditPage(context) } }
        router.post("site/studios") { request, context in try await page(request, context) { try await studioCreate($0, request, context) } }
        router.post("site/studios/:studio/name") { request, context in
            try await page(request, context) { fields in
                let studio = try api.parameter(context, "studio")
                do {
                    _ = try await api.studios.renameStudio(studio, to: fields.value("/name") ?? "", by: try caller(context))
                } catch let error as ServiceError {
                    guard case .invalid = error else { throw error }
                    return try await sitePage(request, context, renameErrors: [studio: Self.fieldErrors(error)["/name"] ?? ""],
                                              status: .unprocessableContent)
                }
                return finished("studio-renamed", at: "/site", request)
            }
        }
        router.post("site/users") { request, context in try await page(request, context) { try await userCreate($0, request, context) } }
        router.post("site/users/:user/active") { request, context in
            try await page(request, context) { fields in
                let active = fields.value("/active") == "true"
                _ = try await api.people.setActive(active, userID: try api.parameter(context, "user"), by: try caller(context))
                return finished(active ? "user-reactivated" : "user-deactivated", at: "/site", request)
            }
        }
        router.post("site/users/:user/reset") { request, context in
            try await page(request, context) { _ in
                let caller = try caller(context)
                let user = try await api.people.user(try api.parameter(context, "user"), by: caller)
                let (reset, link) = try await api.people.issuePasswordReset(for: user.id, by: caller)
                return try await sitePage(request, context, link: [
                    "heading": "Password link for \(user.name)",
                    "text": "Send this link to \(user.email). It lets them choose a new password, once, until \(Wording.date(reset.expiresAt)).",
                    "url": absolute(link, request),
                ], status: .created)
            }
        }

        for scope in ["studios/:studio/people", "productions/:production/people"] {
            router.get(RouterPath(scope)) { request, context in try await page(request, context) { _ in try await peoplePage(request, context) } }
            router.post(RouterPath(scope)) { request, context in try await page(request, context) { try await peopleSubmit($0, request, context) } }
            router.get(RouterPath(scope + "/:user")) { request, context in
                try await page(request, context) { _ in try await memberPage(request, context) }
            }
            router.post(RouterPath(scope + "/:user")) { request, context in
                try await page(request, context) { try await memberSubmit($0, request, context) }
            }
            router.post(RouterPath(scope + "/:user/remove")) { request, context in
                try await page(request, context) { _ in
                    let place = try place(context)
                    let user = try api.parameter(context, "user")
                    let caller = try caller(context)
                    switch place {
                    case .studio(let id): try await api.people.removeStudioMember(id, userID: user, by: caller)
                    case .production(let id): try await api.people.removeProductionMember(id, userID: user, by: caller)
                    }
                    return finished("member-removed", at: place.peoplePath, request)
                }
            }
        }

        router.get("studios/:studio/productions") { request, context in
            try await page(request, context) { _ in try await productionsPage(request, context) }
        }
        router.get("studios/:studio/productions/new") { request, context in
            try await page(request, context) { _ in try await productionForm(request, context) }
        }
        router.post("studios/:studio/productions/new") { request, context in
            try await page(request, context) { try await productionSubmit($0, request, context) }
        }
        router.get("productions/:production/settings") { request, context in
            try await page(request, context) { _ in try await productionForm(request, context) }
        }
        router.post("productions/:production/settings") { request, context in
            try await page(request, context) { try await productionSubmit($0, request, context) }
        }
        router.post("productions/:production/archive") { request, context in
            try await page(request, context) { fields in
                let archived = fields.value("/archived") == "true"
                let production = try await api.studios.setArchived(archived, productionID: try api.parameter(context, "production"),
                                                                   by: try caller(context))
                return finished(archived ? "production-archived" : "production-restored", at: "/productions/\(production.id)/settings", request)
            }
        }
    }

    /// A link as the person sending it needs it: a full address.
    func absolute(_ link: String, _ request: Request) -> String {
        link.hasPrefix("/") ? siteBase(request) + link : link
    }

    // MARK: Site administration

    func sitePage(_ request: Request, _ context: ClearanceContext, studioFields: [FormDocument.Field] = [],
                  studioErrors: [String: String] = [:], renameErrors: [String: String] = [:],
                  userFields: [FormDocument.Field] = [], userErrors: [String: String] = [:],
                  link: [String: Any]? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let users = try await api.people.users(by: caller)
        let studios = try await store.studios()
        let studioControls = FormControls(fields: studioFields.isEmpty && studioErrors.isEmpty ? [.init(name: "/studio/admin-me", value: "true")] : studioFields,
                                          errors: studioErrors)
        let userControls = FormControls(fields: userFields, errors: userErrors)
        var values: [String: Any] = [
            "studios": studios.map { studio in
                ["id": studio.id, "name": studio.name, "created": Wording.date(studio.createdAt),
                 "renameError": renameErrors[studio.id] as Any] as [String: Any]
            },
            "studioId": studioControls.text("/studio/id", "Short id", hint: "Lower-case letters, digits and dashes, used in addresses; it cannot change later."),
            "studioName": studioControls.text("/studio/name", "Name", hint: "As people know the studio."),
            "studioAdminMe": studioControls.checkbox("/studio/admin-me", "Make me an admin of this studio, so that I can create its productions"),
            "studioErrors": !studioErrors.isEmpty,
            "users": users.map { user in
                ["id": user.id, "name": user.name, "email": user.email, "siteAdmin": user.isSiteAdmin, "active": user.isActive,
                 "self": user.id == caller.user.id,
                 "status": user.isActive ? (user.passwordHash == nil ? "Active, no password yet" : "Active") : "Deactivated"] as [String: Any]
            },
            "userEmail": userControls.text("/email", "Email", hint: "They sign in with it."),
            "userName": userControls.text("/name", "Name", hint: "As colleagues know them."),
            "userSiteAdmin": userControls.checkbox("/site-admin", "Also a site admin (creates studios and accounts)"),
            "userErrors": !userErrors.isEmpty,
            "link": link as Any,
        ]
        let (done, cleared) = takeDone(request, at: "/site")
        if let done { values["done"] = done }
        return views.render("site", values, title: "Site administration", context: context, status: status, headers: cleared)
    }

    /// Every audit chain checked link by link: on request only, since it reads every event.
    func siteAuditPage(_ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let chains = try await api.studios.verifyAuditChains(by: caller)
        let studios = try await store.studios()
        let broken = chains.filter { !$0.result.intact }
        return views.render("site-audit", [
            "auditIntact": broken.isEmpty,
            "auditSummary": Self.counted(chains.reduce(0) { $0 + $1.result.events }, "event") + " in " + Self.counted(chains.count, "chain"),
            "brokenChains": broken.map { ["chain": Self.chainName($0.head.chain, studios), "at": $0.result.brokenAt.map(String.init) ?? "",
                                          "reason": $0.result.reason ?? ""] },
        ], title: "Audit trail", context: context)
    }

    /// "1 event", "3 events".
    static func counted(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    /// An audit chain in words: the site's, or a studio's by name.
    static func chainName(_ chain: String, _ studios: [StudioRecord]) -> String {
        if chain == AuditChain.site { return "the site's own events" }
        if chain == AuditChain.legacy { return "events from before chains were kept per studio" }
        let id = chain.hasPrefix("studio:") ? String(chain.dropFirst("studio:".count)) : chain
        return studios.first { $0.id == id }.map { "\($0.name)'s events" } ?? chain
    }

    func studioCreate(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let kept = fields.filter { $0.name.hasPrefix("/studio/") }
        let id = (fields.value("/studio/id") ?? "").trimmingCharacters(in: .whitespaces)
        let name = (fields.value("/studio/name") ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        do {
            _ = try await api.studios.createStudio(id: id, name: name,
                                                   adminEmail: fields.value("/studio/admin-me") == "true" ? caller.user.email : nil, by: caller)
            return finished("studio-created", at: "/studios/\(id)/people", request)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            // The form's fields are the studio's, beside the account form's.
            for (field, message) in Self.fieldErrors(error) { errors["/studio" + field] = message }
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
            errors["/studio/id"] = "A studio already has the id '\(id)'; choose another."
        }
        return try await sitePage(request, context, studioFields: kept, studioErrors: errors, status: .unprocessableContent)
    }

    func userCreate(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let kept = fields.filter { ["/email", "/name", "/site-admin"].contains($0.name) }
        let input = People.NewUser(email: fields.value("/email") ?? "", name: fields.value("/name") ?? "", password: nil,
                                   siteAdmin: fields.value("/site-admin") == "true")
        do {
            let (user, link) = try await api.people.createAccount(input, by: caller)
            return try await sitePage(request, context, link: [
                "heading": "Account created for \(user.name)",
                "text": "Send this link to \(user.email): with it they choose their password, once, within a day. Then add them to studios or productions, or invite them from there.",
                "url": absolute(link, request),
            ], status: .created)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await sitePage(request, context, userFields: kept, userErrors: Self.fieldErrors(error), status: .unprocessableContent)
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
            return try await sitePage(request, context, userFields: kept,
                                      userErrors: ["/email": "An account with this email already exists."], status: .conflict)
        }
    }

    // MARK: People

    /// A studio's people or a production's, from the page's address.
    enum Place {
        case studio(String)
        case production(String)

        var peoplePath: String {
            switch self {
            case .studio(let id): "/studios/\(id)/people"
            case .production(let id): "/productions/\(id)/people"
            }
        }
    }

    func place(_ context: ClearanceContext) throws -> Place {
        if let studio = context.parameters.get("studio") { return .studio(studio) }
        return .production(try api.parameter(context, "production"))
    }

    /// What each role may do, in words, for every member list.
    static func roleDescriptions(studio: Bool) -> [[String: String]] {
        studio ? [
            ["role": "Studio admin", "can": "Runs the studio: its policy, tool registry, productions, webhooks and people. Sees every production and its audit trail."],
            ["role": "Approver", "can": "Gives written verdicts on escalated uses in their areas (creative, legal, talent, data and security, ethics, labor relations). A contact also acknowledges socialized uses."],
            ["role": "Viewer", "can": "Sees the studio's productions, requests and registers; changes nothing."],
        ] : [
            ["role": "GenAI coordinator", "can": "Leads GenAI on the production: files and revises requests, keeps the performer consent records, runs deliverable scans and invites the crew."],
            ["role": "Requester", "can": "Files and revises their own GenAI use requests and sees the production's requests."],
            ["role": "Viewer", "can": "Sees the production's requests and registers; changes nothing."],
        ]
    }

    static let studioRoles: [(String, String)] = [("admin", "Studio admin"), ("approver", "Approver"), ("viewer", "Viewer")]
    static let productionRoles: [(String, String)] = [("coordinator", "GenAI coordinator"), ("requester", "Requester"), ("viewer", "Viewer")]

    static func roleName(_ role: String) -> String {
        (studioRoles + productionRoles).first { $0.0 == role }?.1 ?? role
    }

    func peoplePage(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field] = [], errors: [String: String] = [:],
                    invited: [String: Any]? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let place = try place(context)
        var rows: [[String: Any]] = []
        var values: [String: Any] = [:]
        let canManage: Bool
        switch place {
        case .studio(let id):
            let members = try await api.people.studioMembers(id, by: caller)
            let studio = try await api.studios.visibleStudio(id, caller)
            canManage = caller.isStudioAdmin(id) || caller.isSiteAdmin
            values["heading"] = "People at \(studio.name)"
            values["crumb"] = studio.name
            values["studio"] = ["id": studio.id, "name": studio.name]
            for (member, user) in members.sorted(by: { ($0.1?.name ?? "") < ($1.1?.name ?? "") }) {
                var does = Self.roleName(member.role.rawValue)
                if member.role == .approver {
                    does += " for " + member.areas.map(Wording.area).joined(separator: ", ")
                    if member.isContact { does += "; acknowledges socialized uses" }
                }
                rows.append(["id": member.userID, "name": user?.name ?? "A former account", "email": user?.email ?? "", "role": does])
            }
        case .production(let id):
            let production = try await api.people.visibleProduction(id, caller)
            let members = try await api.people.productionMembers(id, by: caller)
            canManage = caller.canManageMembers(of: production)
            values["heading"] = "People on \(production.title)"
            values["production"] = ["id": production.id, "title": production.title]
            for (member, user) in members.sorted(by: { ($0.1?.name ?? "") < ($1.1?.name ?? "") }) {
                rows.append(["id": member.userID, "name": user?.name ?? "A former account", "email": user?.email ?? "",
                             "role": Self.roleName(member.role.rawValue)])
            }
        }
        values["pending"] = [[String: String]]()
        if canManage {
            let pending: [InvitationRecord] = switch place {
            case .studio(let id): try await api.people.pendingInvitations(studioID: id, productionID: nil, by: caller)
            case .production(let id): try await api.people.pendingInvitations(studioID: "", productionID: id, by: caller)
            }
            values["pending"] = pending.map { invitation in
                var role = Self.roleName(invitation.role)
                if !invitation.areas.isEmpty { role += " for " + invitation.areas.map(Wording.area).joined(separator: ", ") }
                return ["email": invitation.email, "role": role, "sent": Wording.date(invitation.createdAt),
                        "expires": Wording.date(invitation.expiresAt)]
            }
        }
        let controls = FormControls(fields: fields, errors: errors)
        let isStudio = if case .studio = place { true } else { false }
        values["members"] = rows.map { $0.merging(["path": place.peoplePath + "/" + ($0["id"] as? String ?? "")]) { $1 } }
        values["canManage"] = canManage
        values["roles"] = Self.roleDescriptions(studio: isStudio)
        values["action"] = place.peoplePath
        values["email"] = controls.text("/email", "Their email", hint: "Whether or not they already have an account, they get a link to join.")
        values["role"] = controls.radios("/role", "Role", isStudio ? Self.studioRoles : Self.productionRoles,
                                         default: isStudio ? "approver" : "requester")
        if isStudio {
            values["areas"] = controls.checks("/areas[]", "Areas they decide (approvers only)", Area.allCases.map { ($0.rawValue, Wording.area($0).capitalizedFirst) })
            values["contact"] = controls.checkbox("/contact", "Acts as a studio contact: acknowledges socialized uses (approvers only; by default those for legal and creative do)")
        }
        values["hasErrors"] = !errors.isEmpty
        values["errorSummary"] = Self.summary(errors)
        values["invited"] = invited as Any
        let (done, cleared) = takeDone(request, at: place.peoplePath)
        if let done { values["done"] = done }
        return views.render("people", values, title: values["heading"] as? String ?? "People", context: context, status: status, headers: cleared)
    }

    /// Adds someone or invites them, as the API does: the answer never says whether the email has an account.
    func peopleSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let place = try place(context)
        let kept = fields.filter { ["/email", "/role", "/areas[]", "/contact"].contains($0.name) }
        let email = (fields.value("/email") ?? "").trimmingCharacters(in: .whitespaces)
        let added: People.Added
        do {
            added = try await addMember(place, email: email, fields: fields, by: caller)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await peoplePage(request, context, fields: kept, errors: Self.fieldErrors(error), status: .unprocessableContent)
        }
        switch added {
        case .member:
            return finished("member-set", at: place.peoplePath, request)
        case .invited(let invitation, let link):
            return try await peoplePage(request, context, invited: [
                "email": invitation.email, "url": absolute(link, request), "expires": Wording.date(invitation.expiresAt),
            ], status: .accepted)
        }
    }

    /// The role a form asks for, checked by the use case.
    func addMember(_ place: Place, email: String, fields: [FormDocument.Field], by caller: Caller) async throws -> People.Added {
        switch place {
        case .studio(let id):
            guard let role = fields.value("/role").flatMap(StudioRole.init(rawValue:)) else {
                throw ServiceError.invalid("/role", "choose a role")
            }
            let areas = fields.values("/areas[]").compactMap(Area.init(rawValue:))
            let contact: Bool? = role == .approver && fields.value("/contact") == "true" ? true : nil
            return try await api.people.addStudioMember(id, email: email, role: role, areas: role == .approver ? areas : [],
                                                        contact: contact, by: caller)
        case .production(let id):
            guard let role = fields.value("/role").flatMap(ProductionRole.init(rawValue:)) else {
                throw ServiceError.invalid("/role", "choose a role")
            }
            return try await api.people.addProductionMember(id, email: email, role: role, by: caller)
        }
    }

    /// One member: their role, a form to change it, and removing them.
    func memberPage(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field]? = nil, errors: [String: String] = [:],
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let place = try place(context)
        let userID = try api.parameter(context, "user")
        var values: [String: Any] = ["action": place.peoplePath + "/" + userID, "back": place.peoplePath]
        var prefill: [FormDocument.Field] = []
        let isStudio: Bool
        switch place {
        case .studio(let id):
            isStudio = true
            let studio = try await api.studios.administeredStudio(id, caller, allowSiteAdmin: true)
            guard let (member, user) = try await api.people.studioMembers(id, by: caller).first(where: { $0.0.userID == userID }) else {
                throw Problem.notFound("member '\(userID)'")
            }
            values["name"] = user?.name ?? "A former account"
            values["email"] = user?.email ?? ""
            values["place"] = studio.name
            prefill = [.init(name: "/role", value: member.role.rawValue)] + member.areas.map { .init(name: "/areas[]", value: $0.rawValue) }
            if member.contact == true { prefill.append(.init(name: "/contact", value: "true")) }
        case .production(let id):
            isStudio = false
            let production = try await api.people.managedProduction(id, caller)
            guard let (member, user) = try await api.people.productionMembers(id, by: caller).first(where: { $0.0.userID == userID }) else {
                throw Problem.notFound("member '\(userID)'")
            }
            values["name"] = user?.name ?? "A former account"
            values["email"] = user?.email ?? ""
            values["place"] = production.title
            prefill = [.init(name: "/role", value: member.role.rawValue)]
        }
        let controls = FormControls(fields: fields ?? prefill, errors: errors)
        values["role"] = controls.radios("/role", "Role", isStudio ? Self.studioRoles : Self.productionRoles, default: "viewer")
        if isStudio {
            values["areas"] = controls.checks("/areas[]", "Areas they decide (approvers only)", Area.allCases.map { ($0.rawValue, Wording.area($0).capitalizedFirst) })
            values["contact"] = controls.checkbox("/contact", "Acts as a studio contact: acknowledges socialized uses (approvers only)")
        }
        values["hasErrors"] = !errors.isEmpty
        values["errorSummary"] = Self.summary(errors)
        return views.render("member", values, title: "\(values["name"] as? String ?? "Member") at \(values["place"] as? String ?? "")",
                            context: context, status: status)
    }

    func memberSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let place = try place(context)
        let userID = try api.parameter(context, "user")
        // The member's email, from the list the caller may read: changing a role is adding an existing member again.
        let email: String? = switch place {
        case .studio(let id): try await api.people.studioMembers(id, by: caller).first { $0.0.userID == userID }?.1?.email
        case .production(let id): try await api.people.productionMembers(id, by: caller).first { $0.0.userID == userID }?.1?.email
        }
        guard let email else { throw Problem.notFound("member '\(userID)'") }
        do {
            _ = try await addMember(place, email: email, fields: fields, by: caller)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await memberPage(request, context, fields: fields, errors: Self.fieldErrors(error), status: .unprocessableContent)
        }
        return finished("member-set", at: place.peoplePath, request)
    }

    // MARK: Productions

    func productionsPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.studios.visibleStudio(try api.parameter(context, "studio"), caller)
        let productions = try await store.productions(studioID: studio.id).filter { caller.canSeeProduction($0) }
        let rows: [[String: Any]] = productions.map { production in
            ["id": production.id, "title": production.title, "kind": production.kind.map(Self.kindName) ?? "Not said",
             "territories": Self.territoryNames(production.territories), "start": production.photographyStartsOn ?? "",
             "delivery": production.deliveryOn ?? "", "archived": production.isArchived]
        }
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name], "canManage": caller.isStudioAdmin(studio.id),
            "open": rows.filter { $0["archived"] as? Bool != true }, "archived": rows.filter { $0["archived"] as? Bool == true },
        ]
        let (done, cleared) = takeDone(request, at: "/studios/\(studio.id)/productions")
        if let done { values["done"] = done }
        return views.render("productions", values, title: "Productions at \(studio.name)", context: context, headers: cleared)
    }

    static func kindName(_ kind: ProductionKind) -> String {
        switch kind {
        case .scripted: "Scripted"
        case .nonfiction: "Documentary or other non-fiction"
        case .unscripted: "Unscripted"
        case .advertising: "Advertising"
        }
    }

    static func territoryNames(_ codes: [String]) -> String {
        codes.isEmpty ? "None given" : codes.map { Territory(rawValue: $0)?.name ?? $0 }.joined(separator: ", ")
    }

    /// The new-production form (`studios/:studio/productions/new`) or a production's settings.
    func productionForm(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field]? = nil, errors: [String: String] = [:],
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        var values: [String: Any] = [:]
        var prefill: [FormDocument.Field] = []
        let path: String
        if let productionID = context.parameters.get("production") {
            let production = try await api.studios.visibleProduction(productionID, caller)
            let studio = try await api.studios.administeredStudio(production.studioID, caller)
            path = "/productions/\(production.id)/settings"
            values["editing"] = ["id": production.id, "title": production.title, "archived": production.isArchived,
                                 "archivedAt": production.archivedAt.map(Wording.date) as Any]
            values["studio"] = ["id": studio.id, "name": studio.name]
            prefill = [.init(name: "/title", value: production.title), .init(name: "/kind", value: production.kind?.rawValue ?? ""),
                       .init(name: "/photography-starts-on", value: production.photographyStartsOn ?? ""),
                       .init(name: "/delivery-on", value: production.deliveryOn ?? "")]
                + production.territories.map { .init(name: "/territories[]", value: $0) }
        } else {
            let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
            path = "/studios/\(studio.id)/productions/new"
            values["studio"] = ["id": studio.id, "name": studio.name]
        }
        let controls = FormControls(fields: fields ?? prefill, errors: errors)
        if values["editing"] == nil {
            values["id"] = controls.text("/id", "Short id", hint: "Lower-case letters, digits and dashes, used in addresses and by clearance scan; it cannot change later.")
        }
        values["title"] = controls.text("/title", "Title", hint: "The production's working title.")
        values["kind"] = controls.select("/kind", "What sort of work it is", ProductionKind.allCases.map { ($0.rawValue, Self.kindName($0)) },
                                         blank: "Not said")
        values["territories"] = controls.checks("/territories[]", "Where it is made or released",
                                                Territory.allCases.map { ($0.rawValue, $0.name) })
        values["start"] = controls.date("/photography-starts-on", "Principal photography starts", hint: "Optional.")
        values["delivery"] = controls.date("/delivery-on", "Delivery", hint: "Optional.")
        values["action"] = path
        values["hasErrors"] = !errors.isEmpty
        values["errorSummary"] = Self.summary(errors)
        let (done, cleared) = takeDone(request, at: path)
        if let done { values["done"] = done }
        let title = (values["editing"] as? [String: Any])?["title"] as? String
        return views.render("production-form", values, title: title.map { "Settings of \($0)" } ?? "New production", context: context,
                            status: status, headers: cleared)
    }

    func productionSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        func day(_ name: String) -> String? { fields.value(name).flatMap { $0.isEmpty ? nil : $0 } }
        if let kind = fields.value("/kind"), !kind.isEmpty, ProductionKind(rawValue: kind) == nil {
            return try await productionForm(request, context, fields: fields, errors: ["/kind": "Choose what sort of work it is from the list."],
                                            status: .unprocessableContent)
        }
        let details = StudioAdministration.ProductionDetails(
            title: fields.value("/title") ?? "", kind: fields.value("/kind").flatMap(ProductionKind.init(rawValue:)),
            territories: fields.values("/territories[]"), photographyStartsOn: day("/photography-starts-on"), deliveryOn: day("/delivery-on"))
        do {
            if let productionID = context.parameters.get("production") {
                let production = try await api.studios.updateProduction(productionID, details, by: caller)
                return finished("production-updated", at: "/productions/\(production.id)/settings", request)
            }
            let studioID = try api.parameter(context, "studio")
            let id = (fields.value("/id") ?? "").trimmingCharacters(in: .whitespaces)
            let production = try await api.studios.createProduction(id: id, details, in: studioID, by: caller)
            return finished("production-created", at: "/productions/\(production.id)/people", request)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await productionForm(request, context, fields: fields, errors: Self.fieldErrors(error), status: .unprocessableContent)
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
            return try await productionForm(request, context, fields: fields,
                                            errors: ["/id": "A production already has this id; choose another."], status: .conflict)
        }
    }
}

extension FormControls {
    /// A date field (the browser's date picker, or typed as YYYY-MM-DD where there is none).
    func date(_ name: String, _ label: String, hint: String) -> [String: Any] {
        var control = text(name, label, hint: hint)
        control["type"] = "date"
        return control
    }
}
