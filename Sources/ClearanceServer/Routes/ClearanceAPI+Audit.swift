internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addAuditRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("audit") { request, context in
            let caller = try context.requireCaller()
            let parameters = request.uri.queryParameters
            var query = AuditQuery(studioIDs: caller.auditStudios)
            if let studio = parameters["studio"].map(String.init) {
                // A studio the caller can see but does not administer is theirs to know of, not to audit.
                let record = try await visibleStudio(studio, caller)
                guard caller.auditStudios.contains(record.id) else {
                    throw Problem.forbidden("only the studio's admins read its audit trail")
                }
                query.studioID = studio
            }
            if let production = parameters["production"].map(String.init) {
                let record = try await visibleProduction(production, caller)
                guard caller.auditStudios.contains(record.studioID) else {
                    throw Problem.forbidden("only the studio's admins read its audit trail")
                }
                query.productionID = production
            }
            if let after = parameters["after"].map(String.init) {
                guard let seq = Int64(after), seq >= 0 else { throw Problem.badRequest("after must be an event number") }
                query.afterSeq = seq
            }
            if let value = parameters["limit"].map(String.init) {
                guard let limit = Int(value), (1...1000).contains(limit) else { throw Problem.badRequest("limit must be 1 to 1000") }
                query.limit = limit
            }
            if caller.isSiteAdmin && parameters["studio"] == nil && parameters["production"] == nil {
                // Site admins also read site-level events: users, tokens and studio creation.
                query.studioIDs = nil
                let page = try await store.auditEvents(query)
                let events = page.filter { event in
                    event.studioID == nil || caller.auditStudios.contains(event.studioID ?? "") || event.action == "studio.created"
                }
                return try Reply.list(events.map(AuditEventResponse.init), next: page.count == query.limit ? page.last.map { String($0.seq) } : nil)
            }
            let events = try await store.auditEvents(query)
            return try Reply.list(events.map(AuditEventResponse.init), next: events.count == query.limit ? events.last.map { String($0.seq) } : nil)
        }
        api.get("audit/verify") { _, context in
            // The chain spans every studio, so its verification is the site admins' (and the CLI's).
            return try Reply.json(AuditChainsVerificationResponse(try await studios.verifyAuditChains(by: try context.requireCaller())))
        }
        api.get("studios/:studio/audit") { request, context in
            let caller = try context.requireCaller()
            let studio = try await auditedStudio(try parameter(context, "studio"), caller)
            var after: Int64 = 0
            if let text = request.uri.queryParameters["after"] {
                guard let value = Int64(String(text)), value >= 0 else {
                    throw Problem.invalid("/after", "after must be the position of the last event of the previous page")
                }
                after = value
            }
            var limit = 100
            if let text = request.uri.queryParameters["limit"] {
                guard let value = Int(String(text)), (1...1000).contains(value) else { throw Problem.invalid("/limit", "limit must be 1 to 1000") }
                limit = value
            }
            let events = try await store.auditChainEvents(AuditChain.chain(for: studio.id), after: after, limit: limit)
            return try Reply.list(events.map(AuditEventResponse.init), next: events.count == limit ? events.last.map { String($0.position) } : nil)
        }
        api.get("studios/:studio/audit/verify") { _, context in
            let caller = try context.requireCaller()
            let studio = try await auditedStudio(try parameter(context, "studio"), caller)
            let (events, head) = try await store.auditChain(AuditChain.chain(for: studio.id))
            let current = head ?? .empty(AuditChain.chain(for: studio.id))
            return try Reply.json(AuditVerificationResponse(AuditChain.verify(events, head: current), head: current))
        }
        api.get("studios/:studio/audit/export") { _, context in
            let caller = try context.requireCaller()
            let studio = try await auditedStudio(try parameter(context, "studio"), caller)
            let chain = AuditChain.chain(for: studio.id)
            let head = try await store.auditHeads().first { $0.chain == chain } ?? .empty(chain)
            let store = store
            let exportedAt = Timestamps.string(now)
            // Written out a page at a time, up to the head read first.
            let lines: AsyncThrowingStream<String, any Error> = produced { yield in
                yield(AuditExport.heading(head, exportedAt: exportedAt) + "\n")
                var after: Int64 = 0
                while after < head.position {
                    let page = try await store.auditChainEvents(chain, after: after, limit: 1000)
                    let wanted = page.prefix { $0.position <= head.position }
                    if !wanted.isEmpty { yield(wanted.map { AuditExport.line($0) + "\n" }.joined()) }
                    guard let last = page.last, page.count == 1000 else { break }
                    after = last.position
                }
            }
            return Reply.stream(lines, contentType: "application/jsonl", headers: [
                .contentDisposition: "attachment; filename=\"\(studio.id)-audit.jsonl\"",
            ])
        }
    }

    /// A studio whose chain the caller may read: its own admins only. Others who can see the studio
    /// are refused; anyone else is told it does not exist.
    func auditedStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        let studio = try await visibleStudio(id, caller)
        guard caller.isStudioAdmin(studio.id) else { throw Problem.forbidden("only the studio's admins read and verify its audit chain") }
        return studio
    }
}
