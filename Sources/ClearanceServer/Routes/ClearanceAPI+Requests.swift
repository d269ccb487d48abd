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
            let caller = try context.requireCaller()
            let (record, _) = try await visibleRequest(try parameter(context, "id"), caller)
            let decision = try await store.decisions(requestID: record.id).last
            let revision = try await store.revisions(requestID: record.id).last
            let verdicts = try await store.verdicts(requestID: record.id).filter { !$0.isStale(against: decision) }
            guard case .object(var members) = record.json(decision: decision.flatMap { JSONValue.parse($0.decisionJSON) },
                                                          document: revision.flatMap { JSONValue.parse($0.document) }) else {
                throw Problem.notFound("request")
            }
            // The verdicts that count now, with their conditions, and the moves the request allows.
            members.append(.init("verdicts", .array(verdicts.map { $0.json(stale: false) })))
            members.append(.init("allowed", .array(Workflow.allowed(from: record.state).map { .string($0.rawValue) })))
            members.append(.init("approval", .string(ProductionRegister.approval(record, verdicts: verdicts, today: Timestamps.day(now)))))
            return Reply.json(.object(members))
        }
        api.put("requests/:id") { request, context in try await reviseRequest(request, context) }
        api.get("requests/:id/history") { _, context in
            let caller = try context.requireCaller()
            let (record, _) = try await visibleRequest(try parameter(context, "id"), caller)
            let revisions = try await store.revisions(requestID: record.id)
            let decisions = try await store.decisions(requestID: record.id)
            let verdicts = try await store.verdicts(requestID: record.id)
            let acknowledgements = try await store.acknowledgements(requestID: record.id)
            let ordered = TimelineEntry.ordered(revisions: revisions, decisions: decisions, verdicts: verdicts,
                                                acknowledgements: acknowledgements).map { entry -> JSONValue in
                let (kind, value): (String, JSONValue) = switch entry {
                case .revision(let revision): ("revision", revision.json)
                case .decision(let decision): ("decision", decision.json)
                case .verdict(let verdict, let stale): ("verdict", verdict.json(stale: stale))
                case .acknowledgement(let acknowledgement): ("acknowledgement", acknowledgement.json)
                }
                guard case .object(let members) = value else { return value }
                return .object([.init("kind", .string(kind))] + members)
            }
            return Reply.json(.object([
                .init("request", record.json()),
                .init("revisions", .array(revisions.map(\.json))),
                .init("decisions", .array(decisions.map(\.json))),
                .init("verdicts", .array(verdicts.map { $0.json(stale: $0.isStale(against: decisions.last)) })),
                .init("acknowledgements", .array(acknowledgements.map(\.json))),
                .init("timeline", .array(ordered)),
            ]))
        }
    }

    /// Everything a triage reads about a production: its studio's current policy and tools, and
    /// the consents its talent entries name.
    func triageInputs(studioID: String) async throws -> TriageInputs {
        let (stamp, engine) = try await cache.current(studioID: studioID, store: store)
        return TriageInputs(stamp: stamp, engine: engine, tools: try await cache.registry(studioID: studioID, store: store))
    }

    func parseRequest(_ body: Body, policy: Policy, production: String?) throws -> UseRequest {
        let document: UseRequest
        do {
            document = try UseRequest.parse(body.text, file: body.file, principles: Set(policy.principles.map(\.id)))
        } catch {
            throw Problem.document(error)
        }
        if let production, let named = document.production, named != production {
            throw Problem.invalid("/production", "the request names production '\(named)' but is filed under '\(production)'")
        }
        return document
    }

    /// Decides under the inputs, checking each named consent against the production's register.
    func decide(_ document: UseRequest, _ inputs: TriageInputs, production: String?) async throws -> Decision {
        try await Triage.decide(document, inputs, production: production, store: store, today: Timestamps.day(now))
    }

    /// Reads a request document from the body and decides it under the production's studio policy.
    func triage(_ body: Body, in production: ProductionContext) async throws -> (UseRequest, Decision, TriageInputs) {
        let studioID = production.production.studioID
        let inputs = TriageInputs(stamp: production.policy,
                                  engine: try await cache.policy(production.policy, studioID: studioID, store: store),
                                  tools: try cache.registry(production.tools, studioID: studioID))
        let document = try parseRequest(body, policy: inputs.policy, production: production.production.id)
        return (document, try await decide(document, inputs, production: production.production.id), inputs)
    }

    /// `POST /api/v1/triage`: the decision only; nothing is stored.
    func preview(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await Body.read(request, context: context)
        var productionID: String?
        var inputs: TriageInputs
        if let id = request.uri.queryParameters["production"].map(String.init) {
            let production = try await visibleProduction(id, caller)
            productionID = production.id
            inputs = try await triageInputs(studioID: production.studioID)
        } else {
            let engine = try cache.defaultPolicy()
            inputs = TriageInputs(stamp: PolicyVersionStamp(number: 0, digest: engine.policy.digest), engine: engine, tools: .empty)
        }
        let document = try parseRequest(body, policy: inputs.policy, production: productionID)
        return Reply.json(try await decide(document, inputs, production: productionID).json)
    }

    func fileRequest(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let (record, decision) = try await file(try await Body.read(request, context: context), in: try parameter(context, "production"),
                                                by: try context.requireCaller())
        return Reply.json(record.json(decision: decision.json), status: .created, location: "/api/v1/requests/\(record.id)")
    }

    /// Files a request document under a production: triage, then the request, its first revision
    /// and decision, and the audit event, in one write. The API and the web form both come here.
    func file(_ body: Body, in id: String, by caller: Caller) async throws -> (UseRequestRecord, Decision) {
        // One read for the production, its studio's current policy version and its tools.
        guard let production = try await store.productionContext(id: id), caller.canSeeProduction(production.production) else {
            throw Problem.notFound("production '\(id)'")
        }
        guard caller.canFileRequests(in: id) else {
            throw Problem.forbidden("only the production's requesters and coordinator file requests")
        }
        let (document, decision, inputs) = try await triage(body, in: production)
        let time = now
        let requestID = Self.newID("r-")
        let record = UseRequestRecord(id: requestID, studioID: production.production.studioID, productionID: id,
                                      requesterID: caller.user.id, title: document.title, state: Triage.state(after: decision),
                                      revision: 1, outcome: decision.outcome, areas: decision.areas, createdAt: time, updatedAt: time)
        let (revision, stored) = Triage.records(id: requestID, number: 1, document: document, decision: decision,
                                              policy: inputs.stamp, author: caller.user.id, at: time)
        try await store.createRequest(record, revision: revision, decision: stored,
                                      audit: audit(caller, "request.submitted", studio: record.studioID, production: id,
                                                   subject: requestID, details: Triage.auditDetails(revision, decision, inputs.stamp)))
        return (record, decision)
    }

    func reviseRequest(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (current, production) = try await visibleRequest(try parameter(context, "id"), caller)
        guard caller.canRevise(current) else {
            throw Problem.forbidden("only the requester who filed it and the production's coordinator revise a request")
        }
        do {
            _ = try Workflow.next(current.state, on: .revise)
        } catch {
            throw Problem.conflict(error.description)
        }
        guard let productionContext = try await store.productionContext(id: production.id) else {
            throw Problem.notFound("production '\(production.id)'")
        }
        let (document, decision, inputs) = try await triage(try await Body.read(request, context: context), in: productionContext)
        var record = current
        record.revision += 1
        record.title = document.title
        record.state = Triage.state(after: decision)
        record.outcome = decision.outcome
        record.areas = decision.areas
        record.updatedAt = now
        let (revision, stored) = Triage.records(id: record.id, number: record.revision, document: document, decision: decision,
                                              policy: inputs.stamp, author: caller.user.id, at: record.updatedAt)
        try await store.reviseRequest(record, revision: revision, decision: stored,
                                      audit: audit(caller, "request.revised", studio: production.studioID, production: production.id,
                                                   subject: record.id, details: Triage.auditDetails(revision, decision, inputs.stamp)))
        return Reply.json(record.json(decision: decision.json))
    }

    func listRequests(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let production = try await visibleProduction(try parameter(context, "production"), caller)
        var query = try requestQuery(request)
        query.productionID = production.id
        if let after = query.after { try Self.checkCursor(try await store.request(id: after)?.productionID == production.id) }
        let page = try await store.requests(query)
        return Reply.list(page.map { $0.json() }, next: page.count == query.limit ? page.last?.id : nil)
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
