internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension ClearanceAPI {
    func addUserRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("users") { request, context in try await createUser(request, context) }
        api.get("users") { _, context in
            Reply.list(try await people.users(by: try context.requireCaller()).map(\.json))
        }
        api.post("users/:user/deactivate") { _, context in
            Reply.json(try await people.setActive(false, userID: try parameter(context, "user"), by: try context.requireCaller()).json)
        }
        api.post("users/:user/reactivate") { _, context in
            Reply.json(try await people.setActive(true, userID: try parameter(context, "user"), by: try context.requireCaller()).json)
        }
        api.post("users/:user/password-reset") { _, context in
            let (reset, link) = try await people.issuePasswordReset(for: try parameter(context, "user"), by: try context.requireCaller())
            return Reply.json(.object([.init("user", .string(reset.userID)), .init("link", .string(link)),
                                       .init("expires-at", .time(reset.expiresAt))]), status: .created)
        }
        api.get("users/:user/tokens") { _, context in
            let user = try await people.user(try parameter(context, "user"), by: try context.requireCaller())
            return Reply.list(try await store.tokens(userID: user.id).map(\.json))
        }
        api.delete("users/:user/tokens/:id") { _, context in
            let caller = try context.requireCaller()
            let user = try await people.user(try parameter(context, "user"), by: caller)
            try await people.revokeToken(try parameter(context, "id"), of: user.id, by: caller)
            return Response(status: .noContent)
        }
        api.get("me") { _, context in try await me(context) }
        api.post("tokens") { request, context in try await createToken(request, context) }
        api.get("tokens") { _, context in
            let caller = try context.requireCaller()
            return Reply.list(try await store.tokens(userID: caller.user.id).map(\.json))
        }
        api.delete("tokens/:id") { _, context in
            let caller = try context.requireCaller()
            try await people.revokeToken(try parameter(context, "id"), of: caller.user.id, by: caller)
            return Response(status: .noContent)
        }
    }

    /// Site admins create users; the answer carries the user's first API token, shown once.
    func createUser(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        try people.requireSiteAdmin(caller, doing: "creates users")
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["email", "name", "password", "site-admin"], required: ["email", "name"])
        let email = form.text("email", maxLength: 254)
        let name = form.text("name", maxLength: 200)
        let password = form.text("password", maxLength: 200)
        let siteAdmin = form.bool("site-admin") ?? false
        try finish(form)
        guard let email, let name else { throw Problem.badRequest("the body is incomplete") }
        let (user, _, secret) = try await people.createUser(.init(email: email, name: name, password: password, siteAdmin: siteAdmin),
                                                           by: caller)
        return Reply.json(.object([.init("user", user.json), .init("token", .string(secret))]), status: .created,
                          location: "/api/v1/users/\(user.id)")
    }

    func me(_ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        return Reply.json(.object([
            .init("user", caller.user.json),
            .init("studios", .array(caller.studioRoles.values.sorted { $0.studioID < $1.studioID }.map { member in
                .object([.init("studio", .string(member.studioID)), .init("role", .string(member.role.rawValue)),
                         .init("areas", .array(member.areas.map { .string($0.rawValue) }))])
            })),
            .init("productions", .array(caller.productionRoles.values.sorted { $0.productionID < $1.productionID }.map { member in
                .object([.init("production", .string(member.productionID)), .init("role", .string(member.role.rawValue))])
            })),
        ]))
    }

    func createToken(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        var label = "api token"
        var days = TokenLifetime.defaultDays
        if request.headers[.contentType] != nil {
            let form = try form(try await Body.read(request, context: context), allowed: ["label", "expires-in-days"])
            label = form.text("label", maxLength: 200) ?? label
            days = form.integer("expires-in-days", in: 1...TokenLifetime.maxDays) ?? days
            try finish(form)
        }
        let (token, secret) = try await people.createToken(label: label, days: days, by: caller)
        return Reply.json(.object([.init("id", .string(token.id)), .init("label", .string(label)), .init("token", .string(secret)),
                                   .init("expires-at", .time(token.expiresAt))]),
                          status: .created)
    }
}
