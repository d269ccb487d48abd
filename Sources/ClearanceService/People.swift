public import ClearanceCore
public import ClearanceStore
public import Foundation

/// Turns a password into the hash kept on record (bcrypt, at the edge's configured cost).
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
}

/// Users, their API tokens, and adding people to studios and productions.
///
/// Adding someone by email: where they are already a member, the role changes at once; otherwise
/// they get an invitation, whether or not the email has an account, so the answer never says
/// which. Accepting takes the link's secret, never the email alone. Site admins, who see every
/// user anyway, add an existing account at once.
public struct People: UseCases {
    public let store: any Store
    let clock: @Sendable () -> Date
    let passwords: any PasswordHashing
    /// The base of links the server hands out (`--public-url`), if set.
    let publicURL: String?

    public init(store: any Store, passwords: any PasswordHashing, publicURL: String?, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.passwords = passwords
        self.publicURL = publicURL
        self.clock = now
    }

    /// How long an invitation's link works.
    public static let invitationLifetime: TimeInterval = 14 * 24 * 3600

    var now: Date { clock() }

    public static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    // MARK: Users

    /// A new account as a site admin describes it.
    public struct NewUser: Sendable {
        public var email: String
        public var name: String
        public var password: String?
        public var siteAdmin: Bool

        public init(email: String, name: String, password: String?, siteAdmin: Bool) {
            self.email = email
            self.name = name
            self.password = password
            self.siteAdmin = siteAdmin
        }
    }

    /// Site admins create users; the answer carries the user's first API token, shown once.
    public func createUser(_ input: NewUser, by caller: Caller) async throws -> (user: UserRecord, token: TokenRecord, secret: String) {
        let user = try await addUser(input, by: caller)
        let time = now
        let (token, secret) = Self.newToken(for: user, label: "first token", days: TokenLifetime.defaultDays, at: time)
        try await store.addToken(token, audit: draft(caller, "token.created", subject: token.id, at: time, details: .object([
            .init("user", .string(user.id)),
        ])))
        return (user, token, secret)
    }

    /// Site admins create an account from the browser: no API token, and a one-time link with
    /// which its owner chooses a password.
    public func createAccount(_ input: NewUser, by caller: Caller) async throws -> (user: UserRecord, link: String) {
        let user = try await addUser(NewUser(email: input.email, name: input.name, password: nil, siteAdmin: input.siteAdmin), by: caller)
        let (_, link) = try await issuePasswordReset(for: user.id, by: caller)
        return (user, link)
    }

    private func addUser(_ input: NewUser, by caller: Caller) async throws -> UserRecord {
        try requireSiteAdmin(caller, doing: "creates users")
        let email = input.email.trimmingCharacters(in: .whitespaces).lowercased()
        var issues: [ServiceError.FieldIssue] = []
        if !Self.looksLikeEmail(email) { issues.append(.init("/email", "'\(email)' is not an email address")) }
        let name = input.name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 200 { issues.append(.init("/name", "a name is 1 to 200 characters")) }
        if let password = input.password, let problem = PasswordRule.problem(password: password, email: email) {
            issues.append(.init("/password", problem))
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let passwordHash: String? = if let password = input.password { try await passwords.hash(password) } else { nil }
        let time = now
        let user = UserRecord(id: RandomID.make("u-"), email: email, name: input.name, passwordHash: passwordHash,
                              isSiteAdmin: input.siteAdmin, createdAt: time)
        try await store.createUser(user, audit: draft(caller, "user.created", subject: user.id, at: time, details: .object([
            .init("email", .string(email)), .init("site-admin", .bool(input.siteAdmin)),
        ])))
        return user
    }

    /// A user a site admin names.
    public func user(_ id: String, by caller: Caller) async throws -> UserRecord {
        try requireSiteAdmin(caller, doing: "manages users")
        guard let user = try await store.user(id: id) else { throw ServiceError.notFound("user '\(id)'") }
        return user
    }

    public func users(by caller: Caller) async throws -> [UserRecord] {
        try requireSiteAdmin(caller, doing: "manages users")
        return try await store.users()
    }

    /// Deactivating a user ends their sessions and revokes their tokens at once; reactivating
    /// lets them sign in again (with new tokens: revoked ones stay revoked).
    public func setActive(_ active: Bool, userID: String, by caller: Caller) async throws -> UserRecord {
        let user = try await user(userID, by: caller)
        if !active && user.id == caller.user.id { throw ServiceError.conflict("you cannot deactivate your own account") }
        let changed = try await store.setUserDeactivated(
            id: user.id, at: active ? nil : now,
            audit: draft(caller, active ? "user.reactivated" : "user.deactivated", subject: user.id, at: now,
                         details: .object([.init("email", .string(user.email))])))
        guard changed else {
            throw ServiceError.conflict(active ? "the user '\(user.id)' is already active" : "the user '\(user.id)' is already deactivated")
        }
        guard let updated = try await store.user(id: user.id) else { throw ServiceError.notFound("user '\(user.id)'") }
        return updated
    }

    // MARK: Passwords

    /// How long a password-reset link works.
    public static let resetLifetime: TimeInterval = 24 * 3600

    /// The caller changes their own password, giving the current one; every other session of
    /// theirs ends, the one they are using (`session`) stays.
    /// The current password is checked as a sign-in is, so wrong guesses count against the same
    /// limits (`PasswordCheck`): a stolen session cannot be used to guess the password.
    public func changePassword(current: String, to password: String, keepingSession session: String?, checkedBy check: PasswordCheck,
                               from address: String, by caller: Caller) async throws {
        var issues: [ServiceError.FieldIssue] = []
        switch try await check.check(email: caller.user.email, password: current, address: address, at: now) {
        case .matched(let user) where user.id == caller.user.id: break
        case .throttled(let seconds):
            issues.append(.init("/current", "too many wrong passwords; try again in \(max(1, (seconds + 59) / 60)) minutes"))
        default: issues.append(.init("/current", "that is not your current password"))
        }
        if let problem = PasswordRule.problem(password: password, email: caller.user.email) {
            issues.append(.init("/password", "the password \(problem)"))
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let time = now
        guard try await store.setPassword(userID: caller.user.id, hash: try await passwords.hash(password), at: time,
                                          keepingSession: session, reset: nil,
                                          audit: draft(caller, "user.password.changed", subject: caller.user.id, at: time)) else {
            throw ServiceError.notFound("user '\(caller.user.id)'")
        }
    }

    /// Ends every session of the caller's but the one they are using; how many ended.
    public func signOutOtherSessions(keeping session: String, by caller: Caller) async throws -> Int {
        let time = now
        return try await store.endOtherSessions(userID: caller.user.id, except: session, at: time,
                                                audit: draft(caller, "session.others.ended", subject: caller.user.id, at: time))
    }

    /// How many sessions the caller has open, this one included.
    public func liveSessions(of caller: Caller) async throws -> Int {
        try await store.liveSessionCount(userID: caller.user.id, at: now)
    }

    /// A site admin issues a one-time link with which a user sets a new password.
    public func issuePasswordReset(for userID: String, by caller: Caller) async throws -> (PasswordResetRecord, link: String) {
        let user = try await user(userID, by: caller)
        guard user.isActive else { throw ServiceError.conflict("\(user.email) is deactivated; reactivate the account first") }
        let secret = RandomID.make("clr_", words: 4)
        let time = now
        let reset = PasswordResetRecord(id: RandomID.make("pr-"), userID: user.id, secretHash: SecretHash.of(secret),
                                        createdBy: caller.user.id, createdAt: time, expiresAt: time.addingTimeInterval(Self.resetLifetime))
        try await store.createPasswordReset(reset, audit: draft(caller, "user.password.reset-issued", subject: user.id, at: time,
                                                                details: .object([.init("expires-at", .time(reset.expiresAt))])))
        return (reset, link("/reset/" + secret))
    }

    /// The open reset link a secret stands for, with its active user; nil for anything else.
    public func passwordReset(linkSecret secret: String) async throws -> (PasswordResetRecord, UserRecord)? {
        guard let reset = try await store.passwordReset(secretHash: SecretHash.of(secret)), reset.isOpen(at: now),
              let user = try await store.user(id: reset.userID), user.isActive else { return nil }
        return (reset, user)
    }

    /// Sets the password a reset link's holder chose; the link dies and every session of the user ends.
    public func resetPassword(linkSecret secret: String, to password: String) async throws -> UserRecord {
        guard let (reset, user) = try await passwordReset(linkSecret: secret) else { throw ServiceError.notFound("reset link") }
        if let problem = PasswordRule.problem(password: password, email: user.email) {
            throw ServiceError.invalid("/password", "the password \(problem)")
        }
        let time = now
        guard try await store.setPassword(userID: user.id, hash: try await passwords.hash(password), at: time, keepingSession: nil,
                                          reset: reset.id,
                                          audit: AuditDraft(at: Timestamps.string(time), actor: user.id, action: "user.password.reset",
                                                            subject: user.id, details: .object([.init("link", .string(reset.id))]))) else {
            throw ServiceError.notFound("reset link")
        }
        return user
    }

    /// The first site admin, from the one-time set-up link `clearance serve` prints on an empty
    /// database. Refused once any site admin exists.
    public func createFirstAdmin(email rawEmail: String, name rawName: String, password: String) async throws -> UserRecord {
        guard try await store.siteAdminCount() == 0 else { throw ServiceError.conflict("this site already has an admin; sign in instead") }
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let name = rawName.trimmingCharacters(in: .whitespaces)
        var issues: [ServiceError.FieldIssue] = []
        if !Self.looksLikeEmail(email) { issues.append(.init("/email", "'\(rawEmail)' is not an email address")) }
        if name.isEmpty || name.count > 200 { issues.append(.init("/name", "a name is 1 to 200 characters")) }
        if let problem = PasswordRule.problem(password: password, email: email) { issues.append(.init("/password", "the password \(problem)")) }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let time = now
        let user = UserRecord(id: RandomID.make("u-"), email: email, name: name, passwordHash: try await passwords.hash(password),
                              isSiteAdmin: true, createdAt: time)
        try await store.createUser(user, audit: AuditDraft(at: Timestamps.string(time), actor: user.id, action: "user.created",
                                                           subject: user.id, details: .object([
                                                               .init("email", .string(email)), .init("site-admin", .bool(true)),
                                                               .init("via", .string("set-up link")),
                                                           ])))
        return user
    }

    // MARK: Tokens

    /// A new API token for the caller; its secret is shown once and kept only as a hash.
    public func createToken(label rawLabel: String, days: Int, by caller: Caller) async throws -> (TokenRecord, String) {
        let label = rawLabel.trimmingCharacters(in: .whitespaces)
        var issues: [ServiceError.FieldIssue] = []
        if label.isEmpty || label.count > 200 { issues.append(.init("/label", "say in up to 200 characters what the token is for")) }
        if !(1...TokenLifetime.maxDays).contains(days) {
            issues.append(.init("/expires-in-days", "a token works from 1 to \(TokenLifetime.maxDays) days"))
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let time = now
        let (token, secret) = Self.newToken(for: caller.user, label: label, days: days, at: time)
        try await store.addToken(token, audit: draft(caller, "token.created", subject: token.id, at: time, details: .object([
            .init("user", .string(caller.user.id)),
        ])))
        return (token, secret)
    }

    /// Revokes a live token of `userID`: the caller's own, or any user's for a site admin.
    public func revokeToken(_ id: String, of userID: String, by caller: Caller) async throws {
        if userID != caller.user.id { _ = try await user(userID, by: caller) }
        guard try await store.revokeToken(id: id, userID: userID, at: now, audit: draft(caller, "token.revoked", subject: id, at: now,
                                                                                        details: .object([.init("user", .string(userID))]))) else {
            throw ServiceError.notFound("token '\(id)'")
        }
    }

    /// A new token with its secret.
    public static func newToken(for user: UserRecord, label: String, days: Int, at time: Date) -> (TokenRecord, String) {
        let secret = RandomID.make("clr_", words: 4)
        let token = TokenRecord(id: RandomID.make("t-"), userID: user.id, secretHash: SecretHash.of(secret),
                                label: label, createdAt: time, expiresAt: TokenLifetime.expiry(days: days, from: time))
        return (token, secret)
    }

    // MARK: Browser sessions

    /// Starts a browser session for a user who has just proven who they are; the secret goes in
    /// the session cookie and is kept only as a hash.
    public func startSession(for user: UserRecord, lasting lifetime: TimeInterval) async throws -> (SessionRecord, secret: String) {
        let time = now
        let secret = RandomID.make("clr_", words: 4)
        let session = SessionRecord(id: RandomID.make("s-"), userID: user.id, secretHash: SecretHash.of(secret),
                                    createdAt: time, expiresAt: time.addingTimeInterval(lifetime))
        try await store.startSession(session, audit: AuditDraft(
            at: Timestamps.string(time), actor: user.id, action: "session.started", studioID: nil, productionID: nil,
            subject: session.id, details: .object([.init("expires-at", .time(session.expiresAt))])))
        return (session, secret)
    }

    /// Signing out ends the session at once.
    public func endSession(_ id: String, by caller: Caller) async throws {
        let time = now
        _ = try await store.endSession(id: id, at: time, audit: AuditDraft(
            at: Timestamps.string(time), actor: caller.user.id, action: "session.ended", studioID: nil, productionID: nil,
            subject: id, details: .object([])))
    }

    // MARK: Members and invitations

    /// What adding someone did: a role set at once, or an invitation with its one-time link.
    public enum Added: Sendable {
        case member(Membership, UserRecord)
        case invited(InvitationRecord, link: String)
    }

    /// Adds someone to a studio, as admin, approver (with areas) or viewer.
    /// `contact` marks whether an approver acts as a studio contact (nil: by area, legal and creative).
    public func addStudioMember(_ studioID: String, email: String, role: StudioRole, areas: [Area], contact: Bool? = nil,
                                by caller: Caller) async throws -> Added {
        let studio = try await administeredStudio(studioID, caller, allowSiteAdmin: true)
        var issues: [ServiceError.FieldIssue] = []
        if role == .approver && areas.isEmpty { issues.append(.init("/areas", "an approver needs at least one area")) }
        if role != .approver && !areas.isEmpty { issues.append(.init("/areas", "only approvers have areas")) }
        if role != .approver && contact != nil { issues.append(.init("/contact", "only approvers are marked as contacts; admins acknowledge anyway")) }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        return try await addOrInvite(email: email, studioID: studio.id, productionID: nil, role: role.rawValue, areas: areas, contact: contact,
                                     caller: caller)
    }

    /// A production whose members the caller manages (the studio's admins, its coordinator): not
    /// found if they cannot see it, forbidden if they only see it.
    public func managedProduction(_ id: String, _ caller: Caller) async throws -> ProductionRecord {
        let production = try await visibleProduction(id, caller)
        guard caller.canManageMembers(of: production) else {
            throw ServiceError.forbidden("only the studio's admins and the production's coordinator manage members")
        }
        return production
    }

    /// Adds someone to a production, as requester, coordinator or viewer.
    public func addProductionMember(_ productionID: String, email: String, role: ProductionRole, by caller: Caller) async throws -> Added {
        let production = try await managedProduction(productionID, caller)
        return try await addOrInvite(email: email, studioID: production.studioID, productionID: production.id, role: role.rawValue,
                                     areas: [], caller: caller)
    }

    /// Sets a member's role where `email` is already a member here (or the caller is a site admin
    /// and the email has an account); otherwise invites the email. The same two reads run either
    /// way, so neither the answer nor its cost says whether an account exists.
    func addOrInvite(email rawEmail: String, studioID: String, productionID: String?, role: String, areas: [Area],
                     contact: Bool? = nil, caller: Caller) async throws -> Added {
        let email = rawEmail.lowercased()
        guard Self.looksLikeEmail(email) else { throw ServiceError.invalid("/email", "'\(rawEmail)' is not an email address") }
        let memberIDs: Set<String> = if let productionID {
            Set(try await store.productionMembers(productionID: productionID).map(\.userID))
        } else {
            Set(try await store.studioMembers(studioID: studioID).map(\.userID))
        }
        let existing = try await store.user(email: email)
        let secret = RandomID.make("clr_", words: 4)
        let time = now
        let invitation = InvitationRecord(id: RandomID.make("inv-"), secretHash: SecretHash.of(secret), studioID: studioID,
                                          productionID: productionID, email: email, role: role, areas: areas, contact: contact,
                                          invitedBy: caller.user.id, createdAt: time,
                                          expiresAt: time.addingTimeInterval(Self.invitationLifetime))
        if let existing, caller.isSiteAdmin || memberIDs.contains(existing.id), let membership = invitation.membership(for: existing.id) {
            if case .studio(let member) = membership, member.role != .admin {
                try await keepAnAdmin(studioID, without: member.userID)
            }
            try await setMembership(membership, actor: caller.user.id)
            return .member(membership, existing)
        }
        var details: [JSONValue.Member] = [.init("email", .string(email)), .init("role", .string(role))]
        if !areas.isEmpty { details.append(.init("areas", .array(areas.map { .string($0.rawValue) }))) }
        try await store.createInvitation(invitation, audit: draft(caller, "invitation.created", studio: studioID, production: productionID,
                                                                  subject: invitation.id, at: time, details: .object(details)))
        return .invited(invitation, link: link("/invitations/" + secret))
    }

    /// A link the server hands out: absolute when the site's public address is configured.
    public func link(_ path: String) -> String {
        guard let publicURL else { return path }
        return publicURL + path
    }

    /// The open invitation a link's secret stands for, if any.
    public func invitation(linkSecret secret: String) async throws -> InvitationRecord? {
        guard let invitation = try await store.invitation(secretHash: SecretHash.of(secret)), invitation.isOpen(at: now) else { return nil }
        return invitation
    }

    /// The caller accepts an invitation by its link's secret; the invited email must be theirs.
    public func accept(linkSecret secret: String, by caller: Caller) async throws -> Membership {
        // Holding an account with the invited email is not enough: until mail is sent, nothing
        // proves who made it.
        guard let invitation = try await invitation(linkSecret: secret), invitation.email == caller.user.email else {
            throw ServiceError.notFound("invitation")
        }
        return try await accept(invitation, by: caller.user, newUser: nil)
    }

    /// Someone new accepts: their account, with the password they chose, and the membership, at once.
    public func join(_ invitation: InvitationRecord, name: String, password: String) async throws -> (UserRecord, Membership) {
        let user = UserRecord(id: RandomID.make("u-"), email: invitation.email, name: name, passwordHash: try await passwords.hash(password),
                              isSiteAdmin: false, createdAt: now)
        return (user, try await accept(invitation, by: user, newUser: user))
    }

    /// Accepts an open invitation for `user`, creating them first when `newUser` is set: one
    /// transaction with the user, the membership and their audit events. Not found if it was used
    /// or expired meanwhile.
    @discardableResult
    public func accept(_ invitation: InvitationRecord, by user: UserRecord, newUser: UserRecord?) async throws -> Membership {
        guard let membership = invitation.membership(for: user.id) else { throw ServiceError.notFound("invitation") }
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
            throw ServiceError.notFound("invitation")
        }
        return membership
    }

    /// The invitations to a studio or a production not yet accepted, for those who send them:
    /// the studio's admins (and site admins) or the production's coordinator.
    public func pendingInvitations(studioID: String, productionID: String?, by caller: Caller) async throws -> [InvitationRecord] {
        if let productionID {
            let production = try await managedProduction(productionID, caller)
            return try await store.openInvitations(studioID: production.studioID, productionID: production.id, at: now)
        }
        let studio = try await administeredStudio(studioID, caller, allowSiteAdmin: true)
        return try await store.openInvitations(studioID: studio.id, productionID: nil, at: now)
    }

    public func openInvitations(for caller: Caller) async throws -> [InvitationRecord] {
        try await store.openInvitations(email: caller.user.email, at: now)
    }

    /// A studio's members with their accounts: for its members and site admins.
    public func studioMembers(_ studioID: String, by caller: Caller) async throws -> [(StudioMember, UserRecord?)] {
        let studio = try await visibleStudio(studioID, caller)
        guard caller.isSiteAdmin || caller.studioRole(studio.id) != nil else {
            throw ServiceError.forbidden("only the studio's members see its member list")
        }
        var members: [(StudioMember, UserRecord?)] = []
        for member in try await store.studioMembers(studioID: studio.id) { members.append((member, try await store.user(id: member.userID))) }
        return members
    }

    public func productionMembers(_ productionID: String, by caller: Caller) async throws -> [(ProductionMember, UserRecord?)] {
        let production = try await visibleProduction(productionID, caller)
        var members: [(ProductionMember, UserRecord?)] = []
        for member in try await store.productionMembers(productionID: production.id) {
            members.append((member, try await store.user(id: member.userID)))
        }
        return members
    }

    /// Removes someone from a studio: its admins do, but never the last admin.
    public func removeStudioMember(_ studioID: String, userID: String, by caller: Caller) async throws {
        let studio = try await administeredStudio(studioID, caller, allowSiteAdmin: true)
        let members = try await store.studioMembers(studioID: studio.id)
        guard let member = members.first(where: { $0.userID == userID }) else { throw ServiceError.notFound("member '\(userID)'") }
        try await keepAnAdmin(studio.id, without: member.userID)
        guard try await store.removeStudioMember(studioID: studio.id, userID: userID,
                                                 audit: draft(caller, "studio.member.removed", studio: studio.id, subject: userID, at: now,
                                                              details: .object([.init("role", .string(member.role.rawValue))]))) else {
            throw ServiceError.notFound("member '\(userID)'")
        }
    }

    /// Removes someone from a production: the studio's admins and the production's coordinator do.
    public func removeProductionMember(_ productionID: String, userID: String, by caller: Caller) async throws {
        let production = try await managedProduction(productionID, caller)
        let members = try await store.productionMembers(productionID: production.id)
        guard let member = members.first(where: { $0.userID == userID }) else { throw ServiceError.notFound("member '\(userID)'") }
        guard try await store.removeProductionMember(productionID: production.id, userID: userID,
                                                     audit: draft(caller, "production.member.removed", studio: production.studioID,
                                                                  production: production.id, subject: userID, at: now,
                                                                  details: .object([.init("role", .string(member.role.rawValue))]))) else {
            throw ServiceError.notFound("member '\(userID)'")
        }
    }

    /// A studio always keeps an admin: `userID` may stop being one only while another remains.
    func keepAnAdmin(_ studioID: String, without userID: String) async throws {
        let admins = try await store.studioMembers(studioID: studioID).filter { $0.role == .admin }.map(\.userID)
        if admins == [userID] {
            throw ServiceError.conflict("this is the studio's only admin; make someone else an admin first")
        }
    }

    private func setMembership(_ membership: Membership, actor: String) async throws {
        let at = Timestamps.string(now)
        switch membership {
        case .studio(let member):
            try await store.setStudioMember(member, audit: Self.memberSetDraft(membership, at: at, actor: actor, studioID: member.studioID))
        case .production(let member):
            guard let production = try await store.production(id: member.productionID) else { throw ServiceError.notFound("production") }
            try await store.setProductionMember(member, audit: Self.memberSetDraft(membership, at: at, actor: actor,
                                                                                   studioID: production.studioID))
        }
    }

    /// The audit event of a membership change, the same for a direct change and an accepted invitation.
    public static func memberSetDraft(_ membership: Membership, at: String, actor: String, studioID: String) -> AuditDraft {
        switch membership {
        case .studio(let member):
            AuditDraft(at: at, actor: actor, action: "studio.member.set", studioID: studioID, subject: member.userID, details: .object(
                [.init("role", .string(member.role.rawValue)), .init("areas", .array(member.areas.map { .string($0.rawValue) }))]
                    + (member.contact.map { [.init("contact", .bool($0))] } ?? [])))
        case .production(let member):
            AuditDraft(at: at, actor: actor, action: "production.member.set", studioID: studioID, productionID: member.productionID,
                       subject: member.userID, details: .object([.init("role", .string(member.role.rawValue))]))
        }
    }
}

/// How long API tokens last: 90 days unless the creator asks for another number of days, at most a year.
public enum TokenLifetime {
    public static let defaultDays = 90
    public static let maxDays = 365

    public static func expiry(days: Int, from time: Date) -> Date {
        time.addingTimeInterval(Double(min(max(days, 1), maxDays)) * 86_400)
    }
}
