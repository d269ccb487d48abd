public import ClearanceCore
public import ClearanceStore
public import Foundation
internal import Synchronization

/// A store that counts the calls made to it and passes each to another store: tests use it to
/// show that two answers cost the same lookups (say, another studio's id and an unknown one).
public final class CountingStore: Store {
    public let base: any Store
    private let calls = Mutex<[String]>([])

    public init(_ base: any Store) {
        self.base = base
    }

    /// The methods called so far, in order.
    public var recorded: [String] { calls.withLock { $0 } }

    public func reset() { calls.withLock { $0.removeAll() } }

    private let failure = Mutex<(method: String, after: Int)?>(nil)

    /// Makes the store fail every call of `method` after the first `after` of them, as a process
    /// that dies there would: the failing call changes nothing.
    public func fail(_ method: String, after: Int) { failure.withLock { $0 = (method, after) } }

    /// Stops failing.
    public func recover() { failure.withLock { $0 = nil } }

    private func count(_ name: String) throws(StoreError) {
        let calls = calls.withLock { calls in
            calls.append(name)
            return calls.count { $0 == name }
        }
        if let failure = failure.withLock({ $0 }), failure.method == name, calls > failure.after {
            throw StoreError.database("simulated failure of \(name)")
        }
    }

    public func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createUser")
        return try await base.createUser(user, audit: audit)
    }

    public func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createInvitation")
        return try await base.createInvitation(invitation, audit: audit)
    }

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        try count("invitation")
        return try await base.invitation(secretHash: secretHash)
    }

    public func openInvitations(studioID: String, productionID: String?, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try count("openInvitations(studioID:)")
        return try await base.openInvitations(studioID: studioID, productionID: productionID, at: at)
    }

    public func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try count("openInvitations")
        return try await base.openInvitations(email: email, at: at)
    }

    public func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                                 audit: [AuditDraft]) async throws(StoreError) -> Bool {
        try count("acceptInvitation")
        return try await base.acceptInvitation(id: id, userID: userID, newUser: newUser, at: at, audit: audit)
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try count("user")
        return try await base.user(id: id)
    }

    public func user(email: String) async throws(StoreError) -> UserRecord? {
        try count("user")
        return try await base.user(email: email)
    }

    public func siteAdminCount() async throws(StoreError) -> Int {
        try count("siteAdminCount")
        return try await base.siteAdminCount()
    }

    public func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError) {
        try count("addToken")
        return try await base.addToken(token, audit: audit)
    }

    public func token(secretHash: String) async throws(StoreError) -> TokenRecord? {
        try count("token")
        return try await base.token(secretHash: secretHash)
    }

    public func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        try count("tokens")
        return try await base.tokens(userID: userID)
    }

    public func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("revokeToken")
        return try await base.revokeToken(id: id, userID: userID, at: at, audit: audit)
    }

    public func identity(secretHash: String) async throws(StoreError) -> Identity? {
        try count("identity")
        return try await base.identity(secretHash: secretHash)
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        try count("users")
        return try await base.users()
    }

    public func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("setUserDeactivated")
        return try await base.setUserDeactivated(id: id, at: at, audit: audit)
    }

    public func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date] {
        try count("admitAttempt")
        return try await base.admitAttempt(keys: keys, since: since, at: at)
    }

    public func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError) {
        try count("forgetAttempts")
        return try await base.forgetAttempts(key: key, newestOnly: newestOnly)
    }

    public func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError) {
        try count("startSession")
        return try await base.startSession(session, audit: audit)
    }

    public func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity? {
        try count("sessionIdentity")
        return try await base.sessionIdentity(secretHash: secretHash, at: at)
    }

    public func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("endSession")
        return try await base.endSession(id: id, at: at, audit: audit)
    }

    public func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createStudio")
        return try await base.createStudio(studio, policy: policy, audit: audit)
    }

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        try count("studio")
        return try await base.studio(id: id)
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        try count("studios")
        return try await base.studios()
    }

    public func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError) {
        try count("setStudioMember")
        return try await base.setStudioMember(member, audit: audit)
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        try count("studioMembers")
        return try await base.studioMembers(studioID: studioID)
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        try count("studioMemberships")
        return try await base.studioMemberships(userID: userID)
    }

    public func publishPolicy(_ version: PolicyVersionRecord, retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        try count("publishPolicy")
        return try await base.publishPolicy(version, retriage: retriage, audit: audit)
    }

    public func currentPolicy(studioID: String) async throws(StoreError) -> PolicyVersionRecord? {
        try count("currentPolicy")
        return try await base.currentPolicy(studioID: studioID)
    }

    public func currentPolicyStamp(studioID: String) async throws(StoreError) -> PolicyVersionStamp? {
        try count("currentPolicyStamp")
        return try await base.currentPolicyStamp(studioID: studioID)
    }

    public func policyVersion(studioID: String, number: Int) async throws(StoreError) -> PolicyVersionRecord? {
        try count("policyVersion")
        return try await base.policyVersion(studioID: studioID, number: number)
    }

    public func policyVersions(studioID: String) async throws(StoreError) -> [PolicyVersionRecord] {
        try count("policyVersions")
        return try await base.policyVersions(studioID: studioID)
    }

    public func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("putTool")
        return try await base.putTool(tool, audit: audit)
    }

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        try count("tool")
        return try await base.tool(studioID: studioID, id: id)
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        try count("tools")
        return try await base.tools(studioID: studioID)
    }

    public func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("deleteTool")
        return try await base.deleteTool(studioID: studioID, id: id, audit: audit)
    }

    public func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createProduction")
        return try await base.createProduction(production, audit: audit)
    }

    public func production(id: String) async throws(StoreError) -> ProductionRecord? {
        try count("production")
        return try await base.production(id: id)
    }

    public func productionContext(id: String) async throws(StoreError) -> ProductionContext? {
        try count("productionContext")
        return try await base.productionContext(id: id)
    }

    public func productions(studioID: String) async throws(StoreError) -> [ProductionRecord] {
        try count("productions")
        return try await base.productions(studioID: studioID)
    }

    public func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError) {
        try count("setProductionMember")
        return try await base.setProductionMember(member, audit: audit)
    }

    public func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember] {
        try count("productionMembers")
        return try await base.productionMembers(productionID: productionID)
    }

    public func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember] {
        try count("productionMemberships")
        return try await base.productionMemberships(userID: userID)
    }

    public func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createRequest")
        return try await base.createRequest(request, revision: revision, decision: decision, audit: audit)
    }

    public func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord, audit: AuditDraft) async throws(StoreError) {
        try count("reviseRequest")
        return try await base.reviseRequest(request, revision: revision, decision: decision, audit: audit)
    }

    public func addCoverageExtension(_ extension: CoverageExtension, audit: AuditDraft) async throws(StoreError) {
        try count("addCoverageExtension")
        try await base.addCoverageExtension(`extension`, audit: audit)
    }

    public func decideCoverageExtension(id: String, confirmed: Bool, by userID: String, at: Date,
                                        audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("decideCoverageExtension")
        return try await base.decideCoverageExtension(id: id, confirmed: confirmed, by: userID, at: at, audit: audit)
    }

    public func coverageExtensions(requestID: String) async throws(StoreError) -> [CoverageExtension] {
        try count("coverageExtensions")
        return try await base.coverageExtensions(requestID: requestID)
    }

    public func addComment(_ comment: CommentRecord, audit: AuditDraft) async throws(StoreError) {
        try count("addComment")
        try await base.addComment(comment, audit: audit)
    }

    public func comments(requestID: String) async throws(StoreError) -> [CommentRecord] {
        try count("comments")
        return try await base.comments(requestID: requestID)
    }

    public func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, carried: [VerdictRecord], job: RetriageJob?,
                               audit: AuditDraft) async throws(StoreError) {
        try count("recordDecision")
        return try await base.recordDecision(request, decision: decision, carried: carried, job: job, audit: audit)
    }

    public func request(id: String) async throws(StoreError) -> UseRequestRecord? {
        try count("request")
        return try await base.request(id: id)
    }

    public func openRequests(studioID: String) async throws(StoreError) -> [UseRequestRecord] {
        try count("openRequests")
        return try await base.openRequests(studioID: studioID)
    }

    public func requests(_ query: RequestQuery) async throws(StoreError) -> [UseRequestRecord] {
        try count("requests")
        return try await base.requests(query)
    }

    public func registerPage(productionID: String, state: RequestState?, after: String?, limit: Int) async throws(StoreError) -> [RegisterRow] {
        try count("registerPage")
        return try await base.registerPage(productionID: productionID, state: state, after: after, limit: limit)
    }

    public func dashboardCounts(studioID: String, productionID: String?, since: Date) async throws(StoreError) -> DashboardCounts {
        try count("dashboardCounts")
        return try await base.dashboardCounts(studioID: studioID, productionID: productionID, since: since)
    }

    public func countRequests(_ query: RequestQuery) async throws(StoreError) -> Int {
        try count("countRequests")
        return try await base.countRequests(query)
    }

    public func revisions(requestID: String) async throws(StoreError) -> [RevisionRecord] {
        try count("revisions")
        return try await base.revisions(requestID: requestID)
    }

    public func decisions(requestID: String) async throws(StoreError) -> [DecisionRecord] {
        try count("decisions")
        return try await base.decisions(requestID: requestID)
    }

    public func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date, acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try count("transition")
        return try await base.transition(requestID: requestID, expectedRevision: expectedRevision, event: event, at: at, acknowledgement: acknowledgement, audit: audit)
    }

    public func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try count("addVerdict")
        return try await base.addVerdict(verdict, audit: audit)
    }

    public func flagForReview(requestID: String, reason: String, job: RetriageJob?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("flagForReview")
        return try await base.flagForReview(requestID: requestID, reason: reason, job: job, audit: audit)
    }

    public func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob? {
        try count("retriageJob")
        return try await base.retriageJob(studioID: studioID, number: number)
    }

    public func claimRetriageJob(owner: String, at: Date, leaseUntil: Date) async throws(StoreError) -> RetriageJob? {
        try count("claimRetriageJob")
        return try await base.claimRetriageJob(owner: owner, at: at, leaseUntil: leaseUntil)
    }

    public func renewRetriageLease(studioID: String, number: Int, owner: String, at: Date, until: Date) async throws(StoreError) -> Bool {
        try count("renewRetriageLease")
        return try await base.renewRetriageLease(studioID: studioID, number: number, owner: owner, at: at, until: until)
    }

    public func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int) {
        try count("retriageBacklog")
        return try await base.retriageBacklog(job, limit: limit)
    }

    public func setAsideRetriage(_ job: RetriageJob, requestID: String) async throws(StoreError) {
        try count("setAsideRetriage")
        return try await base.setAsideRetriage(job, requestID: requestID)
    }

    public func finishRetriageJob(_ job: RetriageJob, owner: String, at: Date) async throws(StoreError) -> Bool {
        try count("finishRetriageJob")
        return try await base.finishRetriageJob(job, owner: owner, at: at)
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        try count("verdicts")
        return try await base.verdicts(requestID: requestID)
    }

    public func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord] {
        try count("acknowledgements")
        return try await base.acknowledgements(requestID: requestID)
    }

    public func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError) {
        try count("addWebhook")
        return try await base.addWebhook(endpoint, audit: audit)
    }

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        try count("webhooks")
        return try await base.webhooks(studioID: studioID)
    }

    public func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("deleteWebhook")
        return try await base.deleteWebhook(studioID: studioID, id: id, audit: audit)
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        try count("deliveries")
        return try await base.deliveries(endpointID: endpointID, limit: limit)
    }

    public func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [(WebhookDelivery, WebhookEndpoint)] {
        try count("claimDueDeliveries")
        return try await base.claimDueDeliveries(at: at, limit: limit, leaseUntil: leaseUntil)
    }

    public func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError) {
        try count("recordAttempt")
        return try await base.recordAttempt(attempt, audit: audit)
    }

    public func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createConsent")
        return try await base.createConsent(consent, audit: audit)
    }

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        try count("consent")
        return try await base.consent(id: id)
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        try count("consents")
        return try await base.consents(productionID: productionID)
    }

    public func changeRulebooks(setting: OverlaySetting?, overlay: OverlayVersionRecord?, version: PolicyVersionRecord,
                                retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        try count("changeRulebooks")
        return try await base.changeRulebooks(setting: setting, overlay: overlay, version: version, retriage: retriage, audit: audit)
    }

    public func overlaySettings(studioID: String) async throws(StoreError) -> [OverlaySetting] {
        try count("overlaySettings")
        return try await base.overlaySettings(studioID: studioID)
    }

    public func overlayVersions(studioID: String) async throws(StoreError) -> [OverlayVersionRecord] {
        try count("overlayVersions")
        return try await base.overlayVersions(studioID: studioID)
    }

    public func recordObligationMet(_ met: ObligationMet, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("recordObligationMet")
        return try await base.recordObligationMet(met, audit: audit)
    }

    public func obligationsMet(requestID: String) async throws(StoreError) -> [ObligationMet] {
        try count("obligationsMet")
        return try await base.obligationsMet(requestID: requestID)
    }

    public func obligationsMet(productionID: String) async throws(StoreError) -> [ObligationMet] {
        try count("obligationsMet")
        return try await base.obligationsMet(productionID: productionID)
    }

    public func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("revokeConsent")
        return try await base.revokeConsent(id: id, at: at, reason: reason, audit: audit)
    }

    public func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError) {
        try count("addScan")
        return try await base.addScan(scan, audit: audit)
    }

    public func scan(id: String) async throws(StoreError) -> ScanRecord? {
        try count("scan")
        return try await base.scan(id: id)
    }

    public func scans(productionID: String, after: String?, limit: Int) async throws(StoreError) -> [ScanRecord] {
        try count("scans")
        return try await base.scans(productionID: productionID, after: after, limit: limit)
    }

    public func appendAudit(_ draft: AuditDraft) async throws(StoreError) {
        try count("appendAudit")
        return try await base.appendAudit(draft)
    }

    public func auditEvents(_ query: AuditQuery) async throws(StoreError) -> [AuditEvent] {
        try count("auditEvents")
        return try await base.auditEvents(query)
    }

    public func auditHeads() async throws(StoreError) -> [AuditChainHead] {
        try count("auditHeads")
        return try await base.auditHeads()
    }

    public func auditChain(_ chain: String) async throws(StoreError) -> (events: [AuditEvent], head: AuditChainHead?) {
        try count("auditChain")
        return try await base.auditChain(chain)
    }

    public func auditChainEvents(_ chain: String, after position: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try count("auditChainEvents")
        return try await base.auditChainEvents(chain, after: position, limit: limit)
    }

    public func correctConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("correctConsent")
        return try await base.correctConsent(consent, audit: audit)
    }

    public func setPassword(userID: String, hash: String, at: Date, keepingSession: String?, reset: String?,
                            audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("setPassword")
        return try await base.setPassword(userID: userID, hash: hash, at: at, keepingSession: keepingSession, reset: reset, audit: audit)
    }

    public func endOtherSessions(userID: String, except: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Int {
        try count("endOtherSessions")
        return try await base.endOtherSessions(userID: userID, except: except, at: at, audit: audit)
    }

    public func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int {
        try count("liveSessionCount")
        return try await base.liveSessionCount(userID: userID, at: at)
    }

    public func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditDraft) async throws(StoreError) {
        try count("createPasswordReset")
        return try await base.createPasswordReset(reset, audit: audit)
    }

    public func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord? {
        try count("passwordReset")
        return try await base.passwordReset(secretHash: secretHash)
    }

    public func renameStudio(id: String, name: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("renameStudio")
        return try await base.renameStudio(id: id, name: name, audit: audit)
    }

    public func removeStudioMember(studioID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("removeStudioMember")
        return try await base.removeStudioMember(studioID: studioID, userID: userID, audit: audit)
    }

    public func updateProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("updateProduction")
        return try await base.updateProduction(production, audit: audit)
    }

    public func removeProductionMember(productionID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try count("removeProductionMember")
        return try await base.removeProductionMember(productionID: productionID, userID: userID, audit: audit)
    }
}
