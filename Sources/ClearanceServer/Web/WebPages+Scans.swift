internal import ClearanceCore
internal import ClearanceService
internal import ClearanceProvenance
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension WebPages {
    // MARK: Deliverable scans

    /// A production's uploaded scans, newest first, with their counts.
    func scansPage(_ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
        let scans = try await store.scans(productionID: production.id, after: nil, limit: 200)
        let names = try await userNames(Set(scans.map(\.uploadedBy)))
        let rows = scans.map { scan -> [String: Any] in
            [
                "id": scan.id, "production": production.id, "created": Wording.date(scan.createdAt), "scanner": scan.scanner,
                "uploadedBy": names[scan.uploadedBy] ?? scan.uploadedBy, "total": scan.total, "flagged": scan.flagged,
                "unapproved": scan.unapproved, "hasUnapproved": scan.unapproved > 0,
                "byVerdict": ProvenanceVerdict.allCases.compactMap { verdict in
                    scan.byVerdict[verdict.rawValue].flatMap { $0 > 0 ? "\(verdict.rawValue) \($0)" : nil }
                }.joined(separator: ", "),
            ]
        }
        return views.render("scans", [
            "production": ["id": production.id, "title": production.title], "scans": rows, "hasScans": !rows.isEmpty,
        ], title: "Deliverable scans: \(production.title)", context: context)
    }

    /// One scan: the summary by verdict, the unapproved GenAI files first, then every flagged
    /// file with its evidence and the approval that covers it. Each covering approval is checked
    /// against the production's approved final uses as they stand now.
    func scanPage(_ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let (scan, production) = try await api.visibleScan(try api.parameter(context, "scan"),
                                                           in: try api.parameter(context, "production"), caller)
        let report: ScanReport
        do {
            report = try JSONDecoder().decode(ScanReport.self, from: Data((scan.report ?? "").utf8))
        } catch {
            throw StoreError.database("scan \(scan.id) holds a report that no longer reads: \(error)")
        }
        let current = Dictionary(try await api.deliveries.finalApprovals(production.id, by: caller).1.map { ($0.request.id, $0) },
                                 uniquingKeysWith: { first, _ in first })
        let unapproved = report.unapprovedFiles
        let unapprovedPaths = Set(unapproved.map(\.path))
        let flagged = unapproved + report.files.filter { $0.verdict.isFlagged && !unapprovedPaths.contains($0.path) }
        let uploader = try await userNames([scan.uploadedBy])[scan.uploadedBy] ?? scan.uploadedBy
        return views.render("scan", [
            "production": ["id": production.id, "title": production.title],
            "scan": [
                "id": scan.id, "created": Wording.date(scan.createdAt), "scanner": scan.scanner, "uploadedBy": uploader,
                "roots": report.roots, "total": scan.total, "flagged": scan.flagged,
            ],
            "reconciled": report.reconciliation != nil,
            "verdicts": ProvenanceVerdict.allCases.map { verdict in
                ["verdict": verdict.rawValue, "count": scan.byVerdict[verdict.rawValue] ?? 0, "flagged": verdict.isFlagged]
            },
            "unapprovedCount": unapproved.count, "hasUnapproved": !unapproved.isEmpty,
            "unapproved": unapproved.map { Self.fileRow($0, unapproved: true, current: current) },
            "hasFlagged": !flagged.isEmpty,
            "flagged": flagged.map { Self.fileRow($0, unapproved: unapprovedPaths.contains($0.path), current: current) },
        ], title: "Deliverable scan \(scan.id)", context: context)
    }

    /// One file of a scan, for the templates.
    static func fileRow(_ file: FileScan, unapproved: Bool, current: [String: ApprovedFinalUse]) -> [String: Any] {
        var row: [String: Any] = [
            "path": file.path, "verdict": file.verdict.rawValue, "unapprovedFile": unapproved, "problem": present(file.problem),
            "markers": file.markers.map { marker in
                ["evidence": marker.evidence, "location": marker.location, "offset": String(marker.offset), "scope": present(marker.scope)]
            },
        ]
        if let approval = file.approval {
            let use = current[approval.request]
            row["approval"] = ["request": approval.request, "title": use?.request.title ?? approval.request,
                               "reference": approval.reference, "lapsed": !(use?.covers(reference: approval.reference) ?? false)]
        }
        return row
    }

    /// Display names by user id; an id whose user is gone shows as itself.
    func userNames(_ ids: Set<String>) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in ids { names[id] = try await store.user(id: id)?.name ?? id }
        return names
    }
}
