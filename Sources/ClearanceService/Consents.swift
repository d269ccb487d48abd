internal import ClearanceCore
public import ClearanceStore
public import Foundation

/// Performers' consent records: what a production's coordinator keeps, and what a request's
/// talent entries name.
public struct Consents: UseCases {
    public let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = now
    }

    var now: Date { clock() }

    /// A consent as the coordinator records it.
    public struct Input: Sendable {
        public var id: String?
        public var performer: String
        public var kind: ConsentKind
        public var permittedUse: String
        /// Other productions of the same studio it covers.
        public var productions: [String]
        public var signedOn: String
        public var noticeOn: String?
        public var expiresOn: String?
        public var signedSeparately: Bool
        public var documentRef: String?

        public init(id: String?, performer: String, kind: ConsentKind, permittedUse: String, productions: [String], signedOn: String,
                    noticeOn: String?, expiresOn: String?, signedSeparately: Bool, documentRef: String?) {
            self.id = id
            self.performer = performer
            self.kind = kind
            self.permittedUse = permittedUse
            self.productions = productions
            self.signedOn = signedOn
            self.noticeOn = noticeOn
            self.expiresOn = expiresOn
            self.signedSeparately = signedSeparately
            self.documentRef = documentRef
        }
    }

    /// The production's coordinator records a consent, for this production and any other of the
    /// studio's they also coordinate.
    public func record(_ input: Input, in productionID: String, by caller: Caller) async throws -> ConsentRecord {
        let production = try await visibleProduction(productionID, caller)
        guard caller.canManageConsents(in: production.id) else {
            throw ServiceError.forbidden("only the production's coordinator records consents")
        }
        var issues: [ServiceError.FieldIssue] = []
        if input.permittedUse.split(separator: " ").count < 4 {
            issues.append(.init("/permitted-use", "describe the permitted use in a reasonably specific sentence"))
        }
        if let expiresOn = input.expiresOn, expiresOn < input.signedOn {
            issues.append(.init("/expires-on", "expires before it was signed (\(input.signedOn))"))
        }
        for other in input.productions where other != production.id {
            if caller.productionRole(other) != .coordinator || caller.productionStudios[other] != production.studioID {
                issues.append(.init("/productions", "'\(other)' is not a production of this studio that you coordinate"))
            }
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        var productions = [production.id]
        for other in input.productions where !productions.contains(other) { productions.append(other) }
        let time = now
        let id = input.id ?? RandomID.make("consent-")
        let consent = ConsentRecord(id: id, studioID: production.studioID, productions: productions, performer: input.performer,
                                    kind: input.kind, permittedUse: input.permittedUse, signedOn: input.signedOn, noticeOn: input.noticeOn,
                                    expiresOn: input.expiresOn, signedSeparately: input.signedSeparately, documentRef: input.documentRef,
                                    createdBy: caller.user.id, createdAt: time)
        try await store.createConsent(consent, audit: draft(caller, "consent.recorded", studio: production.studioID,
                                                            production: production.id, subject: id, at: time, details: .object([
                                                                .init("performer", .string(input.performer)),
                                                                .init("kind", .string(input.kind.rawValue)),
                                                                .init("productions", .array(productions.map { .string($0) })),
                                                                .init("expires-on", .text(input.expiresOn)),
                                                            ])))
        return consent
    }

    /// A coordinator of one of the consent's productions revokes it.
    public func revoke(_ id: String, reason: String?, by caller: Caller) async throws -> ConsentRecord {
        let consent = try await visibleConsent(id, caller)
        guard consent.productions.contains(where: caller.canManageConsents(in:)) else {
            throw ServiceError.forbidden("only a coordinator of the consent's productions revokes it")
        }
        let time = now
        guard try await store.revokeConsent(id: consent.id, at: time, reason: reason,
                                            audit: draft(caller, "consent.revoked", studio: consent.studioID,
                                                         production: consent.productions.first, subject: consent.id, at: time,
                                                         details: .object([.init("reason", .text(reason))]))) else {
            throw ServiceError.conflict("consent '\(consent.id)' is already revoked")
        }
        var revoked = consent
        revoked.revokedAt = time
        revoked.revokedReason = reason
        return revoked
    }
}
