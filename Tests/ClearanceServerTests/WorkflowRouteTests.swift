import ClearanceServer
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Acknowledgements, verdicts by area, staleness on revision, withdrawal and the verdict race.
@Suite("Escalation workflow")
struct WorkflowRouteTests {
    struct World {
        var studioAdmin: String
        var requester: String
        var legal: String
        var legal2: String
        var talent: String
        /// The data approver: the de-ageing use also has a data finding (service.md: every finding
        /// at escalate or above needs its area's verdict).
        var data: String
        var contact: String
        /// A coordinator of p1 who is also a legal approver of the studio.
        var dualRole: String
    }

    static func world(_ client: Client, admin: String) async throws -> World {
        var tokens: [String: String] = [:]
        for name in ["boss", "crew", "legal", "legal2", "talent", "data", "contact", "dual"] {
            tokens[name] = try await client.user("\(name)@example.com", admin: admin)
        }
        _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                    json: #"{"id": "acme", "name": "Acme", "admin": "boss@example.com"}"#)
        let boss = tokens["boss"]
        for (name, areas) in [("legal", "legal"), ("legal2", "legal"), ("talent", "talent"), ("data", "data"), ("contact", "creative"), ("dual", "legal")] {
            try await client.join("/api/v1/studios/acme/members", token: boss,
                                  json: #"{"email": "\#(name)@example.com", "role": "approver", "areas": ["\#(areas)"]}"#,
                                  invitee: tokens[name])
        }
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: boss, json: #"{"id": "p1", "title": "P1"}"#)
        try await client.join("/api/v1/productions/p1/members", token: boss,
                              json: #"{"email": "crew@example.com", "role": "requester"}"#, invitee: tokens["crew"])
        try await client.join("/api/v1/productions/p1/members", token: boss,
                              json: #"{"email": "dual@example.com", "role": "coordinator"}"#, invitee: tokens["dual"])
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/tools", token: boss, json: enterpriseTool)
        return World(studioAdmin: boss ?? "", requester: tokens["crew"] ?? "", legal: tokens["legal"] ?? "",
                     legal2: tokens["legal2"] ?? "", talent: tokens["talent"] ?? "", data: tokens["data"] ?? "", contact: tokens["contact"] ?? "",
                     dualRole: tokens["dual"] ?? "")
    }

    /// De-ageing a performer for the final cut: written approval from legal and talent.
    static func deAgeing(_ description: String = "Make the lead look thirty years younger in the flashback.") -> String {
        """
        title: De-ageing for the 1985 flashback
        department: vfx
        purpose: talent
        description: \(description)
        media: [video]
        steps:
          - tool: studio-gen
            inputs: [talent-likeness, unreleased-footage]
        output:
          destination: final
          prominence: prominent
        talent:
          - performer: Jane Roe
            use: re-age
        """
    }

    static func file(_ client: Client, _ token: String, _ yaml: String) async throws -> String {
        let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: token, yaml: yaml)
        return filed["id"] as? String ?? ""
    }

    @Test("approval needs every area; a revision makes earlier verdicts stale; history keeps them", arguments: StoreKind.all)
    func approvalsAndStaleness(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                                yaml: Self.deAgeing())
            let id = filed["id"] as? String ?? ""
            #expect(filed["state"] as? String == "escalated")
            #expect(Set(filed["areas"] as? [String] ?? []) == ["data", "legal", "talent", "creative"],
                    "the data finding under the talent ones reaches data; the director's consultation (DGA overlay) reaches creative")
            let path = "/api/v1/requests/\(id)/approvals"

            let conditional = try await client.expect(.created, .post, path, token: world.legal,
                                                      json: #"{"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit the VFX vendor"]}"#)
            #expect((conditional["request"] as? [String: Any])?["state"] as? String == "escalated")
            let shown = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect(((shown["verdicts"] as? [[String: Any]])?.first?["conditions"] as? [String]) == ["credit the VFX vendor"])

            // The requester revises: the legal approval no longer counts.
            _ = try await client.expect(.ok, .put, "/api/v1/requests/\(id)", token: world.requester,
                                        yaml: Self.deAgeing("Make the lead look thirty years younger, flashback only."))
            let afterRevision = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect((afterRevision["verdicts"] as? [Any])?.isEmpty == true)
            _ = try await client.expect(.created, .post, path, token: world.talent, json: #"{"area": "talent", "verdict": "approved"}"#)
            let waiting = try await client.expect(.created, .post, path, token: world.legal, json: #"{"area": "legal", "verdict": "approved"}"#)
            #expect((waiting["request"] as? [String: Any])?["state"] as? String == "escalated", "data has not decided yet")
            _ = try await client.expect(.created, .post, path, token: world.contact, json: #"{"area": "creative", "verdict": "approved"}"#)
            let approved = try await client.expect(.created, .post, path, token: world.data, json: #"{"area": "data", "verdict": "approved"}"#)
            #expect((approved["request"] as? [String: Any])?["state"] as? String == "approved")

            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.legal)
            let verdicts = history["verdicts"] as? [[String: Any]] ?? []
            #expect(verdicts.map { $0["stale"] as? Bool } == [true, false, false, false, false])
            #expect(verdicts.map { $0["revision"] as? Int } == [1, 2, 2, 2, 2])
            let timeline = (history["timeline"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(timeline == ["revision", "decision", "verdict", "revision", "decision", "verdict", "verdict", "verdict", "verdict"])

            // Nothing moves an approved request but a new policy; another verdict is a conflict naming the state.
            let late = try await client.expect(.conflict, .post, path, token: world.legal2, json: #"{"area": "legal", "verdict": "rejected"}"#)
            #expect((late["detail"] as? String)?.contains("approved") == true)
            let revise = try await client.expect(.conflict, .put, "/api/v1/requests/\(id)", token: world.requester, yaml: Self.deAgeing())
            #expect((revise["detail"] as? String)?.contains("nothing more can happen") == true)
        }
    }

    @Test("only an approver of a required area, who did not file the request, gives a verdict", arguments: StoreKind.all)
    func whoMayApprove(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let own = try await Self.file(client, world.dualRole, Self.deAgeing())
            let ownVerdict = try await client.expect(.forbidden, .post, "/api/v1/requests/\(own)/approvals", token: world.dualRole,
                                                     json: #"{"area": "legal", "verdict": "approved"}"#)
            #expect((ownVerdict["detail"] as? String)?.contains("own request") == true)
            let id = try await Self.file(client, world.requester, Self.deAgeing())
            let path = "/api/v1/requests/\(id)/approvals"
            _ = try await client.expect(.forbidden, .post, path, token: world.requester, json: #"{"area": "legal", "verdict": "approved"}"#)
            _ = try await client.expect(.forbidden, .post, path, token: world.studioAdmin, json: #"{"area": "legal", "verdict": "approved"}"#)
            let wrongArea = try await client.expect(.unprocessableContent, .post, path, token: world.legal,
                                                    json: #"{"area": "talent", "verdict": "approved"}"#)
            #expect((wrongArea["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/area")
            // Creative is not among the areas an unknown tool's escalation needs (data).
            let boards = try await Self.file(client, world.requester, escalatingRequest())
            let notRequired = try await client.expect(.unprocessableContent, .post, "/api/v1/requests/\(boards)/approvals", token: world.contact,
                                                      json: #"{"area": "creative", "verdict": "approved"}"#)
            #expect((notRequired["detail"] as? String)?.contains("data") == true)
            _ = try await client.expect(.unprocessableContent, .post, path, token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved-with-conditions"}"#)
            // A rejection ends it; a request for changes sends it back to the requester.
            let rejected = try await client.expect(.created, .post, path, token: world.legal, json: #"{"area": "legal", "verdict": "rejected"}"#)
            #expect((rejected["request"] as? [String: Any])?["state"] as? String == "rejected")
            let other = try await Self.file(client, world.requester, Self.deAgeing())
            let changes = try await client.expect(.created, .post, "/api/v1/requests/\(other)/approvals", token: world.talent,
                                                  json: #"{"area": "talent", "verdict": "changes-requested", "note": "name the shots"}"#)
            #expect((changes["request"] as? [String: Any])?["state"] as? String == "changes-requested")
            let revised = try await client.expect(.ok, .put, "/api/v1/requests/\(other)", token: world.requester, yaml: Self.deAgeing())
            #expect(revised["state"] as? String == "escalated")
        }
    }

    @Test("two verdicts for the same area at once: exactly one wins, the other gets 409", .timeLimit(.minutes(2)), arguments: StoreKind.all)
    func verdictRace(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            for round in 0..<25 {
                let id = try await Self.file(client, world.requester, Self.deAgeing("Round \(round), make the lead look younger."))
                let path = "/api/v1/requests/\(id)/approvals"
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (token, verdict) in [(world.legal, "approved"), (world.legal2, "rejected")] {
                        group.addTask {
                            try await client.call(.post, path, token: token, json: #"{"area": "legal", "verdict": "\#(verdict)"}"#).status.code
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.sorted() == [201, 409], "round \(round)")
                let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.legal)
                #expect((history["verdicts"] as? [Any])?.count == 1, "round \(round)")
            }
        }
    }

    @Test("the studio contact acknowledges socialized uses; withdrawn requests take nothing more", arguments: StoreKind.all)
    func acknowledgeAndWithdraw(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let socialized = try await Self.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            let pending = try await client.expect(.ok, .get, "/api/v1/studios/acme/requests?state=socialized", token: world.contact)
            #expect(pending.items.compactMap { $0["id"] as? String } == [socialized])
            _ = try await client.expect(.forbidden, .post, "/api/v1/requests/\(socialized)/acknowledge", token: world.requester)
            let acknowledged = try await client.expect(.ok, .post, "/api/v1/requests/\(socialized)/acknowledge", token: world.contact,
                                                       json: #"{"note": "fine, thanks"}"#)
            #expect(acknowledged["state"] as? String == "acknowledged")
            _ = try await client.expect(.conflict, .post, "/api/v1/requests/\(socialized)/acknowledge", token: world.contact)
            #expect(try await client.expect(.ok, .get, "/api/v1/studios/acme/requests?state=socialized", token: world.contact).items.isEmpty)
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(socialized)/history", token: world.requester)
            #expect((history["acknowledgements"] as? [[String: Any]])?.first?["note"] as? String == "fine, thanks")

            let escalated = try await Self.file(client, world.requester, Self.deAgeing())
            _ = try await client.expect(.conflict, .post, "/api/v1/requests/\(escalated)/acknowledge", token: world.contact)
            let withdrawn = try await client.expect(.ok, .post, "/api/v1/requests/\(escalated)/withdraw", token: world.requester)
            #expect(withdrawn["state"] as? String == "withdrawn")
            _ = try await client.expect(.conflict, .post, "/api/v1/requests/\(escalated)/approvals", token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved"}"#)
            _ = try await client.expect(.conflict, .post, "/api/v1/requests/\(escalated)/withdraw", token: world.requester)
            _ = try await client.expect(.forbidden, .get, "/api/v1/studios/acme/requests", token: world.requester)
        }
    }

    @Test("acknowledgements go to the studio's contacts: legal and creative approvers unless an admin chooses others", arguments: StoreKind.all)
    func contactsAcknowledge(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let members = try await client.expect(.ok, .get, "/api/v1/studios/acme/members", token: world.studioAdmin).items
            let contacts = Dictionary(uniqueKeysWithValues: members.compactMap { member -> (String, Bool)? in
                guard let email = member["email"] as? String, let contact = member["contact"] as? Bool else { return nil }
                return (email, contact)
            })
            #expect(contacts["legal@example.com"] == true && contacts["contact@example.com"] == true, "legal and creative by default")
            #expect(contacts["talent@example.com"] == false && contacts["data@example.com"] == false && contacts["boss@example.com"] == false)

            let first = try await Self.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            let refused = try await client.expect(.forbidden, .post, "/api/v1/requests/\(first)/acknowledge", token: world.talent)
            #expect((refused["detail"] as? String)?.contains("contacts") == true)
            // An admin marks the talent approver as a contact, and the legal approver as not one.
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: world.studioAdmin,
                                        json: #"{"email": "talent@example.com", "role": "approver", "areas": ["talent"], "contact": true}"#)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: world.studioAdmin,
                                        json: #"{"email": "legal@example.com", "role": "approver", "areas": ["legal"], "contact": false}"#)
            let viewer = try await client.expect(.unprocessableContent, .post, "/api/v1/studios/acme/members", token: world.studioAdmin,
                                                 json: #"{"email": "legal2@example.com", "role": "viewer", "contact": true}"#)
            #expect((viewer["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/contact")
            _ = try await client.expect(.forbidden, .post, "/api/v1/requests/\(first)/acknowledge", token: world.legal)
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(first)/acknowledge", token: world.talent)
            let second = try await Self.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(second)/acknowledge", token: world.studioAdmin,
                                        json: #"{"note": "admins acknowledge too"}"#)
        }
    }

    @Test("a request's comment thread: its requester, coordinator and the approvers of its areas; kept in the history and the audit chain",
          arguments: StoreKind.all)
    func commentThread(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let id = try await Self.file(client, world.requester, Self.deAgeing())
            let path = "/api/v1/requests/\(id)/comments"
            let first = try await client.expect(.created, .post, path, token: world.requester, json: #"{"body": "Shots 12 to 18 only."}"#)
            #expect(first["body"] as? String == "Shots 12 to 18 only." && first["revision"] as? Int == 1)
            _ = try await client.expect(.created, .post, path, token: world.talent, json: #"{"body": "Which take?"}"#)
            _ = try await client.expect(.created, .post, path, token: world.dualRole, json: #"{"body": "Take 3."}"#)
            // The creative approver is one of the de-ageing use's (the director's consultation), not of the costume boards'.
            let boards = try await Self.file(client, world.requester, escalatingRequest())
            let outsider = try await client.expect(.forbidden, .post, "/api/v1/requests/\(boards)/comments", token: world.contact,
                                                   json: #"{"body": "Not my area."}"#)
            #expect((outsider["detail"] as? String)?.contains("approvers of the request's areas") == true)
            let blank = try await client.expect(.unprocessableContent, .post, path, token: world.requester, json: #"{"body": "   "}"#)
            #expect((blank["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/body")
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.legal)
            #expect((history["comments"] as? [[String: Any]])?.compactMap { $0["body"] as? String } == ["Shots 12 to 18 only.", "Which take?", "Take 3."])
            let kinds = (history["timeline"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "comment" }.count == 3)
            let audit = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit?limit=200", token: world.studioAdmin)
            let commented = (audit["items"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "request.commented" }
            #expect(commented.count == 3 && commented.allSatisfy { $0["subject"] as? String == id })
        }
    }
}
