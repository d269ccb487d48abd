public import ClearanceCore
public import ClearanceStore
public import Foundation

/// A verdict as the API and the register show it; `stale` says whether it still counts for the
/// request's current decision.
public struct VerdictResponse: Encodable, Sendable {
    public var id: String
    public var area: Area
    public var verdict: VerdictKind
    public var conditions: [String]
    @ExplicitNull public var note: String?
    public var approver: String
    public var revision: Int
    public var requestDigest: String
    public var policyDigest: String
    @ExplicitNull public var expiresOn: String?
    public var assets: [String]
    public var stale: Bool
    public var createdAt: Date
    /// The verdict it was carried from by a re-triage; left out for one given directly.
    public var carriedFrom: String?

    enum CodingKeys: String, CodingKey {
        case id, area, verdict, conditions, note, approver, revision, requestDigest = "request-digest", policyDigest = "policy-digest"
        case expiresOn = "expires-on", assets, stale, createdAt = "created-at", carriedFrom = "carried-from"
    }

    public init(_ record: VerdictRecord, stale: Bool) {
        id = record.id
        area = record.area
        verdict = record.verdict
        conditions = record.conditions
        note = record.note
        approver = record.approverID
        revision = record.revision
        requestDigest = record.requestDigest
        policyDigest = record.policyDigest
        expiresOn = record.expiresOn
        assets = record.assets
        self.stale = stale
        createdAt = record.createdAt
        carriedFrom = record.carriedFrom
    }
}
