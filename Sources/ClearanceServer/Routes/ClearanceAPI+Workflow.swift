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
            return Reply.list(page.map { $0.json() }, next: page.count == query.limit ? page.last?.id : nil)
        }
    }

    /// The studio contact (an approver of any area, or a studio admin) acknowledges a socialized use.
    func acknowledge(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (current, _) = try await visibleRequest(try parameter(context, "id"), caller)
        let moved = try await acknowledge(current, note: try await optionalNote(request, context), by: caller)
        return Reply.json(moved.json())
    }

    func acknowledge(_ current: UseRequestRecord, note: String?, by caller: Caller) async throws -> UseRequestRecord {
        guard let role = caller.studioRole(current.studioID), role == .approver || role == .admin else {
            throw Problem.forbidden("the studio contact (an approver or a studio admin) acknowledges socialized uses")
        }
        guard try await !authored(current, by: caller) else {
            throw Problem.forbidden("no one acknowledges a request they filed or revised")
        }
        let time = now
        let acknowledgement = AcknowledgementRecord(requestID: current.id, revision: current.revision, userID: caller.user.id,
                                                    note: note, createdAt: time)
        let moved = try await store.transition(
            requestID: current.id, expectedRevision: current.revision, event: .acknowledge, at: time, acknowledgement: acknowledgement,
            audit: audit(caller, "request.acknowledged", studio: current.studioID, production: current.productionID,
                         subject: current.id, details: .object([.init("revision", .number(current.revision)),
                                                                .init("note", .text(note))])))
        return moved
    }

    /// The requester or the production's coordinator withdraws an open request.
    func withdraw(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (current, _) = try await visibleRequest(try parameter(context, "id"), caller)
        guard caller.canRevise(current) else {
            throw Problem.forbidden("only the requester who filed it and the production's coordinator withdraw a request")
        }
        let note = try await optionalNote(request, context)
        let moved = try await store.transition(
            requestID: current.id, expectedRevision: nil, event: .withdraw, at: now, acknowledgement: nil,
            audit: audit(caller, "request.withdrawn", studio: current.studioID, production: current.productionID,
                         subject: current.id, details: .object([.init("from", .string(current.state.rawValue)),
                                                                .init("note", .text(note))])))
        return Reply.json(moved.json())
    }

    /// Four eyes: whoever filed a request or wrote any of its revisions does not sign it off.
    func authored(_ request: UseRequestRecord, by caller: Caller) async throws -> Bool {
        if request.requesterID == caller.user.id { return true }
        return try await store.revisions(requestID: request.id).contains { $0.authorID == caller.user.id }
    }

    func optionalNote(_ request: Request, _ context: ClearanceContext) async throws -> String? {
        try await optionalText(request, context, field: "note", maxLength: 4000, blankable: true)
    }

    /// An approver's verdict for one of their areas, bound to the current revision's digests.
    func giveVerdict(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (current, _) = try await visibleRequest(try parameter(context, "id"), caller)
        let (moved, record) = try await giveVerdict(on: current, try await Body.read(request, context: context), by: caller)
        return Reply.json(.object([.init("request", moved.json()), .init("verdict", record.json(stale: false))]), status: .created)
    }

    /// Checks and records one verdict; the API and the request page's verdict form both come here.
    func giveVerdict(on current: UseRequestRecord, _ body: Body, by caller: Caller) async throws -> (UseRequestRecord, VerdictRecord) {
        guard let member = caller.studioRoles[current.studioID], member.role == .approver else {
            throw Problem.forbidden("only the studio's approvers give verdicts")
        }
        guard try await !authored(current, by: caller) else {
            throw Problem.forbidden("no one approves their own request, nor one they revised")
        }
        let form = try form(body, allowed: ["area", "verdict", "conditions", "note", "expires-on", "assets"],
                            required: ["area", "verdict"])
        let area: Area? = form.choice("area")
        let verdict: VerdictKind? = form.choice("verdict")
        let conditions = form.texts("conditions") ?? []
        let note = form.blankableText("note", maxLength: 4000)
        let expiresOn = form.date("expires-on")
        let assets = Self.assetReferences(form)
        if let area, !member.areas.contains(area) {
            form.reject("area", "you approve for \(member.areas.map(\.rawValue).joined(separator: ", ")), not \(area.rawValue)")
        }
        if area != nil, !current.areas.contains(where: { $0 == area }) {
            form.reject("area", "this request needs verdicts from \(current.areas.map(\.rawValue).joined(separator: ", ")) only")
        }
        if let expiresOn, expiresOn < Timestamps.day(now) {
            form.reject("expires-on", "\(expiresOn) is in the past")
        }
        if verdict == .approvedWithConditions && conditions.isEmpty {
            form.reject("conditions", "an approval with conditions lists at least one condition")
        }
        if let verdict, verdict != .approvedWithConditions, !conditions.isEmpty {
            form.reject("conditions", "only approved-with-conditions carries conditions")
        }
        if let verdict, verdict != .approved, verdict != .approvedWithConditions, !assets.isEmpty {
            form.reject("assets", "only an approval names the assets it covers")
        }
        try finish(form)
        guard let area, let verdict else { throw Problem.badRequest("the body is incomplete") }
        guard let decision = try await store.decisions(requestID: current.id).last else {
            throw StoreError.database("request \(current.id) has no decision")
        }
        let record = VerdictRecord(id: Self.newID("v-"), requestID: current.id, revision: current.revision, area: area,
                                   approverID: caller.user.id, verdict: verdict, conditions: conditions, note: note,
                                   requestDigest: decision.requestDigest, policyDigest: decision.policyDigest,
                                   expiresOn: expiresOn, createdAt: now, assets: assets)
        let moved = try await store.addVerdict(record, audit: audit(
            caller, "request.verdict", studio: current.studioID, production: current.productionID, subject: current.id,
            details: .object([
                .init("area", .string(area.rawValue)), .init("verdict", .string(verdict.rawValue)),
                .init("conditions", .array(conditions.map { .string($0) })), .init("revision", .number(current.revision)),
                .init("request-digest", .string(record.requestDigest)), .init("policy-digest", .string(record.policyDigest)),
                .init("assets", .array(assets.map { .string($0) })),
            ])))
        return (moved, record)
    }

    /// The most asset references one approval may carry.
    static let maximumAssets = 100

    /// The `assets` list of a verdict: each an asset reference (a path glob or `id:ASSET-ID`),
    /// written back in its normal form, duplicates dropped. Problems are reported on the form at
    /// the offending item.
    static func assetReferences(_ form: Form) -> [String] {
        guard let texts = form.textItems("assets", maxLength: 2 * AssetReference.maximumLength) else { return [] }
        guard texts.count <= maximumAssets else {
            form.reject("assets", "an approval covers at most \(maximumAssets) asset references; this one lists \(texts.count)")
            return []
        }
        var references: [String] = []
        for (index, text) in texts.enumerated() {
            guard let text else { continue }  // already reported
            do throws(AssetReference.Problem) {
                let reference = try AssetReference(parsing: text).description
                if !references.contains(reference) { references.append(reference) }
            } catch {
                form.reject("assets", item: index, error.description)
            }
        }
        return references
    }
}

extension AcknowledgementRecord {
    var json: JSONValue {
        .object([
            .init("user", .string(userID)), .init("revision", .number(revision)), .init("note", .text(note)),
            .init("created-at", .time(createdAt)),
        ])
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
