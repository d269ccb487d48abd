internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addConsentRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("productions/:production/consents") { _, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            return Reply.list(try await store.consents(productionID: production.id).map(\.json))
        }
        api.post("productions/:production/consents") { request, context in try await recordConsent(request, context) }
        api.get("consents/:id") { _, context in
            let caller = try context.requireCaller()
            return Reply.json(try await visibleConsent(try parameter(context, "id"), caller).json)
        }
        api.post("consents/:id/revoke") { request, context in
            let caller = try context.requireCaller()
            let consent = try await visibleConsent(try parameter(context, "id"), caller)
            guard consent.productions.contains(where: caller.canManageConsents(in:)) else {
                throw Problem.forbidden("only a coordinator of the consent's productions revokes it")
            }
            let reason = try await optionalText(request, context, field: "reason", maxLength: 2000)
            let time = now
            guard try await store.revokeConsent(id: consent.id, at: time, reason: reason,
                                                audit: audit(caller, "consent.revoked", studio: consent.studioID,
                                                             production: consent.productions.first, subject: consent.id,
                                                             details: .object([.init("reason", .text(reason))]))) else {
                throw Problem.conflict("consent '\(consent.id)' is already revoked")
            }
            var revoked = consent
            revoked.revokedAt = time
            revoked.revokedReason = reason
            return Reply.json(revoked.json)
        }
    }

    /// A consent is visible to whoever can see one of its productions. One lookup decides, so an
    /// id of another studio's consent answers exactly as an unknown id does.
    func visibleConsent(_ id: String, _ caller: Caller) async throws -> ConsentRecord {
        guard let consent = try await store.consent(id: id),
              consent.productions.contains(where: { caller.canSeeProduction(studioID: consent.studioID, productionID: $0) }) else {
            throw Problem.notFound("consent '\(id)'")
        }
        return consent
    }

    func recordConsent(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let production = try await visibleProduction(try parameter(context, "production"), caller)
        guard caller.canManageConsents(in: production.id) else {
            throw Problem.forbidden("only the production's coordinator records consents")
        }
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["id", "performer", "kind", "permitted-use", "productions", "signed-on", "notice-on",
                                      "expires-on", "signed-separately", "document-ref"],
                            required: ["performer", "kind", "permitted-use", "signed-on"])
        let id = form.slug("id") ?? Self.newID("consent-")
        let performer = form.text("performer", maxLength: 200)
        let kind: ConsentKind? = form.choice("kind")
        let permittedUse = form.text("permitted-use", maxLength: 4000)
        let others = form.slugs("productions") ?? []
        let signedOn = form.date("signed-on")
        let noticeOn = form.date("notice-on")
        let expiresOn = form.date("expires-on")
        let separately = form.bool("signed-separately") ?? false
        let documentRef = form.blankableText("document-ref", maxLength: 2000)
        if let permittedUse, permittedUse.split(separator: " ").count < 4 {
            form.reject("permitted-use", "describe the permitted use in a reasonably specific sentence")
        }
        if let signedOn, let expiresOn, expiresOn < signedOn {
            form.reject("expires-on", "expires before it was signed (\(signedOn))")
        }
        // Other productions must be ones this coordinator also coordinates, in the same studio.
        for other in others where other != production.id {
            if caller.productionRole(other) != .coordinator || caller.productionStudios[other] != production.studioID {
                form.reject("productions", "'\(other)' is not a production of this studio that you coordinate")
            }
        }
        try finish(form)
        guard let performer, let kind, let permittedUse, let signedOn else { throw Problem.badRequest("the body is incomplete") }
        var productions = [production.id]
        for other in others where !productions.contains(other) { productions.append(other) }
        let consent = ConsentRecord(id: id, studioID: production.studioID, productions: productions, performer: performer,
                                    kind: kind, permittedUse: permittedUse, signedOn: signedOn, noticeOn: noticeOn,
                                    expiresOn: expiresOn, signedSeparately: separately, documentRef: documentRef,
                                    createdBy: caller.user.id, createdAt: now)
        try await store.createConsent(consent, audit: audit(caller, "consent.recorded", studio: production.studioID,
                                                            production: production.id, subject: id, details: .object([
                                                                .init("performer", .string(performer)),
                                                                .init("kind", .string(kind.rawValue)),
                                                                .init("productions", .array(productions.map { .string($0) })),
                                                                .init("expires-on", .text(expiresOn)),
                                                            ])))
        return Reply.json(consent.json, status: .created, location: "/api/v1/consents/\(id)")
    }
}
