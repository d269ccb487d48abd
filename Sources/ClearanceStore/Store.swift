public import ClearanceCore
public import Foundation

/// Everything the service keeps. Every method that changes something takes the audit event
/// that describes the change and appends it to the chain in the same transaction, so a change
/// and its record are committed together or not at all. Implementations return only after the
/// transaction has committed.
///
/// Methods are named by intent; callers check access before calling. Conformance is checked
/// by the shared suite in `ClearanceStoreTests`.
public protocol Store: Sendable {
    // MARK: Users and tokens
    func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError)
    func user(id: String) async throws(StoreError) -> UserRecord?
    func user(email: String) async throws(StoreError) -> UserRecord?
    func siteAdminCount() async throws(StoreError) -> Int
    func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError)
    /// The token with this secret hash, revoked or not.
    func token(secretHash: String) async throws(StoreError) -> TokenRecord?
    func tokens(userID: String) async throws(StoreError) -> [TokenRecord]
    /// Marks a user's token revoked; false if the user has no such live token.
    func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool

    /// The live or revoked token with this secret hash, its user and every membership, in one
    /// read: what authenticating a request needs.
    func identity(secretHash: String) async throws(StoreError) -> Identity?

    /// Every user, by email.
    func users() async throws(StoreError) -> [UserRecord]
    /// Deactivates a user (`at` is the time) or reactivates one (`at` nil). Deactivating ends the
    /// user's live sessions and revokes their live tokens in the same transaction. False if there
    /// is no such user or nothing changes.
    func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool

    /// Sets a user's password hash and ends every live session of theirs but `keepingSession`,
    /// in one transaction. With `reset`, the reset link is used up in the same transaction; false,
    /// changing nothing, if it is no longer open at `at` (or the user does not exist).
    func setPassword(userID: String, hash: String, at: Date, keepingSession: String?, reset: String?,
                     audit: AuditDraft) async throws(StoreError) -> Bool
    /// Ends every live session of a user but `except`; how many ended.
    func endOtherSessions(userID: String, except: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Int
    /// How many live sessions a user has at `at`.
    func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int
    func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditDraft) async throws(StoreError)
    /// The reset link with this secret hash, used or not.
    func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord?

    // MARK: Invitations
    func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError)
    /// The invitation with this secret hash, open or not.
    func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord?
    /// The invitations to this email still open at `at`, newest first.
    func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord]
    /// The invitations to a studio (`productionID` nil: to the studio itself) or to one of its
    /// productions still open at `at`, newest first.
    func openInvitations(studioID: String, productionID: String?, at: Date) async throws(StoreError) -> [InvitationRecord]
    /// Accepts an invitation in one transaction: creates `newUser` when given (`conflict` if its
    /// email is taken), marks the invitation accepted by `userID`, sets the membership it carries
    /// and appends the audit events in order. False, changing nothing, if the invitation is no
    /// longer open at `at` (accepted meanwhile, or expired).
    func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                          audit: [AuditDraft]) async throws(StoreError) -> Bool

    // MARK: Password attempts
    /// Counts one attempt against every key, unless some key already holds its `limit` of attempts
    /// made since `since`: then nothing is counted, and the answer holds the oldest attempt in
    /// the window of each key that is full. An empty answer means the attempt was admitted.
    /// Attempts older than `since` are forgotten. Atomic across processes sharing the database.
    func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date]
    /// Forgets a key's attempts: every one, or only the newest.
    func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError)

    // MARK: Web sessions
    func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError)
    /// The session with this secret hash if it is live at `at`, with its user and every
    /// membership; nil for an unknown, ended or expired session.
    func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity?
    /// Ends a live session; false if it had already ended.
    func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool

    // MARK: Studios and their policies
    /// Creates a studio with its first policy version.
    func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError)
    func studio(id: String) async throws(StoreError) -> StudioRecord?
    func studios() async throws(StoreError) -> [StudioRecord]
    /// Renames a studio; false if there is no such studio or the name is unchanged.
    func renameStudio(id: String, name: String, audit: AuditDraft) async throws(StoreError) -> Bool
    /// Removes someone from a studio; false if they were not a member.
    func removeStudioMember(studioID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool
    /// Adds or changes a member's role.
    func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError)
    func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember]
    func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember]
    /// Adds the next version and, with `retriage`, queues the job that re-triages the studio's open
    /// requests under it, counting them in the same transaction; `conflict` if `version.number` is
    /// not the next number.
    func publishPolicy(_ version: PolicyVersionRecord, retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError)
    /// Changes a studio's overlays: switches one on or off (`setting`) or publishes a custom one
    /// (`overlay`), as a new policy version that keeps the studio's text and says what changed,
    /// so that the re-triage job re-decides the open requests it covers.
    func changeRulebooks(setting: OverlaySetting?, overlay: OverlayVersionRecord?, version: PolicyVersionRecord,
                         retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError)
    /// Overlays switched on or off, for the studio and its productions.
    func overlaySettings(studioID: String) async throws(StoreError) -> [OverlaySetting]
    /// Every published version of the studio's custom overlays, oldest first.
    func overlayVersions(studioID: String) async throws(StoreError) -> [OverlayVersionRecord]
    func currentPolicy(studioID: String) async throws(StoreError) -> PolicyVersionRecord?
    /// The current version's number and digest, without its text: what every triage needs.
    func currentPolicyStamp(studioID: String) async throws(StoreError) -> PolicyVersionStamp?
    func policyVersion(studioID: String, number: Int) async throws(StoreError) -> PolicyVersionRecord?
    /// Every version, oldest first.
    func policyVersions(studioID: String) async throws(StoreError) -> [PolicyVersionRecord]

    // MARK: Tools
    /// Adds or replaces a tool; true if it was new.
    func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool
    func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry?
    func tools(studioID: String) async throws(StoreError) -> [ToolEntry]
    func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool

    // MARK: Productions
    func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError)
    func production(id: String) async throws(StoreError) -> ProductionRecord?
    /// A production with its studio's current policy version and tool registry, in one read:
    /// what a triage needs.
    func productionContext(id: String) async throws(StoreError) -> ProductionContext?
    func productions(studioID: String) async throws(StoreError) -> [ProductionRecord]
    /// Rewrites a production's title, kind, territories, dates and archive mark (never its id or
    /// studio); false if there is no such production.
    func updateProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) -> Bool
    func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError)
    /// Removes someone from a production; false if they were not a member.
    func removeProductionMember(productionID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool
    func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember]
    func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember]

    // MARK: Use requests
    /// `conflict` if the decision's policy version is no longer the studio's current one.
    func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                       audit: AuditDraft) async throws(StoreError)
    /// Stores a new revision; `conflict` if the request is no longer at `revision.number - 1`, its
    /// state does not allow a revision, or the decision's policy version is no longer current.
    func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                       audit: AuditDraft) async throws(StoreError)
    /// Records a new decision for a request's current revision, as when a new policy version
    /// re-triages it. `conflict` if the request has been revised since `decision.revision`, is not
    /// socialized or escalated, or already has a decision under a newer policy version. The state,
    /// outcome and areas follow the new decision.
    /// With `job`, the job's count of re-triaged requests moves in the same transaction.
    /// `carried` are the verdicts the new decision keeps, bound to it (`VerdictRecord.carried`).
    func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, carried: [VerdictRecord], job: RetriageJob?,
                        audit: AuditDraft) async throws(StoreError)
    func request(id: String) async throws(StoreError) -> UseRequestRecord?
    /// A studio's requests that are still open (submitted, socialized, escalated, revised), oldest first.
    func openRequests(studioID: String) async throws(StoreError) -> [UseRequestRecord]
    /// Newest first, filtered, one page at a time.
    func requests(_ query: RequestQuery) async throws(StoreError) -> [UseRequestRecord]
    /// How many requests the query's filters match, all pages together (`after` and `limit` are ignored).
    func countRequests(_ query: RequestQuery) async throws(StoreError) -> Int
    /// A page of a production's requests in filing order (oldest first, after the request `after`),
    /// each with its latest decision, its latest revision's document and all its verdicts: what a
    /// register needs, in a few set-based reads a page, however many requests there are.
    func registerPage(productionID: String, state: RequestState?, after: String?, limit: Int) async throws(StoreError) -> [RegisterRow]
    /// What a dashboard draws, counted in the database: over a studio, or one of its productions.
    /// Months count requests filed from `since` on.
    func dashboardCounts(studioID: String, productionID: String?, since: Date) async throws(StoreError) -> DashboardCounts
    /// Oldest first.
    func revisions(requestID: String) async throws(StoreError) -> [RevisionRecord]
    /// Oldest first.
    func decisions(requestID: String) async throws(StoreError) -> [DecisionRecord]

    // MARK: Workflow
    /// Moves a request by an event, checking the move inside the transaction so a concurrent move
    /// is never overwritten; `conflict` (naming the allowed moves) if the state does not accept it.
    /// An acknowledgement, when given, is recorded with the move.
    /// With `expectedRevision`, `conflict` if the request was revised since the caller looked.
    func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date,
                    acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord
    /// Adds a verdict for the request's current revision and applies what the verdicts for these
    /// digests now call for (approve, reject, request changes), against the areas the stored request
    /// needs. `conflict` if the area already has a verdict for these digests, the request was revised
    /// or re-triaged since (the digests differ), the area is no longer needed, or it is not escalated.
    func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord
    /// Marks a request for another look without changing its state or decision; with `job`, the
    /// request joins the job's flagged list in the same transaction. False, changing and recording
    /// nothing, if it already carries this reason.
    func flagForReview(requestID: String, reason: String, job: RetriageJob?, audit: AuditDraft) async throws(StoreError) -> Bool

    // MARK: Re-triage jobs
    func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob?
    /// Takes the oldest unfinished job whose lease is free or has lapsed at `at`, for `owner` until
    /// `leaseUntil`; nil when there is none. Two instances never hold one job at once.
    func claimRetriageJob(owner: String, at: Date, leaseUntil: Date) async throws(StoreError) -> RetriageJob?
    /// Extends the lease; false if `owner` no longer holds it (it lapsed and another took it) or the job is done.
    func renewRetriageLease(studioID: String, number: Int, owner: String, at: Date, until: Date) async throws(StoreError) -> Bool
    /// The open requests of the job's studio still decided under an older version, less those it set
    /// aside: a page, oldest first, and how many there are in all.
    func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int)
    /// Adds a request to the job's set-aside list (once).
    func setAsideRetriage(_ job: RetriageJob, requestID: String) async throws(StoreError)
    /// Marks the job done; false if `owner` no longer holds it.
    func finishRetriageJob(_ job: RetriageJob, owner: String, at: Date) async throws(StoreError) -> Bool
    /// Every verdict, stale ones included, oldest first.
    func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord]
    func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord]
    /// Adds a comment to a request's thread, with its audit event.
    func addComment(_ comment: CommentRecord, audit: AuditDraft) async throws(StoreError)
    /// A request's comments, oldest first.
    func comments(requestID: String) async throws(StoreError) -> [CommentRecord]
    /// Asks to extend an approved use's asset coverage, with its audit event.
    func addCoverageExtension(_ extension: CoverageExtension, audit: AuditDraft) async throws(StoreError)
    /// Records the decision on an open extension; false if it was already decided.
    func decideCoverageExtension(id: String, confirmed: Bool, by userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool
    /// A request's coverage extensions, oldest first.
    func coverageExtensions(requestID: String) async throws(StoreError) -> [CoverageExtension]

    // MARK: Webhooks
    /// Registers an endpoint. From then on, every audited change that raises one of its events
    /// puts a delivery in the outbox in the change's own transaction.
    func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError)
    func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint]
    func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool
    /// An endpoint's deliveries, newest first.
    func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery]
    /// Claims pending deliveries whose next attempt is due, oldest first, with their endpoints:
    /// each claimed delivery's next attempt moves to `leaseUntil`, so no other dispatcher (in this
    /// process or another on the same database) takes it meanwhile. `recordAttempt` then sets it
    /// delivered, failed or due again; one whose dispatcher died is taken again after the lease.
    func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [(WebhookDelivery, WebhookEndpoint)]
    /// Records an attempt and its audit event; the delivery becomes delivered, stays pending until
    /// `retryAt`, or failed when there is no retry.
    func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError)

    // MARK: Consents
    func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError)
    func consent(id: String) async throws(StoreError) -> ConsentRecord?
    /// The consents recorded for a production (including those shared with it).
    func consents(productionID: String) async throws(StoreError) -> [ConsentRecord]

    // MARK: Obligations
    /// Records an obligation as met, with its audit event; false if it was already met.
    func recordObligationMet(_ met: ObligationMet, audit: AuditDraft) async throws(StoreError) -> Bool
    func obligationsMet(requestID: String) async throws(StoreError) -> [ObligationMet]
    func obligationsMet(productionID: String) async throws(StoreError) -> [ObligationMet]
    /// False if it does not exist or is already revoked.
    /// Rewrites an unrevoked consent's terms (performer, kind, permitted use, productions, dates,
    /// signing, document); false, changing nothing, if there is no such consent or it is revoked.
    func correctConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) -> Bool
    func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool

    // MARK: Deliverable scans
    /// Stores an uploaded scan report (with its report text) and its audit event.
    func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError)
    /// One scan, with its report.
    func scan(id: String) async throws(StoreError) -> ScanRecord?
    /// A production's scans, newest first, a page at a time (`after` is the last id of the
    /// previous page), without their reports: `report` is nil.
    func scans(productionID: String, after: String?, limit: Int) async throws(StoreError) -> [ScanRecord]

    // MARK: Audit
    /// Records a change that has no row of its own (a refused login, say).
    func appendAudit(_ draft: AuditDraft) async throws(StoreError)
    func auditEvents(_ query: AuditQuery) async throws(StoreError) -> [AuditEvent]
    /// Every chain's recorded head: each studio's, the site's, and the old single chain's when the
    /// database had one before chains were kept per studio.
    func auditHeads() async throws(StoreError) -> [AuditChainHead]
    /// A page of one chain's events in position order, after `position`.
    func auditChainEvents(_ chain: String, after position: Int64, limit: Int) async throws(StoreError) -> [AuditEvent]
    /// One whole chain, every event of it, and its recorded head, read together from one snapshot
    /// (others may be appending meanwhile), for verification.
    func auditChain(_ chain: String) async throws(StoreError) -> (events: [AuditEvent], head: AuditChainHead?)
}

/// A filtered page of a production's requests, newest first.
public struct RequestQuery: Sendable, Hashable {
    /// A production's requests, or with `studioID`, a whole studio's.
    public var productionID: String?
    public var studioID: String?
    public var state: RequestState?
    public var outcome: Outcome?
    public var area: Area?
    /// Only requests filed by this user.
    public var requesterID: String?
    /// Only requests with at least one of these areas still waiting for a verdict on the current
    /// decision (an approver's queue); combine with `state: .escalated`.
    public var awaitingVerdictFrom: [Area]?
    /// Leaves out requests this user filed or revised: they may not judge their own.
    public var notAuthoredBy: String?
    /// The id of the last request of the previous page.
    public var after: String?
    public var limit: Int

    public init(productionID: String? = nil, studioID: String? = nil, state: RequestState? = nil, outcome: Outcome? = nil, area: Area? = nil,
                requesterID: String? = nil, awaitingVerdictFrom: [Area]? = nil, notAuthoredBy: String? = nil,
                after: String? = nil, limit: Int = 50) {
        self.awaitingVerdictFrom = awaitingVerdictFrom
        self.notAuthoredBy = notAuthoredBy
        self.productionID = productionID
        self.studioID = studioID
        self.state = state
        self.outcome = outcome
        self.area = area
        self.requesterID = requesterID
        self.after = after
        self.limit = limit
    }
}

/// What a dashboard counts.
public struct DashboardCounts: Sendable, Hashable {
    public var byOutcome: [Outcome: Int]
    public var byArea: [Area: Int]
    /// Requests filed in each calendar month (UTC), by "YYYY-MM".
    public var byMonth: [String: Int]
    /// Every escalated use that has been settled (approved, rejected or sent back for changes).
    public var settled: [SettledUse]

    public init(byOutcome: [Outcome: Int], byArea: [Area: Int], byMonth: [String: Int], settled: [SettledUse]) {
        self.byOutcome = byOutcome
        self.byArea = byArea
        self.byMonth = byMonth
        self.settled = settled
    }

    public var total: Int { byOutcome.values.reduce(0, +) }

    /// The counts by outcome, by area, and by month from `since` on, from summed tallies.
    public static func from(_ tallies: [DashboardTally], since: Date) -> ([Outcome: Int], [Area: Int], [String: Int]) {
        let first = DashboardTally.month(of: since)
        var byOutcome: [Outcome: Int] = [:], byArea: [Area: Int] = [:], byMonth: [String: Int] = [:]
        for tally in tallies where tally.count > 0 {
            switch tally.measure {
            case .outcome: if let outcome = Outcome(rawValue: tally.key) { byOutcome[outcome, default: 0] += tally.count }
            case .area: if let area = Area(rawValue: tally.key) { byArea[area, default: 0] += tally.count }
            case .month: if tally.key >= first { byMonth[tally.key, default: 0] += tally.count }
            }
        }
        return (byOutcome, byArea, byMonth)
    }
}

/// An escalated use that was settled: when its current decision was made, and the verdicts that
/// count for that decision.
public struct SettledUse: Sendable, Hashable {
    public var state: RequestState
    public var triagedAt: Date
    public var verdicts: [Verdict]

    public struct Verdict: Sendable, Hashable {
        public var kind: VerdictKind
        public var at: Date

        public init(kind: VerdictKind, at: Date) {
            self.kind = kind
            self.at = at
        }
    }

    public init(state: RequestState, triagedAt: Date, verdicts: [Verdict]) {
        self.state = state
        self.triagedAt = triagedAt
        self.verdicts = verdicts
    }

    /// States a settled use is in.
    public static let states: [RequestState] = [.approved, .rejected, .changesRequested]
}

/// One request with what a register shows of it.
public struct RegisterRow: Sendable, Hashable {
    public var request: UseRequestRecord
    /// The latest decision.
    public var decision: DecisionRecord?
    /// The latest revision's document, as stored (JSON text).
    public var document: String?
    /// Every verdict, stale ones included, oldest first.
    public var verdicts: [VerdictRecord]

    public init(request: UseRequestRecord, decision: DecisionRecord?, document: String?, verdicts: [VerdictRecord]) {
        self.request = request
        self.decision = decision
        self.document = document
        self.verdicts = verdicts
    }

    /// Rows from the reads of one page: the requests in order, and the rest by request id.
    public static func assemble(_ requests: [UseRequestRecord], decisions: [DecisionRecord], documents: [String: String],
                                verdicts: [VerdictRecord]) -> [RegisterRow] {
        let latest = Dictionary(decisions.map { ($0.requestID, $0) }, uniquingKeysWith: { _, newer in newer })
        let byRequest = Dictionary(grouping: verdicts, by: \.requestID)
        return requests.map { request in
            RegisterRow(request: request, decision: latest[request.id], document: documents[request.id], verdicts: byRequest[request.id] ?? [])
        }
    }
}

/// A page of audit events in chain order.
public struct AuditQuery: Sendable, Hashable {
    /// Only events of these studios (an empty set matches none).
    public var studioIDs: Set<String>?
    public var productionID: String?
    public var studioID: String?
    public var afterSeq: Int64
    public var limit: Int

    public init(studioIDs: Set<String>? = nil, studioID: String? = nil, productionID: String? = nil,
                afterSeq: Int64 = 0, limit: Int = 100) {
        self.studioIDs = studioIDs
        self.studioID = studioID
        self.productionID = productionID
        self.afterSeq = afterSeq
        self.limit = limit
    }
}

/// Why a store call failed.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A uniqueness or version clash; the message says which.
    case conflict(String)
    /// The database failed; the message is for logs, never for responses.
    case database(String)

    public var description: String {
        switch self {
        case .conflict(let message), .database(let message): message
        }
    }
}

/// Which policy version is current, cheaply.
public struct PolicyVersionStamp: Sendable, Hashable, Codable {
    public var number: Int
    public var digest: String

    public init(number: Int, digest: String) {
        self.number = number
        self.digest = digest
    }
}

/// A token's user and all their memberships.
public struct Identity: Sendable, Hashable {
    public var token: TokenRecord
    public var user: UserRecord
    public var studioRoles: [StudioMember]
    public var productionRoles: [ProductionMember]
    /// The studio of each production in `productionRoles`.
    public var productionStudios: [String: String]

    public init(token: TokenRecord, user: UserRecord, studioRoles: [StudioMember], productionRoles: [ProductionMember],
                productionStudios: [String: String]) {
        self.token = token
        self.user = user
        self.studioRoles = studioRoles
        self.productionRoles = productionRoles
        self.productionStudios = productionStudios
    }
}

/// A session's user and all their memberships.
public struct SessionIdentity: Sendable, Hashable {
    public var session: SessionRecord
    public var user: UserRecord
    public var studioRoles: [StudioMember]
    public var productionRoles: [ProductionMember]
    public var productionStudios: [String: String]

    public init(session: SessionRecord, user: UserRecord, studioRoles: [StudioMember], productionRoles: [ProductionMember],
                productionStudios: [String: String]) {
        self.session = session
        self.user = user
        self.studioRoles = studioRoles
        self.productionRoles = productionRoles
        self.productionStudios = productionStudios
    }
}

/// A production, its studio's current policy version and the studio's tools.
public struct ProductionContext: Sendable, Hashable {
    public var production: ProductionRecord
    public var policy: PolicyVersionStamp
    public var tools: [ToolEntry]

    public init(production: ProductionRecord, policy: PolicyVersionStamp, tools: [ToolEntry]) {
        self.production = production
        self.policy = policy
        self.tools = tools
    }
}

/// A throttle counter and how many attempts it admits within the window.
public struct ThrottleKey: Sendable, Hashable {
    public var key: String
    public var limit: Int

    public init(_ key: String, limit: Int) {
        self.key = key
        self.limit = limit
    }
}

extension Store {
    /// Every event of every chain, in the order they were written (by `seq`).
    public func auditEventsInOrder() async throws(StoreError) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for head in try await auditHeads() { events += try await auditChain(head.chain).events }
        return events.sorted { $0.seq < $1.seq }
    }

    /// Verifies every chain; each result names the first broken event of its chain.
    public func verifyAuditChains() async throws(StoreError) -> [(head: AuditChainHead, result: AuditVerification)] {
        var results: [(head: AuditChainHead, result: AuditVerification)] = []
        for listed in try await auditHeads().sorted(by: { $0.chain < $1.chain }) {
            // The events and the head they are checked against come from one read: others may be
            // appending to the chain meanwhile.
            let (events, head) = try await auditChain(listed.chain)
            // No head row, yet events: checked against an empty head, so it is reported broken.
            let current = head ?? .empty(listed.chain)
            results.append((current, AuditChain.verify(events, head: current)))
        }
        return results
    }
}
