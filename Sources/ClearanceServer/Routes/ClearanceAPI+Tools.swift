internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addToolRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios/:studio/tools") { _, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            return try Reply.list(try await store.tools(studioID: studio.id).map(ToolResponse.init))
        }
        api.post("studios/:studio/tools") { request, context in try await putTool(request, context, id: nil) }
        api.get("studios/:studio/tools/:id") { _, context in
            let caller = try context.requireCaller()
            let studio = try await readableStudio(try parameter(context, "studio"), caller)
            let id = try parameter(context, "id")
            guard let tool = try await store.tool(studioID: studio.id, id: id) else { throw Problem.notFound("tool '\(id)'") }
            return try Reply.json(ToolResponse(tool))
        }
        api.put("studios/:studio/tools/:id") { request, context in
            try await putTool(request, context, id: try parameter(context, "id"))
        }
        api.delete("studios/:studio/tools/:id") { _, context in
            try await studios.deleteTool(try parameter(context, "id"), in: try parameter(context, "studio"), by: try context.requireCaller())
            return Response(status: .noContent)
        }
    }

    /// POST adds a tool (409 if the id is taken); PUT adds or replaces the one named in the path.
    func putTool(_ request: Request, _ context: ClearanceContext, id pathID: String?) async throws -> Response {
        let caller = try context.requireCaller()
        let studio = try await administeredStudio(try parameter(context, "studio"), caller)
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["record", "approved-for", "approved-until", "evidence"], required: ["record"])
        let record = form.tool("record")
        let purposes: [Purpose] = form.choices("approved-for") ?? []
        let until = form.date("approved-until")
        let evidence = form.blankableText("evidence", maxLength: 2000)
        if let record, let pathID, record.id != pathID {
            form.reject("record", "the record's id '\(record.id)' differs from '\(pathID)' in the path")
        }
        try finish(form)
        guard let record else { throw Problem.badRequest("the body is incomplete") }
        let (entry, created) = try await studios.saveTool(.init(record: record, approvedFor: purposes, approvedUntil: until, evidence: evidence),
                                                          in: studio.id, replacing: pathID != nil, by: caller)
        return try Reply.json(ToolResponse(entry), status: created ? .created : .ok, location: "/api/v1/studios/\(studio.id)/tools/\(record.id)")
    }
}
