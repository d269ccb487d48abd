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
            return Reply.list(productions.map(\.json))
        }
        api.post("studios/:studio/productions") { request, context in
            let caller = try context.requireCaller()
            let studio = try await administeredStudio(try parameter(context, "studio"), caller)
            let form = try form(try await Body.read(request, context: context), allowed: ["id", "title"], required: ["id", "title"])
            let id = form.slug("id")
            let title = form.text("title", maxLength: 200)
            try finish(form)
            guard let id, let title else { throw Problem.badRequest("the body is incomplete") }
            let production = try await studios.createProduction(id: id, title: title, in: studio.id, by: caller)
            return Reply.json(production.json, status: .created, location: "/api/v1/productions/\(id)")
        }
        api.get("productions/:production") { _, context in
            let caller = try context.requireCaller()
            return Reply.json(try await visibleProduction(try parameter(context, "production"), caller).json)
        }
        api.get("productions/:production/members") { _, context in
            let members = try await people.productionMembers(try parameter(context, "production"), by: try context.requireCaller())
            return Reply.list(members.map { $0.0.json(user: $0.1) })
        }
        api.post("productions/:production/members") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            guard caller.canManageMembers(of: production) else {
                throw Problem.forbidden("only the studio's admins and the production's coordinator manage members")
            }
            let form = try form(try await Body.read(request, context: context), allowed: ["email", "role"], required: ["email", "role"])
            let email = form.text("email", maxLength: 254)
            let role: ProductionRole? = form.choice("role")
            try finish(form)
            guard let email, let role else { throw Problem.badRequest("the body is incomplete") }
            return reply(try await people.addProductionMember(production.id, email: email, role: role, by: caller))
        }
    }
}
