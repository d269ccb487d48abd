public import Foundation

/// The tables, declared once for both stores: each table's name, the columns its record type
/// writes (its coding keys, in the order inserts list them) and its key. The SQLite and
/// PostgreSQL migrations create these tables (`StoreSchemaTests` checks that each migrated
/// database has exactly these columns); the shared write path (`StoreWrites`) and both stores'
/// statements name tables and columns only through this declaration.
///
/// Tables whose rows are listed in the order they were written have an extra column the database
/// fills in (SQLite's `rowid`, PostgreSQL's `seq` identity), which `Ordering.written` names.
public enum StoreTable: String, Sendable, CaseIterable {
    case user, token, session, signInAttempt, invitation, passwordReset
    case studio, studioMember, policyVersion, retriageJob, tool
    case production, productionMember
    case useRequest, revision, decision, verdict, acknowledgement, comment, coverageExtension
    case consent, scan
    case webhookEndpoint, webhookDelivery
    case auditEvent, auditChainHead

    public var name: String { rawValue }

    /// The record's columns, in insert order.
    public var columns: [String] {
        switch self {
        case .user: ["id", "email", "name", "passwordHash", "isSiteAdmin", "createdAt", "deactivatedAt"]
        case .token: ["id", "userID", "secretHash", "label", "createdAt", "revokedAt", "expiresAt"]
        case .session: ["id", "userID", "secretHash", "createdAt", "expiresAt", "endedAt"]
        case .signInAttempt: ["key", "at"]
        case .invitation: ["id", "secretHash", "studioID", "productionID", "email", "role", "areas", "contact", "invitedBy", "createdAt",
                           "expiresAt", "acceptedAt", "acceptedBy"]
        case .passwordReset: ["id", "userID", "secretHash", "createdBy", "createdAt", "expiresAt", "usedAt"]
        case .studio: ["id", "name", "createdAt"]
        case .studioMember: ["studioID", "userID", "role", "areas", "contact"]
        case .policyVersion: ["studioID", "number", "policyID", "policyVersion", "digest", "text", "publishedBy", "publishedAt"]
        case .retriageJob: ["studioID", "number", "publishedBy", "total", "retriaged", "setAside", "flagged", "state", "owner",
                            "leaseUntil", "createdAt", "finishedAt"]
        case .tool: ["studioID", "id", "record", "approvedFor", "approvedUntil", "evidence", "updatedAt"]
        case .production: ["id", "studioID", "title", "createdAt", "kind", "territories", "photographyStartsOn", "deliveryOn", "archivedAt"]
        case .productionMember: ["productionID", "userID", "role"]
        case .useRequest: ["id", "studioID", "productionID", "requesterID", "title", "state", "revision", "outcome", "areas",
                           "createdAt", "updatedAt", "review"]
        case .revision: ["requestID", "number", "document", "requestDigest", "authorID", "createdAt"]
        case .decision: ["requestID", "revision", "policyNumber", "policyDigest", "requestDigest", "outcome", "decisionJSON", "createdAt"]
        case .verdict: ["id", "requestID", "revision", "area", "approverID", "verdict", "conditions", "note", "requestDigest",
                        "policyDigest", "expiresOn", "createdAt", "assets", "carriedFrom"]
        case .acknowledgement: ["requestID", "revision", "userID", "note", "createdAt"]
        case .comment: ["id", "requestID", "revision", "authorID", "body", "createdAt"]
        case .coverageExtension: ["id", "requestID", "revision", "scanID", "reference", "area", "requestedBy", "requestedAt", "confirmed",
                                  "decidedBy", "decidedAt"]
        case .consent: ["id", "studioID", "productions", "performer", "kind", "permittedUse", "signedOn", "noticeOn", "expiresOn",
                        "signedSeparately", "documentRef", "revokedAt", "revokedReason", "createdBy", "createdAt"]
        case .scan: ["id", "productionID", "studioID", "uploadedBy", "createdAt", "scanner", "total", "flagged", "unapproved",
                     "byVerdict", "report"]
        case .webhookEndpoint: ["id", "studioID", "url", "events", "format", "secret", "createdAt"]
        case .webhookDelivery: ["id", "endpointID", "studioID", "event", "body", "status", "attempts", "nextAttemptAt",
                                "lastStatusCode", "lastError", "createdAt", "deliveredAt"]
        case .auditEvent: ["seq", "chain", "position", "at", "actor", "action", "studioID", "productionID", "subject", "details",
                           "previousHash", "hash"]
        case .auditChainHead: ["chain", "position", "hash", "anchor"]
        }
    }

    /// The columns that name one row.
    public var key: [String] {
        switch self {
        case .studioMember: ["studioID", "userID"]
        case .productionMember: ["productionID", "userID"]
        case .tool: ["studioID", "id"]
        case .policyVersion, .retriageJob: ["studioID", "number"]
        case .revision: ["requestID", "number"]
        case .decision: ["requestID", "revision", "policyNumber"]
        case .acknowledgement: ["requestID", "revision", "userID"]
        case .auditEvent: ["seq"]
        case .auditChainHead: ["chain"]
        case .signInAttempt: ["key", "at"]
        default: ["id"]
        }
    }

    /// The columns whose values are lists or objects: JSON text in SQLite, `jsonb` in PostgreSQL.
    public var jsonColumns: Set<String> {
        switch self {
        case .invitation, .studioMember, .useRequest: ["areas"]
        case .retriageJob: ["setAside", "flagged"]
        case .tool: ["approvedFor"]
        case .production: ["territories"]
        case .verdict: ["conditions", "assets"]
        case .consent: ["productions"]
        case .scan: ["byVerdict"]
        case .webhookEndpoint: ["events"]
        default: []
        }
    }
}

/// A record kept in one of the tables, encoded by its coding keys (the table's columns).
public protocol StoredRecord: Codable, Sendable {
    static var table: StoreTable { get }
}

/// One failed sign-in attempt, counted against an account or an address.
public struct SignInAttempt: StoredRecord, Hashable {
    public static let table = StoreTable.signInAttempt
    public var key: String
    public var at: Date

    public init(key: String, at: Date) {
        self.key = key
        self.at = at
    }
}

extension UserRecord: StoredRecord { public static let table = StoreTable.user }
extension TokenRecord: StoredRecord { public static let table = StoreTable.token }
extension SessionRecord: StoredRecord { public static let table = StoreTable.session }
extension InvitationRecord: StoredRecord { public static let table = StoreTable.invitation }
extension PasswordResetRecord: StoredRecord { public static let table = StoreTable.passwordReset }
extension StudioRecord: StoredRecord { public static let table = StoreTable.studio }
extension StudioMember: StoredRecord { public static let table = StoreTable.studioMember }
extension PolicyVersionRecord: StoredRecord { public static let table = StoreTable.policyVersion }
extension RetriageJob: StoredRecord { public static let table = StoreTable.retriageJob }
extension ToolEntry: StoredRecord { public static let table = StoreTable.tool }
extension ProductionRecord: StoredRecord { public static let table = StoreTable.production }
extension ProductionMember: StoredRecord { public static let table = StoreTable.productionMember }
extension UseRequestRecord: StoredRecord { public static let table = StoreTable.useRequest }
extension RevisionRecord: StoredRecord { public static let table = StoreTable.revision }
extension DecisionRecord: StoredRecord { public static let table = StoreTable.decision }
extension VerdictRecord: StoredRecord { public static let table = StoreTable.verdict }
extension AcknowledgementRecord: StoredRecord { public static let table = StoreTable.acknowledgement }
extension CommentRecord: StoredRecord { public static let table = StoreTable.comment }
extension CoverageExtension: StoredRecord { public static let table = StoreTable.coverageExtension }
extension ConsentRecord: StoredRecord { public static let table = StoreTable.consent }
extension ScanRecord: StoredRecord { public static let table = StoreTable.scan }
extension WebhookEndpoint: StoredRecord { public static let table = StoreTable.webhookEndpoint }
extension WebhookDelivery: StoredRecord { public static let table = StoreTable.webhookDelivery }
extension AuditEvent: StoredRecord { public static let table = StoreTable.auditEvent }
extension AuditChainHead: StoredRecord { public static let table = StoreTable.auditChainHead }
