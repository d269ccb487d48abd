internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension ClearanceAPI {
    func addUserRoutes(to api: RouterGroup<ClearanceContext>) {
        api.post("users") { request, context in try await createUser(request, context) }
        api.get("users") { _, context in
            _ = try siteAdmin(context)
            return Reply.list(try await store.users().map(\.json))
        }
        api.post("users/:user/deactivate") { _, context in try await setActive(false, context) }
        api.post("users/:user/reactivate") { _, context in try await setActive(true, context) }
        api.get("users/:user/tokens") { _, context in
            _ = try siteAdmin(context)
            let user = try await existingUser(context)
            return Reply.list(try await store.tokens(userID: user.id).map(\.json))
        }
        api.delete("users/:user/tokens/:id") { _, context in
            let caller = try siteAdmin(context)
            let user = try await existingUser(context)
            try await revokeToken(try parameter(context, "id"), of: user.id, by: caller)
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
            try await revokeToken(try parameter(context, "id"), of: caller.user.id, by: caller)
            return Response(status: .noContent)
        }
    }

    /// The caller, who must be a site admin; `doing` names the job in the refusal.
    func siteAdmin(_ context: ClearanceContext, doing job: String = "manages users") throws -> Caller {
        let caller = try context.requireCaller()
        guard caller.isSiteAdmin else { throw Problem.forbidden("only a site admin \(job)") }
        return caller
    }

    func existingUser(_ context: ClearanceContext) async throws -> UserRecord {
        let id = try parameter(context, "user")
        guard let user = try await store.user(id: id) else { throw Problem.notFound("user '\(id)'") }
        return user
    }

    /// Revokes a live token of `userID`: the caller's own, or any user's for a site admin.
    func revokeToken(_ id: String, of userID: String, by caller: Caller) async throws {
        guard try await store.revokeToken(id: id, userID: userID, at: now, audit: audit(caller, "token.revoked", subject: id, details: .object([
            .init("user", .string(userID)),
        ]))) else {
            throw Problem.notFound("token '\(id)'")
        }
    }

    /// Deactivating a user ends their sessions and revokes their tokens at once; reactivating
    /// lets them sign in again (with new tokens: revoked ones stay revoked).
    func setActive(_ active: Bool, _ context: ClearanceContext) async throws -> Response {
        let caller = try siteAdmin(context)
        let user = try await existingUser(context)
        if !active && user.id == caller.user.id { throw Problem.conflict("you cannot deactivate your own account") }
        let changed = try await store.setUserDeactivated(
            id: user.id, at: active ? nil : now,
            audit: audit(caller, active ? "user.reactivated" : "user.deactivated", subject: user.id,
                         details: .object([.init("email", .string(user.email))])))
        guard changed else {
            throw Problem.conflict(active ? "the user '\(user.id)' is already active" : "the user '\(user.id)' is already deactivated")
        }
        guard let updated = try await store.user(id: user.id) else { throw Problem.notFound("user '\(user.id)'") }
        return Reply.json(updated.json)
    }

    /// Site admins create users; the answer carries the user's first API token, shown once.
    func createUser(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try siteAdmin(context, doing: "creates users")
        let form = try form(try await Body.read(request, context: context),
                            allowed: ["email", "name", "password", "site-admin"], required: ["email", "name"])
        let email = form.text("email", maxLength: 254)?.lowercased()
        let name = form.text("name", maxLength: 200)
        let password = form.text("password", maxLength: 200)
        let siteAdmin = form.bool("site-admin") ?? false
        if let email, !Self.looksLikeEmail(email) { form.reject("email", "'\(email)' is not an email address") }
        if let password, let email, let problem = PasswordRule.problem(password: password, email: email) { form.reject("password", problem) }
        try finish(form)
        guard let email, let name else { throw Problem.badRequest("the body is incomplete") }
        let passwordHash: String? = if let password {
            try await PasswordCheck.hash(password: password, cost: configuration.passwordCost)
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
        var label = "api token"
        var days = TokenLifetime.defaultDays
        if request.headers[.contentType] != nil {
            let form = try form(try await Body.read(request, context: context), allowed: ["label", "expires-in-days"])
            label = form.text("label", maxLength: 200) ?? label
            days = form.integer("expires-in-days", in: 1...TokenLifetime.maxDays) ?? days
            try finish(form)
        }
        let (token, secret) = newToken(for: caller.user, label: label, days: days)
        try await store.addToken(token, audit: audit(caller, "token.created", subject: token.id, details: .object([
            .init("user", .string(caller.user.id)),
        ])))
        return Reply.json(.object([.init("id", .string(token.id)), .init("label", .string(label)), .init("token", .string(secret)),
                                   .init("expires-at", .time(token.expiresAt))]),
                          status: .created)
    }

    func newToken(for user: UserRecord, label: String, days: Int = TokenLifetime.defaultDays) -> (TokenRecord, String) {
        Self.newToken(for: user, label: label, days: days, at: now)
    }

    /// A new token with its secret, which is shown once and kept only as a hash.
    static func newToken(for user: UserRecord, label: String, days: Int, at time: Date) -> (TokenRecord, String) {
        let secret = newSecret()
        let token = TokenRecord(id: newID("t-"), userID: user.id, secretHash: AuthMiddleware.hash(secret: secret),
                                label: label, createdAt: time, expiresAt: TokenLifetime.expiry(days: days, from: time))
        return (token, secret)
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }
}

/// How long API tokens last: 90 days unless the creator asks for another number of days, at most a year.
enum TokenLifetime {
    static let defaultDays = 90
    static let maxDays = 365

    static func expiry(days: Int, from time: Date) -> Date {
        time.addingTimeInterval(Double(min(max(days, 1), maxDays)) * 86_400)
    }
}
