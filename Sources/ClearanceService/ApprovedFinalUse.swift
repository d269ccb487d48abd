internal import ClearanceCore
public import ClearanceProvenance
public import ClearanceStore
public import Foundation

/// A use approved for the final deliverables, with the assets its approvals cover: what
/// `clearance scan --production` matches flagged files against.
///
/// A use counts while its request stands approved, its output goes to the final deliverables
/// (`output.destination: final`) and no approval of it has expired. Only verdicts for the
/// current digests contribute assets, so a revision's new approvals replace the old ones'.
public struct ApprovedFinalUse: Sendable {
    public var request: UseRequestRecord
    /// When the last of the counting verdicts was given: the moment the use stood approved.
    public var approvedAt: Date
    /// The union of the counting verdicts' asset references, in the order given.
    public var assets: [String]

    /// The production's approved final uses, oldest first. Their assets are those of the
    /// verdicts that count, and the files added from a scan with an approver's confirmation.
    public static func all(production: ProductionRecord, store: any Store, now: Date) async throws -> [ApprovedFinalUse] {
        let register = try await ProductionRegister.build(production: production, store: store, now: now, state: .approved)
        var uses: [ApprovedFinalUse] = []
        for entry in register.entries where entry.finalDeliverable && entry.approval != "expired" {
            let approvedAt = entry.verdicts.map(\.createdAt).max() ?? entry.request.updatedAt
            var assets = entry.assets
            for added in try await store.coverageExtensions(requestID: entry.request.id)
            where added.confirmed == true && added.revision == entry.request.revision && !assets.contains(added.reference) {
                assets.append(added.reference)
            }
            uses.append(ApprovedFinalUse(request: entry.request, approvedAt: approvedAt, assets: assets))
        }
        return uses
    }

    /// The approval as the scanner's reconciliation reads it. The references were checked when
    /// the verdicts were given, so none is dropped here in practice.
    public var finalApproval: FinalApproval {
        FinalApproval(request: request.id, title: request.title,
                      assets: assets.compactMap { try? AssetReference(parsing: $0) })
    }

    /// Whether this approval still covers a file a scan matched to it by `reference`.
    public func covers(reference: String) -> Bool { assets.contains(reference) }
}
