internal import ClearanceCore
internal import ClearanceProvenance
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// A production, with what a studio admin said of it only where said.
struct ProductionResponse: Encodable, Sendable {
    var id: String
    var studio: String
    var title: String
    var createdAt: Date
    var kind: ProductionKind?
    /// Left out when none are named.
    var territories: [String]?
    var photographyStartsOn: String?
    var deliveryOn: String?
    var archivedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, studio, title, createdAt = "created-at", kind, territories, photographyStartsOn = "photography-starts-on"
        case deliveryOn = "delivery-on", archivedAt = "archived-at"
    }

    init(_ production: ProductionRecord) {
        id = production.id
        studio = production.studioID
        title = production.title
        createdAt = production.createdAt
        kind = production.kind
        territories = production.territories.isEmpty ? nil : production.territories
        photographyStartsOn = production.photographyStartsOn
        deliveryOn = production.deliveryOn
        archivedAt = production.archivedAt
    }
}

/// A performer's consent, with every term (null where not given).
struct ConsentResponse: Encodable, Sendable {
    var id: String
    var studio: String
    var productions: [String]
    var performer: String
    var kind: ConsentKind
    var permittedUse: String
    var signedOn: String
    @ExplicitNull var noticeOn: String?
    @ExplicitNull var expiresOn: String?
    var signedSeparately: Bool
    @ExplicitNull var documentRef: String?
    @ExplicitNull var revokedAt: Date?
    @ExplicitNull var revokedReason: String?
    var createdBy: String
    var createdAt: Date
    /// The terms the rulebooks read, given only where recorded.
    var specificDescription: Bool?
    var represented: Representation?

    enum CodingKeys: String, CodingKey {
        case id, studio, productions, performer, kind, permittedUse = "permitted-use", signedOn = "signed-on", noticeOn = "notice-on"
        case expiresOn = "expires-on", signedSeparately = "signed-separately", documentRef = "document-ref", revokedAt = "revoked-at"
        case revokedReason = "revoked-reason", createdBy = "created-by", createdAt = "created-at"
        case specificDescription = "specific-description", represented
    }

    init(_ consent: ConsentRecord) {
        id = consent.id
        studio = consent.studioID
        productions = consent.productions
        performer = consent.performer
        kind = consent.kind
        permittedUse = consent.permittedUse
        signedOn = consent.signedOn
        noticeOn = consent.noticeOn
        expiresOn = consent.expiresOn
        signedSeparately = consent.signedSeparately
        documentRef = consent.documentRef
        revokedAt = consent.revokedAt
        revokedReason = consent.revokedReason
        createdBy = consent.createdBy
        createdAt = consent.createdAt
        specificDescription = consent.specificDescription
        represented = consent.represented
    }
}

/// A request whose current revision names a consent, and whether the consent covers it.
struct NamingRequestResponse: Encodable, Sendable {
    var request: String
    var title: String
    var production: String
    var state: RequestState
    var performers: [String]
    var coveredNow: Bool
    var uncoveredByRevocation: Bool

    enum CodingKeys: String, CodingKey {
        case request, title, production, state, performers, coveredNow = "covered-now", uncoveredByRevocation = "uncovered-by-revocation"
    }

    init(_ naming: Consents.NamingRequest) {
        request = naming.request.id
        title = naming.request.title
        production = naming.request.productionID
        state = naming.request.state
        performers = naming.performers
        coveredNow = naming.coveredNow
        uncoveredByRevocation = naming.uncoveredByRevocation
    }
}

/// A production's approved final uses, as `clearance scan` reads them.
struct FinalApprovalsResponse: Encodable, Sendable {
    var production: String
    var approvals: [ApprovedFinalUseResponse]
}

/// The shape `clearance scan` reads: `request`, `title`, `revision`, `approved-at`, `assets`.
struct ApprovedFinalUseResponse: Encodable, Sendable {
    var request: String
    var title: String
    var revision: Int
    var approvedAt: Date
    var assets: [String]

    enum CodingKeys: String, CodingKey {
        case request, title, revision, approvedAt = "approved-at", assets
    }

    init(_ use: ApprovedFinalUse) {
        request = use.request.id
        title = use.request.title
        revision = use.request.revision
        approvedAt = use.approvedAt
        assets = use.assets
    }
}

/// One uploaded scan, without its report.
struct ScanResponse: Encodable, Sendable {
    var id: String
    var production: String
    var studio: String
    var uploadedBy: String
    var createdAt: Date
    var scanner: String
    var total: Int
    var flagged: Int
    var unapproved: Int
    var byVerdict: VerdictCounts

    enum CodingKeys: String, CodingKey {
        case id, production, studio, uploadedBy = "uploaded-by", createdAt = "created-at", scanner, total, flagged, unapproved
        case byVerdict = "by-verdict"
    }

    /// Files by verdict: every verdict the scanner knows, in its order (zero where none), then any
    /// others the report named, by name.
    struct VerdictCounts: Encodable, Sendable {
        var counts: [(verdict: String, files: Int)]

        init(_ byVerdict: [String: Int]) {
            let named = ProvenanceVerdict.allCases.map(\.rawValue)
            let others = byVerdict.keys.filter { !named.contains($0) }.sorted()
            counts = (named + others).map { ($0, byVerdict[$0] ?? 0) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONValue.MemberKey.self)
            for (verdict, files) in counts { try container.encode(files, forKey: JSONValue.MemberKey(verdict)) }
        }
    }

    init(_ scan: ScanRecord) {
        id = scan.id
        production = scan.productionID
        studio = scan.studioID
        uploadedBy = scan.uploadedBy
        createdAt = scan.createdAt
        scanner = scan.scanner
        total = scan.total
        flagged = scan.flagged
        unapproved = scan.unapproved
        byVerdict = VerdictCounts(scan.byVerdict)
    }
}
