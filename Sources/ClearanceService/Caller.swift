public import ClearanceStore
internal import ClearanceCore

/// An authenticated user with every membership they hold: the input to each access decision.
///
/// The rules (service.md, "People and roles"): studio members see their studio and all of its
/// productions; production members see their studio's basics, policy and tools, and their own
/// productions; nobody sees anything else, and what they cannot see answers 404.
public struct Caller: Sendable {
    public var user: UserRecord
    public var tokenID: String?
    /// Role by studio id.
    public var studioRoles: [String: StudioMember]
    /// Role by production id.
    public var productionRoles: [String: ProductionMember]
    /// The studio of each production the user is a member of.
    public var productionStudios: [String: String]

    public init(user: UserRecord, tokenID: String?, studioRoles: [String: StudioMember],
                productionRoles: [String: ProductionMember], productionStudios: [String: String]) {
        self.user = user
        self.tokenID = tokenID
        self.studioRoles = studioRoles
        self.productionRoles = productionRoles
        self.productionStudios = productionStudios
    }

    /// A caller from the membership lists the store keeps.
    public init(user: UserRecord, tokenID: String?, memberships: [StudioMember], productionMemberships: [ProductionMember],
         productionStudios: [String: String]) {
        self.init(user: user, tokenID: tokenID,
                  studioRoles: Dictionary(memberships.map { ($0.studioID, $0) }, uniquingKeysWith: { first, _ in first }),
                  productionRoles: Dictionary(productionMemberships.map { ($0.productionID, $0) },
                                              uniquingKeysWith: { first, _ in first }),
                  productionStudios: productionStudios)
    }

    /// The caller a bearer token stands for.
    public init(_ identity: Identity) {
        self.init(user: identity.user, tokenID: identity.token.id, memberships: identity.studioRoles,
                  productionMemberships: identity.productionRoles, productionStudios: identity.productionStudios)
    }

    /// The caller a browser session stands for.
    public init(_ identity: SessionIdentity) {
        self.init(user: identity.user, tokenID: nil, memberships: identity.studioRoles,
                  productionMemberships: identity.productionRoles, productionStudios: identity.productionStudios)
    }

    public var isSiteAdmin: Bool { user.isSiteAdmin }

    public func studioRole(_ studioID: String) -> StudioRole? { studioRoles[studioID]?.role }

    public func isStudioAdmin(_ studioID: String) -> Bool { studioRole(studioID) == .admin }

    /// Member of the studio itself, or of one of its productions; site admins see every studio's basics.
    public func canSeeStudio(_ studioID: String) -> Bool {
        isSiteAdmin || studioRoles[studioID] != nil || productionStudios.values.contains(studioID)
    }

    /// Policy and tools: studio members and members of the studio's productions.
    public func canReadStudioRegisters(_ studioID: String) -> Bool {
        studioRoles[studioID] != nil || productionStudios.values.contains(studioID)
    }

    public func canSeeProduction(_ production: ProductionRecord) -> Bool {
        canSeeProduction(studioID: production.studioID, productionID: production.id)
    }

    /// The same rule from the ids a request, scan or consent carries, so no lookup is needed.
    public func canSeeProduction(studioID: String, productionID: String) -> Bool {
        studioRoles[studioID] != nil || productionRoles[productionID] != nil
    }

    public func productionRole(_ productionID: String) -> ProductionRole? { productionRoles[productionID]?.role }

    /// Files requests: requesters and coordinators.
    public func canFileRequests(in productionID: String) -> Bool {
        switch productionRole(productionID) {
        case .requester, .coordinator: true
        case .viewer, nil: false
        }
    }

    /// Revises a request: the requester who filed it, or the production's coordinator.
    public func canRevise(_ request: UseRequestRecord) -> Bool {
        switch productionRole(request.productionID) {
        case .coordinator: true
        case .requester: request.requesterID == user.id
        case .viewer, nil: false
        }
    }

    /// Uploads deliverable scans: those who file the production's requests (requesters and the
    /// coordinator), whose delivery pipelines run `clearance scan` with their tokens.
    public func canUploadScans(to productionID: String) -> Bool { canFileRequests(in: productionID) }

    /// Consent records are managed by the production's coordinator.
    public func canManageConsents(in productionID: String) -> Bool { productionRole(productionID) == .coordinator }

    /// The production's coordinator records a use's obligations as met.
    public func canRecordObligations(in productionID: String) -> Bool { productionRole(productionID) == .coordinator }

    /// Production members are managed by the studio's admins and the production's coordinator.
    public func canManageMembers(of production: ProductionRecord) -> Bool {
        isStudioAdmin(production.studioID) || productionRole(production.id) == .coordinator
    }

    /// Acknowledges a studio's socialized uses: its contacts (approvers marked so, by default
    /// those for legal and creative) and its admins.
    public func canAcknowledge(in studioID: String) -> Bool {
        guard let member = studioRoles[studioID] else { return false }
        return member.role == .admin || member.isContact
    }

    /// Studios whose audit events the caller may read: those they administer.
    public var auditStudios: Set<String> {
        Set(studioRoles.values.filter { $0.role == .admin }.map(\.studioID))
    }
}
