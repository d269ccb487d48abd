internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Crypto
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Authenticates every `/api/` request by its bearer token, and loads the caller's memberships.
///
/// Creating a token (`POST /api/v1/tokens`) also accepts HTTP Basic with email and password, so a
/// user with a password can get their first token. The web pages' own script (the live triage
/// preview) calls the API with the session cookie, which counts only together with the session's
/// CSRF token in `X-CSRF-Token`. Anything else without valid credentials is 401.
///
/// Web pages (everything outside `/api/` and `/assets/`) get the session's caller when the cookie
/// is live, and no caller otherwise; each page decides what an anonymous visitor sees.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ClearanceContext
    let store: any Store
    let passwords: PasswordCheck
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            context.caller = try await authenticate(request, context: &context)
        } else if !path.hasPrefix("/assets/"), let secret = WebSecurity.cookie(WebSecurity.sessionCookie, in: request),
                  let identity = try await store.sessionIdentity(secretHash: Self.hash(secret: secret), at: now()),
                  identity.user.isActive {
            context.caller = Caller(identity)
            context.session = BrowserSession(id: identity.session.id, secret: secret)
        }
        return try await next(request, context)
    }

    private func authenticate(_ request: Request, context: inout Context) async throws -> Caller {
        guard let header = request.headers[.authorization] else {
            guard let secret = WebSecurity.cookie(WebSecurity.sessionCookie, in: request) else { throw Problem.unauthorized }
            guard WebSecurity.csrfMatches(request.headers[WebSecurity.csrfHeader], sessionSecret: secret) else {
                throw Problem.forbidden("a browser session calls the API only with its CSRF token in X-CSRF-Token")
            }
            guard let identity = try await store.sessionIdentity(secretHash: Self.hash(secret: secret), at: now()),
                  identity.user.isActive else {
                throw Problem.unauthorized
            }
            context.session = BrowserSession(id: identity.session.id, secret: secret)
            return Caller(identity)
        }
        if header.hasPrefix("Bearer ") {
            let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            guard let identity = try await store.identity(secretHash: Self.hash(secret: secret)),
                  identity.token.isLive(at: now()), identity.user.isActive else { throw Problem.unauthorized }
            return Caller(identity)
        }
        if header.hasPrefix("Basic "), request.method == .post, request.uri.path == "/api/v1/tokens" {
            guard let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))),
                  let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") else {
                throw Problem.unauthorized
            }
            let email = String(pair[..<colon])
            let password = String(pair[pair.index(after: colon)...])
            // The same throttled, constant-time check as the sign-in form.
            switch try await passwords.check(email: email, password: password, address: context.remoteIP ?? "unknown", at: now()) {
            case .matched(let user): return try await Self.caller(for: user, tokenID: nil, in: store)
            case .refused: throw Problem.unauthorized
            case .throttled(let seconds): throw Problem.tooManyAttempts(retryAfter: seconds)
            }
        }
        throw Problem.unauthorized
    }

    /// Tokens are long random secrets, so a plain SHA-256 is enough to keep them unusable if the
    /// database leaks, and cheap enough to check on every request.
    static func hash(secret: String) -> String { SecretHash.of(secret) }

    static func caller(for user: UserRecord, tokenID: String?, in store: any Store) async throws -> Caller {
        let studioRoles = try await store.studioMemberships(userID: user.id)
        let productionRoles = try await store.productionMemberships(userID: user.id)
        var productionStudios: [String: String] = [:]
        for member in productionRoles {
            if let production = try await store.production(id: member.productionID) {
                productionStudios[production.id] = production.studioID
            }
        }
        return Caller(user: user, tokenID: tokenID, memberships: studioRoles, productionMemberships: productionRoles,
                      productionStudios: productionStudios)
    }
}
