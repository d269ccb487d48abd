public import ClearanceStore
public import Foundation
internal import ClearanceCore

/// Bootstrapping the first site admin from the command line.
public enum SiteAdmin {
    /// Creates a site admin with no password and returns the secret of their first API token.
    /// With a password, the admin can also sign in to the web pages.
    public static func create(email: String, name: String, password: String? = nil, store: any Store,
                              now: Date = Date()) async throws -> String {
        let email = email.lowercased()
        guard People.looksLikeEmail(email) else { throw SiteAdminError.invalidEmail(email) }
        if let password, let problem = PasswordRule.problem(password: password, email: email) { throw SiteAdminError.weakPassword(problem) }
        if try await store.user(email: email) != nil { throw SiteAdminError.exists(email) }
        let at = Timestamps.string(now)
        let passwordHash: String? = if let password { try await PasswordCheck.hash(password: password, cost: 12) } else { nil }
        let user = UserRecord(id: RandomID.make("u-"), email: email, name: name, passwordHash: passwordHash,
                              isSiteAdmin: true, createdAt: now)
        try await store.createUser(user, audit: AuditDraft(at: at, actor: "cli", action: "user.created", subject: user.id,
                                                           details: .object([.init("email", .string(email)),
                                                                             .init("site-admin", .bool(true))])))
        let (token, secret) = People.newToken(for: user, label: "created by clearance admin create",
                                              days: TokenLifetime.defaultDays, at: now)
        try await store.addToken(token, audit: AuditDraft(at: at, actor: "cli", action: "token.created", subject: token.id,
                                                          details: .object([.init("user", .string(user.id))])))
        return secret
    }
}

/// Why a site admin could not be created.
public enum SiteAdminError: Error, CustomStringConvertible {
    case invalidEmail(String)
    case exists(String)
    case weakPassword(String)

    public var description: String {
        switch self {
        case .weakPassword(let problem): "the password \(problem)"
        case .invalidEmail(let email): "'\(email)' is not an email address"
        case .exists(let email): "a user with the email \(email) already exists"
        }
    }
}
