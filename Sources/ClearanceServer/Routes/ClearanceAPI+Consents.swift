internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addConsentRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("productions/:production/consents") { _, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            return try Reply.list(try await store.consents(productionID: production.id).map { ConsentResponse(Consents.seen($0, by: caller)) })
        }
        api.post("productions/:production/consents") { request, context in try await recordConsent(request, context) }
        api.get("consents/:id") { _, context in
            let caller = try context.requireCaller()
            return try Reply.json(ConsentResponse(try await consents.view(try parameter(context, "id"), by: caller)))
        }
        api.put("consents/:id") { request, context in
            let caller = try context.requireCaller()
            let consent = try await visibleConsent(try parameter(context, "id"), caller)
            let input = try await consentInput(request, context, id: false)
            return try Reply.json(ConsentResponse(try await consents.correct(consent.id, input, by: caller)))
        }
        api.get("consents/:id/requests") { _, context in
            let named = try await consents.requests(naming: try parameter(context, "id"), by: try context.requireCaller())
            return try Reply.list(named.map(NamingRequestResponse.init))
        }
        api.post("consents/:id/revoke") { request, context in
            let caller = try context.requireCaller()
            let consent = try await visibleConsent(try parameter(context, "id"), caller)
            let reason = try await optionalText(request, context, field: "reason", maxLength: 2000)
            return try Reply.json(ConsentResponse(try await consents.revoke(consent.id, reason: reason, by: caller)))
        }
    }

    func visibleConsent(_ id: String, _ caller: Caller) async throws -> ConsentRecord {
        try await consents.visibleConsent(id, caller)
    }

    func recordConsent(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let production = try await consents.recordingProduction(try parameter(context, "production"), caller)
        let input = try await consentInput(request, context, id: true)
        let consent = try await consents.record(input, in: production.id, by: caller)
        return try Reply.json(ConsentResponse(consent), status: .created, location: "/api/v1/consents/\(consent.id)")
    }

    /// A consent's terms as a body gives them (with its id, when recording).
    func consentInput(_ request: Request, _ context: ClearanceContext, id withID: Bool) async throws -> Consents.Input {
        let form = try form(try await Body.read(request, context: context),
                            allowed: Set(["performer", "kind", "permitted-use", "productions", "signed-on", "notice-on",
                                          "expires-on", "signed-separately", "document-ref", "specific-description", "represented"]
                                         + (withID ? ["id"] : [])),
                            required: ["performer", "kind", "permitted-use", "signed-on"])
        let id = withID ? form.slug("id") : nil
        let performer = form.text("performer", maxLength: 200)
        let kind: ConsentKind? = form.choice("kind")
        let permittedUse = form.text("permitted-use", maxLength: 4000)
        let others = form.slugs("productions") ?? []
        let signedOn = form.date("signed-on")
        let noticeOn = form.date("notice-on")
        let expiresOn = form.date("expires-on")
        let separately = form.bool("signed-separately") ?? false
        let documentRef = form.blankableText("document-ref", maxLength: 2000)
        let specific = form.bool("specific-description")
        let represented: Representation? = form.choice("represented")
        try finish(form)
        guard let performer, let kind, let permittedUse, let signedOn else { throw Problem.badRequest("the body is incomplete") }
        var input = Consents.Input(id: id, performer: performer, kind: kind, permittedUse: permittedUse, productions: others,
                                   signedOn: signedOn, noticeOn: noticeOn, expiresOn: expiresOn, signedSeparately: separately,
                                   documentRef: documentRef)
        input.specificDescription = specific
        input.represented = represented
        return input
    }
}
