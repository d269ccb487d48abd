internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// The union agreements and laws beside a studio's policy in the browser: a studio admin switches
/// overlays on or off for the studio or one production and publishes the studio's own; the
/// coordinator records obligations as met; everyone on the production reads the disclosure plan.
extension WebPages {
    func registerRulebookPages(on router: Router<ClearanceContext>) {
        router.get("studios/:studio/overlays") { request, context in
            try await page(request, context) { _ in try await overlaysPage(request, context) }
        }
        router.post("studios/:studio/overlays/new") { request, context in
            try await page(request, context) { try await overlayPublish($0, request, context) }
        }
        router.post("studios/:studio/overlays/:id") { request, context in
            try await page(request, context) { fields in
                let studio = try api.parameter(context, "studio")
                let changed = try await api.rulebooks.setOverlay(try api.parameter(context, "id"), enabled: fields.value("enabled") == "true",
                                                                  in: studio, by: try caller(context))
                return finished(changed == nil ? "overlay-unchanged" : "overlay-switched", at: "/studios/\(studio)/overlays", request)
            }
        }
        router.get("productions/:production/overlays") { request, context in
            try await page(request, context) { _ in try await overlaysPage(request, context) }
        }
        router.post("productions/:production/overlays/:id") { request, context in
            try await page(request, context) { fields in
                let caller = try caller(context)
                let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
                let changed = try await api.rulebooks.setOverlay(try api.parameter(context, "id"), enabled: fields.value("enabled") == "true",
                                                                  in: production.studioID, production: production.id, by: caller)
                return finished(changed == nil ? "overlay-unchanged" : "overlay-switched", at: "/productions/\(production.id)/overlays", request)
            }
        }
        router.post("requests/:id/obligations") { request, context in
            try await page(request, context) { try await obligationSubmit($0, request, context) }
        }
        router.get("productions/:production/disclosure") { request, context in
            try await page(request, context) { _ in try await disclosurePage(context) }
        }
        router.get("productions/:production/disclosure.csv") { request, context in
            try await page(request, context) { _ in
                let plan = try await api.obligations.disclosurePlan(productionID: try api.parameter(context, "production"),
                                                                    by: try caller(context))
                let production = plan.production
                var headers: HTTPFields = [.contentType: "text/csv; charset=utf-8"]
                headers[.contentDisposition] = "attachment; filename=\"\(production.id)-disclosure-plan.csv\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: plan.csv)))
            }
        }
    }

    /// The overlays of a studio (`studios/:studio/overlays`) or as one production has them (`productions/:production/overlays`).
    func overlaysPage(_ request: Request, _ context: ClearanceContext, draft: String? = nil, draftErrors: [String]? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        var production: ProductionRecord?
        if let id = context.parameters.get("production") { production = try await api.visibleProduction(id, caller) }
        let studioID = try production?.studioID ?? api.parameter(context, "studio")
        let studio = try await api.readableStudio(studioID, caller)
        let shown = try await api.rulebooks.overlays(in: studio.id, production: production?.id, by: caller)
        let today = Timestamps.calendarDay(now)
        let canManage = caller.isStudioAdmin(studio.id)
        let action = production.map { "/productions/\($0.id)/overlays" } ?? "/studios/\(studio.id)/overlays"
        let overlays = shown.map { view -> [String: Any] in
            let inForce = view.notInForce(on: today)
            let setting = switch view.decidedBy {
            case .shipped: "On"
            case .studio: view.enabled ? "On for the studio" : "Off for the studio"
            case .production: view.enabled ? "On for this production" : "Off for this production"
            }
            return [
                "id": view.overlay.id, "title": view.overlay.title, "source": view.overlay.source ?? "",
                "scope": (view.overlay.scope ?? "").capitalizedFirst, "builtIn": view.builtIn,
                "dates": Self.effectiveWords(view.overlay.effective), "inForce": inForce == nil,
                "notInForce": inForce?.capitalizedFirst ?? "",
                "enabled": view.enabled, "setting": setting, "switchTo": view.enabled ? "false" : "true",
                "switchLabel": view.enabled ? "Switch off" : "Switch on", "action": "\(action)/\(view.overlay.id)",
                "version": present(view.published.map { "version \($0.number), published \(Wording.date($0.publishedAt))" }),
            ]
        }
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name], "overlays": overlays, "canManage": canManage,
            "draft": draft ?? "", "draftErrors": draftErrors ?? [], "hasDraftErrors": !(draftErrors ?? []).isEmpty,
        ]
        if let production {
            values["production"] = ["id": production.id, "title": production.title]
            let places = production.territories.compactMap(Territory.init(rawValue:)).map(\.name)
            values["territories"] = places.isEmpty ? "" : places.joined(separator: ", ")
        }
        let path = production.map { "/productions/\($0.id)/overlays" } ?? "/studios/\(studio.id)/overlays"
        let (done, cleared) = takeDone(request, at: path)
        if let done { values["done"] = done }
        let title = production.map { "Union agreements and laws: \($0.title)" } ?? "Union agreements and laws: \(studio.name)"
        return views.render("overlays", values, title: title, context: context, status: status, headers: cleared)
    }

    /// A studio admin publishes a custom overlay pasted into the form.
    func overlayPublish(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let studio = try await api.rulebooks.administeredStudio(try api.parameter(context, "studio"), try caller(context)).id
        let text = fields.value("text") ?? ""
        let id = Policy.examine(text).0?.id
        do {
            guard let id else {
                let (_, diagnostics) = Policy.examine(text, file: "your overlay")
                let messages = diagnostics.filter { $0.severity == .error }.map(\.description)
                return try await overlaysPage(request, context, draft: text,
                                              draftErrors: messages.isEmpty ? ["Paste an overlay file: it needs at least an id."] : messages,
                                              status: .unprocessableContent)
            }
            _ = try await api.rulebooks.publishOverlay(id, text: text, in: studio, by: try caller(context))
            return finished("overlay-published", at: "/studios/\(studio)/overlays", request)
        } catch let error as ServiceError {
            guard case .document(let document) = error else { throw error }
            return try await overlaysPage(request, context, draft: text, draftErrors: document.diagnostics.map(\.description),
                                          status: .unprocessableContent)
        } catch let failed as PolicyTestFailures {
            return try await overlaysPage(request, context, draft: text,
                                          draftErrors: failed.results.map { "Test '\($0.name)' fails: " + $0.failures.joined(separator: "; ") },
                                          status: .unprocessableContent)
        }
    }

    static func effectiveWords(_ effective: Effective) -> String {
        switch (effective.from, effective.until) {
        case (let from?, let until?): "In force from \(from) to \(until)"
        case (let from?, nil): "In force from \(from)"
        case (nil, let until?): "In force until \(until)"
        case (nil, nil): "Always in force"
        }
    }

    /// What an obligation asks for, in a phrase.
    static func obligationKind(_ kind: ObligationKind) -> String {
        switch kind {
        case .disclose: "Tell the audience"
        case .label: "Label the material"
        case .consent: "Get consent"
        case .notice: "Give notice"
        case .consult: "Consult and record their view"
        case .record: "Keep a record"
        }
    }

    static func obligationState(_ state: ObligationState) -> String {
        switch state {
        case .open: "To do"
        case .met: "Done"
        case .notOwed: "No longer owed"
        }
    }

    /// The rulebooks a decision applied, by title, and the obligations of the request with forms
    /// for the coordinator: the request page's part.
    func rulebookValues(_ view: RequestView, decision: JSONValue?, titles: [String: String], caller: Caller,
                        obligationError: (id: String, message: String, fields: [FormDocument.Field])? = nil) async throws -> [String: Any] {
        var applied: [[String: String]] = []
        if case .array(let uses)? = decision?["rulebooks"] {
            for use in uses {
                guard case .bool(true)? = use["applied"], case .string(let id)? = use["id"], case .string("overlay")? = use["kind"] else { continue }
                applied.append(["id": id, "title": titles[id] ?? id])
            }
        }
        let lines = try await api.obligations.lines(of: view.record, decisions: view.decisions)
        let canRecord = caller.canRecordObligations(in: view.production.id)
        var metBy: [String: String] = [:]
        for id in Set(lines.compactMap(\.met?.metBy)) { metBy[id] = try await store.user(id: id)?.name ?? "a former member" }
        let obligations = lines.map { line -> [String: Any] in
            var item: [String: Any] = [
                "id": line.obligation.id, "kind": Self.obligationKind(line.obligation.kind), "due": line.obligation.due.words,
                "text": line.obligation.text, "cite": line.obligation.cite, "rulebook": titles[line.obligation.rulebook] ?? line.obligation.rulebook,
                "state": Self.obligationState(line.state), "stateClass": line.state == .met ? "ok" : line.state == .open ? "warn" : "muted",
                "open": line.state == .open, "canRecord": canRecord && line.state == .open,
                "formID": "obligation-" + line.obligation.id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(),
            ]
            if let met = line.met {
                var evidence = "Done on \(Wording.date(met.metAt)) by \(metBy[met.metBy] ?? "a former member")"
                if let note = met.note { evidence += ": \(note)" }
                item["evidence"] = evidence
                item["link"] = present(met.link)
                item["documentRef"] = present(met.documentRef)
            }
            if let obligationError, obligationError.id == line.obligation.id {
                item["error"] = obligationError.message
                item["note"] = obligationError.fields.value("note") ?? ""
                item["linkValue"] = obligationError.fields.value("link") ?? ""
                item["documentValue"] = obligationError.fields.value("document-ref") ?? ""
            }
            return item
        }
        return ["rulebooksApplied": applied, "hasRulebooks": !applied.isEmpty, "obligations": obligations,
                "hasObligations": !obligations.isEmpty]
    }

    /// Every rulebook's title by id: the studio's policy, the built-in overlays and the studio's own.
    func rulebookTitles(studioID: String) async throws -> [String: String] {
        let (stamp, engine) = try await api.cache.current(studioID: studioID, store: store)
        var titles = [engine.policy.id: engine.policy.title]
        let custom = try await api.cache.overlays(studioID: studioID, store: store, version: stamp.number).custom
        for overlay in engine.overlays + custom { titles[overlay.id] = overlay.title }
        return titles
    }

    /// The coordinator records an obligation as met, with a note or a link.
    func obligationSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        let obligation = fields.value("obligation") ?? ""
        do {
            _ = try await api.obligations.recordMet(requestID: id, obligationID: obligation,
                                                   evidence: .init(note: fields.value("note"), link: fields.value("link"),
                                                                   documentRef: fields.value("document-ref")),
                                                   by: try caller(context))
            return finished("obligation-met", request: id, http)
        } catch let error as ServiceError {
            guard let messages = error.fieldMessages else { throw error }
            return try await requestPage(context, id: id, status: .unprocessableContent,
                                         obligationError: (obligation, messages.values.sorted().joined(separator: " "), fields))
        }
    }

    /// The production's disclosure plan: every obligation of every use, flagged where delivery waits on it.
    func disclosurePage(_ context: ClearanceContext) async throws -> Response {
        let plan = try await api.obligations.disclosurePlan(productionID: try api.parameter(context, "production"), by: try caller(context))
        let production = plan.production
        let titles = try await rulebookTitles(studioID: production.studioID)
        var groups: [[String: Any]] = []
        var current: String?
        for item in plan.items {
            let line: [String: Any] = [
                "kind": Self.obligationKind(item.line.obligation.kind), "due": item.line.obligation.due.words,
                "text": item.line.obligation.text, "rulebook": titles[item.line.obligation.rulebook] ?? item.line.obligation.rulebook,
                "state": Self.obligationState(item.line.state),
                "stateClass": item.line.state == .met ? "ok" : item.flagged ? "bad" : "warn", "flagged": item.flagged,
            ]
            if current != item.request.id {
                groups.append(["id": item.request.id, "title": item.request.title, "final": item.finalDeliverable,
                               "state": Wording.state(item.request.state), "lines": [line]])
                current = item.request.id
            } else if var last = groups.popLast() {
                last["lines"] = (last["lines"] as? [[String: Any]] ?? []) + [line]
                groups.append(last)
            }
        }
        let values: [String: Any] = [
            "production": ["id": production.id, "title": production.title], "groups": groups, "hasItems": !plan.items.isEmpty,
            "flaggedCount": plan.flagged.count, "hasFlagged": !plan.flagged.isEmpty,
            "counts": "\(plan.items.count) obligation\(plan.items.count == 1 ? "" : "s"), \(plan.open.count) still to do.",
        ]
        return views.render("disclosure", values, title: "Disclosure plan: \(production.title)", context: context)
    }
}
