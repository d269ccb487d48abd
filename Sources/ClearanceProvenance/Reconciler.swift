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
        var unapproved: [String] = []
        var covered = 0
        for index in result.files.indices {
            result.files[index].approval = nil
            guard result.files[index].verdict.isFlagged else { continue }
            let file = result.files[index]
            let relative = file.relativePath ?? file.path
            var match: CoveringApproval?
            search: for approval in approvals {
                for reference in approval.assets
                where reference.covers(relativePath: relative, identifiers: file.identifiers)
                    || reference.covers(relativePath: file.path, identifiers: []) {
                    match = CoveringApproval(request: approval.request, reference: reference.description)
                    break search
                }
            }
            result.files[index].approval = match
            if match == nil { unapproved.append(file.path) } else { covered += 1 }
        }
        result.reconciliation = Reconciliation(production: production, approvalsConsidered: approvals.count,
                                               covered: covered, unapproved: unapproved)
        return result
    }
}
