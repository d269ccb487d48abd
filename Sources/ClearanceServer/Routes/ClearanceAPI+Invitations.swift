internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

/// Adding people. A studio admin or a production's coordinator adds someone by email; unless that
/// person is already a member here (a role change), they get an invitation, whether or not the
/// email has an account, so the answer never says which. The invitation's one-time link lets
/// someone new choose a password; someone with an account signs in and accepts. Accepting always
/// takes the link's secret, never the email alone.
/// Site admins, who see every user anyway, add an existing account at once.
extension ClearanceAPI {
    /// How long an invitation's link works.
    static let invitationLifetime: TimeInterval = 14 * 24 * 3600

    func addInvitationRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("invitations") { _, context in
            let caller = try context.requireCaller()
            let open = try await store.openInvitations(email: caller.user.email, at: now)
            return Reply.list(open.map { .object(Self.members(of: $0)) })
        }
        api.post("invitations/accept") { request, context in
            let caller = try context.requireCaller()
            let form = try form(try await Body.read(request, context: context), allowed: ["token"], required: ["token"])
            let token = form.text("token", maxLength: 200)
            try finish(form)
            // Accepting takes the link's secret as well as the invited email: holding an account
            // with that email is not enough, since until mail is sent nothing proves who made it.
            guard let token, let invitation = try await store.invitation(secretHash: AuthMiddleware.hash(secret: token)),
                  invitation.isOpen(at: now), invitation.email == caller.user.email else {
                throw Problem.notFound("invitation")
            }
            let membership = try await accept(invitation, by: caller.user, newUser: nil)
            return Reply.json(membershipJSON(membership, user: caller.user), status: .created)
        }
    }

    /// Sets a member's role where `email` is already a member of the studio or production (or the
    /// caller is a site admin and the email has an account); otherwise invites the email. The same
    /// two reads run either way, so neither the answer nor its cost says whether an account exists.
    func addOrInvite(email rawEmail: String, studioID: String, productionID: String?, role: String, areas: [Area],
                     caller: Caller) async throws -> Response {
        let email = rawEmail.lowercased()
        guard Self.looksLikeEmail(email) else { throw Problem.invalid("/email", "'\(rawEmail)' is not an email address") }
        let memberIDs: Set<String> = if let productionID {
            Set(try await store.productionMembers(productionID: productionID).map(\.userID))
        } else {
            Set(try await store.studioMembers(studioID: studioID).map(\.userID))
        }
        let existing = try await store.user(email: email)
        let secret = Self.newSecret()
        let time = now
        let invitation = InvitationRecord(id: Self.newID("inv-"), secretHash: AuthMiddleware.hash(secret: secret), studioID: studioID,
                                          productionID: productionID, email: email, role: role, areas: areas,
                                          invitedBy: caller.user.id, createdAt: time,
                                          expiresAt: time.addingTimeInterval(Self.invitationLifetime))
        if let existing, caller.isSiteAdmin || memberIDs.contains(existing.id), let membership = invitation.membership(for: existing.id) {
            try await setMembership(membership, actor: caller.user.id)
            return Reply.json(membershipJSON(membership, user: existing), status: .created)
        }
        var details: [JSONValue.Member] = [.init("email", .string(email)), .init("role", .string(role))]
        if !areas.isEmpty { details.append(.init("areas", .array(areas.map { .string($0.rawValue) }))) }
        try await store.createInvitation(invitation, audit: audit(caller, "invitation.created", studio: studioID, production: productionID,
                                                                  subject: invitation.id, details: .object(details)))
        var members = Self.members(of: invitation)
        members.append(.init("link", .string(invitationLink(secret: secret))))
        return Reply.json(.object(members), status: .accepted, location: "/api/v1/invitations")
    }

    /// Accepts an open invitation for `user`, creating them first when `newUser` is set: one
    /// transaction with the user, the membership and their audit events. 404 if it was used or
    /// expired meanwhile.
    @discardableResult
    func accept(_ invitation: InvitationRecord, by user: UserRecord, newUser: UserRecord?) async throws -> Membership {
        guard let membership = invitation.membership(for: user.id) else { throw Problem.notFound("invitation") }
        let at = Timestamps.string(now)
        var drafts: [AuditDraft] = []
        if let newUser {
            drafts.append(AuditDraft(at: at, actor: newUser.id, action: "user.created", subject: newUser.id, details: .object([
                .init("email", .string(newUser.email)), .init("site-admin", .bool(false)), .init("invitation", .string(invitation.id)),
            ])))
        }
        drafts.append(AuditDraft(at: at, actor: user.id, action: "invitation.accepted", studioID: invitation.studioID,
                                 productionID: invitation.productionID, subject: invitation.id))
        drafts.append(Self.memberSetDraft(membership, at: at, actor: user.id, studioID: invitation.studioID))
        guard try await store.acceptInvitation(id: invitation.id, userID: user.id, newUser: newUser, at: now, audit: drafts) else {
            throw Problem.notFound("invitation")
        }
        return membership
    }

    /// The link an invitee opens: absolute when the site's public address is configured.
    func invitationLink(secret: String) -> String {
        let path = "/invitations/" + secret
        guard let base = configuration.publicURL else { return path }
        return base + path
    }

    /// An invitation as the API shows it (its link only when it is made).
    static func members(of invitation: InvitationRecord) -> [JSONValue.Member] {
        var members: [JSONValue.Member] = [
            .init("id", .string(invitation.id)), .init("email", .string(invitation.email)),
            .init("studio", .string(invitation.studioID)),
        ]
        if let production = invitation.productionID { members.append(.init("production", .string(production))) }
        members += [
            .init("role", .string(invitation.role)), .init("areas", .array(invitation.areas.map { .string($0.rawValue) })),
            .init("invited-by", .string(invitation.invitedBy)), .init("created-at", .time(invitation.createdAt)),
            .init("expires-at", .time(invitation.expiresAt)),
        ]
        return members
    }

    private func setMembership(_ membership: Membership, actor: String) async throws {
        let at = Timestamps.string(now)
        switch membership {
        case .studio(let member):
            try await store.setStudioMember(member, audit: Self.memberSetDraft(membership, at: at, actor: actor, studioID: member.studioID))
        case .production(let member):
            guard let production = try await store.production(id: member.productionID) else { throw Problem.notFound("production") }
            try await store.setProductionMember(member, audit: Self.memberSetDraft(membership, at: at, actor: actor,
                                                                                   studioID: production.studioID))
        }
    }

    private func membershipJSON(_ membership: Membership, user: UserRecord) -> JSONValue {
        switch membership {
        case .studio(let member): member.json(user: user)
        case .production(let member): member.json(user: user)
        }
    }

    /// The audit event of a membership change, the same for a direct change and an accepted invitation.
    static func memberSetDraft(_ membership: Membership, at: String, actor: String, studioID: String) -> AuditDraft {
        switch membership {
        case .studio(let member):
            AuditDraft(at: at, actor: actor, action: "studio.member.set", studioID: studioID, subject: member.userID, details: .object([
                .init("role", .string(member.role.rawValue)), .init("areas", .array(member.areas.map { .string($0.rawValue) })),
            ]))
        case .production(let member):
            AuditDraft(at: at, actor: actor, action: "production.member.set", studioID: studioID, productionID: member.productionID,
                       subject: member.userID, details: .object([.init("role", .string(member.role.rawValue))]))
        }
    }
}
