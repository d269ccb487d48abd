import ClearanceCore
import ClearanceServer
import ClearanceService
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// The production's GenAI register, approval expiry, and the review flag a new policy raises.
@Suite("Register and policy review")
struct RegisterTests {
    typealias World = WorkflowRouteTests.World

    /// Files the de-ageing use and has every area approve it (legal with a condition; creative for the director's consultation).
    static func approvedUse(_ client: Client, _ world: World, legalExpiry: String? = nil) async throws -> String {
        let id = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
        let path = "/api/v1/requests/\(id)/approvals"
        let expiry = legalExpiry.map { #", "expires-on": "\#($0)""# } ?? ""
        _ = try await client.expect(.created, .post, path, token: world.legal,
                                    json: #"{"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit the vendor, \"VFX Co\""], "assets": ["shots/fb/*.exr"]\#(expiry)}"#)
        _ = try await client.expect(.created, .post, path, token: world.talent,
                                    json: #"{"area": "talent", "verdict": "approved", "assets": ["id:FB-01", "shots/fb/*.exr"]}"#)
        _ = try await client.expect(.created, .post, path, token: world.contact, json: #"{"area": "creative", "verdict": "approved"}"#)
        let done = try await client.expect(.created, .post, path, token: world.data, json: #"{"area": "data", "verdict": "approved"}"#)
        #expect((done["request"] as? [String: Any])?["state"] as? String == "approved")
        return id
    }

    @Test("the register lists every use with its decision, verdicts, conditions and consents, as JSON and CSV")
    func register() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let approved = try await Self.approvedUse(client, world)
            service.clock.advance(60)
            let socialized = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            let json = try await client.expect(.ok, .get, "/api/v1/productions/p1/register", token: world.requester)
            let uses = json["uses"] as? [[String: Any]] ?? []
            #expect(uses.compactMap { $0["id"] as? String } == [approved, socialized])
            #expect(uses.first?["final-deliverable"] as? Bool == true)
            #expect(uses.first?["approval"] as? String == "approved-with-conditions")
            #expect(uses.first?["conditions"] as? [String] == [#"credit the vendor, "VFX Co""#])
            #expect(uses.first?["assets"] as? [String] == ["shots/fb/*.exr", "id:FB-01"], "each asset once, as the approvals name them")
            #expect(uses.last?["final-deliverable"] as? Bool == false)
            #expect(uses.last?["approval"] as? String == "not-required")

            let csv = try await client.call(.get, "/api/v1/productions/p1/register", token: world.requester,
                                            headers: [.accept: "text/csv"])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("id,title,department,purpose,destination,final-deliverable,state") == true)
            #expect(lines[1].contains(#""credit the vendor, ""VFX Co""",shots/fb/*.exr; id:FB-01,"#))
            #expect(lines[1].contains(",yes,approved,approval-required,"))
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/p1/register", token: service.adminToken)
        }
    }

    @Test("written out a few uses at a time, the register is exactly the whole register, as JSON and as CSV", arguments: StoreKind.all)
    func streamedInPages(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            _ = try await Self.approvedUse(client, world)
            for index in 0..<6 {
                service.clock.advance(60)
                _ = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(title: "Boards \(index)", tool: "studio-gen"))
            }
            let production = try #require(try await service.store.production(id: "p1"))
            let now = service.clock.now
            let whole = try await ProductionRegister.build(production: production, store: service.store, now: now)
            #expect(whole.entries.count == 7)
            for (format, expected) in [(ProductionRegister.Format.json, try whole.json.rendered + "\n"), (.csv, whole.csv)] {
                var pieces: [String] = []
                for try await piece in ProductionRegister.text(production: production, store: service.store, now: now,
                                                               format: format, pageSize: 3) {
                    pieces.append(piece)
                }
                #expect(pieces.count >= 4, "a heading, three pages of at most 3 uses, and the end")
                #expect(pieces.joined() == expected)
            }
            // The API's answer is the same document.
            let answer = try await client.call(.get, "/api/v1/productions/p1/register", token: world.requester)
            let uses = (answer["uses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(uses == whole.entries.map(\.request.id))
        }
    }

    @Test("an approval past its expiry date counts as expired, not approved; a past date is refused")
    func expiry() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let tomorrow = Timestamps.day(service.clock.now.addingTimeInterval(86_400))
            let id = try await Self.approvedUse(client, world, legalExpiry: tomorrow)
            #expect(try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)["approval"] as? String
                    == "approved-with-conditions")
            service.clock.advance(3 * 86_400)
            let request = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect(request["state"] as? String == "approved")
            #expect(request["approval"] as? String == "expired")
            let other = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            let past = try await client.expect(.unprocessableContent, .post, "/api/v1/requests/\(other)/approvals", token: world.legal,
                                               json: #"{"area": "legal", "verdict": "approved", "expires-on": "2000-01-01"}"#)
            #expect((past["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/expires-on")
            let register = try await client.expect(.ok, .get, "/api/v1/productions/p1/register", token: world.requester)
            #expect((register["uses"] as? [[String: Any]])?.first?["approval"] as? String == "expired")
        }
    }

    @Test("a new policy version flags an approved request it would decide differently, and changes nothing else")
    func reviewFlag() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let id = try await Self.approvedUse(client, world)
            let current = try await client.call(.get, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                headers: [.accept: "application/yaml"]).text

            // A wording-only change decides the same: no flag.
            let reworded = current.replacingOccurrences(of: "\nversion: ", with: "\nversion: reworded-")
            let quiet = try await service.publish(client, reworded, token: world.studioAdmin)
            #expect(((quiet["retriage"] as? [String: Any])?["flagged-for-review"] as? [String]) == [])

            // Final deliverables now go to the creative area: the approved request would be decided differently.
            let moved = reworded.replacingOccurrences(of: "  - id: final-deliverable\n    outcome: approval-required\n    area: legal",
                                                      with: "  - id: final-deliverable\n    outcome: approval-required\n    area: creative")
            #expect(moved != reworded)
            let published = try await service.publish(client, moved, token: world.studioAdmin)
            #expect(((published["retriage"] as? [String: Any])?["flagged-for-review"] as? [String]) == [id])
            let request = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect(request["state"] as? String == "approved")
            #expect((request["review"] as? String)?.hasPrefix("review: policy changed") == true)
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.requester)
            #expect((history["decisions"] as? [Any])?.count == 1)
        }
    }
}
