internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Registering a tool from the browser: a studio admin's form, prefilled from the record a
/// request described when the tool was not listed ("tools to register" on the registry page).
extension WebPages {
    func registerToolPages(on router: Router<ClearanceContext>) {
        router.get("studios/:studio/tools/new") { request, context in
            try await page(request, context) { _ in try await toolForm(request, context) }
        }
        router.post("studios/:studio/tools/new") { request, context in
            try await page(request, context) { try await toolSubmit($0, request, context) }
        }
        router.get("studios/:studio/tools/:tool/edit") { request, context in
            try await page(request, context) { _ in try await toolForm(request, context) }
        }
        router.post("studios/:studio/tools/:tool/edit") { request, context in
            try await page(request, context) { try await toolSubmit($0, request, context) }
        }
        router.post("studios/:studio/tools/:tool/retire") { request, context in
            try await page(request, context) { _ in
                let studio = try api.parameter(context, "studio")
                let tool = try api.parameter(context, "tool")
                try await api.studios.deleteTool(tool, in: studio, by: try caller(context))
                return finished("tool-retired", at: "/studios/\(studio)/tools", request)
            }
        }
    }

    /// The fields of the registration form for a described record (the prefill).
    static func toolFields(_ record: ToolRecord) -> [FormDocument.Field] {
        var fields: [FormDocument.Field] = [.init(name: "/id", value: record.id), .init(name: "/name", value: record.name ?? ""),
                                            .init(name: "/vendor", value: record.vendor ?? ""),
                                            .init(name: "/trains-on-inputs", value: record.trainsOnInputs.rawValue),
                                            .init(name: "/retains-inputs", value: record.retainsInputs.rawValue)]
        if record.enterprise { fields.append(.init(name: "/enterprise:bool", value: "true")) }
        if record.onPremises { fields.append(.init(name: "/on-premises:bool", value: "true")) }
        if let terms = record.termsChecked { fields.append(.init(name: "/terms-checked", value: terms)) }
        return fields
    }

    func toolForm(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field]? = nil, errors: [String: String] = [:],
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
        var prefill = fields ?? []
        var source: [String: Any]?
        var editing: [String: Any]?
        if let toolID = context.parameters.get("tool") {
            guard let entry = try await store.tool(studioID: studio.id, id: toolID),
                  let record = ToolRecord.stored(entry.record) else { throw Problem.notFound("tool '\(toolID)'") }
            let using = try await api.studios.requests(usingTool: toolID, in: studio.id, by: caller)
            editing = ["id": toolID, "name": record.name ?? toolID, "using": using.map { ["id": $0.id, "title": $0.title] }]
            if fields == nil {
                prefill = Self.toolFields(record) + entry.approvedFor.map { .init(name: "/approved-for[]", value: $0) }
                    + [.init(name: "/approved-until", value: entry.approvedUntil ?? ""), .init(name: "/evidence", value: entry.evidence ?? "")]
            }
        }
        if fields == nil, let from = request.uri.queryParameters["from"].map(String.init) {
            // Prefilled from what a request described; only a request of this studio counts.
            let wanted = request.uri.queryParameters["tool"].map(String.init)
            for tool in try await api.studios.toolsToRegister(in: studio.id, by: caller) where tool.record.id == wanted {
                if let use = tool.requests.first(where: { $0.id == from }) {
                    prefill = Self.toolFields(tool.record)
                    source = ["id": use.id, "title": use.title, "step": use.step]
                }
            }
        }
        let controls = FormControls(fields: prefill, errors: errors)
        let answers: [(String, String)] = [("unknown", "Not known"), ("no", "No"), ("yes", "Yes")]
        return views.render("tool-form", [
            "studio": ["id": studio.id, "name": studio.name], "source": source as Any, "editing": editing as Any,
            "action": request.uri.path,
            "id": (editing == nil ? controls.text("/id", "Registry id", hint: "Lower-case letters, digits and dashes; requests name the tool by it.") : nil) as Any,
            "onPremises": controls.checkbox("/on-premises:bool", "Runs on machines the production or studio controls, sending nothing out"),
            "name": controls.text("/name", "Name", hint: "As its maker calls it."),
            "vendor": controls.text("/vendor", "Maker", hint: "The company behind it."),
            "enterprise": controls.checkbox("/enterprise:bool", "The studio's enterprise agreement covers it"),
            "trains": controls.select("/trains-on-inputs", "Does it train on what is put in?", answers, blank: nil),
            "retains": controls.select("/retains-inputs", "Does it keep what is put in?", answers, blank: nil),
            "terms": controls.date("/terms-checked", "Terms last checked", hint: "When someone last read its terms of service."),
            "purposes": controls.checks("/approved-for[]", "Approved for", Purpose.allCases.map { ($0.rawValue, RequestDescription.purpose($0.rawValue)) }),
            "until": controls.date("/approved-until", "Approved until (optional)", hint: "Leave blank for no end date."),
            "evidence": controls.text("/evidence", "Evidence (optional)", hint: "The terms read and where: a link to them or to the signed agreement."),
            "hasErrors": !errors.isEmpty,
            "errorSummary": errors.sorted { $0.key < $1.key }.map { ["id": IntakeForm.id($0.key), "message": $0.value] },
        ], title: editing == nil ? "Register a tool" : "Change a registered tool", context: context, status: status)
    }

    func toolSubmit(_ submitted: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let studioID = try api.parameter(context, "studio")
        let editing = context.parameters.get("tool")
        if let editing {
            // Changing is for a registered tool; registering a new one is the other form.
            _ = try await api.studios.administeredStudio(studioID, caller)
            guard try await store.tool(studioID: studioID, id: editing) != nil else { throw Problem.notFound("tool '\(editing)'") }
        }
        var submitted = submitted
        // The id of a registered tool is the address's, never the form's.
        if let editing { submitted = submitted.filter { $0.name != "/id" } + [.init(name: "/id", value: editing)] }
        let form: FormDocument
        do {
            form = try FormDocument(submitted)
        } catch {
            throw Problem.badRequest(error.description)
        }
        var errors: [String: String] = [:]
        let document = form.document
        // The record's own rules read it; the registry entry's fields are checked here.
        var recordMembers: [JSONValue.Member] = []
        if case .object(let members) = document {
            recordMembers = members.filter {
                ["id", "name", "vendor", "enterprise", "trains-on-inputs", "retains-inputs", "terms-checked", "on-premises"].contains($0.key)
            }
        }
        if !recordMembers.contains(where: { $0.key == "enterprise" }) { recordMembers.append(.init("enterprise", .bool(false))) }
        var record: ToolRecord?
        do {
            record = try ToolRecord.parseList("[" + JSONValue.object(recordMembers).rendered + "]", file: "<form>").first
        } catch {
            for diagnostic in error.diagnostics where diagnostic.severity == .error {
                let pointer = diagnostic.path?.jsonPointer ?? ""
                let field = pointer.hasPrefix("/0") ? String(pointer.dropFirst(2)) : pointer
                if errors[field] == nil { errors[field.isEmpty ? "/id" : field] = diagnostic.message }
            }
        }
        let purposes = submitted.values("/approved-for[]").compactMap(Purpose.init(rawValue:))
        let until = submitted.value("/approved-until").flatMap { $0.isEmpty ? nil : $0 }
        if let until, !ToolRecord.isISODate(until) { errors["/approved-until"] = "'\(until)' is not a date in the form YYYY-MM-DD" }
        let evidence = submitted.value("/evidence").flatMap { $0.isEmpty ? nil : String($0.prefix(2000)) }
        guard errors.isEmpty, let record else {
            return try await toolForm(request, context, fields: form.fields, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await api.studios.saveTool(.init(record: record, approvedFor: purposes, approvedUntil: until, evidence: evidence),
                                               in: studioID, replacing: editing != nil, by: caller)
        } catch let error as ServiceError {
            if case .conflict = error {
                return try await toolForm(request, context, fields: form.fields,
                                          errors: ["/id": "a tool with the id '\(record.id)' is already registered"], status: .conflict)
            }
            throw error
        }
        if editing != nil { return finished("tool-saved", at: "/studios/\(studioID)/tools", request) }
        return redirect("/studios/\(studioID)/tools?registered=" + Self.percentEncode(record.id))
    }
}
