internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addStudioRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios") { _, context in
            let caller = try context.requireCaller()
            let studios = try await store.studios().filter { caller.canSeeStudio($0.id) }
            return try Reply.list(studios.map(StudioResponse.init))
        }
        api.post("studios") { request, context in try await createStudio(request, context) }
        api.get("studios/:studio") { _, context in
            let caller = try context.requireCaller()
            return try Reply.json(StudioResponse(try await visibleStudio(try parameter(context, "studio"), caller)))
        }
        api.patch("studios/:studio") { request, context in
            let caller = try context.requireCaller()
            let form = try form(try await Body.read(request, context: context), allowed: ["name"], required: ["name"])
            let name = form.text("name", maxLength: 200)
            try finish(form)
            guard let name else { throw Problem.badRequest("the body is incomplete") }
            return try Reply.json(StudioResponse(try await studios.renameStudio(try parameter(context, "studio"), to: name, by: caller)))
        }
        api.delete("studios/:studio/members/:user") { _, context in
            try await people.removeStudioMember(try parameter(context, "studio"), userID: try parameter(context, "user"),
                                                by: try context.requireCaller())
            return Response(status: .noContent)
        }
        api.get("studios/:studio/members") { _, context in
            let members = try await people.studioMembers(try parameter(context, "studio"), by: try context.requireCaller())
            return try Reply.list(members.map { StudioMemberResponse($0.0, user: $0.1) })
        }
        api.post("studios/:studio/members") { request, context in try await addStudioMember(request, context) }
        api.get("studios/:studio/policy") { request, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            guard let current = try await store.currentPolicy(studioID: studio.id) else { throw Problem.notFound("policy") }
            if Self.wantsYAML(request) { return Reply.text(current.text, contentType: "application/yaml") }
            return try Reply.json(PolicyVersionResponse(current, includingText: true))
        }
        api.put("studios/:studio/policy") { request, context in try await publishPolicy(request, context) }
        api.get("studios/:studio/policy/versions") { _, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            return try Reply.list(try await store.policyVersions(studioID: studio.id).map { PolicyVersionResponse($0, includingText: false) })
        }
        api.get("studios/:studio/policy/versions/:number") { request, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            let number = try parameter(context, "number")
            guard let value = Int(number), let version = try await store.policyVersion(studioID: studio.id, number: value) else {
                throw Problem.notFound("policy version '\(number)'")
            }
            if Self.wantsYAML(request) { return Reply.text(version.text, contentType: "application/yaml") }
            let progress = try await studios.retriageProgress(studioID: studio.id, number: value)
            return try Reply.json(PolicyVersionResponse(version, includingText: true, retriage: progress))
        }
    }

    func readableStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        try await studios.readableStudio(id, caller)
    }

    func administeredStudio(_ id: String, _ caller: Caller, allowSiteAdmin: Bool = false) async throws -> StudioRecord {
        try await studios.administeredStudio(id, caller, allowSiteAdmin: allowSiteAdmin)
    }

    static func wantsYAML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("yaml")
    }

    func createStudio(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        try studios.requireSiteAdmin(caller, doing: "creates studios")
        let form = try form(try await Body.read(request, context: context), allowed: ["id", "name", "admin"], required: ["id", "name"])
        let id = form.slug("id")
        let name = form.text("name", maxLength: 200)
        let adminEmail = form.text("admin", maxLength: 254)
        try finish(form)
        guard let id, let name else { throw Problem.badRequest("the body is incomplete") }
        let studio = try await studios.createStudio(id: id, name: name, adminEmail: adminEmail, by: caller)
        return try Reply.json(StudioResponse(studio), status: .created, location: "/api/v1/studios/\(id)")
    }

    func addStudioMember(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let studio = try await administeredStudio(try parameter(context, "studio"), caller, allowSiteAdmin: true)
        let form = try form(try await Body.read(request, context: context), allowed: ["email", "role", "areas", "contact"],
                            required: ["email", "role"])
        let email = form.text("email", maxLength: 254)
        let role: StudioRole? = form.choice("role")
        let areas: [Area] = form.choices("areas") ?? []
        let contact = form.bool("contact")
        try finish(form)
        guard let email, let role else { throw Problem.badRequest("the body is incomplete") }
        return try reply(try await people.addStudioMember(studio.id, email: email, role: role, areas: areas, contact: contact, by: caller))
    }

    /// Publishes a new version after it loads cleanly and passes its own embedded tests.
    func publishPolicy(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let studio = try await administeredStudio(try parameter(context, "studio"), caller)
        let body = try await Body.read(request, context: context)
        let publication: StudioAdministration.Publication
        do {
            publication = try await studios.publishPolicy(body.text, in: studio.id, by: caller)
        } catch let failed as PolicyTestFailures {
            throw Problem.failedTests(failed, what: "policy")
        }
        switch publication {
        case .unchanged(let current):
            return try Reply.json(PolicyVersionResponse(current, includingText: false))
        case .published(let version):
            let progress = try await studios.retriageProgress(studioID: studio.id, number: version.number)
            return try Reply.json(PolicyVersionResponse(version, includingText: false, retriage: progress), status: .created,
                                  location: "/api/v1/studios/\(studio.id)/policy/versions/\(version.number)")
        }
    }
}
