internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

/// Overlays (union agreements and laws judged beside the studio's policy), the obligations of a
/// request, and a production's disclosure plan (rulebooks.md).
extension ClearanceAPI {
    func addRulebookRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios/:studio/overlays") { _, context in
            let views = try await rulebooks.overlays(in: try parameter(context, "studio"), by: try context.requireCaller())
            return try Reply.list(views.map { OverlayResponse($0, today: Timestamps.calendarDay(now)) })
        }
        api.get("studios/:studio/overlays/:id") { request, context in
            let view = try await rulebooks.overlay(try parameter(context, "id"), in: try parameter(context, "studio"),
                                                   by: try context.requireCaller())
            if Self.wantsYAML(request) { return Reply.text(view.text ?? "", contentType: "application/yaml") }
            return try Reply.json(OverlayResponse(view, today: Timestamps.calendarDay(now)))
        }
        // A YAML body publishes a custom overlay; a JSON body `{"enabled": false}` switches one off or on.
        api.put("studios/:studio/overlays/:id") { request, context in
            let caller = try context.requireCaller()
            let studio = try parameter(context, "studio")
            let id = try parameter(context, "id")
            let body = try await Body.read(request, context: context)
            if let enabled = try enabledSwitch(body) {
                _ = try await rulebooks.setOverlay(id, enabled: enabled, in: studio, by: caller)
                return try await overlayAnswer(studio, id, caller: caller, status: .ok)
            }
            do {
                let published = try await rulebooks.publishOverlay(id, text: body.text, in: studio, by: caller)
                return try await overlayAnswer(studio, id, caller: caller, status: published.number == 1 ? .created : .ok)
            } catch let failed as PolicyTestFailures {
                throw Problem.failedTests(failed, what: "overlay")
            }
        }
        api.get("productions/:production/overlays") { _, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let views = try await rulebooks.overlays(in: production.studioID, production: production.id, by: caller)
            return try Reply.list(views.map { OverlayResponse($0, today: Timestamps.calendarDay(now)) })
        }
        api.put("productions/:production/overlays/:id") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let body = try await Body.read(request, context: context)
            guard let enabled = try enabledSwitch(body) else {
                throw Problem.badRequest("send {\"enabled\": true} or {\"enabled\": false}")
            }
            let id = try parameter(context, "id")
            _ = try await rulebooks.setOverlay(id, enabled: enabled, in: production.studioID, production: production.id, by: caller)
            let view = try await rulebooks.overlay(id, in: production.studioID, production: production.id, by: caller)
            return try Reply.json(OverlayResponse(view, today: Timestamps.calendarDay(now)))
        }
        api.get("requests/:id/obligations") { _, context in
            let caller = try context.requireCaller()
            let (request, _) = try await visibleRequest(try parameter(context, "id"), caller)
            return try Reply.list(try await obligations.lines(of: request).map { ObligationResponse($0) })
        }
        api.post("requests/:id/obligations") { request, context in
            let caller = try context.requireCaller()
            let form = try form(try await Body.read(request, context: context), allowed: ["obligation", "evidence"],
                                required: ["obligation", "evidence"])
            let obligation = form.text("obligation", maxLength: 300)
            let evidence = form.texts(in: "evidence", allowed: ["note", "link", "document-ref"])
            try finish(form)
            guard let obligation, let evidence else { throw Problem.badRequest("the body is incomplete") }
            let line = try await obligations.recordMet(requestID: try parameter(context, "id"), obligationID: obligation,
                                                      evidence: .init(note: evidence["note"], link: evidence["link"],
                                                                      documentRef: evidence["document-ref"]),
                                                      by: caller)
            return try Reply.json(ObligationResponse(line), status: .created)
        }
        api.get("productions/:production/disclosure-plan") { request, context in
            let plan = try await obligations.disclosurePlan(productionID: try parameter(context, "production"), by: try context.requireCaller())
            if request.headers[.accept]?.contains("text/csv") == true {
                return Reply.text(plan.csv, contentType: "text/csv; charset=utf-8")
            }
            return try Reply.json(DisclosurePlanResponse(plan))
        }
    }

    /// `{"enabled": true|false}` in JSON, or nil when the body is anything else (an overlay's text).
    private func enabledSwitch(_ body: Body) throws -> Bool? {
        guard body.format == .json, case .object(let members)? = JSONValue.parse(body.text), members.map(\.key) == ["enabled"] else {
            return nil
        }
        let form = try form(body, allowed: ["enabled"], required: ["enabled"])
        let enabled = form.bool("enabled")
        try finish(form)
        return enabled
    }

    private func overlayAnswer(_ studio: String, _ id: String, caller: Caller, status: HTTPResponse.Status) async throws -> Response {
        let view = try await rulebooks.overlay(id, in: studio, by: caller)
        return try Reply.json(OverlayResponse(view, today: Timestamps.calendarDay(now)), status: status,
                              location: status == .created ? "/api/v1/studios/\(studio)/overlays/\(id)" : nil)
    }
}
