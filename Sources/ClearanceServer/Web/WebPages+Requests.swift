internal import ClearanceCore
internal import ClearanceService
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
        var facts: [[String: String]] = []
        if let kind = production.kind { facts.append(["label": "Kind", "value": Self.kindName(kind)]) }
        if !production.territories.isEmpty { facts.append(["label": "Made or released in", "value": Self.territoryNames(production.territories)]) }
        if let start = production.photographyStartsOn { facts.append(["label": "Principal photography starts", "value": start]) }
        if let delivery = production.deliveryOn { facts.append(["label": "Delivery", "value": delivery]) }
        if let archived = production.archivedAt { facts.append(["label": "Archived", "value": Wording.date(archived) + "; it takes no new requests"]) }
        return views.render("production", [
            "production": ["id": production.id, "title": production.title, "studio": production.studioID],
            "facts": facts, "canManage": caller.isStudioAdmin(production.studioID),
            "canFile": caller.canFileRequests(in: production.id) && !production.isArchived,
            "requests": requests as Any,
            "states": RequestState.allCases.map { ["value": $0.rawValue, "label": Wording.state($0), "selected": $0 == state] },
        ], title: production.title, context: context)
    }

    // MARK: Filing a request

    func intakePage(_ context: ClearanceContext, fields: [FormDocument.Field], errors: [String: String],
                    status: HTTPResponse.Status, extraSteps: Int = 0, extraTalent: Int = 0,
                    revising view: RequestView? = nil) async throws -> Response {
        let caller = try caller(context)
        let production: ProductionRecord
        if let view {
            production = view.production
        } else {
            production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
            guard caller.canFileRequests(in: production.id) else {
                throw Problem.forbidden("only the production's requesters and coordinator file requests")
            }
            guard !production.isArchived else {
                throw Problem(.conflict, "Production archived",
                              detail: "\(production.title) is archived and takes no new requests. Ask a studio admin to restore it.")
            }
        }
        // A new request on a non-fiction production starts with that answer given.
        var fields = fields
        if view == nil, fields.isEmpty, production.kind == .nonfiction { fields = [.init(name: "/nonfiction:bool", value: "true")] }
        let (_, engine) = try await api.cache.current(studioID: production.studioID, store: store)
        let form = IntakeForm(fields: UnlistedTool.toForm(fields), errors: UnlistedTool.toForm(errors: errors), tools: RegisteredTool.all(try await store.tools(studioID: production.studioID)),
                              consents: try await store.consents(productionID: production.id), principles: engine.policy.principles,
                              extraSteps: extraSteps, extraTalent: extraTalent)
        var values = form.values
        values["production"] = ["id": production.id, "title": production.title, "studio": production.studioID]
        let places = production.territories.compactMap(Territory.init(rawValue:)).map(\.name)
        if !places.isEmpty { values["territories"] = places.joined(separator: ", ") }
        // The live preview names principles by their titles, as the request page does.
        values["principleTitles"] = JSONValue.object(engine.policy.principles.map { .init($0.id, .string($0.title)) }).rendered
        values["rulebookTitles"] = JSONValue.object(try await rulebookTitles(studioID: production.studioID)
            .sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) }).rendered
        if let view {
            values["revising"] = try await revisionNotice(view)
            values["heading"] = "Revise: \(view.record.title)"
            values["submitLabel"] = "File revision \(view.record.revision + 1)"
        } else {
            values["heading"] = "New use request"
            values["submitLabel"] = "File this request"
        }
        return views.render("intake", values, title: values["heading"] as? String ?? "", context: context, status: status)
    }

    /// What the revise form says above the questions: the approvers' notes asking for changes,
    /// and the verdicts a new revision makes stale.
    func revisionNotice(_ view: RequestView) async throws -> [String: Any] {
        var names: [String: String] = [:]
        for id in Set(view.current.map(\.approverID)) { names[id] = try await store.user(id: id)?.name ?? "an approver" }
        let asked = view.current.filter { $0.verdict == .changesRequested }.map { verdict in
            ["area": Wording.area(verdict.area), "by": names[verdict.approverID] ?? "", "note": verdict.note ?? "(no note given)"]
        }
        let stale = view.current.map { verdict in
            "\(Wording.area(verdict.area).capitalizedFirst): \(Wording.verdict(verdict.verdict)) by \(names[verdict.approverID] ?? "") on \(Wording.date(verdict.createdAt))"
        }
        return ["id": view.record.id, "title": view.record.title, "revision": view.record.revision,
                "asked": asked, "hasAsked": !asked.isEmpty, "stale": stale, "hasStale": !stale.isEmpty]
    }

    func intakeSubmit(_ submitted: [FormDocument.Field], _ http: Request, _ context: ClearanceContext, revising id: String? = nil) async throws -> Response {
        let caller = try caller(context)
        var view: RequestView?
        if let id { view = try await revisable(id, caller) }
        let form: FormDocument
        do {
            form = try FormDocument(UnlistedTool.toDocument(submitted))
        } catch {
            throw Problem.badRequest(error.description)
        }
        switch submitted.value("action") {
        case "add-step":
            return try await intakePage(context, fields: form.fields, errors: [:], status: .ok, extraSteps: 1, revising: view)
        case "add-performer":
            return try await intakePage(context, fields: form.fields, errors: [:], status: .ok, extraTalent: 1, revising: view)
        default:
            break
        }
        do {
            if let view {
                _ = try await api.requests.revise(view.record.id, with: .json(form.document), by: caller)
                return finished("revised", request: view.record.id, http)
            }
            let (record, _) = try await api.requests.file(.json(form.document), in: try api.parameter(context, "production"), by: caller)
            return finished("filed", request: record.id, http)
        } catch let error as ServiceError {
            guard let errors = error.fieldMessages else { throw error }
            return try await intakePage(context, fields: form.fields, errors: errors, status: .unprocessableContent, revising: view)
        }
    }

    /// A request the caller may revise now, or the reason they may not.
    func revisable(_ id: String, _ caller: Caller) async throws -> RequestView {
        let view = try await api.requests.view(id, by: caller)
        guard caller.canRevise(view.record) else {
            throw Problem.forbidden("only the requester who filed it and the production's coordinator revise a request")
        }
        guard api.requests.mayRevise(view.record, by: caller) else {
            throw Problem.conflict("this request is \(Wording.state(view.record.state)) and can no longer be revised")
        }
        return view
    }

    /// The revise form, filled from the current revision.
    func revisePage(_ context: ClearanceContext) async throws -> Response {
        let view = try await revisable(try api.parameter(context, "id"), try caller(context))
        let document = view.revision.flatMap { JSONValue.parse($0.document) } ?? .object([])
        return try await intakePage(context, fields: FormDocument.fields(of: document), errors: [:], status: .ok, revising: view)
    }

    func commentSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        do {
            _ = try await api.requests.comment(on: id, body: fields.value("body") ?? "", by: try caller(context))
            return finished("commented", request: id, http)
        } catch let error as ServiceError {
            guard let messages = error.fieldMessages else { throw error }
            return try await requestPage(context, id: id, status: .unprocessableContent, commentError: messages.values.first)
        }
    }

    func withdrawSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        _ = try await api.requests.withdraw(id, note: fields.value("note"), by: try caller(context))
        return finished("withdrawn", request: id, http)
    }

    // MARK: One request

    func requestPage(_ context: ClearanceContext, id: String, verdictErrors: [String: String] = [:],
                     verdictFields: [FormDocument.Field] = [], status: HTTPResponse.Status = .ok,
                     done: String? = nil, commentError: String? = nil,
                     obligationError: (id: String, message: String, fields: [FormDocument.Field])? = nil) async throws -> Response {
        let caller = try caller(context)
        let view = try await api.requests.view(id, by: caller)
        let (record, production, revisions, decisions, verdicts, acknowledgements) = (
            view.record, view.production, view.revisions, view.decisions, view.verdicts, view.acknowledgements)
        let current = view.decision
        let decision = current.flatMap { JSONValue.parse($0.decisionJSON) }
        let counting = view.current
        var names: [String: String] = [:]
        for userID in Set(verdicts.map(\.approverID) + revisions.map(\.authorID) + acknowledgements.map(\.userID)
                          + view.comments.map(\.authorID) + [record.requesterID]) {
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
            "actions": Self.list(decision?["actions"]).compactMap(Self.string),
            "policy": ["number": current?.policyNumber ?? 0, "digest": current?.policyDigest ?? "",
                       "requestDigest": current?.requestDigest ?? ""],
            "conditions": counting.flatMap { verdict in
                verdict.conditions.map { ["area": Wording.area(verdict.area), "text": $0, "by": names[verdict.approverID] ?? ""] }
            },
            "verdicts": counting.map { verdict in
                ["area": Wording.area(verdict.area).capitalizedFirst, "verdict": Wording.verdict(verdict.verdict),
                 "by": names[verdict.approverID] ?? "",
                 "expires": present(verdict.expiresOn), "at": Wording.date(verdict.createdAt),
                 "assets": verdict.assets, "hasAssets": !verdict.assets.isEmpty]
            },
        ]
        // Each finding and obligation with the rulebook it comes from, by title (the studio's own rules name none).
        let titles = try await rulebookTitles(studioID: record.studioID)
        values.merge(try await rulebookValues(view, decision: decision, titles: titles, caller: caller, obligationError: obligationError)) { $1 }
        values["findings"] = Self.list(decision?["findings"]).map { finding -> [String: Any] in
            let outcome = Self.string(finding["outcome"]).flatMap(Outcome.init(rawValue:))
            return ["rule": Self.string(finding["rule"]) ?? "", "outcome": outcome?.rawValue ?? "",
                    "outcomeLabel": outcome.map(Wording.outcomeTag) ?? "",
                    "area": present(Self.string(finding["area"]).flatMap(Area.init(rawValue:)).map(Wording.area)),
                    "reason": Self.string(finding["reason"]) ?? "",
                    "cite": Self.string(finding["cite"]) ?? "",
                    "rulebook": Self.string(finding["rulebook"]).map { titles[$0] ?? $0 } ?? "",
                    "step": finding["step"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? 0]
        }
        let standing = Standing.of(record, current: counting, today: Timestamps.day(now))
        values["standing"] = Self.banner(standing, outcome: record.outcome)
        // The outcome's own steps ("do not start until…") hold only while approval is outstanding.
        let engine = try await api.cache.current(studioID: record.studioID, store: store).policy
        if case .awaitingApproval = standing {} else {
            let waiting = Set(engine.policy.outcomes.values.flatMap(\.actions))
            values["actions"] = Self.list(decision?["actions"]).compactMap(Self.string).filter { !waiting.contains($0) }
        }
        let principleTitles = Dictionary(engine.policy.principles.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        values["principles"] = Self.list(decision?["principles"]).map { principle in
            let id = Self.string(principle["id"]) ?? ""
            return ["id": id, "title": principleTitles[id] ?? id, "answer": Self.string(principle["answer"]) ?? "",
                    "because": Self.list(principle["because"]).compactMap(Self.string)]
        }
        if let done { values["done"] = done }
        values["description"] = try await describe(view.revision, studioID: record.studioID, productionID: record.productionID).values
        values["canCompare"] = revisions.count > 1
        values["comments"] = view.comments.map { comment in
            ["by": names[comment.authorID] ?? "a former member", "at": Wording.date(comment.createdAt), "body": comment.body,
             "revision": comment.revision]
        }
        values["hasComments"] = !view.comments.isEmpty
        values["canComment"] = api.requests.mayComment(view, by: caller)
        let extensions = try await store.coverageExtensions(requestID: record.id).filter { $0.revision == record.revision }
        let isAuthor = try await api.requests.authored(record, by: caller)
        var askerNames: [String: String] = [:]
        for id in Set(extensions.compactMap { [$0.requestedBy, $0.decidedBy].compactMap { $0 } }.flatMap { $0 }) {
            askerNames[id] = try await store.user(id: id)?.name ?? "a former member"
        }
        values["extensions"] = extensions.map { asked -> [String: Any] in
            let state = asked.confirmed == nil ? "waiting for the \(Wording.area(asked.area)) approver"
                : asked.confirmed == true ? "confirmed by \(askerNames[asked.decidedBy ?? ""] ?? "")" : "declined by \(askerNames[asked.decidedBy ?? ""] ?? "")"
            return ["id": asked.id, "reference": asked.reference, "by": askerNames[asked.requestedBy] ?? "", "state": state,
                    "at": Wording.date(asked.requestedAt),
                    "canDecide": api.deliveries.mayDecide(asked, on: record, by: caller, authored: isAuthor)]
        }
        values["hasExtensions"] = !extensions.isEmpty
        if let error = commentError { values["commentError"] = error }
        values["canRevise"] = api.requests.mayRevise(record, by: caller)
        values["canWithdraw"] = api.requests.mayWithdraw(record, by: caller)
        values["hasConditions"] = !(values["conditions"] as? [Any] ?? []).isEmpty
        values["hasVerdicts"] = !counting.isEmpty

        // The history, oldest first, with verdicts given for older digests marked stale.
        values["history"] = TimelineEntry.ordered(revisions: revisions, decisions: decisions, verdicts: verdicts,
                                                  acknowledgements: acknowledgements, comments: view.comments).map { entry -> [String: Any] in
            switch entry {
            case .revision(let revision):
                return ["kind": "revision", "at": Wording.date(revision.createdAt),
                        "text": "Revision \(revision.number) filed by \(names[revision.authorID] ?? "a former member")", "detail": ""]
            case .decision(let stored):
                return ["kind": "decision", "at": Wording.date(stored.createdAt),
                        "text": "Revision \(stored.revision) triaged under policy version \(stored.policyNumber): \(Wording.outcome(stored.outcome).lowercasedFirst)",
                        "detail": ""]
            case .verdict(let verdict, let stale):
                let area = Wording.area(verdict.area)
                let by = names[verdict.approverID] ?? "a former member"
                let version = decisions.first { $0.policyDigest == verdict.policyDigest && $0.revision == verdict.revision }?.policyNumber
                if verdict.carriedFrom != nil {
                    // A verdict a re-triage kept: the new version decides its area as before.
                    return ["kind": "verdict", "at": Wording.date(verdict.createdAt), "stale": stale,
                            "text": "\(area.capitalizedFirst): the verdict by \(by) (\(Wording.verdict(verdict.verdict))) stands under policy version \(version.map(String.init) ?? "?"), which decides the \(area) questions as before",
                            "detail": ""]
                }
                var text = "\(area.capitalizedFirst): \(Wording.verdict(verdict.verdict)) by \(by)"
                if !verdict.conditions.isEmpty { text += ", on conditions: " + verdict.conditions.joined(separator: "; ") }
                if !verdict.assets.isEmpty { text += ", covering assets: " + verdict.assets.joined(separator: "; ") }
                if let note = verdict.note { text += ". Note: \(note)" }
                let kept = verdicts.contains { $0.carriedFrom == verdict.id && !$0.isStale(against: current) }
                let why: String = if kept {
                    "for revision \(verdict.revision); kept under the newer policy version"
                } else if !stale {
                    "for revision \(verdict.revision)"
                } else if verdict.revision < record.revision {
                    "set aside: the request was revised after it"
                } else {
                    "set aside: a newer policy version changed what the \(area) approver decides"
                }
                return ["kind": "verdict", "at": Wording.date(verdict.createdAt), "text": text, "stale": stale && !kept, "detail": why]
            case .comment(let comment):
                return ["kind": "comment", "at": Wording.date(comment.createdAt),
                        "text": "Comment by \(names[comment.authorID] ?? "a former member")", "detail": ""]
            case .acknowledgement(let acknowledgement):
                return ["kind": "acknowledgement", "at": Wording.date(acknowledgement.createdAt),
                        "text": "Acknowledged by \(names[acknowledgement.userID] ?? acknowledgement.userID)"
                            + (acknowledgement.note.map { ". Note: \($0)" } ?? ""),
                        "detail": "revision \(acknowledgement.revision)"]
            }
        }

        // What this caller may do here.
        var shownOnForm = false
        let authored = try await api.requests.authored(record, by: caller)
        let forms = api.requests.openVerdictAreas(view, by: caller, authored: authored)
        let posted = verdictFields.value("area")
        values["verdictForms"] = forms.map { area in
            posted == area.rawValue ? verdictForm(area, fields: verdictFields, errors: verdictErrors) : verdictForm(area, fields: [], errors: [:])
        }
        if forms.contains(where: { $0.rawValue == posted }) { shownOnForm = true }
        if record.state == .socialized, api.requests.mayAcknowledge(record, by: caller, authored: authored) {
            values["canAcknowledge"] = true
        }
        if !verdictErrors.isEmpty, !shownOnForm {
            values["pageErrors"] = verdictErrors.sorted { $0.key < $1.key }.map { ["message": $0.value] }
        }
        return views.render("request", values, title: record.title, context: context, status: status)
    }

    /// The answer to a form that changed a request: back to its page, which says what was done.
    func finished(_ what: String, request id: String, _ http: Request) -> Response {
        finished(what, at: "/requests/\(id)", http)
    }

    /// The request page, saying once what the form that led here did.
    func requestPage(_ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        let (done, cleared) = takeDone(http, at: "/requests/\(id)")
        var response = try await requestPage(context, id: id, done: done)
        for field in cleared { response.headers.append(field) }
        return response
    }

    /// A revision's document in plain words, with the registry's facts for its tools and the
    /// consent records its talent entries name.
    func describe(_ revision: RevisionRecord?, studioID: String, productionID: String) async throws -> RequestDescription {
        let document = revision.flatMap { JSONValue.parse($0.document) }
        let tools = Dictionary(RegisteredTool.all(try await store.tools(studioID: studioID)).map { ($0.entry.id, $0) },
                               uniquingKeysWith: { first, _ in first })
        var consents: [String: ConsentRecord] = [:]
        for entry in RequestDescription.list(document?["talent"]) {
            // Only a record of this production: another production's consent is not this request's to show.
            if let id = RequestDescription.text(entry["consent"]), id != "none", let consent = try await store.consent(id: id),
               consent.studioID == studioID, consent.productions.contains(productionID) {
                consents[id] = consent
            }
        }
        return RequestDescription(document, tools: tools, consents: consents, today: Timestamps.day(now))
    }

    /// What changed between two revisions of a request, answer by answer.
    func comparePage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let view = try await api.requests.view(try api.parameter(context, "id"), by: try caller(context))
        let numbers = view.revisions.map(\.number)
        let query = request.uri.queryParameters
        let to = query["to"].flatMap { Int(String($0)) } ?? numbers.last ?? 1
        let from = query["from"].flatMap { Int(String($0)) } ?? (numbers.count > 1 ? numbers[numbers.count - 2] : to)
        var values: [String: Any] = [
            "request": ["id": view.record.id, "title": view.record.title, "production": view.production.id,
                        "productionTitle": view.production.title],
            "fromOptions": numbers.map { ["number": $0, "selected": $0 == from] },
            "toOptions": numbers.map { ["number": $0, "selected": $0 == to] },
        ]
        if let old = view.revisions.first(where: { $0.number == from }), let new = view.revisions.first(where: { $0.number == to }) {
            let lines = LineDiff.compare(try await describe(old, studioID: view.record.studioID, productionID: view.record.productionID).lines,
                                         try await describe(new, studioID: view.record.studioID, productionID: view.record.productionID).lines)
            let changed = lines.filter { $0.change != .same }
            values["diff"] = [
                "from": from, "to": to, "identical": changed.isEmpty,
                "removed": changed.filter { $0.change == .removed }.map(\.text),
                "added": changed.filter { $0.change == .added }.map(\.text),
                "hasRemoved": changed.contains { $0.change == .removed }, "hasAdded": changed.contains { $0.change == .added },
            ]
        } else {
            values["diffError"] = "Choose two revisions of this request to compare."
        }
        return views.render("compare", values, title: "Compare revisions: \(view.record.title)", context: context)
    }

    /// The banner: where the request stands for the crew, in their words.
    static func banner(_ standing: Standing, outcome: Outcome) -> [String: Any] {
        switch standing {
        case .toldContact:
            return ["tone": "socialize", "heading": "Go ahead, and tell your studio contact",
                    "lines": ["Every answer was a clear yes. Your studio contact acknowledges the use here once they have seen it."]]
        case .acknowledged:
            return ["tone": "socialize", "heading": "Go ahead: your studio contact has acknowledged this use", "lines": [String]()]
        case .awaitingApproval(let areas):
            let names = areas.map(Wording.area).joined(separator: ", ")
            return ["tone": outcome.rawValue, "heading": "Do not start yet: approval is outstanding",
                    "lines": [areas.isEmpty ? "The approvers are deciding." : "Waiting on the \(names) approver\(areas.count == 1 ? "" : "s")."]]
        case .goAhead(let conditions):
            return ["tone": "socialize",
                    "heading": conditions.isEmpty ? "Approved: you may go ahead" : "Approved: you may go ahead, with these conditions",
                    "lines": [String](), "terms": conditions, "hasTerms": !conditions.isEmpty]
        case .expired:
            return ["tone": "approval-required", "heading": "The approval has ended",
                    "lines": ["An approval's end date has passed. Revise the request to ask again before using it further."]]
        case .changesRequested(let notes):
            return ["tone": "escalate", "heading": "Changes asked for: revise the request",
                    "lines": notes.isEmpty ? ["An approver asked for changes."] : notes]
        case .rejected(let notes):
            return ["tone": "approval-required", "heading": "Rejected: do not go ahead with this use",
                    "lines": notes.isEmpty ? ["An approver rejected it."] : notes]
        case .withdrawn:
            return ["tone": "withdrawn", "heading": "Withdrawn", "lines": ["Nothing more happens to it. It stays on record in the register and the history."]]
        case .submitted:
            return ["tone": outcome.rawValue, "heading": "Filed", "lines": ["The triage is being recorded."]]
        }
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

    func verdictSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let id = try api.parameter(context, "id")
        _ = try await api.requests.visibleRequest(id, caller)
        do {
            let input = try VerdictInput.read(area: fields.value("area"), verdict: fields.value("verdict"),
                                              conditions: Self.lines(fields.value("conditions")), note: fields.value("note"),
                                              expiresOn: fields.value("expires-on"), assets: Self.lines(fields.value("assets")))
            _ = try await api.requests.giveVerdict(on: id, input, by: caller)
            return finished("verdict", request: id, http)
        } catch let error as ServiceError {
            guard var errors = error.fieldMessages else { throw error }
            if errors.isEmpty { errors["/verdict"] = "the verdict could not be recorded" }
            return try await requestPage(context, id: id, verdictErrors: errors, verdictFields: fields, status: .unprocessableContent)
        }
    }

    /// A text area's non-blank lines, trimmed: one condition or asset reference per line.
    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func acknowledgeSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        _ = try await api.requests.acknowledge(id, note: fields.value("note"), by: try caller(context))
        return finished("acknowledged", request: id, http)
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { text } else { nil }
    }

    static func list(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { items } else { [] }
    }
}
