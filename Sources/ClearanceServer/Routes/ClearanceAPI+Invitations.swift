internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

/// Adding people: the rules are `People`'s; these are the API's answers.
extension ClearanceAPI {
    func addInvitationRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("invitations") { _, context in
            try Reply.list(try await people.openInvitations(for: try context.requireCaller()).map { InvitationResponse($0) })
        }
        api.post("invitations/accept") { request, context in
            let caller = try context.requireCaller()
            let form = try form(try await Body.read(request, context: context), allowed: ["token"], required: ["token"])
            let token = form.text("token", maxLength: 200)
            try finish(form)
            guard let token else { throw Problem.notFound("invitation") }
            let membership = try await people.accept(linkSecret: token, by: caller)
            return try reply(membership, user: caller.user)
        }
    }

    /// The answer to adding someone: the membership set at once (201), or the invitation with its link (202).
    func reply(_ added: People.Added) throws -> Response {
        switch added {
        case .member(let membership, let user):
            try reply(membership, user: user)
        case .invited(let invitation, let link):
            try Reply.json(InvitationResponse(invitation, link: link), status: .accepted, location: "/api/v1/invitations")
        }
    }

    /// A membership just set (201).
    private func reply(_ membership: Membership, user: UserRecord) throws -> Response {
        switch membership {
        case .studio(let member): try Reply.json(StudioMemberResponse(member, user: user), status: .created)
        case .production(let member): try Reply.json(ProductionMemberResponse(member, user: user), status: .created)
        }
    }
}
