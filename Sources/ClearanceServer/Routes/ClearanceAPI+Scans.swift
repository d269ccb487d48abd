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
            return try Reply.json(FinalApprovalsResponse(production: production.id, approvals: approvals.map(ApprovedFinalUseResponse.init)))
        }
        api.post("productions/:production/scans") { request, context in try await uploadScan(request, context) }
        api.get("productions/:production/scans") { request, context in
            let caller = try context.requireCaller()
            let production = try await visibleProduction(try parameter(context, "production"), caller)
            let (limit, after) = try page(request)
            if let after { try Self.checkCursor(try await store.scan(id: after)?.productionID == production.id) }
            let scans = try await store.scans(productionID: production.id, after: after, limit: limit)
            return try Reply.list(scans.map(ScanResponse.init), next: scans.count == limit ? scans.last?.id : nil)
        }
        api.get("productions/:production/scans/:scan") { _, context in
            let caller = try context.requireCaller()
            let (scan, _) = try await visibleScan(try parameter(context, "scan"), in: try parameter(context, "production"), caller)
            return Reply.json(rendered: try scan.renderedWithReport)
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
        return try Reply.json(ScanResponse(scan), status: .created, location: "/api/v1/productions/\(production.id)/scans/\(scan.id)")
    }
}

extension ScanRecord {
    /// The API's representation of one scan with its report (in the scanner's own format). The
    /// stored report text goes in as it is: it can run to megabytes, and reading it back into a
    /// value would cost far more than sending it.
    var renderedWithReport: String {
        get throws { String(try JSONValueEncoder().encode(ScanResponse(self)).rendered.dropLast()) + #","report":"# + (report ?? "null") + "}" }
    }
}
