/// A production's approved use whose output goes into the final cut, with the assets its
/// approvals say they cover. This is what `GET /api/v1/productions/{p}/final-approvals` lists.
public struct FinalApproval: Sendable, Hashable, Codable {
    public var request: String
    public var title: String?
    public var assets: [AssetReference]

    public init(request: String, title: String? = nil, assets: [AssetReference]) {
        self.request = request
        self.title = title
        self.assets = assets
    }
}

/// Matches flagged files to approvals. Pure: the report and the approvals in, the report with
/// each flagged file's covering approval (or none) out. Whatever the report said before is
/// replaced, so the server can check an uploaded report against its own approvals.
public enum Reconciler {
    public static func reconcile(_ report: ScanReport, production: String, approvals: [FinalApproval]) -> ScanReport {
        var result = report
        var reconciliation = Reconciliation(production: production, approvals: approvals)
        for index in result.files.indices {
            reconciliation.check(&result.files[index], against: approvals)
        }
        result.reconciliation = reconciliation
        return result
    }

    /// The first approval with an asset reference that covers `file`, or `nil`.
    static func approval(covering file: FileScan, among approvals: [FinalApproval]) -> CoveringApproval? {
        let relative = file.relativePath ?? file.path
        for approval in approvals {
            for reference in approval.assets
            where reference.covers(relativePath: relative, identifiers: file.identifiers)
                || reference.covers(relativePath: file.path, identifiers: []) {
                return CoveringApproval(request: approval.request, reference: reference.description)
            }
        }
        return nil
    }
}

extension Reconciliation {
    /// Nothing checked yet against `approvals`.
    public init(production: String, approvals: [FinalApproval]) {
        self.init(production: production, approvalsConsidered: approvals.count, covered: 0, unapproved: [])
    }

    /// Checks one file as a scan produces it, so a scan can be reconciled without keeping its
    /// files: a flagged file gets its covering approval, or is counted as unapproved; any
    /// approval the file claimed before is dropped.
    public mutating func check(_ file: inout FileScan, against approvals: [FinalApproval]) {
        file.approval = nil
        guard file.verdict.isFlagged else { return }
        file.approval = Reconciler.approval(covering: file, among: approvals)
        if file.approval == nil { unapproved.append(file.path) } else { covered += 1 }
    }
}
