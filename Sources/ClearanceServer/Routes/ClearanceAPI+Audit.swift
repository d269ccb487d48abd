internal import ClearanceCore
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
                return Reply.list(events.map(\.json), next: page.count == query.limit ? page.last.map { String($0.seq) } : nil)
            }
            let events = try await store.auditEvents(query)
            return Reply.list(events.map(\.json), next: events.count == query.limit ? events.last.map { String($0.seq) } : nil)
        }
        api.get("audit/verify") { _, context in
            let caller = try context.requireCaller()
            // The chain spans every studio, so its verification is the site admins' (and the CLI's).
            guard caller.isSiteAdmin else {
                throw Problem.forbidden("only site admins verify the audit chain; studio admins read their studio's events")
            }
            let (events, head) = try await store.auditChain()
            let result = AuditChain.verify(events, head: head)
            return Reply.json(result.json)
        }
    }
}

extension AuditVerification {
    var json: JSONValue {
        .object([
            .init("intact", .bool(intact)), .init("events", .number(events)),
            .init("broken-at", brokenAt.map { .number(Int($0)) } ?? .null), .init("reason", .text(reason)),
        ])
    }
}
