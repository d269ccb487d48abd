internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

/// Adding people: the rules are `People`'s; these are the API's answers.
extension ClearanceAPI {
    func addInvitationRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("invitations") { _, context in
            Reply.list(try await people.openInvitations(for: try context.requireCaller()).map { .object(Self.members(of: $0)) })
        }
        api.post("invitations/accept") { request, context in
            let caller = try context.requireCaller()
            let form = try form(try await Body.read(request, context: context), allowed: ["token"], required: ["token"])
            let token = form.text("token", maxLength: 200)
            try finish(form)
            guard let token else { throw Problem.notFound("invitation") }
            let membership = try await people.accept(linkSecret: token, by: caller)
            return Reply.json(membershipJSON(membership, user: caller.user), status: .created)
        }
    }

    /// The answer to adding someone: the membership set at once (201), or the invitation with its link (202).
    func reply(_ added: People.Added) -> Response {
        switch added {
        case .member(let membership, let user):
            return Reply.json(membershipJSON(membership, user: user), status: .created)
        case .invited(let invitation, let link):
            var members = Self.members(of: invitation)
            members.append(.init("link", .string(link)))
            return Reply.json(.object(members), status: .accepted, location: "/api/v1/invitations")
        }
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

    private func membershipJSON(_ membership: Membership, user: UserRecord) -> JSONValue {
        switch membership {
        case .studio(let member): member.json(user: user)
        case .production(let member): member.json(user: user)
        }
    }
}
