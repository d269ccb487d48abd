import ClearanceServer
import ClearanceStore
import Foundation
import HTTPTypes
import Testing

/// The web side of scans: the production's scans, one scan's findings, and the assets an
/// approver names on the verdict form.
@Suite("Scan pages")
struct ScanPageTests {
    @Test("the scan page puts unapproved GenAI first, marked in words, with its evidence; other productions get 404")
    func scanPage() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            let admin = service.adminToken
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/members", token: admin,
                                        json: #"{"email": "root@example.com", "role": "coordinator"}"#)
            let created = try await client.expect(.created, .post, "/api/v1/productions/p1/scans", token: admin, json: scanReport([
                scannedFile("deliverables/claimed.exr", verdict: "ai-edited", evidence: "compositeWithTrainedAlgorithmicMedia",
                            approval: ("r-0000000000000000", "*.exr")),
                scannedFile("deliverables/poster.jpg", verdict: "generated", evidence: "trainedAlgorithmicMedia in the active manifest"),
                scannedFile("deliverables/plate.jpg", verdict: "no-markers"),
            ], reconciliation: #"{"production": "p1", "approvals-considered": 1, "covered": 1, "unapproved": ["deliverables/poster.jpg"]}"#))
            let id = try #require(created["id"] as? String)

            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            let production = try await crew.request(.get, "/productions/p1")
            #expect(production.text.contains(#"href="/productions/p1/scans""#), "the production links its scans")
            let list = try await crew.request(.get, "/productions/p1/scans")
            #expect(list.status == .ok && list.text.contains("/productions/p1/scans/\(id)") && list.text.contains("2 unapproved"))

            let page = try await crew.request(.get, "/productions/p1/scans/\(id)")
            #expect(page.status == .ok)
            // The server checks the report itself: an approval the scanner claimed but the
            // production does not have counts for nothing.
            #expect(page.text.contains("Unapproved GenAI in deliverables: 2"))
            #expect(page.text.contains(#"<tr class="unapproved">"#) && page.text.contains("No approval: unapproved"))
            #expect(page.text.contains("trainedAlgorithmicMedia in the active manifest") && page.text.contains("JPEG APP11 at byte 20"))
            let flagged = page.text.components(separatedBy: "flagged-heading").last ?? ""
            #expect(flagged.contains("deliverables/poster.jpg") && flagged.contains("deliverables/claimed.exr"))
            #expect(!page.text.contains(#"<a href="/requests/r-0000000000000000">"#), "the claimed approval is not shown as one")
            #expect(!page.text.contains("deliverables/plate.jpg"), "a file without markers is counted, not listed")
            #expect(page.text.contains("<caption>Files by provenance verdict</caption>"))

            var other = WebUser(client)
            _ = try await other.signIn("other@example.com")
            for path in ["/productions/p1/scans", "/productions/p1/scans/\(id)", "/productions/p2/scans/\(id)"] {
                let answer = try await other.request(.get, path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(!answer.text.contains("poster.jpg"), "\(path)")
            }
        }
    }

    @Test("an approver names the assets an approval covers; a bad reference is shown at the field")
    func verdictFormAssets() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            let location = try #require(try await crew.file(csrf: token, destination: "final").headers[.location])

            var legal = WebUser(client)
            _ = try await legal.signIn("legal@example.com")
            let detail = try await legal.request(.get, location)
            #expect(detail.text.contains("Assets covered (one per line"))
            let csrf = try #require(WebUser.csrf(in: detail.text))
            let bad = try await legal.request(.post, location + "/verdict", form: [
                ("csrf", csrf), ("area", "legal"), ("verdict", "approved"), ("assets", "shots/ep101/*.exr\r\nid: "),
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("Reference 2:") && bad.text.contains(#"aria-invalid="true""#))
            #expect(bad.text.contains("shots/ep101/*.exr"), "what was typed is kept")
            let given = try await legal.request(.post, location + "/verdict", form: [
                ("csrf", csrf), ("area", "legal"), ("verdict", "approved"), ("assets", "shots/ep101/*.exr\r\nid:PLATE-7"),
            ])
            #expect(given.status == .seeOther)
            let after = try await legal.request(.get, location)
            #expect(after.text.contains("<code>id:PLATE-7</code>"))
            #expect(after.text.contains("covering assets: shots/ep101/*.exr; id:PLATE-7"))
        }
    }

    @Test("from a scan, the coordinator asks an approved use to cover a file; its approver confirms; nothing else goes stale; files not checked are named")
    func extendCoverage() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/members", token: service.adminToken,
                                        json: #"{"email": "crew@example.com", "role": "coordinator"}"#)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            let location = try #require(try await crew.file(csrf: token, destination: "final").headers[.location])
            let id = String(location.dropFirst("/requests/".count))
            var legal = WebUser(client)
            _ = try await legal.signIn("legal@example.com")
            for area in try #require(try await service.store.request(id: id)).areas {
                let csrf = try #require(WebUser.csrf(in: try await legal.request(.get, location).text))
                _ = try await legal.request(.post, location + "/verdict", form: [
                    ("csrf", csrf), ("area", area.rawValue), ("verdict", "approved"), ("assets", area == .legal ? "deliverables/poster.jpg" : ""),
                ])
            }
            #expect(try await service.store.request(id: id)?.state == .approved)
            let verdictsBefore = try await service.store.verdicts(requestID: id).count
            // The delivery pipeline's account uploads the scan.
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/members", token: service.adminToken,
                                        json: #"{"email": "root@example.com", "role": "requester"}"#)
            let broken = #"{"path": "deliverables/broken.jpg", "format": "jpeg", "verdict": "error", "size": 10, "bytes-read": 10, "markers": [], "manifests": [], "identifiers": [], "problem": "truncated after 10 bytes"}"#
            let created = try await client.expect(.created, .post, "/api/v1/productions/p1/scans", token: service.adminToken, json: scanReport([
                scannedFile("deliverables/poster.jpg", verdict: "generated"), scannedFile("deliverables/extra.jpg", verdict: "generated"), broken,
            ]))
            let scan = try #require(created["id"] as? String)
            let page = try await crew.request(.get, "/productions/p1/scans/\(scan)")
            #expect(page.text.contains("Files that could not be checked") && page.text.contains("truncated after 10 bytes"))
            #expect(page.text.contains("Ask an approval to cover a file") && page.text.contains(#"<option value="deliverables/extra.jpg">"#))
            let csrf = try #require(WebUser.csrf(in: page.text))
            for pattern in ["**", "deliverables/*.jpg", "deliverables/poster.jpg"] {
                let refused = try await crew.request(.post, "/productions/p1/scans/\(scan)/extend", form: [
                    ("csrf", csrf), ("reference", pattern), ("request", id),
                ])
                #expect(refused.status == .unprocessableContent, "only an unapproved file of the scan, named exactly: \(pattern)")
            }
            let asked = try await crew.request(.post, "/productions/p1/scans/\(scan)/extend", form: [
                ("csrf", csrf), ("reference", "deliverables/extra.jpg"), ("request", id),
            ])
            #expect(asked.status == .seeOther)
            #expect(!(try await crew.request(.get, location)).text.contains("Confirm: the approval covers it"), "the coordinator does not confirm")
            let review = try await legal.request(.get, location)
            #expect(review.text.contains("deliverables/extra.jpg") && review.text.contains("Confirm: the approval covers it"))
            let extensionID = try #require(try await service.store.coverageExtensions(requestID: id).first?.id)
            let confirmed = try await legal.request(.post, location + "/coverage/\(extensionID)", form: [
                ("csrf", try #require(WebUser.csrf(in: review.text))), ("decision", "confirm"),
            ])
            #expect(confirmed.status == .seeOther)
            let approvals = try await client.expect(.ok, .get, "/api/v1/productions/p1/final-approvals", token: service.adminToken)
            let assets = (approvals["approvals"] as? [[String: Any]])?.first?["assets"] as? [String]
            #expect(assets == ["deliverables/poster.jpg", "deliverables/extra.jpg"])
            let stateAfter = try await service.store.request(id: id)?.state
            let verdictsAfter = try await service.store.verdicts(requestID: id).count
            #expect(stateAfter == .approved && verdictsAfter == verdictsBefore, "the approval stands as it was; no verdict is added or set aside")
            let actions = try await service.store.auditEvents(AuditQuery(limit: 500)).map(\.action)
            #expect(actions.contains("request.coverage.asked") && actions.contains("request.coverage.confirmed"))
            let again = try await legal.request(.post, location + "/coverage/\(extensionID)", form: [
                ("csrf", try #require(WebUser.csrf(in: review.text))), ("decision", "decline"),
            ])
            #expect(again.status == .forbidden || again.status == .conflict, "decided once")
        }
    }
}
