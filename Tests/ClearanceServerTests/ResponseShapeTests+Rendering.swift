@testable import ClearanceServer
@testable import ClearanceService
import ClearanceCore
import ClearanceStore

/// How the shape tests render each representation: the one place that names the API's types.
extension ResponseShapeTests {
    static func rendered(_ value: some Encodable) throws -> String { try JSONValueEncoder().encode(value).rendered }

    static func wire(_ user: UserRecord) throws -> String { try rendered(UserResponse(user)) }
    static func wire(_ token: TokenRecord) throws -> String { try rendered(TokenResponse(token)) }
    static func wire(_ studio: StudioRecord) throws -> String { try rendered(StudioResponse(studio)) }
    static func wire(_ member: StudioMember, user: UserRecord?) throws -> String { try rendered(StudioMemberResponse(member, user: user)) }
    static func wire(_ member: ProductionMember, user: UserRecord?) throws -> String {
        try rendered(ProductionMemberResponse(member, user: user))
    }
    static func wire(_ version: PolicyVersionRecord, includingText: Bool) throws -> String {
        try rendered(PolicyVersionResponse(version, includingText: includingText))
    }
    static func wire(_ tool: ToolEntry) throws -> String { try rendered(ToolResponse(tool)) }
    static func wire(_ production: ProductionRecord) throws -> String { try rendered(ProductionResponse(production)) }
    static func wire(_ request: UseRequestRecord, decision: JSONValue?, document: JSONValue?) throws -> String {
        try rendered(RequestResponse(request, decision: decision, document: document))
    }
    static func wire(_ revision: RevisionRecord) throws -> String { try rendered(RevisionResponse(revision)) }
    static func wire(_ decision: DecisionRecord) throws -> String { try rendered(DecisionResponse(decision)) }
    static func wire(_ consent: ConsentRecord) throws -> String { try rendered(ConsentResponse(consent)) }
    static func wire(_ event: AuditEvent) throws -> String { try rendered(AuditEventResponse(event)) }
    static func wire(_ verdict: VerdictRecord, stale: Bool) throws -> String { try rendered(VerdictResponse(verdict, stale: stale)) }
    static func wire(_ verification: AuditVerification, head: AuditChainHead) throws -> String {
        try rendered(AuditVerificationResponse(verification, head: head))
    }
    static func wire(_ endpoint: WebhookEndpoint, secret: Bool) throws -> String {
        try rendered(WebhookResponse(endpoint, showingSecret: secret))
    }
    static func wire(_ delivery: WebhookDelivery) throws -> String { try rendered(WebhookDeliveryResponse(delivery)) }
    static func wire(_ comment: CommentRecord) throws -> String { try rendered(CommentResponse(comment)) }
    static func wire(_ acknowledgement: AcknowledgementRecord) throws -> String { try rendered(AcknowledgementResponse(acknowledgement)) }
    static func wire(_ use: ApprovedFinalUse) throws -> String { try rendered(ApprovedFinalUseResponse(use)) }
    static func wire(_ scan: ScanRecord, withReport: Bool) throws -> String {
        withReport ? try scan.renderedWithReport : try rendered(ScanResponse(scan))
    }
    static func wire(_ progress: StudioAdministration.RetriageProgress) throws -> String { try rendered(RetriageResponse(progress)) }
    static func wire(_ invitation: InvitationRecord, link: String?) throws -> String {
        try rendered(InvitationResponse(invitation, link: link))
    }
    static func wire(_ problem: Problem) throws -> String { try rendered(problem) }
    static func wire(_ entry: ProductionRegister.Entry) throws -> String { try rendered(RegisterUseResponse(entry)) }
    static func wire(_ register: ProductionRegister) throws -> String { try register.json.rendered }
}
