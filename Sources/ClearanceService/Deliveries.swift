internal import ClearanceCore
public import ClearanceProvenance
public import ClearanceStore
public import Foundation

/// Deliverable scans: what `clearance scan` found in a production's files, checked against the
/// production's approved final uses, kept with its audit event.
public struct Deliveries: UseCases {
    public let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = now
    }

    var now: Date { clock() }

    /// The production's approved final uses, oldest first: what a scan's flagged files are matched against.
    public func finalApprovals(_ productionID: String, by caller: Caller) async throws -> (ProductionRecord, [ApprovedFinalUse]) {
        let production = try await visibleProduction(productionID, caller)
        return (production, try await ApprovedFinalUse.all(production: production, store: store, now: now))
    }

    /// A scan of a production the caller can see, or not found as if neither existed.
    public func visibleScan(_ id: String, in productionID: String, _ caller: Caller) async throws -> (ScanRecord, ProductionRecord) {
        let production = try await visibleProduction(productionID, caller)
        guard let scan = try await store.scan(id: id), scan.productionID == production.id else {
            throw ServiceError.notFound("scan '\(id)'")
        }
        return (scan, production)
    }

    /// A pipeline (or a person) uploads what `clearance scan --format json` wrote. The counts are
    /// taken from the files, not from the report's own summary, and the flagged files are checked
    /// here against the production's approved final uses as they stand now: what the uploader's
    /// scanner matched (or did not) is replaced, so the stored count of unapproved GenAI does not
    /// depend on who ran the scan or how.
    public func upload(_ text: String, to productionID: String, by caller: Caller) async throws -> ScanRecord {
        let production = try await visibleProduction(productionID, caller)
        guard caller.canUploadScans(to: production.id) else {
            throw ServiceError.forbidden("only the production's requesters and coordinator upload scans")
        }
        let uploaded = try Self.scanReport(text, production: production.id)
        let time = now
        let approvals = try await ApprovedFinalUse.all(production: production, store: store, now: time).map(\.finalApproval)
        let report = Reconciler.reconcile(uploaded, production: production.id, approvals: approvals)
        let summary = ScanSummary(files: report.files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let scan = ScanRecord(id: RandomID.make("scan-"), productionID: production.id, studioID: production.studioID,
                              uploadedBy: caller.user.id, createdAt: time, scanner: report.scanner, total: summary.total,
                              flagged: summary.flagged, unapproved: report.unapprovedFiles.count, byVerdict: summary.byVerdict,
                              report: String(decoding: try encoder.encode(report), as: UTF8.self))
        try await store.addScan(scan, audit: draft(
            caller, "scan.uploaded", studio: production.studioID, production: production.id, subject: scan.id, at: time,
            details: .object([
                .init("scanner", .string(scan.scanner)), .init("total", .number(scan.total)),
                .init("flagged", .number(scan.flagged)), .init("unapproved", .number(scan.unapproved)),
            ])))
        return scan
    }

    /// Reads a scan report, with each problem pointing at its field.
    public static func scanReport(_ text: String, production: String) throws(ServiceError) -> ScanReport {
        // The decoder reads a null optional field as an absent one; the format has no null fields.
        if text.contains("null"), let parsed = try? JSONText.parse(text), let path = nullField(in: parsed) {
            throw .invalid(path.jsonPointer, "null is not a value of this field; leave the field out")
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
            throw .invalid(jsonPointer(path), message)
        } catch {
            throw .invalid("", "the report does not read as a scan report")
        }
        let scanner = report.scanner.trimmingCharacters(in: .whitespacesAndNewlines)
        if scanner.isEmpty || scanner.count > 200 {
            throw .invalid("/scanner", "the scanner's name is 1 to 200 characters")
        }
        if let checked = report.reconciliation?.production, checked != production {
            throw .invalid("/reconciliation/production", "the scan was checked against production '\(checked)', not '\(production)'")
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
    /// Unapproved GenAI in the deliverables: the flagged files no approval covers, in the report's order.
    public var unapprovedFiles: [FileScan] {
        files.filter { $0.verdict.isFlagged && $0.approval == nil }
    }
}
