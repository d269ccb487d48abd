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

    // MARK: Extending an approval's assets

    /// The production's coordinator asks, from a scan's unapproved file, that an approved final
    /// use cover it. The approver who decides is one of the area whose verdict named assets, or
    /// of legal when none did.
    public func askToExtend(_ requestID: String, reference text: String, scanID: String, in productionID: String,
                            by caller: Caller) async throws -> CoverageExtension {
        let (request, production) = try await visibleRequest(requestID, caller)
        guard production.id == productionID else { throw ServiceError.notFound("request '\(requestID)'") }
        guard caller.productionRole(production.id) == .coordinator else {
            throw ServiceError.forbidden("the production's coordinator asks to extend an approval's assets")
        }
        let (scan, _) = try await visibleScan(scanID, in: production.id, caller)
        // Only a file the scan found unapproved, named exactly: never a pattern that would cover more.
        guard let report = try? JSONDecoder().decode(ScanReport.self, from: Data((scan.report ?? "").utf8)),
              report.unapprovedFiles.contains(where: { ($0.relativePath ?? $0.path) == text }) else {
            throw ServiceError.invalid("/reference", "'\(text)' is not an unapproved file of this scan")
        }
        guard !text.contains(where: { "*?[]{}\\".contains($0) }) else {
            throw ServiceError.invalid("/reference", "the file's name has pattern characters; ask the approver to add it by asset id instead")
        }
        let reference: String
        do throws(AssetReference.Problem) {
            reference = try AssetReference(parsing: text).description
        } catch {
            throw ServiceError.invalid("/reference", error.description)
        }
        let time = now
        guard let use = try await ApprovedFinalUse.all(production: production, store: store, now: time).first(where: { $0.request.id == request.id }) else {
            throw ServiceError.conflict("'\(request.title)' is not an approved use for the final deliverables; only those can cover more files")
        }
        if use.assets.contains(reference) { throw ServiceError.conflict("'\(request.title)' already covers \(reference)") }
        let verdicts = try await store.verdicts(requestID: request.id)
        let decisions = try await store.decisions(requestID: request.id)
        let area = verdicts.first { !$0.isStale(against: decisions.last) && !$0.assets.isEmpty }?.area ?? .legal
        let asked = CoverageExtension(id: RandomID.make("cx-"), requestID: request.id, revision: request.revision, scanID: scanID,
                                      reference: reference, area: area, requestedBy: caller.user.id, requestedAt: time)
        try await store.addCoverageExtension(asked, audit: draft(caller, "request.coverage.asked", studio: request.studioID,
                                                                 production: request.productionID, subject: request.id, at: time,
                                                                 details: .object([
                                                                     .init("extension", .string(asked.id)), .init("reference", .string(reference)),
                                                                     .init("scan", .string(scanID)), .init("area", .string(area.rawValue)),
                                                                 ])))
        return asked
    }

    /// Who may decide an extension: an approver of its area who neither filed nor revised the request.
    public func mayDecide(_ asked: CoverageExtension, on request: UseRequestRecord, by caller: Caller, authored: Bool) -> Bool {
        guard asked.confirmed == nil, asked.requestedBy != caller.user.id,
              let member = caller.studioRoles[request.studioID], member.role == .approver else { return false }
        return member.areas.contains(asked.area) && !authored
    }

    /// An approver confirms (the use now covers the file) or declines an extension.
    public func decideExtension(_ id: String, on requestID: String, confirm: Bool, by caller: Caller) async throws -> CoverageExtension {
        let (request, _) = try await visibleRequest(requestID, caller)
        guard var asked = try await store.coverageExtensions(requestID: request.id).first(where: { $0.id == id }) else {
            throw ServiceError.notFound("coverage extension '\(id)'")
        }
        let authored = try await authored(request, by: caller)
        guard asked.confirmed == nil else { throw ServiceError.conflict("this extension was already decided") }
        guard mayDecide(asked, on: request, by: caller, authored: authored) else {
            throw ServiceError.forbidden("an approver for \(asked.area.rawValue) who did not ask for it, file or revise the request decides this")
        }
        let time = now
        guard try await store.decideCoverageExtension(id: asked.id, confirmed: confirm, by: caller.user.id, at: time, audit: draft(
            caller, confirm ? "request.coverage.confirmed" : "request.coverage.declined", studio: request.studioID,
            production: request.productionID, subject: request.id, at: time,
            details: .object([.init("extension", .string(asked.id)), .init("reference", .string(asked.reference))]))) else {
            throw ServiceError.conflict("this extension was already decided")
        }
        asked.confirmed = confirm
        asked.decidedBy = caller.user.id
        asked.decidedAt = time
        return asked
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
