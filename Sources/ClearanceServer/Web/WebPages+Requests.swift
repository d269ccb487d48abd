internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

extension WebPages {
    // MARK: A production and its requests

    func productionPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
        let state = request.uri.queryParameters["state"].flatMap { RequestState(rawValue: String($0)) }
        let link = "/productions/\(production.id)" + (state.map { "?state=" + $0.rawValue } ?? "")
        let requests = try await listing(RequestQuery(productionID: production.id, state: state),
                                         after: request.uri.queryParameters["after"].map(String.init), size: Self.pageSize, link: link,
                                         more: { shown, total in "Showing \(shown) of \(total), newest first." })
        return views.render("production", [
            "production": ["id": production.id, "title": production.title, "studio": production.studioID],
            "canFile": caller.canFileRequests(in: production.id),
            "requests": requests as Any,
            "states": RequestState.allCases.map { ["value": $0.rawValue, "label": Wording.state($0), "selected": $0 == state] },
        ], title: production.title, context: context)
    }

    // MARK: Filing a request

    func intakePage(_ context: ClearanceContext, fields: [FormDocument.Field], errors: [String: String],
                    status: HTTPResponse.Status, extraSteps: Int = 0, extraTalent: Int = 0) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
        guard caller.canFileRequests(in: production.id) else {
            throw Problem.forbidden("only the production's requesters and coordinator file requests")
        }
        let (_, engine) = try await api.cache.current(studioID: production.studioID, store: store)
        let form = IntakeForm(fields: fields, errors: errors, tools: RegisteredTool.all(try await store.tools(studioID: production.studioID)),
                              consents: try await store.consents(productionID: production.id), principles: engine.policy.principles,
                              extraSteps: extraSteps, extraTalent: extraTalent)
        var values = form.values
        values["production"] = ["id": production.id, "title": production.title]
        return views.render("intake", values, title: "New use request", context: context, status: status)
    }

    func intakeSubmit(_ submitted: [FormDocument.Field], _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let productionID = try api.parameter(context, "production")
        let form: FormDocument
        do {
            form = try FormDocument(submitted)
        } catch {
            throw Problem.badRequest(error.description)
        }
        switch submitted.value("action") {
        case "add-step":
            return try await intakePage(context, fields: form.fields, errors: [:], status: .ok, extraSteps: 1)
        case "add-performer":
            return try await intakePage(context, fields: form.fields, errors: [:], status: .ok, extraTalent: 1)
        default:
            break
        }
        do {
            let (record, _) = try await api.file(Body(text: form.document.rendered, format: .json), in: productionID, by: caller)
            return redirect("/requests/\(record.id)")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .badRequest {
            var errors: [String: String] = [:]
            for error in problem.errors where errors[error.pointer] == nil { errors[error.pointer] = error.detail }
            if errors.isEmpty { errors[""] = problem.detail ?? problem.title }
            return try await intakePage(context, fields: form.fields, errors: errors, status: .unprocessableContent)
        }
    }

    // MARK: One request

    func requestPage(_ context: ClearanceContext, id: String, verdictErrors: [String: String] = [:],
                     verdictFields: [FormDocument.Field] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let (record, production) = try await api.visibleRequest(id, caller)
        let revisions = try await store.revisions(requestID: record.id)
        let decisions = try await store.decisions(requestID: record.id)
        let verdicts = try await store.verdicts(requestID: record.id)
        let acknowledgements = try await store.acknowledgements(requestID: record.id)
        let current = decisions.last
        let decision = current.flatMap { JSONValue.parse($0.decisionJSON) }
        let counting = verdicts.filter { !$0.isStale(against: current) }
        var names: [String: String] = [:]
        for userID in Set(verdicts.map(\.approverID) + revisions.map(\.authorID) + acknowledgements.map(\.userID) + [record.requesterID]) {
            names[userID] = try await store.user(id: userID)?.name ?? userID
        }

        var values: [String: Any] = [
            "request": Self.row(record).merging([
                "revision": record.revision, "requester": names[record.requesterID] ?? record.requesterID,
                "created": Wording.date(record.createdAt), "productionTitle": production.title,
            ]) { $1 },
            "outcomeText": Wording.outcome(record.outcome),
            "summary": Self.string(decision?["summary"]) ?? "",
            "principles": Self.list(decision?["principles"]).map { principle in
                ["id": Self.string(principle["id"]) ?? "", "answer": Self.string(principle["answer"]) ?? "",
                 "because": Self.list(principle["because"]).compactMap(Self.string)]
            },
            "findings": Self.list(decision?["findings"]).map { finding in
                ["rule": Self.string(finding["rule"]) ?? "", "outcome": Self.string(finding["outcome"]) ?? "",
                 "area": present(Self.string(finding["area"])), "reason": Self.string(finding["reason"]) ?? "",
                 "cite": Self.string(finding["cite"]) ?? "",
                 "step": finding["step"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? 0]
            },
            "actions": Self.list(decision?["actions"]).compactMap(Self.string),
            "policy": ["number": current?.policyNumber ?? 0, "digest": current?.policyDigest ?? "",
                       "requestDigest": current?.requestDigest ?? ""],
            "conditions": counting.flatMap { verdict in
                verdict.conditions.map { ["area": verdict.area.rawValue, "text": $0, "by": names[verdict.approverID] ?? ""] }
            },
            "verdicts": counting.map { verdict in
                ["area": verdict.area.rawValue, "verdict": verdict.verdict.rawValue, "by": names[verdict.approverID] ?? "",
                 "expires": present(verdict.expiresOn), "at": Wording.date(verdict.createdAt),
                 "assets": verdict.assets, "hasAssets": !verdict.assets.isEmpty]
            },
        ]
        values["hasConditions"] = !(values["conditions"] as? [Any] ?? []).isEmpty
        values["hasVerdicts"] = !counting.isEmpty

        // The history, oldest first, with verdicts given for older digests marked stale.
        values["history"] = TimelineEntry.ordered(revisions: revisions, decisions: decisions, verdicts: verdicts,
                                                  acknowledgements: acknowledgements).map { entry -> [String: Any] in
            switch entry {
            case .revision(let revision):
                return ["kind": "revision", "at": Wording.date(revision.createdAt),
                        "text": "Revision \(revision.number) by \(names[revision.authorID] ?? revision.authorID)",
                        "detail": revision.requestDigest]
            case .decision(let stored):
                return ["kind": "decision", "at": Wording.date(stored.createdAt),
                        "text": "Triage of revision \(stored.revision) under policy version \(stored.policyNumber): \(stored.outcome.rawValue)",
                        "detail": stored.policyDigest]
            case .verdict(let verdict, let stale):
                var text = "\(verdict.area.rawValue): \(verdict.verdict.rawValue) by \(names[verdict.approverID] ?? verdict.approverID)"
                if !verdict.conditions.isEmpty { text += ", on conditions: " + verdict.conditions.joined(separator: "; ") }
                if !verdict.assets.isEmpty { text += ", covering assets: " + verdict.assets.joined(separator: "; ") }
                if let note = verdict.note { text += ". Note: \(note)" }
                return ["kind": "verdict", "at": Wording.date(verdict.createdAt), "text": text, "stale": stale,
                        "detail": "for revision \(verdict.revision)"]
            case .acknowledgement(let acknowledgement):
                return ["kind": "acknowledgement", "at": Wording.date(acknowledgement.createdAt),
                        "text": "Acknowledged by \(names[acknowledgement.userID] ?? acknowledgement.userID)"
                            + (acknowledgement.note.map { ". Note: \($0)" } ?? ""),
                        "detail": "revision \(acknowledgement.revision)"]
            }
        }

        // What this caller may do here.
        var shownOnForm = false
        let authored = try await api.authored(record, by: caller)
        if let member = caller.studioRoles[record.studioID], member.role == .approver, !authored, record.state == .escalated {
            let answered = Set(counting.map(\.area))
            let posted = verdictFields.value("area")
            let forms = record.areas.filter { member.areas.contains($0) && !answered.contains($0) }
            values["verdictForms"] = forms.map { area in
                posted == area.rawValue ? verdictForm(area, fields: verdictFields, errors: verdictErrors) : verdictForm(area, fields: [], errors: [:])
            }
            if forms.contains(where: { $0.rawValue == posted }) { shownOnForm = true }
        }
        if let role = caller.studioRole(record.studioID), role == .approver || role == .admin, !authored, record.state == .socialized {
            values["canAcknowledge"] = true
        }
        if !verdictErrors.isEmpty, !shownOnForm {
            values["pageErrors"] = verdictErrors.sorted { $0.key < $1.key }.map { ["message": $0.value] }
        }
        return views.render("request", values, title: record.title, context: context, status: status)
    }

    private func verdictForm(_ area: Area, fields: [FormDocument.Field], errors: [String: String]) -> [String: Any] {
        let chosen = fields.value("verdict") ?? ""
        return [
            "area": area.rawValue,
            "options": VerdictKind.allCases.map { kind in
                ["value": kind.rawValue, "label": IntakeForm.label(kind.rawValue), "checked": kind.rawValue == chosen,
                 "id": "verdict-\(area.rawValue)-\(kind.rawValue)"]
            },
            "conditions": fields.value("conditions") ?? "", "note": fields.value("note") ?? "",
            "expiresOn": fields.value("expires-on") ?? "", "assets": fields.value("assets") ?? "",
            "assetsError": present(Self.firstAssetError(errors)),
            "verdictError": present(errors["/verdict"] ?? errors["/area"] ?? errors[""]),
            "conditionsError": present(errors.filter { $0.key.hasPrefix("/conditions") }.sorted { $0.key < $1.key }.first?.value),
            "noteError": present(errors["/note"]), "expiresError": present(errors["/expires-on"]),
        ]
    }

    /// The first problem with the assets field, naming the reference's place in the list (the
    /// form shows no pointers): the list as a whole, or the lowest-numbered reference.
    static func firstAssetError(_ errors: [String: String]) -> String? {
        errors.compactMap { pointer, detail -> (index: Int, text: String)? in
            guard pointer == "/assets" || pointer.hasPrefix("/assets/") else { return nil }
            guard let index = Int(pointer.dropFirst("/assets/".count)) else { return (-1, detail) }
            return (index, "Reference \(index + 1): \(detail)")
        }.min { $0.index < $1.index }?.text
    }

    func verdictSubmit(_ fields: [FormDocument.Field], _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let (current, _) = try await api.visibleRequest(try api.parameter(context, "id"), caller)
        var members: [JSONValue.Member] = [
            .init("area", .string(fields.value("area") ?? "")), .init("verdict", .string(fields.value("verdict") ?? "")),
        ]
        for field in ["conditions", "assets"] {
            let lines = (fields.value(field) ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !lines.isEmpty { members.append(.init(field, .array(lines.map { .string($0) }))) }
        }
        if let note = fields.value("note"), !note.isEmpty { members.append(.init("note", .string(note))) }
        if let expires = fields.value("expires-on"), !expires.isEmpty { members.append(.init("expires-on", .string(expires))) }
        do {
            _ = try await api.giveVerdict(on: current, Body(text: JSONValue.object(members).rendered, format: .json), by: caller)
            return redirect("/requests/\(current.id)")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .badRequest {
            var errors: [String: String] = [:]
            for error in problem.errors { errors[error.pointer] = error.detail }
            if errors.isEmpty { errors["/verdict"] = problem.detail ?? problem.title }
            return try await requestPage(context, id: current.id, verdictErrors: errors, verdictFields: fields, status: .unprocessableContent)
        }
    }

    func acknowledgeSubmit(_ fields: [FormDocument.Field], _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let (current, _) = try await api.visibleRequest(try api.parameter(context, "id"), caller)
        let note = fields.value("note").flatMap { $0.isEmpty ? nil : String($0.prefix(4000)) }
        _ = try await api.acknowledge(current, note: note, by: caller)
        return redirect("/requests/\(current.id)")
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { text } else { nil }
    }

    static func list(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { items } else { [] }
    }
}
