import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// A scan report as `clearance scan --format json` writes it, with the given files (each a JSON
/// object) and, when checked against a production, its reconciliation.
func scanReport(_ files: [String], reconciliation: String? = nil, scanner: String = "clearance-scan 1.0") -> String {
    """
    {"scanner": "\(scanner)", "roots": ["deliverables"], "files": [\(files.joined(separator: ", "))],
     "summary": {"total": \(files.count), "flagged": 0, "by-verdict": {}, "bytes-read": 0, "bytes-in-files": 0}
     \(reconciliation.map { #", "reconciliation": \#($0)"# } ?? "")}
    """
}

/// One scanned file; `approval` is the covering approval's request and reference, when covered.
func scannedFile(_ path: String, verdict: String, evidence: String = "c2pa.actions: trainedAlgorithmicMedia",
                 approval: (request: String, reference: String)? = nil) -> String {
    let markers = verdict == "no-markers" ? "[]" : """
        [{"source": "c2pa", "verdict": "\(verdict)", "offset": 20, "location": "JPEG APP11", "evidence": "\(evidence)", "scope": "active manifest"}]
        """
    let covering = approval.map { #", "approval": {"request": "\#($0.request)", "reference": "\#($0.reference)"}"# } ?? ""
    return """
        {"path": "\(path)", "format": "jpeg", "verdict": "\(verdict)", "size": 1000, "bytes-read": 200, "markers": \(markers),
         "manifests": [], "identifiers": []\(covering)}
        """
}

/// Asset references on approvals, the approved final uses the scanner reads, and scan uploads.
@Suite("Deliverable scans")
struct ScanRouteTests {
    /// A use for the given destination that escalates to legal and talent (a performer re-aged).
    static func talentUse(destination: String, title: String = "De-ageing for the 1985 flashback") -> String {
        WorkflowRouteTests.deAgeing().replacingOccurrences(of: "destination: final", with: "destination: \(destination)")
            .replacingOccurrences(of: "title: De-ageing for the 1985 flashback", with: "title: \(title)")
    }

    /// Gives an approval for every area the request needs, each carrying `assets`.
    static func approveAll(_ client: Client, _ world: WorkflowRouteTests.World, id: String, assets: [String],
                           expiresOn: String? = nil) async throws {
        let request = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
        let approvers = ["legal": world.legal, "talent": world.talent, "creative": world.contact, "data": world.data]
        let list = assets.map { #""\#($0)""# }.joined(separator: ", ")
        let expiry = expiresOn.map { #", "expires-on": "\#($0)""# } ?? ""
        for area in request["areas"] as? [String] ?? [] {
            guard let token = approvers[area] else { throw SetupError("no approver for \(area) in this world") }
            _ = try await client.expect(.created, .post, "/api/v1/requests/\(id)/approvals", token: token,
                                        json: #"{"area": "\#(area)", "verdict": "approved", "assets": [\#(list)]\#(expiry)}"#)
        }
    }

    @Test("an approval's asset references are checked one by one, stored in normal form and returned", arguments: StoreKind.all)
    func assetsOnApprovals(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let id = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            let path = "/api/v1/requests/\(id)/approvals"

            let bad = try await client.expect(.unprocessableContent, .post, path, token: world.legal,
                                              json: #"{"area": "legal", "verdict": "approved", "assets": ["shots/*.exr", "id: ", "a\u0007b"]}"#)
            let pointers = (bad["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers == ["/assets/1", "/assets/2"])
            let many = (0...100).map { #""shot\#($0).exr""# }.joined(separator: ", ")
            let tooMany = try await client.expect(.unprocessableContent, .post, path, token: world.legal,
                                                  json: #"{"area": "legal", "verdict": "approved", "assets": [\#(many)]}"#)
            #expect((tooMany["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/assets")
            let rejection = try await client.expect(.unprocessableContent, .post, path, token: world.legal,
                                                    json: #"{"area": "legal", "verdict": "rejected", "assets": ["shots/*.exr"]}"#)
            #expect((rejection["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/assets")

            let given = try await client.expect(.created, .post, path, token: world.legal,
                                                json: #"{"area": "legal", "verdict": "approved", "assets": [" shots/ep101/*.exr ", "id:PLATE-7", "shots/ep101/*.exr"]}"#)
            #expect((given["verdict"] as? [String: Any])?["assets"] as? [String] == ["shots/ep101/*.exr", "id:PLATE-7"])
            let shown = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect((shown["verdicts"] as? [[String: Any]])?.first?["assets"] as? [String] == ["shots/ep101/*.exr", "id:PLATE-7"])
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.requester)
            #expect((history["verdicts"] as? [[String: Any]])?.first?["assets"] as? [String] == ["shots/ep101/*.exr", "id:PLATE-7"])
        }
        let verdict = try await service.store.auditEvents(AuditQuery(limit: 500)).first { $0.action == "request.verdict" }
        #expect(verdict?.details.contains("PLATE-7") == true, "the audit event names the assets")
    }

    @Test("final approvals: approved final uses only, with the assets of the verdicts that count now", arguments: StoreKind.all)
    func finalApprovals(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            // A final use: legal approves, the requester revises, and the approvals given again replace the first.
            let final = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            _ = try await client.expect(.created, .post, "/api/v1/requests/\(final)/approvals", token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved", "assets": ["old/*.exr"]}"#)
            _ = try await client.expect(.ok, .put, "/api/v1/requests/\(final)", token: world.requester,
                                        yaml: WorkflowRouteTests.deAgeing("Make the lead look younger in the flashback only."))
            try await Self.approveAll(client, world, id: final, assets: ["shots/ep101/*.exr", "id:PLATE-7"])
            // Approved too, but not for the final deliverables; and a final use still waiting.
            service.clock.advance(1)
            let temp = try await WorkflowRouteTests.file(client, world.requester, Self.talentUse(destination: "temp", title: "Temp de-age"))
            try await Self.approveAll(client, world, id: temp, assets: ["temp/*.mov"])
            _ = try await WorkflowRouteTests.file(client, world.requester, Self.talentUse(destination: "final", title: "Waiting"))
            // A final use whose approval runs out.
            service.clock.advance(1)
            let expiring = try await WorkflowRouteTests.file(client, world.requester, Self.talentUse(destination: "final", title: "Short"))
            let tomorrow = Timestamps.day(service.clock.now.addingTimeInterval(86400))
            try await Self.approveAll(client, world, id: expiring, assets: ["short/*.exr"], expiresOn: tomorrow)

            let listed = try await client.expect(.ok, .get, "/api/v1/productions/p1/final-approvals", token: world.requester)
            #expect(listed["production"] as? String == "p1")
            let approvals = listed["approvals"] as? [[String: Any]] ?? []
            #expect(approvals.compactMap { $0["request"] as? String } == [final, expiring])
            let first = approvals.first ?? [:]
            #expect(Set(first["assets"] as? [String] ?? []) == ["shots/ep101/*.exr", "id:PLATE-7"], "the stale verdict's assets are gone")
            #expect(first["revision"] as? Int == 2 && first["title"] as? String == "De-ageing for the 1985 flashback")
            #expect((first["approved-at"] as? String)?.hasSuffix("Z") == true)

            service.clock.advance(3 * 86400)
            let later = try await client.expect(.ok, .get, "/api/v1/productions/p1/final-approvals", token: world.studioAdmin)
            #expect((later["approvals"] as? [[String: Any]] ?? []).compactMap { $0["request"] as? String } == [final],
                    "an expired approval no longer covers anything")
            _ = try await client.expect(.unauthorized, .get, "/api/v1/productions/p1/final-approvals", token: nil)
        }
    }

    @Test("a scan upload is checked against the production's own approvals, stored, listed, readable and audited; tenancy holds",
          arguments: StoreKind.all)
    func upload(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        let id: String = try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                        json: #"{"id": "p2", "title": "P2"}"#)
            // One approved final use covers the EXR; the report also claims an approval for the
            // poster that the production does not have.
            let final = try await WorkflowRouteTests.file(client, world.requester, Self.talentUse(destination: "final"))
            try await Self.approveAll(client, world, id: final, assets: ["*.exr"])
            let report = scanReport([
                scannedFile("deliverables/covered.exr", verdict: "ai-edited"),
                scannedFile("deliverables/poster.jpg", verdict: "generated", approval: ("r-made-up", "*.jpg")),
                scannedFile("deliverables/plate.jpg", verdict: "no-markers"),
            ], reconciliation: #"{"production": "p1", "approvals-considered": 1, "covered": 1, "unapproved": []}"#)
            let created = try await client.expect(.created, .post, "/api/v1/productions/p1/scans", token: world.requester, json: report)
            let id = try #require(created["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/productions/p1/scans/\(id)")
            #expect(created["total"] as? Int == 3 && created["flagged"] as? Int == 2 && created["unapproved"] as? Int == 1,
                    "the server's own check: the EXR is covered, the claimed approval for the poster is not taken")
            #expect((created["by-verdict"] as? [String: Int]) == ["generated": 1, "ai-edited": 1, "review": 0, "heuristic": 0,
                                                                 "no-markers": 1, "unknown-format": 0, "error": 0])
            #expect(created["report"] == nil)

            // Not checked by the scanner: the server checks it all the same.
            service.clock.advance(1)
            let unchecked = try await client.expect(.created, .post, "/api/v1/productions/p1/scans", token: world.dualRole,
                                                    json: scanReport([scannedFile("a.png", verdict: "heuristic")]))
            #expect(unchecked["unapproved"] as? Int == 1)

            let listed = try await client.expect(.ok, .get, "/api/v1/productions/p1/scans?limit=1", token: world.studioAdmin)
            #expect(listed.items.map { $0["id"] as? String } == [unchecked["id"] as? String])
            #expect(listed.items.first?["report"] == nil && listed["next"] as? String == unchecked["id"] as? String)
            let older = try await client.expect(.ok, .get, "/api/v1/productions/p1/scans?after=\(listed["next"] as? String ?? "")",
                                                token: world.legal)
            #expect(older.items.map { $0["id"] as? String } == [id])
            let one = try await client.expect(.ok, .get, "/api/v1/productions/p1/scans/\(id)", token: world.legal)
            let files = (one["report"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
            #expect(files.compactMap { $0["path"] as? String } == ["deliverables/covered.exr", "deliverables/poster.jpg", "deliverables/plate.jpg"])
            #expect((files.first?["approval"] as? [String: Any])?["request"] as? String == final)
            #expect(files.dropFirst().first?["approval"] == nil)
            let reconciliation = (one["report"] as? [String: Any])?["reconciliation"] as? [String: Any]
            #expect(reconciliation?["unapproved"] as? [String] == ["deliverables/poster.jpg"])

            // Tenancy: the scan is not in p2, and p2 is not the requester's.
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/p2/scans/\(id)", token: world.studioAdmin)
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/p2/scans", token: world.requester)
            _ = try await client.expect(.notFound, .post, "/api/v1/productions/p2/scans", token: world.requester, json: report)
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/p1/scans/scan-0000000000000000", token: world.requester)
            _ = try await client.expect(.unauthorized, .post, "/api/v1/productions/p1/scans", token: nil, json: report)
            _ = try await client.expect(.unauthorized, .get, "/api/v1/productions/p1/scans/\(id)", token: nil)
            _ = try await client.expect(.forbidden, .post, "/api/v1/productions/p1/scans", token: world.legal, json: report)
            return id
        }
        let events = try await service.store.auditEvents(AuditQuery(productionID: "p1", limit: 500)).filter { $0.action == "scan.uploaded" }
        #expect(events.count == 2 && events.first?.subject == id)
        #expect(events.first?.details.contains(#""unapproved":1"#) == true)
    }

    @Test("a malformed report is refused with the field's pointer; a report too large is 413")
    func malformed() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let path = "/api/v1/productions/p1/scans"
            let wrongVerdict = try await client.expect(.unprocessableContent, .post, path, token: world.requester,
                                                       json: scanReport([scannedFile("a.jpg", verdict: "made-up")]))
            #expect((wrongVerdict["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/files/0/verdict")
            let noScanner = try await client.expect(.unprocessableContent, .post, path, token: world.requester,
                                                    json: #"{"roots": [], "files": [], "summary": {"total": 0, "flagged": 0, "by-verdict": {}, "bytes-read": 0, "bytes-in-files": 0}}"#)
            #expect((noScanner["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/scanner")
            let elsewhere = try await client.expect(.unprocessableContent, .post, path, token: world.requester, json: scanReport(
                [], reconciliation: #"{"production": "p9", "approvals-considered": 0, "covered": 0, "unapproved": []}"#))
            #expect((elsewhere["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/reconciliation/production")
            _ = try await client.expect(.badRequest, .post, path, token: world.requester, json: "{not json")
            _ = try await client.expect(.unsupportedMediaType, .post, path, token: world.requester, yaml: "scanner: x")
            let padding = String(repeating: " ", count: 16 << 20)
            _ = try await client.expect(.contentTooLarge, .post, path, token: world.requester, json: scanReport([]) + padding)
            #expect(try await client.expect(.ok, .get, path, token: world.requester).items.isEmpty, "nothing was stored")
        }
    }
}
