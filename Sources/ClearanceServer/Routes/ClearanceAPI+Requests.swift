internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import Hummingbird
internal import Metrics

extension ClearanceAPI {
    func addRequestRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("triage") { request, context in try await preview(request, context) }
        api.get("productions/:production/requests") { request, context in try await listRequests(request, context) }
        api.post("productions/:production/requests") { request, context in try await fileRequest(request, context) }
        api.get("requests/:id") { _, context in
            let view = try await requests.view(try parameter(context, "id"), by: try context.requireCaller())
            return try Reply.json(RequestResponse(view, today: Timestamps.day(now)))
        }
        api.put("requests/:id") { request, context in try await reviseRequest(request, context) }
        api.post("requests/:id/comments") { request, context in
            let caller = try context.requireCaller()
            let id = try parameter(context, "id")
            _ = try await visibleRequest(id, caller)
            let form = try form(try await Body.read(request, context: context), allowed: ["body"], required: ["body"])
            let body = form.text("body", maxLength: RequestWorkflow.maximumNote)
            try finish(form)
            let comment = try await requests.comment(on: id, body: body ?? "", by: caller)
            return try Reply.json(CommentResponse(comment), status: .created)
        }
        api.get("requests/:id/history") { _, context in
            let view = try await requests.view(try parameter(context, "id"), by: try context.requireCaller())
            return try Reply.json(RequestHistoryResponse(view))
        }
    }

    /// The studio's current policy and tools, as a triage reads them.
    func triageInputs(studioID: String) async throws -> TriageInputs {
        try await requests.triageInputs(studioID: studioID)
    }

    /// A request document from a body: JSON or YAML text, parsed by the workflow.
    static func document(_ body: Body) -> RequestDocument { .text(body.text, file: body.file) }

    /// `POST /api/v1/triage`: the decision only; nothing is stored.
    func preview(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let body = try await Body.read(request, context: context)
        let decision = try await requests.preview(Self.document(body), production: request.uri.queryParameters["production"].map(String.init),
                                                  by: try context.requireCaller())
        return try Reply.json(decision.json)
    }

    func fileRequest(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let (record, decision) = try await requests.file(Self.document(try await Body.read(request, context: context)),
                                                         in: try parameter(context, "production"), by: try context.requireCaller())
        return try Reply.json(RequestResponse(record, decision: decision.json), status: .created, location: "/api/v1/requests/\(record.id)")
    }

    func reviseRequest(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try parameter(context, "id")
        // Visibility first, so a stranger's body is never read.
        _ = try await visibleRequest(id, caller)
        let (record, decision) = try await requests.revise(id, with: Self.document(try await Body.read(request, context: context)), by: caller)
        return try Reply.json(RequestResponse(record, decision: decision.json))
    }

    func listRequests(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let production = try await visibleProduction(try parameter(context, "production"), caller)
        var query = try requestQuery(request)
        query.productionID = production.id
        if let after = query.after { try Self.checkCursor(try await store.request(id: after)?.productionID == production.id) }
        let page = try await store.requests(query)
        return try Reply.list(page.map { RequestResponse($0) }, next: page.count == query.limit ? page.last?.id : nil)
    }

    /// The list filters: `state`, `outcome`, `area`, `limit` and `after` (the last id of the previous page).
    func requestQuery(_ request: Request) throws -> RequestQuery {
        let parameters = request.uri.queryParameters
        var query = RequestQuery()
        if let value = parameters["state"].map(String.init) {
            guard let state = RequestState(rawValue: value) else {
                throw Problem.badRequest("state '\(value)' is not one of \(RequestState.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            query.state = state
        }
        if let value = parameters["outcome"].map(String.init) {
            guard let outcome = Outcome(rawValue: value) else {
                throw Problem.badRequest("outcome '\(value)' is not one of \(Outcome.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            query.outcome = outcome
        }
        if let value = parameters["area"].map(String.init) {
            guard let area = Area(rawValue: value) else {
                throw Problem.badRequest("area '\(value)' is not one of \(Area.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            query.area = area
        }
        (query.limit, query.after) = try page(request, defaultLimit: query.limit)
        return query
    }

    /// A paged list's `limit` (1 to 200) and `after`, the last id of the previous page.
    func page(_ request: Request, defaultLimit: Int = 50) throws -> (limit: Int, after: String?) {
        let parameters = request.uri.queryParameters
        var limit = defaultLimit
        if let value = parameters["limit"].map(String.init) {
            guard let number = Int(value), (1...200).contains(number) else { throw Problem.badRequest("limit must be 1 to 200") }
            limit = number
        }
        return (limit, parameters["after"].map(String.init))
    }
}
