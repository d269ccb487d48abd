internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension ClearanceAPI {
    func addUserRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("users") { request, context in try await createUser(request, context) }
        api.get("users") { _, context in
            try Reply.list(try await people.users(by: try context.requireCaller()).map(UserResponse.init))
        }
        api.post("users/:user/deactivate") { _, context in
            try Reply.json(UserResponse(try await people.setActive(false, userID: try parameter(context, "user"), by: try context.requireCaller())))
        }
        api.post("users/:user/reactivate") { _, context in
            try Reply.json(UserResponse(try await people.setActive(true, userID: try parameter(context, "user"), by: try context.requireCaller())))
        }
        api.post("users/:user/password-reset") { _, context in
            let (reset, link) = try await people.issuePasswordReset(for: try parameter(context, "user"), by: try context.requireCaller())
            return try Reply.json(PasswordResetResponse(user: reset.userID, link: link, expiresAt: reset.expiresAt), status: .created)
        }
        api.get("users/:user/tokens") { _, context in
            let user = try await people.user(try parameter(context, "user"), by: try context.requireCaller())
            return try Reply.list(try await store.tokens(userID: user.id).map(TokenResponse.init))
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
            return try Reply.list(try await store.tokens(userID: caller.user.id).map(TokenResponse.init))
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
        return try Reply.json(CreatedUserResponse(user: UserResponse(user), token: secret), status: .created,
                              location: "/api/v1/users/\(user.id)")
    }

    func me(_ context: ClearanceContext) async throws -> Response {
        try Reply.json(MeResponse(try context.requireCaller()))
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
        return try Reply.json(CreatedTokenResponse(id: token.id, label: label, token: secret, expiresAt: token.expiresAt), status: .created)
    }
}
