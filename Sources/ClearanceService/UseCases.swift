internal import ClearanceCore
public import ClearanceStore
internal import Foundation

/// A family of use cases over the store. The access checks every family shares live here, once:
/// what a caller cannot see answers exactly as if it did not exist.
public protocol UseCases: Sendable {
    var store: any Store { get }
}

extension UseCases {
    /// A studio the caller can see, or not found exactly as if it did not exist.
    public func visibleStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        guard caller.canSeeStudio(id), let studio = try await store.studio(id: id) else {
            throw ServiceError.notFound("studio '\(id)'")
        }
        return studio
    }

    /// A studio whose policy and tools the caller may read: members of the studio or of one of its productions.
    public func readableStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        guard caller.canReadStudioRegisters(id), let studio = try await store.studio(id: id) else {
            throw ServiceError.notFound("studio '\(id)'")
        }
        return studio
    }

    /// A studio the caller administers: not found if they cannot see it, forbidden if they only see it.
    public func administeredStudio(_ id: String, _ caller: Caller, allowSiteAdmin: Bool = false) async throws -> StudioRecord {
        let studio = try await visibleStudio(id, caller)
        guard caller.isStudioAdmin(id) || (allowSiteAdmin && caller.isSiteAdmin) else {
            throw ServiceError.forbidden("only the studio's admins can do this")
        }
        return studio
    }

    public func visibleProduction(_ id: String, _ caller: Caller) async throws -> ProductionRecord {
        guard let production = try await store.production(id: id), caller.canSeeProduction(production) else {
            throw ServiceError.notFound("production '\(id)'")
        }
        return production
    }

    public func visibleRequest(_ id: String, _ caller: Caller) async throws -> (UseRequestRecord, ProductionRecord) {
        // One lookup decides visibility, from the ids the request carries, so another studio's
        // request costs what an unknown id costs and answers the same.
        guard let request = try await store.request(id: id),
              caller.canSeeProduction(studioID: request.studioID, productionID: request.productionID),
              let production = try await store.production(id: request.productionID) else {
            throw ServiceError.notFound("request '\(id)'")
        }
        return (request, production)
    }

    /// A consent is visible to whoever can see one of its productions; one lookup decides.
    public func visibleConsent(_ id: String, _ caller: Caller) async throws -> ConsentRecord {
        guard let consent = try await store.consent(id: id),
              consent.productions.contains(where: { caller.canSeeProduction(studioID: consent.studioID, productionID: $0) }) else {
            throw ServiceError.notFound("consent '\(id)'")
        }
        return consent
    }

    /// Four eyes: whoever filed a request or wrote any of its revisions does not sign it off.
    public func authored(_ request: UseRequestRecord, by caller: Caller) async throws -> Bool {
        if request.requesterID == caller.user.id { return true }
        return try await store.revisions(requestID: request.id).contains { $0.authorID == caller.user.id }
    }

    /// The caller, who must be a site admin; `job` names what they tried in the refusal.
    public func requireSiteAdmin(_ caller: Caller, doing job: String) throws(ServiceError) {
        guard caller.isSiteAdmin else { throw .forbidden("only a site admin \(job)") }
    }

    /// An audit event by the caller.
    func draft(_ caller: Caller, _ action: String, studio: String? = nil, production: String? = nil, subject: String,
               at time: Date, details: JSONValue = .object([])) -> AuditDraft {
        AuditDraft(at: Timestamps.string(time), actor: caller.user.id, action: action, studioID: studio, productionID: production,
                   subject: subject, details: details)
    }
}
