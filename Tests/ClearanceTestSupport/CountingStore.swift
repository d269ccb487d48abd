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

    private func count(_ name: String) { calls.withLock { $0.append(name) } }

    public func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError) {
        count("createUser")
        return try await base.createUser(user, audit: audit)
    }

    public func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError) {
        count("createInvitation")
        return try await base.createInvitation(invitation, audit: audit)
    }

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        count("invitation")
        return try await base.invitation(secretHash: secretHash)
    }

    public func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord] {
        count("openInvitations")
        return try await base.openInvitations(email: email, at: at)
    }

    public func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                                 audit: [AuditDraft]) async throws(StoreError) -> Bool {
        count("acceptInvitation")
        return try await base.acceptInvitation(id: id, userID: userID, newUser: newUser, at: at, audit: audit)
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        count("user")
        return try await base.user(id: id)
    }

    public func user(email: String) async throws(StoreError) -> UserRecord? {
        count("user")
        return try await base.user(email: email)
    }

    public func siteAdminCount() async throws(StoreError) -> Int {
        count("siteAdminCount")
        return try await base.siteAdminCount()
    }

    public func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError) {
        count("addToken")
        return try await base.addToken(token, audit: audit)
    }

    public func token(secretHash: String) async throws(StoreError) -> TokenRecord? {
        count("token")
        return try await base.token(secretHash: secretHash)
    }

    public func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        count("tokens")
        return try await base.tokens(userID: userID)
    }

    public func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("revokeToken")
        return try await base.revokeToken(id: id, userID: userID, at: at, audit: audit)
    }

    public func identity(secretHash: String) async throws(StoreError) -> Identity? {
        count("identity")
        return try await base.identity(secretHash: secretHash)
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        count("users")
        return try await base.users()
    }

    public func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("setUserDeactivated")
        return try await base.setUserDeactivated(id: id, at: at, audit: audit)
    }

    public func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date] {
        count("admitAttempt")
        return try await base.admitAttempt(keys: keys, since: since, at: at)
    }

    public func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError) {
        count("forgetAttempts")
        return try await base.forgetAttempts(key: key, newestOnly: newestOnly)
    }

    public func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError) {
        count("startSession")
        return try await base.startSession(session, audit: audit)
    }

    public func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity? {
        count("sessionIdentity")
        return try await base.sessionIdentity(secretHash: secretHash, at: at)
    }

    public func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("endSession")
        return try await base.endSession(id: id, at: at, audit: audit)
    }

    public func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        count("createStudio")
        return try await base.createStudio(studio, policy: policy, audit: audit)
    }

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        count("studio")
        return try await base.studio(id: id)
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        count("studios")
        return try await base.studios()
    }

    public func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError) {
        count("setStudioMember")
        return try await base.setStudioMember(member, audit: audit)
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        count("studioMembers")
        return try await base.studioMembers(studioID: studioID)
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        count("studioMemberships")
        return try await base.studioMemberships(userID: userID)
    }

    public func publishPolicy(_ version: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        count("publishPolicy")
        return try await base.publishPolicy(version, audit: audit)
    }

    public func currentPolicy(studioID: String) async throws(StoreError) -> PolicyVersionRecord? {
        count("currentPolicy")
        return try await base.currentPolicy(studioID: studioID)
    }

    public func currentPolicyStamp(studioID: String) async throws(StoreError) -> PolicyVersionStamp? {
        count("currentPolicyStamp")
        return try await base.currentPolicyStamp(studioID: studioID)
    }

    public func policyVersion(studioID: String, number: Int) async throws(StoreError) -> PolicyVersionRecord? {
        count("policyVersion")
        return try await base.policyVersion(studioID: studioID, number: number)
    }

    public func policyVersions(studioID: String) async throws(StoreError) -> [PolicyVersionRecord] {
        count("policyVersions")
        return try await base.policyVersions(studioID: studioID)
    }

    public func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("putTool")
        return try await base.putTool(tool, audit: audit)
    }

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        count("tool")
        return try await base.tool(studioID: studioID, id: id)
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        count("tools")
        return try await base.tools(studioID: studioID)
    }

    public func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("deleteTool")
        return try await base.deleteTool(studioID: studioID, id: id, audit: audit)
    }

    public func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) {
        count("createProduction")
        return try await base.createProduction(production, audit: audit)
    }

    public func production(id: String) async throws(StoreError) -> ProductionRecord? {
        count("production")
        return try await base.production(id: id)
    }

    public func productionContext(id: String) async throws(StoreError) -> ProductionContext? {
        count("productionContext")
        return try await base.productionContext(id: id)
    }

    public func productions(studioID: String) async throws(StoreError) -> [ProductionRecord] {
        count("productions")
        return try await base.productions(studioID: studioID)
    }

    public func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError) {
        count("setProductionMember")
        return try await base.setProductionMember(member, audit: audit)
    }

    public func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember] {
        count("productionMembers")
        return try await base.productionMembers(productionID: productionID)
    }

    public func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember] {
        count("productionMemberships")
        return try await base.productionMemberships(userID: userID)
    }

    public func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord, audit: AuditDraft) async throws(StoreError) {
        count("createRequest")
        return try await base.createRequest(request, revision: revision, decision: decision, audit: audit)
    }

    public func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord, audit: AuditDraft) async throws(StoreError) {
        count("reviseRequest")
        return try await base.reviseRequest(request, revision: revision, decision: decision, audit: audit)
    }

    public func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, audit: AuditDraft) async throws(StoreError) {
        count("recordDecision")
        return try await base.recordDecision(request, decision: decision, audit: audit)
    }

    public func request(id: String) async throws(StoreError) -> UseRequestRecord? {
        count("request")
        return try await base.request(id: id)
    }

    public func openRequests(studioID: String) async throws(StoreError) -> [UseRequestRecord] {
        count("openRequests")
        return try await base.openRequests(studioID: studioID)
    }

    public func requests(_ query: RequestQuery) async throws(StoreError) -> [UseRequestRecord] {
        count("requests")
        return try await base.requests(query)
    }

    public func registerPage(productionID: String, state: RequestState?, after: String?, limit: Int) async throws(StoreError) -> [RegisterRow] {
        count("registerPage")
        return try await base.registerPage(productionID: productionID, state: state, after: after, limit: limit)
    }

    public func dashboardCounts(studioID: String, productionID: String?, since: Date) async throws(StoreError) -> DashboardCounts {
        count("dashboardCounts")
        return try await base.dashboardCounts(studioID: studioID, productionID: productionID, since: since)
    }

    public func countRequests(_ query: RequestQuery) async throws(StoreError) -> Int {
        count("countRequests")
        return try await base.countRequests(query)
    }

    public func revisions(requestID: String) async throws(StoreError) -> [RevisionRecord] {
        count("revisions")
        return try await base.revisions(requestID: requestID)
    }

    public func decisions(requestID: String) async throws(StoreError) -> [DecisionRecord] {
        count("decisions")
        return try await base.decisions(requestID: requestID)
    }

    public func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date, acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        count("transition")
        return try await base.transition(requestID: requestID, expectedRevision: expectedRevision, event: event, at: at, acknowledgement: acknowledgement, audit: audit)
    }

    public func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        count("addVerdict")
        return try await base.addVerdict(verdict, audit: audit)
    }

    public func flagForReview(requestID: String, reason: String, audit: AuditDraft) async throws(StoreError) {
        count("flagForReview")
        return try await base.flagForReview(requestID: requestID, reason: reason, audit: audit)
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        count("verdicts")
        return try await base.verdicts(requestID: requestID)
    }

    public func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord] {
        count("acknowledgements")
        return try await base.acknowledgements(requestID: requestID)
    }

    public func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError) {
        count("addWebhook")
        return try await base.addWebhook(endpoint, audit: audit)
    }

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        count("webhooks")
        return try await base.webhooks(studioID: studioID)
    }

    public func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("deleteWebhook")
        return try await base.deleteWebhook(studioID: studioID, id: id, audit: audit)
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        count("deliveries")
        return try await base.deliveries(endpointID: endpointID, limit: limit)
    }

    public func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [(WebhookDelivery, WebhookEndpoint)] {
        count("claimDueDeliveries")
        return try await base.claimDueDeliveries(at: at, limit: limit, leaseUntil: leaseUntil)
    }

    public func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError) {
        count("recordAttempt")
        return try await base.recordAttempt(attempt, audit: audit)
    }

    public func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) {
        count("createConsent")
        return try await base.createConsent(consent, audit: audit)
    }

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        count("consent")
        return try await base.consent(id: id)
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        count("consents")
        return try await base.consents(productionID: productionID)
    }

    public func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool {
        count("revokeConsent")
        return try await base.revokeConsent(id: id, at: at, reason: reason, audit: audit)
    }

    public func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError) {
        count("addScan")
        return try await base.addScan(scan, audit: audit)
    }

    public func scan(id: String) async throws(StoreError) -> ScanRecord? {
        count("scan")
        return try await base.scan(id: id)
    }

    public func scans(productionID: String, after: String?, limit: Int) async throws(StoreError) -> [ScanRecord] {
        count("scans")
        return try await base.scans(productionID: productionID, after: after, limit: limit)
    }

    public func appendAudit(_ draft: AuditDraft) async throws(StoreError) {
        count("appendAudit")
        return try await base.appendAudit(draft)
    }

    public func auditEvents(_ query: AuditQuery) async throws(StoreError) -> [AuditEvent] {
        count("auditEvents")
        return try await base.auditEvents(query)
    }

    public func auditChain() async throws(StoreError) -> (events: [AuditEvent], head: AuditHead?) {
        count("auditChain")
        return try await base.auditChain()
    }
}
