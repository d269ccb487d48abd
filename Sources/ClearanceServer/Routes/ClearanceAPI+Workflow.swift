internal import ClearanceCore
internal import ClearanceProvenance
internal import ClearanceService
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addWorkflowRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("requests/:id/acknowledge") { request, context in try await acknowledge(request, context) }
        api.post("requests/:id/approvals") { request, context in try await giveVerdict(request, context) }
        api.post("requests/:id/withdraw") { request, context in try await withdraw(request, context) }
        api.get("studios/:studio/requests") { request, context in
            let caller = try context.requireCaller()
            let studio = try await visibleStudio(try parameter(context, "studio"), caller)
            guard caller.studioRole(studio.id) != nil else {
                throw Problem.forbidden("only the studio's members list its requests across productions")
            }
            var query = try requestQuery(request)
            query.studioID = studio.id
            if let after = query.after { try Self.checkCursor(try await store.request(id: after)?.studioID == studio.id) }
            let page = try await store.requests(query)
            return try Reply.list(page.map { RequestResponse($0) }, next: page.count == query.limit ? page.last?.id : nil)
        }
    }

    /// The studio contact (an approver of any area, or a studio admin) acknowledges a socialized use.
    func acknowledge(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try parameter(context, "id")
        _ = try await visibleRequest(id, caller)
        return try Reply.json(RequestResponse(try await requests.acknowledge(id, note: try await optionalNote(request, context), by: caller)))
    }

    /// The requester or the production's coordinator withdraws an open request.
    func withdraw(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try parameter(context, "id")
        _ = try await visibleRequest(id, caller)
        return try Reply.json(RequestResponse(try await requests.withdraw(id, note: try await optionalNote(request, context), by: caller)))
    }

    func optionalNote(_ request: Request, _ context: ClearanceContext) async throws -> String? {
        try await optionalText(request, context, field: "note", maxLength: RequestWorkflow.maximumNote, blankable: true)
    }

    /// An approver's verdict for one of their areas: the body's types are read here, the rules
    /// are the workflow's.
    func giveVerdict(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try parameter(context, "id")
        _ = try await visibleRequest(id, caller)
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["area", "verdict", "conditions", "note", "expires-on", "assets"], required: ["area", "verdict"])
        let area: Area? = form.choice("area")
        let verdict: VerdictKind? = form.choice("verdict")
        let conditions = form.texts("conditions") ?? []
        let note = form.blankableText("note", maxLength: RequestWorkflow.maximumNote)
        let expiresOn = form.date("expires-on")
        // The references' own rule runs here too, so their problems come in one answer with the
        // items that did not read at all, each at its place in the list.
        let items = form.textItems("assets", maxLength: 2 * AssetReference.maximumLength) ?? []
        let (assets, issues) = RequestWorkflow.assetReferences(items)
        for issue in issues {
            if let index = Int(issue.field.dropFirst("/assets/".count)), issue.field.hasPrefix("/assets/") {
                form.reject("assets", item: index, issue.message)
            } else {
                form.reject("assets", issue.message)
            }
        }
        try finish(form)
        guard let area, let verdict else { throw Problem.badRequest("the body is incomplete") }
        let input = VerdictInput(area: area, verdict: verdict, conditions: conditions, note: note, expiresOn: expiresOn, assets: assets)
        let (moved, record) = try await requests.giveVerdict(on: id, input, by: caller)
        return try Reply.json(VerdictGivenResponse(request: RequestResponse(moved), verdict: VerdictResponse(record, stale: false)), status: .created)
    }
}

extension ClearanceAPI {
    func addRegisterRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("productions/:production/register") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let csv = request.headers[.accept]?.contains("text/csv") == true
            return Reply.stream(ProductionRegister.text(production: production, store: store, now: now, format: csv ? .csv : .json),
                                contentType: csv ? "text/csv; charset=utf-8" : "application/json")
        }
    }
}
