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
    case consent, scan, dashboardTally
    case obligationMet, overlaySetting, overlayVersion
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
        case .policyVersion: ["studioID", "number", "policyID", "policyVersion", "digest", "text", "publishedBy", "publishedAt", "change"]
        case .retriageJob: ["studioID", "number", "publishedBy", "total", "retriaged", "setAside", "flagged", "state", "owner",
                            "leaseUntil", "createdAt", "finishedAt", "productionID"]
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
                        "signedSeparately", "documentRef", "revokedAt", "revokedReason", "createdBy", "createdAt",
                        "specificDescription", "represented"]
        case .obligationMet: ["requestID", "obligationID", "studioID", "productionID", "note", "link", "documentRef", "metBy", "metAt"]
        case .overlaySetting: ["studioID", "productionID", "overlayID", "enabled", "changedBy", "changedAt"]
        case .overlayVersion: ["studioID", "overlayID", "number", "version", "digest", "text", "publishedBy", "publishedAt"]
        case .scan: ["id", "productionID", "studioID", "uploadedBy", "createdAt", "scanner", "total", "flagged", "unapproved",
                     "byVerdict", "report"]
        case .webhookEndpoint: ["id", "studioID", "url", "events", "format", "secret", "createdAt"]
        case .webhookDelivery: ["id", "endpointID", "studioID", "event", "body", "status", "attempts", "nextAttemptAt",
                                "lastStatusCode", "lastError", "createdAt", "deliveredAt"]
        case .auditEvent: ["seq", "chain", "position", "at", "actor", "action", "studioID", "productionID", "subject", "details",
                           "previousHash", "hash"]
        case .auditChainHead: ["chain", "position", "hash", "anchor"]
        case .dashboardTally: ["studioID", "productionID", "measure", "key", "count"]
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
        case .dashboardTally: ["studioID", "productionID", "measure", "key"]
        case .obligationMet: ["requestID", "obligationID"]
        case .overlaySetting: ["studioID", "productionID", "overlayID"]
        case .overlayVersion: ["studioID", "overlayID", "number"]
        default: ["id"]
        }
    }

    /// The column a `RowWrite.add` adds to, for tables that keep tallies.
    public var tallyColumn: String? { self == .dashboardTally ? "count" : nil }

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

/// How many of a production's requests have one outcome, one area, or were filed in one month:
/// what a dashboard draws, kept up to date by the write path so that drawing it costs the same
/// however many requests there are.
public struct DashboardTally: StoredRecord, Hashable {
    public static let table = StoreTable.dashboardTally

    public enum Measure: String, Sendable, Codable {
        case outcome, area, month
    }

    public var studioID: String
    public var productionID: String
    public var measure: Measure
    /// The outcome, the area, or the month (`YYYY-MM`, UTC).
    public var key: String
    public var count: Int

    public init(studioID: String, productionID: String, measure: Measure, key: String, count: Int) {
        self.studioID = studioID
        self.productionID = productionID
        self.measure = measure
        self.key = key
        self.count = count
    }

    /// The changes a request's move from `old` to `new` makes to its production's tallies (a new
    /// request has no `old`): one per key, zero changes left out.
    public static func changes(from old: UseRequestRecord?, to new: UseRequestRecord) -> [DashboardTally] {
        var delta: [Measure: [String: Int]] = [:]
        func count(_ request: UseRequestRecord, _ sign: Int) {
            delta[.outcome, default: [:]][request.outcome.rawValue, default: 0] += sign
            for area in Set(request.areas) { delta[.area, default: [:]][area.rawValue, default: 0] += sign }
        }
        if let old { count(old, -1) } else { delta[.month, default: [:]][month(of: new.createdAt), default: 0] += 1 }
        count(new, 1)
        return [Measure.outcome, .area, .month].flatMap { measure in
            (delta[measure] ?? [:]).filter { $0.value != 0 }.sorted { $0.key < $1.key }.map {
                DashboardTally(studioID: new.studioID, productionID: new.productionID, measure: measure, key: $0.key, count: $0.value)
            }
        }
    }

    /// The month a request was filed in, as the tallies key it.
    public static func month(of date: Date) -> String { String(Timestamps.day(date).prefix(7)) }
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
extension ObligationMet: StoredRecord { public static let table = StoreTable.obligationMet }
extension OverlaySetting: StoredRecord { public static let table = StoreTable.overlaySetting }
extension OverlayVersionRecord: StoredRecord { public static let table = StoreTable.overlayVersion }
