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
        let approvals = try await api.deliveries.finalApprovals(production.id, by: caller).1
        let current = Dictionary(approvals.map { ($0.request.id, $0) }, uniquingKeysWith: { first, _ in first })
        let unapproved = report.unapprovedFiles
        let unapprovedPaths = Set(unapproved.map(\.path))
        let flagged = unapproved + report.files.filter { $0.verdict.isFlagged && !unapprovedPaths.contains($0.path) }
        let uploader = try await userNames([scan.uploadedBy])[scan.uploadedBy] ?? scan.uploadedBy
        var extend: [String: Any]?
        if caller.productionRole(production.id) == .coordinator && !unapproved.isEmpty && !approvals.isEmpty {
            extend = ["files": unapproved.map { ["path": $0.relativePath ?? $0.path] },
                      "uses": approvals.map { ["id": $0.request.id, "title": $0.request.title] }]
        }
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
            // Files the scan could not check: unreadable, or in a format with no way to say.
            "unchecked": report.files.filter { $0.verdict == .error || $0.verdict == .unknownFormat }.map { file in
                ["path": file.relativePath ?? file.path,
                 "why": file.verdict == .error ? "could not be read" + (file.problem.map { ": \($0)" } ?? "")
                     : "\(file.format) files carry no provenance a scan can read; check them by hand"]
            },
            // The coordinator may ask an approved final use to cover an unapproved file.
            "extend": extend as Any,
            "hasFlagged": !flagged.isEmpty,
            "flagged": flagged.map { Self.fileRow($0, unapproved: unapprovedPaths.contains($0.path), current: current) },
        ], title: "Deliverable scan \(scan.id)", context: context)
    }

    /// The coordinator asks, from a scan, that an approved final use cover one of its files.
    func extendSubmit(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let productionID = try api.parameter(context, "production")
        let scanID = try api.parameter(context, "scan")
        let asked = try await api.deliveries.askToExtend(fields.value("request") ?? "", reference: fields.value("reference") ?? "",
                                                         scanID: scanID, in: productionID, by: caller)
        return finished("coverage-asked", request: asked.requestID, http)
    }

    /// An approver confirms or declines an extension, from the request's page.
    func extensionDecision(_ fields: [FormDocument.Field], _ http: Request, _ context: ClearanceContext) async throws -> Response {
        let id = try api.parameter(context, "id")
        guard let decision = fields.value("decision"), decision == "confirm" || decision == "decline" else {
            throw Problem.badRequest("choose to confirm or decline")
        }
        let confirm = decision == "confirm"
        _ = try await api.deliveries.decideExtension(try api.parameter(context, "extension"), on: id, confirm: confirm, by: try caller(context))
        return finished(confirm ? "coverage-confirmed" : "coverage-declined", request: id, http)
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
