import ClearanceCore
import ClearanceSQLite
import ClearanceStore
import ClearanceTestSupport
import Foundation
import GRDB
import Testing

/// The behaviour every `Store` must have. Each test runs against every implementation in
/// `StoreKind.all`; a new backend joins by adding a case there, without touching callers.
@Suite("Store conformance")
struct StoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func draft(_ action: String, _ subject: String, studio: String? = nil, production: String? = nil) -> AuditDraft {
        AuditDraft(at: "2026-09-21T12:00:00.000Z", actor: "test", action: action, studioID: studio, productionID: production,
                   subject: subject, details: .object([.init("n", .number(1))]))
    }

    /// A store with one user, one studio (policy v1) and one production.
    static func seeded(_ kind: StoreKind) async throws -> any Store {
        let store = try await kind.make()
        try await store.createUser(UserRecord(id: "u1", email: "ana@example.com", name: "Ana", passwordHash: nil,
                                              isSiteAdmin: true, createdAt: t0), audit: draft("user.created", "u1"))
        try await store.createStudio(StudioRecord(id: "acme", name: "Acme", createdAt: t0),
                                     policy: policy(number: 1, digest: "sha256:one"), audit: draft("studio.created", "acme", studio: "acme"))
        try await store.createProduction(ProductionRecord(id: "p1", studioID: "acme", title: "P1", createdAt: t0),
                                         audit: draft("production.created", "p1", studio: "acme", production: "p1"))
        return store
    }

    static func policy(number: Int, digest: String) -> PolicyVersionRecord {
        PolicyVersionRecord(studioID: "acme", number: number, policyID: "test", policyVersion: "v\(number)", digest: digest,
                            text: "policy \(number)", publishedBy: "u1", publishedAt: t0)
    }

    static func request(_ id: String, at offset: TimeInterval, outcome: Outcome = .escalate, areas: [Area] = [.data],
                        state: RequestState = .escalated, requester: String = "u1") -> (UseRequestRecord, RevisionRecord, DecisionRecord) {
        let time = t0.addingTimeInterval(offset)
        return (UseRequestRecord(id: id, studioID: "acme", productionID: "p1", requesterID: requester, title: "T \(id)", state: state,
                                 revision: 1, outcome: outcome, areas: areas, createdAt: time, updatedAt: time),
                RevisionRecord(requestID: id, number: 1, document: "{\"title\":\"T\"}", requestDigest: "sha256:r-\(id)", authorID: requester,
                               createdAt: time),
                DecisionRecord(requestID: id, revision: 1, policyNumber: 1, policyDigest: "sha256:one", requestDigest: "sha256:r-\(id)",
                               outcome: outcome, decisionJSON: "{\"outcome\":\"\(outcome.rawValue)\"}", createdAt: time))
    }

    @Test("users and tokens round-trip; emails are unique; revoked tokens stay revoked", arguments: StoreKind.all)
    func usersAndTokens(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        #expect(try await store.user(email: "ana@example.com")?.id == "u1")
        #expect(try await store.siteAdminCount() == 1)
        await #expect(throws: StoreError.self) {
            try await store.createUser(UserRecord(id: "u2", email: "ana@example.com", name: "Other", passwordHash: nil,
                                                  isSiteAdmin: false, createdAt: Self.t0), audit: Self.draft("user.created", "u2"))
        }
        try await store.addToken(TokenRecord(id: "t1", userID: "u1", secretHash: "abc", label: "cli", createdAt: Self.t0),
                                 audit: Self.draft("token.created", "t1"))
        #expect(try await store.token(secretHash: "abc")?.userID == "u1")
        #expect(try await store.revokeToken(id: "t1", userID: "someone-else", at: Self.t0, audit: Self.draft("token.revoked", "t1")) == false)
        #expect(try await store.revokeToken(id: "t1", userID: "u1", at: Self.t0, audit: Self.draft("token.revoked", "t1")))
        #expect(try await store.token(secretHash: "abc")?.revokedAt != nil)
        #expect(try await store.revokeToken(id: "t1", userID: "u1", at: Self.t0, audit: Self.draft("token.revoked", "t1")) == false)
    }

    @Test("a new password ends the user's other sessions; a reset link works once and only before it expires", arguments: StoreKind.all)
    func passwordsAndResets(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        for (id, hash) in [("s1", "h1"), ("s2", "h2"), ("s3", "h3")] {
            try await store.startSession(SessionRecord(id: id, userID: "u1", secretHash: hash, createdAt: Self.t0,
                                                       expiresAt: Self.t0.addingTimeInterval(3600)), audit: Self.draft("session.started", id))
        }
        let later = Self.t0.addingTimeInterval(60)
        #expect(try await store.liveSessionCount(userID: "u1", at: later) == 3)
        #expect(try await store.setPassword(userID: "u1", hash: "bcrypt-new", at: later, keepingSession: "s1", reset: nil,
                                            audit: Self.draft("user.password.changed", "u1")))
        #expect(try await store.user(id: "u1")?.passwordHash == "bcrypt-new")
        #expect(try await store.sessionIdentity(secretHash: "h1", at: later) != nil, "the session in use stays")
        #expect(try await store.sessionIdentity(secretHash: "h2", at: later) == nil)
        #expect(try await store.liveSessionCount(userID: "u1", at: later) == 1)
        #expect(try await store.setPassword(userID: "nobody", hash: "x", at: later, keepingSession: nil, reset: nil,
                                            audit: Self.draft("user.password.changed", "nobody")) == false)

        try await store.startSession(SessionRecord(id: "s4", userID: "u1", secretHash: "h4", createdAt: later,
                                                   expiresAt: later.addingTimeInterval(3600)), audit: Self.draft("session.started", "s4"))
        #expect(try await store.endOtherSessions(userID: "u1", except: "s4", at: later, audit: Self.draft("session.others.ended", "u1")) == 1)
        #expect(try await store.endOtherSessions(userID: "u1", except: "s4", at: later, audit: Self.draft("session.others.ended", "u1")) == 0)
        #expect(try await store.sessionIdentity(secretHash: "h4", at: later) != nil)

        let reset = PasswordResetRecord(id: "pr1", userID: "u1", secretHash: "reset-hash", createdBy: "u1", createdAt: later,
                                        expiresAt: later.addingTimeInterval(3600))
        try await store.createPasswordReset(reset, audit: Self.draft("user.password.reset-issued", "u1"))
        #expect(try await store.passwordReset(secretHash: "reset-hash") == reset)
        let expired = later.addingTimeInterval(7200)
        #expect(try await store.setPassword(userID: "u1", hash: "too-late", at: expired, keepingSession: nil, reset: "pr1",
                                            audit: Self.draft("user.password.reset", "u1")) == false)
        #expect(try await store.user(id: "u1")?.passwordHash == "bcrypt-new", "an expired link changes nothing")
        #expect(try await store.setPassword(userID: "u1", hash: "from-link", at: later, keepingSession: nil, reset: "pr1",
                                            audit: Self.draft("user.password.reset", "u1")))
        #expect(try await store.sessionIdentity(secretHash: "h4", at: later) == nil, "a reset ends every session")
        #expect(try await store.passwordReset(secretHash: "reset-hash")?.usedAt != nil)
        #expect(try await store.setPassword(userID: "u1", hash: "again", at: later, keepingSession: nil, reset: "pr1",
                                            audit: Self.draft("user.password.reset", "u1")) == false, "a link works once")
        #expect(try await store.user(id: "u1")?.passwordHash == "from-link")
        let actions = try await store.auditEventsInOrder().map(\.action)
        #expect(actions.filter { $0 == "user.password.reset" }.count == 1)
        #expect(actions.filter { $0 == "session.others.ended" }.count == 1, "ending no session records nothing")
    }

    @Test("studios are renamed; productions keep their details and archive mark; members are removed", arguments: StoreKind.all)
    func studioAndProductionChanges(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        #expect(try await store.renameStudio(id: "acme", name: "Acme Pictures", audit: Self.draft("studio.renamed", "acme", studio: "acme")))
        #expect(try await store.renameStudio(id: "acme", name: "Acme Pictures", audit: Self.draft("studio.renamed", "acme", studio: "acme")) == false)
        #expect(try await store.studio(id: "acme")?.name == "Acme Pictures")

        var production = try #require(try await store.production(id: "p1"))
        #expect(production.territories.isEmpty && production.kind == nil, "a production made before the details has none")
        production.title = "P One"
        production.kind = .nonfiction
        production.territories = ["EU", "US-CA"]
        production.photographyStartsOn = "2027-01-04"
        production.deliveryOn = "2027-09-30"
        production.archivedAt = Self.t0
        #expect(try await store.updateProduction(production, audit: Self.draft("production.updated", "p1", studio: "acme", production: "p1")))
        let stored = try await store.production(id: "p1")
        #expect(stored?.title == "P One" && stored?.kind == .nonfiction && stored?.territories == ["EU", "US-CA"])
        #expect(stored?.photographyStartsOn == "2027-01-04" && stored?.deliveryOn == "2027-09-30")
        #expect(stored.flatMap(\.archivedAt).map { abs($0.timeIntervalSince(Self.t0)) < 0.01 } == true)
        #expect(try await store.productions(studioID: "acme").first?.territories == ["EU", "US-CA"])
        #expect(try await store.productionContext(id: "p1")?.production.kind == .nonfiction)
        var ghost = production
        ghost.id = "nope"
        #expect(try await store.updateProduction(ghost, audit: Self.draft("production.updated", "nope")) == false)

        try await store.setStudioMember(StudioMember(studioID: "acme", userID: "u1", role: .viewer), audit: Self.draft("studio.member.set", "u1", studio: "acme"))
        try await store.setProductionMember(ProductionMember(productionID: "p1", userID: "u1", role: .requester),
                                            audit: Self.draft("production.member.set", "u1", studio: "acme", production: "p1"))
        #expect(try await store.removeStudioMember(studioID: "acme", userID: "u1", audit: Self.draft("studio.member.removed", "u1", studio: "acme")))
        #expect(try await store.removeStudioMember(studioID: "acme", userID: "u1", audit: Self.draft("studio.member.removed", "u1", studio: "acme")) == false)
        #expect(try await store.studioMembers(studioID: "acme").isEmpty)
        #expect(try await store.removeProductionMember(productionID: "p1", userID: "u1",
                                                       audit: Self.draft("production.member.removed", "u1", studio: "acme", production: "p1")))
        #expect(try await store.productionMembers(productionID: "p1").isEmpty)
        #expect(try await store.verifyAuditChains().allSatisfy { $0.result.intact })
    }

    @Test("password attempts: counted per key within the window, refused at the limit with the oldest time, forgotten on request", arguments: StoreKind.all)
    func attempts(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let keys = [ThrottleKey("account:ana", limit: 2), ThrottleKey("address:ip", limit: 3)]
        let since = Self.t0.addingTimeInterval(-900)
        #expect(try await store.admitAttempt(keys: keys, since: since, at: Self.t0).isEmpty)
        #expect(try await store.admitAttempt(keys: keys, since: since, at: Self.t0.addingTimeInterval(1)).isEmpty)
        let refused = try await store.admitAttempt(keys: keys, since: since, at: Self.t0.addingTimeInterval(2))
        #expect(refused.count == 1)
        #expect(abs((refused.first ?? .distantPast).timeIntervalSince(Self.t0)) < 0.01, "the oldest attempt in the window")
        // A refused attempt is not counted: another account from the address still gets one more.
        #expect(try await store.admitAttempt(keys: [ThrottleKey("account:bo", limit: 2), ThrottleKey("address:ip", limit: 3)],
                                             since: since, at: Self.t0.addingTimeInterval(3)).isEmpty)
        try await store.forgetAttempts(key: "account:ana", newestOnly: false)
        try await store.forgetAttempts(key: "address:ip", newestOnly: true)
        #expect(try await store.admitAttempt(keys: keys, since: since, at: Self.t0.addingTimeInterval(4)).isEmpty)
        // Past the window the old attempts no longer count.
        let later = Self.t0.addingTimeInterval(2000)
        #expect(try await store.admitAttempt(keys: keys, since: later.addingTimeInterval(-900), at: later).isEmpty)
    }

    @Test("deactivating a user ends their live sessions and revokes their live tokens; reactivating leaves them ended", arguments: StoreKind.all)
    func deactivation(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.addToken(TokenRecord(id: "t1", userID: "u1", secretHash: "abc", label: "cli", createdAt: Self.t0,
                                             expiresAt: Self.t0.addingTimeInterval(86_400)), audit: Self.draft("token.created", "t1"))
        try await store.startSession(SessionRecord(id: "s1", userID: "u1", secretHash: "hash-1", createdAt: Self.t0,
                                                   expiresAt: Self.t0.addingTimeInterval(3600)), audit: Self.draft("session.started", "s1"))
        let at = Self.t0.addingTimeInterval(60)
        #expect(try await store.setUserDeactivated(id: "u1", at: at, audit: Self.draft("user.deactivated", "u1")))
        #expect(try await store.setUserDeactivated(id: "u1", at: at, audit: Self.draft("user.deactivated", "u1")) == false)
        #expect(try await store.user(id: "u1")?.isActive == false)
        #expect(try await store.token(secretHash: "abc")?.revokedAt != nil)
        #expect(try await store.sessionIdentity(secretHash: "hash-1", at: at.addingTimeInterval(1)) == nil)
        #expect(try await store.token(secretHash: "abc")?.expiresAt != nil)
        #expect(try await store.setUserDeactivated(id: "u1", at: nil, audit: Self.draft("user.reactivated", "u1")))
        #expect(try await store.user(id: "u1")?.isActive == true)
        #expect(try await store.token(secretHash: "abc")?.revokedAt != nil)
        #expect(try await store.users().map(\.id) == ["u1"])
    }

    @Test("web sessions: found by secret hash while live, with memberships; not once expired or ended", arguments: StoreKind.all)
    func sessions(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let session = SessionRecord(id: "s1", userID: "u1", secretHash: "hash-1", createdAt: Self.t0,
                                    expiresAt: Self.t0.addingTimeInterval(3600))
        try await store.startSession(session, audit: Self.draft("session.started", "s1"))
        await #expect(throws: StoreError.self) {
            try await store.startSession(SessionRecord(id: "s2", userID: "u1", secretHash: "hash-1", createdAt: Self.t0,
                                                       expiresAt: Self.t0), audit: Self.draft("session.started", "s2"))
        }
        let live = try await store.sessionIdentity(secretHash: "hash-1", at: Self.t0.addingTimeInterval(60))
        #expect(live?.session.id == "s1" && live?.user.id == "u1")
        #expect(live?.studioRoles.map(\.studioID) == (try await store.studioMemberships(userID: "u1")).map(\.studioID))
        #expect(try await store.sessionIdentity(secretHash: "hash-1", at: Self.t0.addingTimeInterval(3600)) == nil, "expired")
        #expect(try await store.sessionIdentity(secretHash: "other", at: Self.t0) == nil)
        #expect(try await store.endSession(id: "s1", at: Self.t0.addingTimeInterval(120), audit: Self.draft("session.ended", "s1")))
        #expect(try await store.sessionIdentity(secretHash: "hash-1", at: Self.t0.addingTimeInterval(130)) == nil, "ended")
        #expect(try await store.endSession(id: "s1", at: Self.t0, audit: Self.draft("session.ended", "s1")) == false)
        let actions = try await store.auditEvents(AuditQuery(limit: 100)).map(\.action)
        #expect(actions.filter { $0.hasPrefix("session.") } == ["session.started", "session.ended"],
                "the refused duplicate and the second end leave no audit event")
    }

    @Test("studios keep every policy version and refuse a skipped or repeated number", arguments: StoreKind.all)
    func policyVersions(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        await #expect(throws: StoreError.self) {
            try await store.createStudio(StudioRecord(id: "acme", name: "Again", createdAt: Self.t0),
                                         policy: Self.policy(number: 1, digest: "x"), audit: Self.draft("studio.created", "acme"))
        }
        try await store.publishPolicy(Self.policy(number: 2, digest: "sha256:two"), retriage: nil, audit: Self.draft("policy.published", "acme"))
        await #expect(throws: StoreError.self) {
            try await store.publishPolicy(Self.policy(number: 2, digest: "sha256:again"), retriage: nil, audit: Self.draft("policy.published", "acme"))
        }
        await #expect(throws: StoreError.self) {
            try await store.publishPolicy(Self.policy(number: 4, digest: "sha256:four"), retriage: nil, audit: Self.draft("policy.published", "acme"))
        }
        #expect(try await store.currentPolicyStamp(studioID: "acme") == PolicyVersionStamp(number: 2, digest: "sha256:two"))
        #expect(try await store.policyVersions(studioID: "acme").map(\.number) == [1, 2])
        #expect(try await store.policyVersion(studioID: "acme", number: 1)?.text == "policy 1")
        #expect(try await store.currentPolicy(studioID: "nobody") == nil)
    }

    @Test("tools are added, replaced and deleted per studio", arguments: StoreKind.all)
    func tools(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let tool = ToolEntry(studioID: "acme", id: "gen", record: "{\"id\":\"gen\"}", approvedFor: ["ideation"],
                             approvedUntil: "2027-01-01", evidence: "MSA", updatedAt: Self.t0)
        #expect(try await store.putTool(tool, audit: Self.draft("tool.saved", "gen")))
        var changed = tool
        changed.approvedFor = ["ideation", "previz"]
        #expect(try await store.putTool(changed, audit: Self.draft("tool.saved", "gen")) == false)
        #expect(try await store.tool(studioID: "acme", id: "gen")?.approvedFor == ["ideation", "previz"])
        #expect(try await store.tool(studioID: "other", id: "gen") == nil)
        #expect(try await store.deleteTool(studioID: "acme", id: "gen", audit: Self.draft("tool.deleted", "gen")))
        #expect(try await store.deleteTool(studioID: "acme", id: "gen", audit: Self.draft("tool.deleted", "gen")) == false)
        #expect(try await store.tools(studioID: "acme").isEmpty)
    }

    @Test("memberships are set, changed and listed both ways", arguments: StoreKind.all)
    func memberships(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.setStudioMember(StudioMember(studioID: "acme", userID: "u1", role: .approver, areas: [.legal, .talent]),
                                        audit: Self.draft("studio.member.set", "u1"))
        try await store.setStudioMember(StudioMember(studioID: "acme", userID: "u1", role: .admin),
                                        audit: Self.draft("studio.member.set", "u1"))
        #expect(try await store.studioMembers(studioID: "acme") == [StudioMember(studioID: "acme", userID: "u1", role: .admin)])
        try await store.setProductionMember(ProductionMember(productionID: "p1", userID: "u1", role: .coordinator),
                                            audit: Self.draft("production.member.set", "u1"))
        #expect(try await store.productionMemberships(userID: "u1").map(\.role) == [.coordinator])
        #expect(try await store.productionMembers(productionID: "p1").count == 1)
        #expect(try await store.productions(studioID: "acme").map(\.id) == ["p1"])
    }

    @Test("an invitation is accepted once, with its new user and membership in one step; not once expired", arguments: StoreKind.all)
    func invitations(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let invitation = InvitationRecord(id: "inv-1", secretHash: "hash-1", studioID: "acme", productionID: "p1", email: "new@example.com",
                                          role: "requester", areas: [], invitedBy: "u1", createdAt: Self.t0,
                                          expiresAt: Self.t0.addingTimeInterval(3600))
        try await store.createInvitation(invitation, audit: Self.draft("invitation.created", "inv-1", studio: "acme", production: "p1"))
        var expired = invitation
        expired.id = "inv-2"
        expired.secretHash = "hash-2"
        expired.expiresAt = Self.t0.addingTimeInterval(60)
        try await store.createInvitation(expired, audit: Self.draft("invitation.created", "inv-2", studio: "acme", production: "p1"))
        #expect(try await store.invitation(secretHash: "hash-1") == invitation)
        #expect(try await store.openInvitations(email: "new@example.com", at: Self.t0.addingTimeInterval(120)).map(\.id) == ["inv-1"])
        #expect(try await store.openInvitations(studioID: "acme", productionID: "p1", at: Self.t0.addingTimeInterval(120)).map(\.id) == ["inv-1"])
        #expect(try await store.openInvitations(studioID: "acme", productionID: nil, at: Self.t0).isEmpty,
                "the studio's own invitations are not its productions'")

        let user = UserRecord(id: "u9", email: "new@example.com", name: "New", passwordHash: nil, isSiteAdmin: false, createdAt: Self.t0)
        // A new user whose email is taken rolls the whole acceptance back.
        let taken = UserRecord(id: "u8", email: "ana@example.com", name: "Dup", passwordHash: nil, isSiteAdmin: false, createdAt: Self.t0)
        await #expect(throws: StoreError.self) {
            _ = try await store.acceptInvitation(id: "inv-1", userID: "u8", newUser: taken, at: Self.t0, audit: [Self.draft("x", "u8")])
        }
        #expect(try await store.invitation(secretHash: "hash-1")?.acceptedAt == nil)
        #expect(try await store.acceptInvitation(id: "inv-2", userID: "u9", newUser: user, at: Self.t0.addingTimeInterval(120),
                                                 audit: []) == false)
        #expect(try await store.user(id: "u9") == nil)

        #expect(try await store.acceptInvitation(id: "inv-1", userID: "u9", newUser: user, at: Self.t0,
                                                 audit: [Self.draft("user.created", "u9"), Self.draft("invitation.accepted", "inv-1")]))
        #expect(try await store.user(id: "u9")?.email == "new@example.com")
        #expect(try await store.productionMembers(productionID: "p1") == [ProductionMember(productionID: "p1", userID: "u9", role: .requester)])
        #expect(try await store.invitation(secretHash: "hash-1")?.acceptedBy == "u9")
        #expect(try await store.acceptInvitation(id: "inv-1", userID: "u9", newUser: nil, at: Self.t0, audit: []) == false)
        #expect(try await store.openInvitations(email: "new@example.com", at: Self.t0.addingTimeInterval(120)).isEmpty)
        #expect(try await store.openInvitations(studioID: "acme", productionID: "p1", at: Self.t0.addingTimeInterval(120)).isEmpty)
        let chain = try await store.auditChain(AuditChain.site)
        #expect(chain.events.suffix(2).map(\.action) == ["user.created", "invitation.accepted"])
        #expect(AuditChain.verify(chain.events, head: chain.head).intact)
    }

    @Test("the dashboard's counts follow filing, revising and re-triage, and a refused write changes none", arguments: StoreKind.all)
    func dashboardTallies(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.createProduction(ProductionRecord(id: "p2", studioID: "acme", title: "P2", createdAt: Self.t0),
                                         audit: Self.draft("production.created", "p2", studio: "acme", production: "p2"))
        for (index, (outcome, areas)) in [(Outcome.escalate, [Area.data]), (.approvalRequired, [.legal, .talent]), (.socialize, [])].enumerated() {
            let (record, revision, decision) = Self.request("t\(index)", at: Double(index), outcome: outcome, areas: areas,
                                                             state: outcome == .socialize ? .socialized : .escalated)
            try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", record.id))
        }
        var other = Self.request("t9", at: 9).0
        other.productionID = "p2"
        let (_, otherRevision, otherDecision) = Self.request("t9", at: 9)
        try await store.createRequest(other, revision: otherRevision, decision: otherDecision, audit: Self.draft("request.submitted", "t9"))
        // t0 revised to approval-required for legal; t1 re-triaged to escalate for data.
        var revised = try #require(try await store.request(id: "t0"))
        revised.revision = 2
        revised.outcome = .approvalRequired
        revised.areas = [.legal]
        let (_, firstRevision, firstDecision) = Self.request("t0", at: 0)
        var second = firstRevision
        second.number = 2
        var secondDecision = firstDecision
        secondDecision.revision = 2
        try await store.reviseRequest(revised, revision: second, decision: secondDecision, audit: Self.draft("request.revised", "t0"))
        await #expect(throws: StoreError.self) {
            try await store.reviseRequest(revised, revision: second, decision: secondDecision, audit: Self.draft("request.revised", "t0"))
        }
        var retriaged = try #require(try await store.request(id: "t1"))
        retriaged.outcome = .escalate
        retriaged.areas = [.data]
        var third = Self.request("t1", at: 1).2
        third.policyNumber = 2
        third.outcome = .escalate
        try await store.recordDecision(retriaged, decision: third, carried: [], job: nil, audit: Self.draft("request.retriaged", "t1"))

        let requests = try await store.requests(RequestQuery(studioID: "acme", limit: 100))
        for production in [nil, "p1", "p2"] as [String?] {
            let counted = requests.filter { production == nil || $0.productionID == production }
            let counts = try await store.dashboardCounts(studioID: "acme", productionID: production, since: Self.t0.addingTimeInterval(-40 * 86400))
            #expect(counts.byOutcome == Dictionary(grouping: counted, by: \.outcome).mapValues(\.count), "\(production ?? "studio")")
            #expect(counts.byArea == Dictionary(grouping: counted.flatMap(\.areas), by: { $0 }).mapValues(\.count), "\(production ?? "studio")")
            #expect(counts.byMonth == Dictionary(grouping: counted, by: { DashboardTally.month(of: $0.createdAt) }).mapValues(\.count))
        }
        #expect(try await store.dashboardCounts(studioID: "acme", productionID: nil, since: Self.t0.addingTimeInterval(40 * 86400)).byMonth.isEmpty,
                "months before `since` are left out")
    }

    @Test("requests keep every revision and decision; a stale revision is a conflict", arguments: StoreKind.all)
    func revisions(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let (record, revision, decision) = Self.request("r1", at: 0)
        try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", "r1"))
        var revised = record
        revised.revision = 2
        revised.outcome = .socialize
        revised.state = .socialized
        var second = revision
        second.number = 2
        var secondDecision = decision
        secondDecision.revision = 2
        try await store.reviseRequest(revised, revision: second, decision: secondDecision, audit: Self.draft("request.revised", "r1"))
        // A second writer that also read revision 1 loses.
        await #expect(throws: StoreError.self) {
            try await store.reviseRequest(revised, revision: second, decision: secondDecision, audit: Self.draft("request.revised", "r1"))
        }
        #expect(try await store.request(id: "r1")?.outcome == .socialize)
        #expect(try await store.revisions(requestID: "r1").map(\.number) == [1, 2])
        #expect(try await store.decisions(requestID: "r1").map(\.revision) == [1, 2])

        // A new policy version's decision for the current revision; one for a stale revision is refused.
        var retriaged = revised
        retriaged.outcome = .approvalRequired
        var third = secondDecision
        third.policyNumber = 2
        third.outcome = .approvalRequired
        try await store.recordDecision(retriaged, decision: third, carried: [], job: nil, audit: Self.draft("request.retriaged", "r1"))
        await #expect(throws: StoreError.self) {
            try await store.recordDecision(retriaged, decision: decision, carried: [], job: nil, audit: Self.draft("request.retriaged", "r1"))
        }
        #expect(try await store.request(id: "r1")?.outcome == .approvalRequired)
        #expect(try await store.decisions(requestID: "r1").map(\.policyNumber) == [1, 1, 2])
        #expect(try await store.openRequests(studioID: "acme").map(\.id) == ["r1"])
        // An older policy version's decision does not replace a newer one.
        var older = third
        older.policyNumber = 1
        await #expect(throws: StoreError.self) {
            try await store.recordDecision(retriaged, decision: older, carried: [], job: nil, audit: Self.draft("request.retriaged", "r1"))
        }
        // A move made against a revision the caller did not see is refused.
        await #expect(throws: StoreError.self) {
            try await store.transition(requestID: "r1", expectedRevision: 1, event: .withdraw, at: Self.t0, acknowledgement: nil,
                                       audit: Self.draft("request.withdrawn", "r1"))
        }
        let withdrawn = try await store.transition(requestID: "r1", expectedRevision: 2, event: .withdraw, at: Self.t0,
                                                   acknowledgement: nil, audit: Self.draft("request.withdrawn", "r1"))
        #expect(withdrawn.state == .withdrawn)
        #expect(try await store.openRequests(studioID: "acme").isEmpty)
        // The workflow table is checked inside the store: a withdrawn request cannot be withdrawn again.
        await #expect(throws: StoreError.self) {
            try await store.transition(requestID: "r1", expectedRevision: nil, event: .withdraw, at: Self.t0, acknowledgement: nil,
                                       audit: Self.draft("request.withdrawn", "r1"))
        }
    }

    @Test("request listing filters by state, outcome and area, newest first, a page at a time", arguments: StoreKind.all)
    func listing(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        for index in 0..<7 {
            let outcome: Outcome = index.isMultiple(of: 2) ? .escalate : .socialize
            let (record, revision, decision) = Self.request("r\(index)", at: TimeInterval(index), outcome: outcome,
                                                            areas: outcome == .escalate ? [.legal] : [],
                                                            state: outcome == .escalate ? .escalated : .socialized)
            try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", "r\(index)"))
        }
        #expect(try await store.requests(RequestQuery(productionID: "p1", outcome: .escalate)).map(\.id) == ["r6", "r4", "r2", "r0"])
        #expect(try await store.requests(RequestQuery(productionID: "p1", state: .socialized)).map(\.id) == ["r5", "r3", "r1"])
        #expect(try await store.requests(RequestQuery(productionID: "p1", area: .legal)).count == 4)
        #expect(try await store.requests(RequestQuery(productionID: "p1", area: .talent)).isEmpty)
        let first = try await store.requests(RequestQuery(productionID: "p1", limit: 3))
        let second = try await store.requests(RequestQuery(productionID: "p1", after: first.last?.id, limit: 3))
        let third = try await store.requests(RequestQuery(productionID: "p1", after: second.last?.id, limit: 3))
        #expect((first + second + third).map(\.id) == ["r6", "r5", "r4", "r3", "r2", "r1", "r0"])
        #expect(try await store.requests(RequestQuery(productionID: "other")).isEmpty)
    }

    @Test("consents are found by each production they name, and revoked once", arguments: StoreKind.all)
    func consents(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let consent = ConsentRecord(id: "c1", studioID: "acme", productions: ["p1", "p2"], performer: "Jane Roe", kind: .alteration,
                                    permittedUse: "de-age the flashback scenes in episode two", signedOn: "2026-01-01",
                                    noticeOn: nil, expiresOn: "2027-01-01", signedSeparately: true, documentRef: "DMS-1",
                                    createdBy: "u1", createdAt: Self.t0)
        try await store.createConsent(consent, audit: Self.draft("consent.recorded", "c1"))
        #expect(try await store.consents(productionID: "p2").map(\.id) == ["c1"])
        #expect(try await store.consents(productionID: "p").isEmpty)
        #expect(try await store.revokeConsent(id: "c1", at: Self.t0, reason: "withdrawn", audit: Self.draft("consent.revoked", "c1")))
        #expect(try await store.revokeConsent(id: "c1", at: Self.t0, reason: nil, audit: Self.draft("consent.revoked", "c1")) == false)
        #expect(try await store.consent(id: "c1")?.revokedReason == "withdrawn")
    }

    @Test("an approver's queue: escalated requests with one of their areas still unjudged on the current decision, none of their own, counted", arguments: StoreKind.all)
    func approverQueue(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.createUser(UserRecord(id: "u2", email: "lee@example.com", name: "Lee", passwordHash: nil, isSiteAdmin: false,
                                              createdAt: Self.t0), audit: Self.draft("user.created", "u2"))
        for (index, id) in ["r1", "r2", "r3", "r4"].enumerated() {
            let (record, revision, decision) = Self.request(id, at: Double(index), areas: id == "r4" ? [.data] : [.legal, .talent])
            try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", id))
        }
        // Legal has judged r1; talent has not.
        let verdict = VerdictRecord(id: "v1", requestID: "r1", revision: 1, area: .legal, approverID: "u2", verdict: .approved,
                                    conditions: [], note: nil, requestDigest: "sha256:r-r1", policyDigest: "sha256:one",
                                    expiresOn: nil, createdAt: Self.t0)
        _ = try await store.addVerdict(verdict, audit: Self.draft("request.verdict", "r1"))
        func queue(_ areas: [Area], by user: String = "u2", after: String? = nil, limit: Int = 50) async throws -> [String] {
            try await store.requests(RequestQuery(studioID: "acme", state: .escalated, awaitingVerdictFrom: areas, notAuthoredBy: user,
                                                  after: after, limit: limit)).map(\.id)
        }
        #expect(try await queue([.legal]) == ["r3", "r2"])
        #expect(try await queue([.talent]) == ["r3", "r2", "r1"])
        #expect(try await queue([.legal, .data]) == ["r4", "r3", "r2"])
        #expect(try await queue([.talent], limit: 2) == ["r3", "r2"])
        #expect(try await queue([.talent], after: "r2", limit: 2) == ["r1"])
        #expect(try await store.countRequests(RequestQuery(studioID: "acme", state: .escalated, awaitingVerdictFrom: [.talent],
                                                           notAuthoredBy: "u2")) == 3)
        // Their own requests are never in their queue.
        #expect(try await queue([.talent], by: "u1").isEmpty)
        // A new decision (a new policy) makes the legal verdict stale: r1 waits on legal again.
        var retriaged = try #require(try await store.request(id: "r1"))
        retriaged.updatedAt = Self.t0.addingTimeInterval(10)
        try await store.publishPolicy(Self.policy(number: 2, digest: "sha256:two"), retriage: nil, audit: Self.draft("policy.published", "acme", studio: "acme"))
        let (_, _, decision) = Self.request("r1", at: 10, areas: [.legal, .talent])
        var second = decision
        second.policyNumber = 2
        second.policyDigest = "sha256:two"
        try await store.recordDecision(retriaged, decision: second, carried: [], job: nil, audit: Self.draft("request.retriaged", "r1"))
        #expect(try await queue([.legal]) == ["r3", "r2", "r1"])
    }

    @Test("dashboard counts: by outcome, area and month in the database, and each settled use with its counting verdicts", arguments: StoreKind.all)
    func dashboardCounts(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.createProduction(ProductionRecord(id: "p2", studioID: "acme", title: "P2", createdAt: Self.t0),
                                         audit: Self.draft("production.created", "p2", studio: "acme", production: "p2"))
        let day = 86_400.0
        let requests = [("r1", -40 * day, Outcome.escalate, [Area.legal]), ("r2", 0, .approvalRequired, [.legal, .talent]),
                        ("r3", day, .socialize, []), ("r4", 2 * day, .escalate, [.data])]
        for (id, offset, outcome, areas) in requests {
            let (record, revision, decision) = Self.request(id, at: offset, outcome: outcome, areas: areas,
                                                            state: outcome == .socialize ? .socialized : .escalated)
            try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", id))
        }
        var other = Self.request("r5", at: 0, areas: [.legal])
        other.0.productionID = "p2"
        try await store.createRequest(other.0, revision: other.1, decision: other.2, audit: Self.draft("request.submitted", "r5"))
        // r2: legal approves after 2 hours, talent after 30: settled (approved) 30 hours after its triage.
        for (area, hours) in [(Area.legal, 2.0), (.talent, 30.0)] {
            _ = try await store.addVerdict(VerdictRecord(id: "v-\(area.rawValue)", requestID: "r2", revision: 1, area: area, approverID: "u1",
                                                         verdict: .approved, conditions: [], note: nil, requestDigest: "sha256:r-r2",
                                                         policyDigest: "sha256:one", expiresOn: nil, createdAt: Self.t0.addingTimeInterval(hours * 3600)),
                                           audit: Self.draft("request.verdict", "r2"))
        }
        let counts = try await store.dashboardCounts(studioID: "acme", productionID: "p1", since: Self.t0.addingTimeInterval(-day))
        #expect(counts.byOutcome == [.escalate: 2, .approvalRequired: 1, .socialize: 1])
        #expect(counts.total == 4)
        #expect(counts.byArea == [.legal: 2, .talent: 1, .data: 1])
        #expect(counts.byMonth.values.reduce(0, +) == 3, "r1 was filed before `since`")
        #expect(counts.settled == [SettledUse(state: .approved, triagedAt: Self.t0, verdicts: [
            .init(kind: .approved, at: Self.t0.addingTimeInterval(2 * 3600)), .init(kind: .approved, at: Self.t0.addingTimeInterval(30 * 3600)),
        ])])
        let studio = try await store.dashboardCounts(studioID: "acme", productionID: nil, since: Self.t0.addingTimeInterval(-day))
        #expect(studio.total == 5 && studio.byArea[.legal] == 3)
    }

    @Test("a verdict keeps the assets it covers; a verdict recorded before assets existed covers none", arguments: StoreKind.all)
    func verdictAssets(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        let (record, revision, decision) = Self.request("r1", at: 0, areas: [.data])
        try await store.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", "r1"))
        let verdict = VerdictRecord(id: "v1", requestID: "r1", revision: 1, area: .data, approverID: "u1", verdict: .approved,
                                    conditions: [], note: nil, requestDigest: "sha256:r-r1", policyDigest: "sha256:one",
                                    expiresOn: nil, createdAt: Self.t0, assets: ["shots/ep101/*.exr", "id:PLATE-7"])
        #expect(try await store.addVerdict(verdict, audit: Self.draft("request.verdict", "r1")).state == .approved)
        #expect(try await store.verdicts(requestID: "r1") == [verdict])

        let older = #"""
            {"id": "v0", "requestID": "r1", "revision": 1, "area": "data", "approverID": "u1", "verdict": "approved",
             "conditions": [], "requestDigest": "sha256:r-r1", "policyDigest": "sha256:one", "createdAt": 0}
            """#
        #expect(try JSONDecoder().decode(VerdictRecord.self, from: Data(older.utf8)).assets == [])
    }

    /// A SQLite database file with one user, studio `acme` and production `p1`, to take back to an
    /// older schema and open again.
    static func seededFile(_ label: String) async throws -> (path: String, store: SQLiteStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("clearance.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.createUser(UserRecord(id: "u1", email: "ana@example.com", name: "Ana", passwordHash: nil, isSiteAdmin: true,
                                              createdAt: t0), audit: draft("user.created", "u1"))
        try await store.createStudio(StudioRecord(id: "acme", name: "Acme", createdAt: t0),
                                     policy: policy(number: 1, digest: "sha256:one"), audit: draft("studio.created", "acme"))
        try await store.createProduction(ProductionRecord(id: "p1", studioID: "acme", title: "P1", createdAt: t0),
                                         audit: draft("production.created", "p1"))
        return (path, store)
    }

    @Test("a SQLite database from before v6-scans migrates: its verdicts cover no assets, and scans can be added")
    func upgradeToScans() async throws {
        let path: String
        do {
            // Its own scope: this store closes before the file is opened again.
            let (seeded, fresh) = try await Self.seededFile("v5")
            path = seeded
            let (record, revision, decision) = Self.request("r1", at: 0)
            try await fresh.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", "r1"))
            // Back to the v5 schema, with a verdict written the way v5 wrote it.
            try await fresh.databaseWriter.write { db in
                try db.execute(sql: "DROP TABLE scan")
                try db.execute(sql: "ALTER TABLE verdict DROP COLUMN assets")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6-scans'")
                try db.execute(sql: """
                    INSERT INTO verdict (id, requestID, revision, area, approverID, verdict, conditions, requestDigest, policyDigest, createdAt)
                    VALUES ('v1', 'r1', 1, 'data', 'u1', 'approved', '[]', 'sha256:r-r1', 'sha256:one', '2026-09-21 12:00:00.000')
                    """)
            }
        }
        let upgraded = try SQLiteStore(path: path)
        #expect(try await upgraded.verdicts(requestID: "r1").map(\.assets) == [[]])
        try await upgraded.addScan(Self.scan(0), audit: Self.draft("scan.uploaded", "scan-0"))
        #expect(try await upgraded.scan(id: "scan-0") == Self.scan(0))
    }

    @Test("a SQLite database from before the dashboard tallies migrates: they are counted from its requests")
    func upgradeToTallies() async throws {
        let path: String
        do {
            // Its own scope: this store closes before the file is opened again.
            let (seeded, fresh) = try await Self.seededFile("v13")
            path = seeded
            for (id, outcome, areas) in [("r1", Outcome.escalate, [Area.data, .legal]), ("r2", .approvalRequired, [.legal])] {
                let (record, revision, decision) = Self.request(id, at: 0, outcome: outcome, areas: areas)
                try await fresh.createRequest(record, revision: revision, decision: decision, audit: Self.draft("request.submitted", id))
            }
            // Back to the v13 schema, which had no tallies.
            try await fresh.databaseWriter.write { db in
                try db.execute(sql: #"DROP TABLE "dashboardTally""#)
                try db.execute(sql: #"DROP INDEX "useRequest_studio_state""#)
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v14-dashboard-tallies'")
            }
        }
        let upgraded = try SQLiteStore(path: path)
        let counts = try await upgraded.dashboardCounts(studioID: "acme", productionID: "p1", since: Self.t0.addingTimeInterval(-86400))
        #expect(counts.byOutcome == [.escalate: 1, .approvalRequired: 1])
        #expect(counts.byArea == [.data: 1, .legal: 2])
        #expect(counts.byMonth == [DashboardTally.month(of: Self.t0): 2])
    }

    static func scan(_ index: Int, production: String = "p1") -> ScanRecord {
        ScanRecord(id: "scan-\(index)", productionID: production, studioID: "acme", uploadedBy: "u1",
                   createdAt: t0.addingTimeInterval(TimeInterval(index)), scanner: "clearance-scan 1.0", total: 10 + index,
                   flagged: 2, unapproved: index, byVerdict: ["generated": 1, "heuristic": 1, "no-markers": 8 + index],
                   report: #"{"files":[],"scanner":"clearance-scan 1.0","n":\#(index)}"#)
    }

    @Test("scans keep their report; lists come newest first, a page at a time, without reports", arguments: StoreKind.all)
    func scans(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        for index in 0..<3 {
            try await store.addScan(Self.scan(index), audit: Self.draft("scan.uploaded", "scan-\(index)", studio: "acme", production: "p1"))
        }
        await #expect(throws: StoreError.self) {
            try await store.addScan(Self.scan(1), audit: Self.draft("scan.uploaded", "scan-1"))
        }
        #expect(try await store.scan(id: "scan-1") == Self.scan(1))
        #expect(try await store.scan(id: "scan-9") == nil)
        let first = try await store.scans(productionID: "p1", after: nil, limit: 2)
        #expect(first.map(\.id) == ["scan-2", "scan-1"])
        #expect(first.allSatisfy { $0.report == nil }, "a list leaves the reports out")
        var listed = Self.scan(2)
        listed.report = nil
        #expect(first.first == listed)
        #expect(try await store.scans(productionID: "p1", after: "scan-1", limit: 2).map(\.id) == ["scan-0"])
        #expect(try await store.scans(productionID: "p2", after: nil, limit: 10).isEmpty)
        let actions = try await store.auditEvents(AuditQuery(productionID: "p1", limit: 100)).map(\.action)
        #expect(actions.filter { $0 == "scan.uploaded" }.count == 3, "the refused duplicate leaves no event")
        if let sqlite = store as? SQLiteStore {
            #expect(try await sqlite.snapshot().scans == (0..<3).map { Self.scan($0) }, "clearance migrate copies scans too")
        }
    }

    @Test("every change appends one linked event to its studio's chain or the site's, and each chain verifies", arguments: StoreKind.all)
    func auditChain(kind: StoreKind) async throws {
        let store = try await Self.seeded(kind)
        try await store.appendAudit(Self.draft("note", "x", studio: "acme", production: "p1"))
        let (events, head) = try await store.auditChain("studio:acme")
        #expect(events.map(\.action) == ["studio.created", "production.created", "note"])
        #expect(events.map(\.position) == [1, 2, 3] && head?.position == 3)
        #expect(events.first?.previousHash == AuditChain.zeroHash, "a chain begun on a new database follows the zero hash")
        #expect(AuditChain.verify(events, head: head).intact)
        #expect(try await store.auditChain(AuditChain.site).events.map(\.action) == ["user.created"])
        #expect(try await store.auditHeads().map(\.chain) == ["site", "studio:acme"])
        #expect(try await store.verifyAuditChains().allSatisfy { $0.result.intact })
        #expect(try await store.auditEvents(AuditQuery(studioID: "acme")).map(\.seq) == [2, 3, 4])
        #expect(try await store.auditEvents(AuditQuery(productionID: "p1", afterSeq: 3)).map(\.seq) == [4])
        #expect(try await store.auditEvents(AuditQuery(studioIDs: [])).isEmpty)
        // A failed write leaves no event behind.
        await #expect(throws: StoreError.self) {
            try await store.createProduction(ProductionRecord(id: "p1", studioID: "acme", title: "dup", createdAt: Self.t0),
                                             audit: Self.draft("production.created", "p1"))
        }
        #expect(try await store.auditChain("studio:acme").events.count == 3)
    }
}

/// The implementations the conformance suite runs against.
