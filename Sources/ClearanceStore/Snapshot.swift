/// Everything an installation holds, table by table in the order rows were written: what
/// `clearance migrate` reads from one store and loads into another, audit chain included.
public struct Snapshot: Sendable {
    public var users: [UserRecord] = []
    public var tokens: [TokenRecord] = []
    public var sessions: [SessionRecord] = []
    public var studios: [StudioRecord] = []
    public var studioMembers: [StudioMember] = []
    public var policyVersions: [PolicyVersionRecord] = []
    public var tools: [ToolEntry] = []
    public var productions: [ProductionRecord] = []
    public var productionMembers: [ProductionMember] = []
    public var requests: [UseRequestRecord] = []
    public var revisions: [RevisionRecord] = []
    public var decisions: [DecisionRecord] = []
    public var consents: [ConsentRecord] = []
    public var verdicts: [VerdictRecord] = []
    public var acknowledgements: [AcknowledgementRecord] = []
    public var comments: [CommentRecord] = []
    public var coverageExtensions: [CoverageExtension] = []
    public var webhookEndpoints: [WebhookEndpoint] = []
    public var webhookDeliveries: [WebhookDelivery] = []
    public var scans: [ScanRecord] = []
    public var invitations: [InvitationRecord] = []
    public var passwordResets: [PasswordResetRecord] = []
    public var obligationsMet: [ObligationMet] = []
    public var overlaySettings: [OverlaySetting] = []
    public var overlayVersions: [OverlayVersionRecord] = []
    /// Re-triage jobs; unfinished ones are copied as waiting, for the target's runner to resume.
    public var retriageJobs: [RetriageJob] = []
    public var auditEvents: [AuditEvent] = []
    /// Every chain's head.
    public var auditHeads: [AuditChainHead] = []

    public init() {}

    /// Rows per table, for progress and for comparing a copy with its source.
    public var counts: [(table: String, rows: Int)] {
        [("users", users.count), ("tokens", tokens.count), ("sessions", sessions.count), ("studios", studios.count),
         ("studio members", studioMembers.count), ("policy versions", policyVersions.count), ("tools", tools.count),
         ("productions", productions.count), ("production members", productionMembers.count), ("requests", requests.count),
         ("revisions", revisions.count), ("decisions", decisions.count), ("consents", consents.count),
         ("verdicts", verdicts.count), ("acknowledgements", acknowledgements.count), ("comments", comments.count), ("coverage extensions", coverageExtensions.count), ("webhooks", webhookEndpoints.count),
         ("webhook deliveries", webhookDeliveries.count), ("scans", scans.count), ("invitations", invitations.count),
         ("password links", passwordResets.count), ("obligations met", obligationsMet.count),
         ("overlay settings", overlaySettings.count), ("custom overlay versions", overlayVersions.count),
         ("audit events", auditEvents.count)]
    }
}
