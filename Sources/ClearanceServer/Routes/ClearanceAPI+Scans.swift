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
            let (production, approvals) = try await deliveries.finalApprovals(try parameter(context, "production"),
                                                                              by: try context.requireCaller())
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

    func visibleScan(_ id: String, in productionID: String, _ caller: Caller) async throws -> (ScanRecord, ProductionRecord) {
        try await deliveries.visibleScan(id, in: productionID, caller)
    }

    /// `POST …/scans`: a scan report as `clearance scan --format json` writes it (`Deliveries.upload`).
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
        let scan = try await deliveries.upload(body.text, to: production.id, by: caller)
        return Reply.json(scan.json(), status: .created, location: "/api/v1/productions/\(production.id)/scans/\(scan.id)")
    }
}

extension ApprovedFinalUse {
    /// The shape `clearance scan` reads: `request`, `title`, `revision`, `approved-at`, `assets`.
    var json: JSONValue {
        .object([
            .init("request", .string(request.id)), .init("title", .string(request.title)),
            .init("revision", .number(request.revision)), .init("approved-at", .time(approvedAt)),
            .init("assets", .array(assets.map { .string($0) })),
        ])
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
