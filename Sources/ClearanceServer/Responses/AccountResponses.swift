internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// A user as the API shows them.
struct UserResponse: Encodable, Sendable {
    var id: String
    var email: String
    var name: String
    var siteAdmin: Bool
    var createdAt: Date
    var active: Bool
    @ExplicitNull var deactivatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, email, name, siteAdmin = "site-admin", createdAt = "created-at", active, deactivatedAt = "deactivated-at"
    }

    init(_ user: UserRecord) {
        id = user.id
        email = user.email
        name = user.name
        siteAdmin = user.isSiteAdmin
        createdAt = user.createdAt
        active = user.isActive
        deactivatedAt = user.deactivatedAt
    }
}

/// A user made by a site admin, with their first API token's secret (shown once).
struct CreatedUserResponse: Encodable, Sendable {
    var user: UserResponse
    var token: String
}

/// An API token, without its secret.
struct TokenResponse: Encodable, Sendable {
    var id: String
    var label: String
    var createdAt: Date
    @ExplicitNull var expiresAt: Date?
    @ExplicitNull var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, label, createdAt = "created-at", expiresAt = "expires-at", revokedAt = "revoked-at"
    }

    init(_ token: TokenRecord) {
        id = token.id
        label = token.label
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
    }
}

/// A token just made, with its secret: the only time the secret is shown.
struct CreatedTokenResponse: Encodable, Sendable {
    var id: String
    var label: String
    var token: String
    @ExplicitNull var expiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, label, token, expiresAt = "expires-at"
    }
}

/// A password reset a site admin issued: the link to hand to the user.
struct PasswordResetResponse: Encodable, Sendable {
    var user: String
    var link: String
    var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case user, link, expiresAt = "expires-at"
    }
}

/// The caller, with their roles in studios and productions.
struct MeResponse: Encodable, Sendable {
    var user: UserResponse
    var studios: [Studio]
    var productions: [Production]

    struct Studio: Encodable, Sendable {
        var studio: String
        var role: StudioRole
        var areas: [Area]
    }

    struct Production: Encodable, Sendable {
        var production: String
        var role: ProductionRole
    }

    init(_ caller: Caller) {
        user = UserResponse(caller.user)
        studios = caller.studioRoles.values.sorted { $0.studioID < $1.studioID }.map {
            Studio(studio: $0.studioID, role: $0.role, areas: $0.areas)
        }
        productions = caller.productionRoles.values.sorted { $0.productionID < $1.productionID }.map {
            Production(production: $0.productionID, role: $0.role)
        }
    }
}
