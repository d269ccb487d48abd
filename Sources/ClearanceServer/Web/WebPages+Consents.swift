internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Performers' consent records in the browser: a coordinator records one, corrects it, and
/// revokes it after seeing which requests the revocation would leave without consent.
extension WebPages {
    func registerConsentPages(on router: Router<ClearanceContext>) {
        router.get("productions/:production/consents/new") { request, context in
            try await page(request, context) { _ in try await consentForm(request, context) }
        }
        router.post("productions/:production/consents/new") { request, context in
            try await page(request, context) { try await consentSubmit($0, request, context) }
        }
        router.get("consents/:id") { request, context in try await page(request, context) { _ in try await consentPage(request, context) } }
        router.get("consents/:id/edit") { request, context in try await page(request, context) { _ in try await consentForm(request, context) } }
        router.post("consents/:id/edit") { request, context in
            try await page(request, context) { try await consentSubmit($0, request, context) }
        }
        router.post("consents/:id/revoke") { request, context in
            try await page(request, context) { fields in
                let reason = (fields.value("/reason") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !reason.isEmpty else {
                    return try await consentPage(request, context, revokeError: "Say why the consent is revoked; the reason is kept on record.",
                                                 status: .unprocessableContent)
                }
                let consent = try await api.consents.revoke(try api.parameter(context, "id"), reason: String(reason.prefix(2000)),
                                                           by: try caller(context))
                return finished("consent-revoked", at: "/consents/\(consent.id)", request)
            }
        }
    }

    static let representations: [(String, String)] = [
        ("counsel", "Their lawyer"), ("union", "Their union"), ("none", "No one: they signed it on their own"),
    ]

    static func consentKind(_ kind: ConsentKind) -> String {
        switch kind {
        case .employmentReplica: "Digital replica made while employed on the production"
        case .independentReplica: "Digital replica made independently of the production"
        case .voice: "Voice replica"
        case .alteration: "Digital alteration (re-ageing, visual dialogue replacement)"
        }
    }

    /// A consent's standing today, in words, with its tag's class.
    func consentStatus(_ consent: ConsentRecord) -> (String, String) {
        let today = Timestamps.day(now)
        if let revoked = consent.revokedAt { return ("Revoked \(Timestamps.day(revoked))", "bad") }
        if let expires = consent.expiresOn, expires < today { return ("Expired \(expires)", "bad") }
        if let expires = consent.expiresOn { return ("In force until \(expires)", "ok") }
        return ("In force, no end date", "ok")
    }

    func consentPage(_ request: Request, _ context: ClearanceContext, revokeError: String? = nil,
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let stored = try await api.consents.visibleConsent(try api.parameter(context, "id"), caller)
        let consent = try await api.consents.view(stored.id, by: caller)
        let named = try await api.consents.requests(naming: consent.id, by: caller)
        var titles: [String: String] = [:]
        for id in consent.productions { titles[id] = try await store.production(id: id)?.title ?? "another production" }
        let (label, tag) = consentStatus(consent)
        let path = "/consents/\(consent.id)"
        var values: [String: Any] = [
            "id": consent.id, "performer": consent.performer, "kind": Self.consentKind(consent.kind), "use": consent.permittedUse,
            "productions": consent.productions.map { ["id": $0, "title": titles[$0] ?? $0] },
            "production": ["id": consent.productions.first ?? "", "title": titles[consent.productions.first ?? ""] ?? ""],
            "signed": consent.signedOn, "notice": present(consent.noticeOn), "expires": consent.expiresOn ?? "No end date",
            "separately": consent.signedSeparately ? "Yes, apart from other terms" : "No", "document": present(consent.documentRef),
            "specific": consent.specificDescription.map { $0 ? "Yes" : "No, it is general" } ?? "Not recorded",
            "represented": consent.represented.map { value in Self.representations.first { $0.0 == value.rawValue }?.1 ?? value.rawValue }
                ?? "Not recorded",
            "status": label, "statusClass": tag, "revoked": consent.revokedAt != nil, "reason": present(consent.revokedReason),
            "canManage": stored.productions.contains(where: caller.canManageConsents(in:)),
            "canCorrect": stored.revokedAt == nil && stored.productions.first.map(caller.canManageConsents(in:)) == true,
            "named": named.map { item in
                ["id": item.request.id, "title": item.request.title, "state": Wording.state(item.request.state),
                 "performers": item.performers.joined(separator: ", "),
                 "covered": item.coveredNow ? "Covers it today" : "Does not cover it today",
                 "uncovers": item.uncoveredByRevocation] as [String: Any]
            },
            "uncovered": named.filter(\.uncoveredByRevocation).map { ["id": $0.request.id, "title": $0.request.title,
                                                                       "state": Wording.state($0.request.state)] },
            "revokeError": revokeError as Any,
        ]
        let (done, cleared) = takeDone(request, at: path)
        if let done {
            values["done"] = done
            values["justRevoked"] = consent.revokedAt != nil
        }
        return views.render("consent", values, title: "Consent of \(consent.performer)", context: context, status: status, headers: cleared)
    }

    /// The form that records a consent (`productions/:production/consents/new`) or corrects one (`consents/:id/edit`).
    func consentForm(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field]? = nil, errors: [String: String] = [:],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        var values: [String: Any] = [:]
        var prefill: [FormDocument.Field] = [.init(name: "/kind", value: ConsentKind.employmentReplica.rawValue)]
        let production: ProductionRecord
        if let id = context.parameters.get("id") {
            let consent: ConsentRecord
            (consent, production) = try await api.consents.correctable(id, caller)
            values["editing"] = ["id": consent.id, "performer": consent.performer]
            prefill = [.init(name: "/performer", value: consent.performer), .init(name: "/kind", value: consent.kind.rawValue),
                       .init(name: "/permitted-use", value: consent.permittedUse), .init(name: "/signed-on", value: consent.signedOn),
                       .init(name: "/notice-on", value: consent.noticeOn ?? ""), .init(name: "/expires-on", value: consent.expiresOn ?? ""),
                       .init(name: "/document-ref", value: consent.documentRef ?? "")]
                + consent.productions.dropFirst().map { .init(name: "/productions[]", value: $0) }
            if consent.signedSeparately { prefill.append(.init(name: "/signed-separately", value: "true")) }
            if let specific = consent.specificDescription { prefill.append(.init(name: "/specific-description", value: specific ? "yes" : "no")) }
            if let represented = consent.represented { prefill.append(.init(name: "/represented", value: represented.rawValue)) }
        } else {
            production = try await api.consents.recordingProduction(try api.parameter(context, "production"), caller)
        }
        // Other productions of the studio the coordinator also coordinates, which the consent may cover too.
        var others: [(String, String)] = []
        for (id, role) in caller.productionRoles.sorted(by: { $0.key < $1.key })
        where role.role == .coordinator && id != production.id && caller.productionStudios[id] == production.studioID {
            others.append((id, try await store.production(id: id)?.title ?? id))
        }
        let controls = FormControls(fields: fields ?? prefill, errors: errors)
        values["production"] = ["id": production.id, "title": production.title]
        if values["editing"] == nil {
            values["id"] = controls.text("/id", "Record id (optional)", hint: "Requests name the consent by it; one is made up if left blank. Lower-case letters, digits and dashes.")
        }
        values["performer"] = controls.text("/performer", "Performer", hint: "As named in the signed consent.")
        values["kind"] = controls.select("/kind", "What the consent is for", ConsentKind.allCases.map { ($0.rawValue, Self.consentKind($0)) }, blank: nil)
        values["use"] = controls.textarea("/permitted-use", "Permitted use", hint: "A reasonably specific description, as the consent words it: which scenes, what is done.")
        if !others.isEmpty { values["others"] = controls.checks("/productions[]", "Also covers these productions you coordinate", others) }
        values["signed"] = controls.date("/signed-on", "Signed on", hint: "The day the performer signed.")
        values["notice"] = controls.date("/notice-on", "Notice given on (optional)", hint: "When the performer was told how the replica or alteration will be used.")
        values["expires"] = controls.date("/expires-on", "Expires on (optional)", hint: "Leave blank if it has no end date.")
        values["separately"] = controls.checkbox("/signed-separately", "Signed separately from the rest of the contract")
        values["specific"] = controls.select("/specific-description", "Does it describe the intended uses reasonably specifically?",
                                             [("yes", "Yes: it says which scenes and what is done"), ("no", "No: it is general")],
                                             blank: "Not recorded")
        values["represented"] = controls.select("/represented", "Who negotiated it for the performer?", Self.representations,
                                                blank: "Not recorded")
        values["document"] = controls.text("/document-ref", "Document reference (optional)", hint: "Where the signed consent is kept, such as a document system's number.")
        values["hasErrors"] = !errors.isEmpty
        values["errorSummary"] = Self.summary(errors)
        values["action"] = request.uri.path
        let editing = values["editing"] != nil
        return views.render("consent-form", values, title: editing ? "Correct a consent" : "Record a consent", context: context, status: status)
    }

    func consentSubmit(_ fields: [FormDocument.Field], _ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        func optional(_ name: String) -> String? {
            fields.value(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var errors: [String: String] = [:]
        let kind = fields.value("/kind").flatMap(ConsentKind.init(rawValue:))
        if kind == nil { errors["/kind"] = "Choose what the consent is for." }
        if optional("/signed-on") == nil { errors["/signed-on"] = "Give the day the performer signed." }
        var input = Consents.Input(id: optional("/id"), performer: fields.value("/performer") ?? "", kind: kind ?? .employmentReplica,
                                   permittedUse: (fields.value("/permitted-use") ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                   productions: fields.values("/productions[]"), signedOn: optional("/signed-on") ?? "",
                                   noticeOn: optional("/notice-on"), expiresOn: optional("/expires-on"),
                                   signedSeparately: fields.value("/signed-separately") == "true",
                                   documentRef: optional("/document-ref").map { String($0.prefix(2000)) })
        input.specificDescription = optional("/specific-description").map { $0 == "yes" }
        input.represented = optional("/represented").flatMap(Representation.init(rawValue:))
        guard errors.isEmpty else { return try await consentForm(request, context, fields: fields, errors: errors, status: .unprocessableContent) }
        do {
            if let id = context.parameters.get("id") {
                let consent = try await api.consents.correct(id, input, by: caller)
                return finished("consent-corrected", at: "/consents/\(consent.id)", request)
            }
            let consent = try await api.consents.record(input, in: try api.parameter(context, "production"), by: caller)
            return finished("consent-recorded", at: "/consents/\(consent.id)", request)
        } catch let error as ServiceError {
            guard case .invalid = error else { throw error }
            return try await consentForm(request, context, fields: fields, errors: Self.fieldErrors(error), status: .unprocessableContent)
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
            return try await consentForm(request, context, fields: fields, errors: ["/id": "A consent already has this id; choose another."],
                                         status: .conflict)
        }
    }
}

extension FormControls {
    func textarea(_ name: String, _ label: String, hint: String) -> [String: Any] {
        var control = text(name, label, hint: hint)
        control["rows"] = 4
        return control
    }
}
