internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addStudioRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios") { _, context in
            let caller = try context.requireCaller()
            let studios = try await store.studios().filter { caller.canSeeStudio($0.id) }
            return Reply.list(studios.map(\.json))
        }
        api.post("studios") { request, context in try await createStudio(request, context) }
        api.get("studios/:studio") { _, context in
            let caller = try context.requireCaller()
            return Reply.json(try await visibleStudio(try parameter(context, "studio"), caller).json)
        }
        api.get("studios/:studio/members") { _, context in
            let members = try await people.studioMembers(try parameter(context, "studio"), by: try context.requireCaller())
            return Reply.list(members.map { $0.0.json(user: $0.1) })
        }
        api.post("studios/:studio/members") { request, context in try await addStudioMember(request, context) }
        api.get("studios/:studio/policy") { request, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            guard let current = try await store.currentPolicy(studioID: studio.id) else { throw Problem.notFound("policy") }
            if Self.wantsYAML(request) { return Reply.text(current.text, contentType: "application/yaml") }
            return Reply.json(current.json(includingText: true))
        }
        api.put("studios/:studio/policy") { request, context in try await publishPolicy(request, context) }
        api.get("studios/:studio/policy/versions") { _, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            return Reply.list(try await store.policyVersions(studioID: studio.id).map { $0.json(includingText: false) })
        }
        api.get("studios/:studio/policy/versions/:number") { request, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            let number = try parameter(context, "number")
            guard let value = Int(number), let version = try await store.policyVersion(studioID: studio.id, number: value) else {
                throw Problem.notFound("policy version '\(number)'")
            }
            if Self.wantsYAML(request) { return Reply.text(version.text, contentType: "application/yaml") }
            guard case .object(var members) = version.json(includingText: true) else { throw Problem.notFound("policy") }
            if let progress = try await retriageProgress(studioID: studio.id, number: value) { members.append(.init("retriage", progress)) }
            return Reply.json(.object(members))
        }
    }

    /// How far the re-triage under a published version has got: requests re-triaged, still to do,
    /// and skipped (set aside as unreadable or left alone, or revised or withdrawn meanwhile), and
    /// the approved requests flagged for review once it is done.
    func retriageProgress(studioID: String, number: Int) async throws -> JSONValue? {
        guard let job = try await store.retriageJob(studioID: studioID, number: number) else { return nil }
        let remaining = job.state == .done ? 0 : try await store.retriageBacklog(job, limit: 0).count
        return .object([
            .init("state", .string(job.state.rawValue)), .init("retriaged", .number(job.retriaged)),
            .init("remaining", .number(remaining)), .init("skipped", .number(job.skipped(remaining: remaining))),
            .init("flagged-for-review", .array(job.flagged.map { .string($0) })), .init("finished-at", .time(job.finishedAt)),
        ])
    }

    /// Studios whose policy and tools the caller may read: members of the studio or of one of its productions.
    func readableStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        guard caller.canReadStudioRegisters(id), let studio = try await store.studio(id: id) else {
            throw Problem.notFound("studio '\(id)'")
        }
        return studio
    }

    /// A studio the caller administers; 404 if they cannot see it, 403 if they only see it.
    func administeredStudio(_ id: String, _ caller: Caller, allowSiteAdmin: Bool = false) async throws -> StudioRecord {
        let studio = try await visibleStudio(id, caller)
        guard caller.isStudioAdmin(id) || (allowSiteAdmin && caller.isSiteAdmin) else {
            throw Problem.forbidden("only the studio's admins can do this")
        }
        return studio
    }

    static func wantsYAML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("yaml")
    }

    func createStudio(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard caller.isSiteAdmin else { throw Problem.forbidden("only a site admin creates studios") }
        let form = try form(try await Body.read(request, context: context), allowed: ["id", "name", "admin"], required: ["id", "name"])
        let id = form.slug("id")
        let name = form.text("name", maxLength: 200)
        let adminEmail = form.text("admin", maxLength: 254)
        try finish(form)
        guard let id, let name else { throw Problem.badRequest("the body is incomplete") }
        let admin = if let adminEmail { try await user(email: adminEmail, field: "/admin") } else { UserRecord?.none }
        let policy = try Policy.loadDefault()
        let studio = StudioRecord(id: id, name: name, createdAt: now)
        let version = PolicyVersionRecord(studioID: id, number: 1, policyID: policy.id, policyVersion: policy.version,
                                          digest: policy.digest, text: Policy.defaultPolicyText, publishedBy: caller.user.id,
                                          publishedAt: now)
        try await store.createStudio(studio, policy: version, audit: audit(caller, "studio.created", studio: id, subject: id, details: .object([
            .init("name", .string(name)), .init("policy-digest", .string(policy.digest)),
        ])))
        if let admin {
            let member = StudioMember(studioID: id, userID: admin.id, role: .admin)
            try await store.setStudioMember(member, audit: audit(caller, "studio.member.set", studio: id, subject: admin.id, details: .object([
                .init("role", .string("admin")),
            ])))
        }
        return Reply.json(studio.json, status: .created, location: "/api/v1/studios/\(id)")
    }

    func addStudioMember(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let studio = try await administeredStudio(try parameter(context, "studio"), caller, allowSiteAdmin: true)
        let form = try form(try await Body.read(request, context: context), allowed: ["email", "role", "areas"], required: ["email", "role"])
        let email = form.text("email", maxLength: 254)
        let role: StudioRole? = form.choice("role")
        let areas: [Area] = form.choices("areas") ?? []
        try finish(form)
        guard let email, let role else { throw Problem.badRequest("the body is incomplete") }
        return reply(try await people.addStudioMember(studio.id, email: email, role: role, areas: areas, by: caller))
    }

    /// Publishes a new version after it loads cleanly and passes its own embedded tests.
    func publishPolicy(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let studio = try await administeredStudio(try parameter(context, "studio"), caller)
        let body = try await Body.read(request, context: context)
        let file = "\(studio.id) policy"
        let (loaded, diagnostics) = Policy.examine(body.text, file: file)
        guard let policy = loaded else { throw Problem.document(DocumentError(diagnostics)) }
        let failures = policy.runTests().filter { !$0.passed }
        if !failures.isEmpty {
            throw Problem(.unprocessableContent, "The policy fails its own tests",
                          detail: "\(failures.count) of \(policy.tests.count) embedded tests failed",
                          errors: failures.map { result in
                              Problem.FieldProblem(pointer: "/tests", detail: "\(result.name): " + result.failures.joined(separator: "; "),
                                                   line: result.location.line, column: result.location.column)
                          })
        }
        guard let current = try await store.currentPolicyStamp(studioID: studio.id) else {
            throw StoreError.database("studio \(studio.id) has no policy")
        }
        if current.digest == policy.digest {
            guard let version = try await store.currentPolicy(studioID: studio.id) else { throw Problem.notFound("policy") }
            return Reply.json(version.json(includingText: false))
        }
        let version = PolicyVersionRecord(studioID: studio.id, number: current.number + 1, policyID: policy.id,
                                          policyVersion: policy.version, digest: policy.digest, text: body.text,
                                          publishedBy: caller.user.id, publishedAt: now)
        // The open requests are re-triaged in the background (RetriageRunner); the answer says how far it has got.
        let job = RetriageJob(studioID: studio.id, number: version.number, publishedBy: caller.user.id, createdAt: now)
        try await store.publishPolicy(version, retriage: job, audit: audit(caller, "policy.published", studio: studio.id,
                                                                           subject: "\(studio.id)/policy", details: .object([
                                                                               .init("number", .number(version.number)),
                                                                               .init("digest", .string(policy.digest)),
                                                                               .init("version", .string(policy.version)),
                                                                           ])))
        _ = cache.remember(policy)
        guard case .object(var members) = version.json(includingText: false) else { throw Problem.notFound("policy") }
        if let progress = try await retriageProgress(studioID: studio.id, number: version.number) { members.append(.init("retriage", progress)) }
        return Reply.json(.object(members), status: .created,
                          location: "/api/v1/studios/\(studio.id)/policy/versions/\(version.number)")
    }
}
