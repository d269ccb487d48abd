internal import ClearanceService
internal import ClearanceCore
internal import ClearanceProvenance
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension ClearanceAPI {
    /// The largest scan report the API reads: 16 MiB, room for tens of thousands of files.
    static let maxScanSize = 16 << 20

    func addScanRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("productions/:production/final-approvals") { _, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let approvals = try await ApprovedFinalUse.all(production: production, store: store, now: now)
            return Reply.json(.object([
                .init("production", .string(production.id)), .init("approvals", .array(approvals.map(\.json))),
            ]))
        }
        api.post("productions/:production/scans") { request, context in try await uploadScan(request, context) }
        api.get("productions/:production/scans") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let (limit, after) = try page(request)
            if let after { try Self.checkCursor(try await store.scan(id: after)?.productionID == production.id) }
            let scans = try await store.scans(productionID: production.id, after: after, limit: limit)
            return Reply.list(scans.map { $0.json() }, next: scans.count == limit ? scans.last?.id : nil)
        }
        api.get("productions/:production/scans/:scan") { _, context in
            let caller = try context.requireCaller()
            let (scan, _) = try await visibleScan(try parameter(context, "scan"), in: try parameter(context, "production"), caller)
            return Reply.json(rendered: scan.renderedWithReport)
        }
    }

    /// A scan of a production the caller can see, or 404 as if neither existed.
    func visibleScan(_ id: String, in productionID: String, _ caller: Caller) async throws -> (ScanRecord, ProductionRecord) {
        let production = try await visibleProduction(productionID, caller)
        guard let scan = try await store.scan(id: id), scan.productionID == production.id else {
            throw Problem.notFound("scan '\(id)'")
        }
        return (scan, production)
    }

    /// `POST …/scans`: a pipeline (or a person) uploads what `clearance scan --format json` wrote.
    /// The counts are taken from the files, not from the report's own summary, and the flagged
    /// files are checked here against the production's approved final uses as they stand now:
    /// what the uploader's scanner matched (or did not) is replaced, so the stored count of
    /// unapproved GenAI does not depend on who ran the scan or how.
    func uploadScan(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try context.requireCaller()
        let production = try await visibleProduction(try parameter(context, "production"), caller)
        guard caller.canUploadScans(to: production.id) else {
            throw Problem.forbidden("only the production's requesters and coordinator upload scans")
        }
        let body = try await Body.read(request, context: context, limit: Self.maxScanSize)
        guard body.format == .json else {
            throw Problem(.unsupportedMediaType, "Unsupported Content-Type",
                          detail: "a scan report is JSON, as `clearance scan --format json` writes it; send application/json")
        }
        let uploaded = try Self.scanReport(body.text, production: production.id)
        let approvals = try await ApprovedFinalUse.all(production: production, store: store, now: now).map(\.finalApproval)
        let report = Reconciler.reconcile(uploaded, production: production.id, approvals: approvals)
        let summary = ScanSummary(files: report.files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let scan = ScanRecord(id: Self.newID("scan-"), productionID: production.id, studioID: production.studioID,
                              uploadedBy: caller.user.id, createdAt: now, scanner: report.scanner, total: summary.total,
                              flagged: summary.flagged, unapproved: report.unapprovedFiles.count, byVerdict: summary.byVerdict,
                              report: String(decoding: try encoder.encode(report), as: UTF8.self))
        try await store.addScan(scan, audit: audit(
            caller, "scan.uploaded", studio: production.studioID, production: production.id, subject: scan.id,
            details: .object([
                .init("scanner", .string(scan.scanner)), .init("total", .number(scan.total)),
                .init("flagged", .number(scan.flagged)), .init("unapproved", .number(scan.unapproved)),
            ])))
        return Reply.json(scan.json(), status: .created, location: "/api/v1/productions/\(production.id)/scans/\(scan.id)")
    }

    /// Reads a scan report, with each problem as a 422 that points at its field.
    static func scanReport(_ text: String, production: String) throws -> ScanReport {
        // The decoder reads a null optional field as an absent one; the format has no null fields.
        if text.contains("null"), let parsed = try? JSONText.parse(text), let path = nullField(in: parsed) {
            throw Problem.invalid(path.jsonPointer, "null is not a value of this field; leave the field out")
        }
        let report: ScanReport
        do {
            report = try JSONDecoder().decode(ScanReport.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            let (path, message): ([any CodingKey], String) = switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], "required field '\(key.stringValue)' is missing")
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            @unknown default: ([], "the report does not read as a scan report")
            }
            throw Problem.invalid(jsonPointer(path), message)
        }
        let scanner = report.scanner.trimmingCharacters(in: .whitespacesAndNewlines)
        if scanner.isEmpty || scanner.count > 200 {
            throw Problem.invalid("/scanner", "the scanner's name is 1 to 200 characters")
        }
        if let checked = report.reconciliation?.production, checked != production {
            throw Problem.invalid("/reconciliation/production",
                                  "the scan was checked against production '\(checked)', not '\(production)'")
        }
        return report
    }

    /// The place of the first null in a parsed report, in document order, outside the manifests,
    /// whose entries are free-form objects.
    static func nullField(in value: JSONValue, at path: FieldPath = .root) -> FieldPath? {
        switch value {
        case .null:
            return path
        case .object(let members):
            for member in members where member.key != "manifests" {
                if let found = nullField(in: member.value, at: path.appending(member.key)) { return found }
            }
            return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = nullField(in: item, at: path.appending(index)) { return found }
            }
            return nil
        case .bool, .number, .string:
            return nil
        }
    }

    /// An RFC 6901 pointer to a decoding error's place in the body.
    static func jsonPointer(_ path: [any CodingKey]) -> String {
        FieldPath(path.map { key in key.intValue.map(FieldPath.Component.index) ?? .key(key.stringValue) }).jsonPointer
    }
}

extension ScanReport {
    /// Unapproved GenAI in the deliverables: the flagged files no approval covers, in the
    /// report's order.
    var unapprovedFiles: [FileScan] {
        files.filter { $0.verdict.isFlagged && $0.approval == nil }
    }
}

extension ScanRecord {
    /// The API's representation of one scan with its report (in the scanner's own format). The
    /// stored report text goes in as it is: it can run to megabytes, and reading it back into a
    /// value would cost far more than sending it.
    var renderedWithReport: String {
        String(json().rendered.dropLast()) + #","report":"# + (report ?? "null") + "}"
    }

    /// The API's representation, without the report.
    func json() -> JSONValue {
        let named = ProvenanceVerdict.allCases.map(\.rawValue)
        let others = byVerdict.keys.filter { !named.contains($0) }.sorted()
        return .object([
            .init("id", .string(id)), .init("production", .string(productionID)), .init("studio", .string(studioID)),
            .init("uploaded-by", .string(uploadedBy)), .init("created-at", .time(createdAt)), .init("scanner", .string(scanner)),
            .init("total", .number(total)), .init("flagged", .number(flagged)), .init("unapproved", .number(unapproved)),
            .init("by-verdict", .object((named + others).map { .init($0, .number(byVerdict[$0] ?? 0)) })),
        ])
    }
}
