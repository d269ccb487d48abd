internal import ClearanceCore
internal import ClearanceStore
internal import Hummingbird

extension ClearanceAPI {
    func addUserRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("users") { request, context in try await createUser(request, context) }
        api.get("me") { _, context in try await me(context) }
        api.post("tokens") { request, context in try await createToken(request, context) }
        api.get("tokens") { _, context in
            let caller = try context.requireCaller()
            return Reply.list(try await store.tokens(userID: caller.user.id).map(\.json))
        }
        api.delete("tokens/:id") { _, context in
            let caller = try context.requireCaller()
            let id = try parameter(context, "id")
            guard try await store.revokeToken(id: id, userID: caller.user.id, at: now,
                                              audit: audit(caller, "token.revoked", subject: id)) else {
                throw Problem.notFound("token '\(id)'")
            }
            return Response(status: .noContent)
        }
    }

    /// Site admins create users; the answer carries the user's first API token, shown once.
    func createUser(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard caller.isSiteAdmin else { throw Problem.forbidden("only a site admin creates users") }
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["email", "name", "password", "site-admin"], required: ["email", "name"])
        let email = form.text("email", maxLength: 254)?.lowercased()
        let name = form.text("name", maxLength: 200)
        let password = form.text("password", maxLength: 200)
        let siteAdmin = form.bool("site-admin") ?? false
        if let email, !Self.looksLikeEmail(email) { form.reject("email", "'\(email)' is not an email address") }
        if let password, password.count < 10 { form.reject("password", "must be at least 10 characters long") }
        try finish(form)
        guard let email, let name else { throw Problem.badRequest("the body is incomplete") }
        let passwordHash: String? = if let password {
            try await AuthMiddleware.hash(password: password, cost: configuration.passwordCost)
        } else {
            nil
        }
        let user = UserRecord(id: Self.newID("u-"), email: email, name: name, passwordHash: passwordHash,
                              isSiteAdmin: siteAdmin, createdAt: now)
        try await store.createUser(user, audit: audit(caller, "user.created", subject: user.id, details: .object([
            .init("email", .string(email)), .init("site-admin", .bool(siteAdmin)),
        ])))
        let (token, secret) = newToken(for: user, label: "first token")
        try await store.addToken(token, audit: audit(caller, "token.created", subject: token.id, details: .object([
            .init("user", .string(user.id)),
        ])))
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
        let label = try await optionalText(request, context, field: "label", maxLength: 200) ?? "api token"
        let (token, secret) = newToken(for: caller.user, label: label)
        try await store.addToken(token, audit: audit(caller, "token.created", subject: token.id, details: .object([
            .init("user", .string(caller.user.id)),
        ])))
        return Reply.json(.object([.init("id", .string(token.id)), .init("label", .string(label)), .init("token", .string(secret))]),
                          status: .created)
    }

    func newToken(for user: UserRecord, label: String) -> (TokenRecord, String) {
        let secret = Self.newSecret()
        let token = TokenRecord(id: Self.newID("t-"), userID: user.id, secretHash: AuthMiddleware.hash(secret: secret),
                                label: label, createdAt: now)
        return (token, secret)
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}
