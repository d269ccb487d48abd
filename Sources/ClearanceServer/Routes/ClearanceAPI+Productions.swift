internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addProductionRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios/:studio/productions") { _, context in
            let caller = try context.requireCaller()
            let studio = try await visibleStudio(try parameter(context, "studio"), caller)
            let productions = try await store.productions(studioID: studio.id).filter { caller.canSeeProduction($0) }
            return try Reply.list(productions.map(ProductionResponse.init))
        }
        api.post("studios/:studio/productions") { request, context in
            let caller = try context.requireCaller()
            let studio = try await administeredStudio(try parameter(context, "studio"), caller)
            let form = try form(try await Body.read(request, context: context), allowed: Self.productionFields.union(["id"]),
                                required: ["id", "title"])
            let id = form.slug("id")
            let details = productionDetails(form)
            try finish(form)
            guard let id, let details else { throw Problem.badRequest("the body is incomplete") }
            let production = try await studios.createProduction(id: id, details, in: studio.id, by: caller)
            return try Reply.json(ProductionResponse(production), status: .created, location: "/api/v1/productions/\(id)")
        }
        api.get("productions/:production") { _, context in
            let caller = try context.requireCaller()
            return try Reply.json(ProductionResponse(try await visibleProduction(try parameter(context, "production"), caller)))
        }
        api.patch("productions/:production") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let form = try form(try await Body.read(request, context: context), allowed: Self.productionFields.union(["archived"]))
            // Fields left out keep their values.
            var details = StudioAdministration.ProductionDetails(
                title: production.title, kind: production.kind, territories: production.territories,
                photographyStartsOn: production.photographyStartsOn, deliveryOn: production.deliveryOn)
            if form.has("title") { details.title = form.text("title", maxLength: 200) ?? details.title }
            if form.has("kind") { details.kind = form.choice("kind") }
            if form.has("territories") { details.territories = form.texts("territories", maxLength: 10) ?? details.territories }
            if form.has("photography-starts-on") { details.photographyStartsOn = form.date("photography-starts-on") }
            if form.has("delivery-on") { details.deliveryOn = form.date("delivery-on") }
            let archived = form.bool("archived")
            try finish(form)
            var updated = try await studios.updateProduction(production.id, details, by: caller)
            if let archived { updated = try await studios.setArchived(archived, productionID: production.id, by: caller) }
            return try Reply.json(ProductionResponse(updated))
        }
        api.delete("productions/:production/members/:user") { _, context in
            try await people.removeProductionMember(try parameter(context, "production"), userID: try parameter(context, "user"),
                                                    by: try context.requireCaller())
            return Response(status: .noContent)
        }
        api.get("productions/:production/members") { _, context in
            let members = try await people.productionMembers(try parameter(context, "production"), by: try context.requireCaller())
            return try Reply.list(members.map { ProductionMemberResponse($0.0, user: $0.1) })
        }
        api.post("productions/:production/members") { request, context in
            let caller = try context.requireCaller()
            let production = try await people.managedProduction(try parameter(context, "production"), caller)
            let form = try form(try await Body.read(request, context: context), allowed: ["email", "role"], required: ["email", "role"])
            let email = form.text("email", maxLength: 254)
            let role: ProductionRole? = form.choice("role")
            try finish(form)
            guard let email, let role else { throw Problem.badRequest("the body is incomplete") }
            return try reply(try await people.addProductionMember(production.id, email: email, role: role, by: caller))
        }
    }

    static let productionFields: Set<String> = ["title", "kind", "territories", "photography-starts-on", "delivery-on"]

    /// A production's details as a body gives them; nil (with the form's errors) when the title is missing.
    func productionDetails(_ form: Form) -> StudioAdministration.ProductionDetails? {
        let title = form.text("title", maxLength: 200)
        let kind: ProductionKind? = form.has("kind") ? form.choice("kind") : nil
        let territories = form.has("territories") ? form.texts("territories", maxLength: 10) ?? [] : []
        let start = form.has("photography-starts-on") ? form.date("photography-starts-on") : nil
        let delivery = form.has("delivery-on") ? form.date("delivery-on") : nil
        guard let title else { return nil }
        return StudioAdministration.ProductionDetails(title: title, kind: kind, territories: territories,
                                                      photographyStartsOn: start, deliveryOn: delivery)
    }
}
