import ClearanceService
import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Running studios and productions: renaming, a production's details and archive, removing
/// people. Each is the same use case the web pages call.
@Suite("Administration routes")
struct AdministrationRouteTests {
    @Test("a production records its kind, territories and dates; bad values are named at their field", arguments: StoreKind.all)
    func productionDetails(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let admin = service.adminToken
            let (boss, _) = try await InvitationTests.setUp(client, admin: admin)
            let created = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: boss, json: """
                {"id": "p2", "title": "Harbour Lights", "kind": "nonfiction", "territories": ["EU", "US-CA"],
                 "photography-starts-on": "2027-02-01", "delivery-on": "2027-10-15"}
                """)
            #expect(created["kind"] as? String == "nonfiction")
            #expect(created["territories"] as? [String] == ["EU", "US-CA"])
            #expect(created["delivery-on"] as? String == "2027-10-15")

            let bad = try await client.call(.post, "/api/v1/studios/acme/productions", token: boss, json: """
                {"id": "p3", "title": "Bad", "territories": ["EU", "MARS"], "photography-starts-on": "2027-05-01", "delivery-on": "2027-04-01"}
                """)
            #expect(bad.status == .unprocessableContent)
            let pointers = (bad["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers.contains("/territories/1") && pointers.contains("/delivery-on"), "\(bad.text)")
            #expect(bad.text.contains("MARS"))

            let patched = try await client.expect(.ok, .patch, "/api/v1/productions/p2", token: boss,
                                                  json: #"{"territories": ["GB"], "title": "Harbour Lights II"}"#)
            #expect(patched["territories"] as? [String] == ["GB"] && patched["title"] as? String == "Harbour Lights II")
            #expect(patched["kind"] as? String == "nonfiction", "fields left out keep their values")

            // Archived: no new requests, until restored.
            let requester = try await client.user("crew@example.com", admin: admin)
            try await client.join("/api/v1/productions/p2/members", token: boss, json: #"{"email": "crew@example.com", "role": "requester"}"#,
                                  invitee: requester)
            let archived = try await client.expect(.ok, .patch, "/api/v1/productions/p2", token: boss, json: #"{"archived": true}"#)
            #expect(archived["archived-at"] is String)
            let refused = try await client.call(.post, "/api/v1/productions/p2/requests", token: requester, yaml: escalatingRequest())
            #expect(refused.status == .conflict && refused.text.contains("archived"))
            _ = try await client.expect(.ok, .patch, "/api/v1/productions/p2", token: boss, json: #"{"archived": false}"#)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p2/requests", token: requester, yaml: escalatingRequest())

            // Only the studio's admins change a production.
            _ = try await client.expect(.forbidden, .patch, "/api/v1/productions/p2", token: requester, json: #"{"title": "Mine"}"#)
            let actions = try await service.store.auditEventsInOrder().map(\.action)
            #expect(actions.contains("production.updated") && actions.contains("production.archived") && actions.contains("production.restored"))
        }
    }

    @Test("site admins rename studios; a studio keeps its last admin; members are removed", arguments: StoreKind.all)
    func studiosAndMembers(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let admin = service.adminToken
            let (boss, _) = try await InvitationTests.setUp(client, admin: admin)
            _ = try await client.expect(.forbidden, .patch, "/api/v1/studios/acme", token: boss, json: #"{"name": "Mine"}"#)
            let renamed = try await client.expect(.ok, .patch, "/api/v1/studios/acme", token: admin, json: #"{"name": "Acme Studios"}"#)
            #expect(renamed["name"] as? String == "Acme Studios")
            _ = try await client.expect(.unprocessableContent, .patch, "/api/v1/studios/acme", token: admin, json: #"{"name": "   "}"#)

            let members = try await client.expect(.ok, .get, "/api/v1/studios/acme/members", token: boss)
            let bossID = members.items.first?["user"] as? String ?? ""
            #expect(!bossID.isEmpty, "\(members.text)")
            let last = try await client.call(.delete, "/api/v1/studios/acme/members/\(bossID)", token: boss)
            #expect(last.status == .conflict && last.text.contains("only admin"))
            let demoted = try await client.call(.post, "/api/v1/studios/acme/members", token: boss,
                                                json: #"{"email": "boss@example.com", "role": "viewer"}"#)
            #expect(demoted.status == .conflict && demoted.text.contains("only admin"), "nor demoted: \(demoted.text)")

            let viewer = try await client.user("viewer@example.com", admin: admin)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: admin,
                                        json: #"{"email": "viewer@example.com", "role": "viewer"}"#)
            let viewerID = (try await client.expect(.ok, .get, "/api/v1/me", token: viewer)["user"] as? [String: Any])?["id"] as? String ?? ""
            _ = try await client.expect(.forbidden, .delete, "/api/v1/studios/acme/members/\(bossID)", token: viewer)
            _ = try await client.expect(.noContent, .delete, "/api/v1/studios/acme/members/\(viewerID)", token: boss)
            _ = try await client.expect(.notFound, .delete, "/api/v1/studios/acme/members/\(viewerID)", token: boss)
            // No longer a member, the viewer sees nothing of the studio.
            _ = try await client.expect(.notFound, .get, "/api/v1/studios/acme", token: viewer)

            try await client.join("/api/v1/productions/p1/members", token: boss, json: #"{"email": "viewer@example.com", "role": "requester"}"#,
                                  invitee: viewer)
            _ = try await client.expect(.noContent, .delete, "/api/v1/productions/p1/members/\(viewerID)", token: boss)
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/p1", token: viewer)
            let actions = try await service.store.auditEventsInOrder().map(\.action)
            #expect(actions.contains("studio.renamed") && actions.contains("studio.member.removed") && actions.contains("production.member.removed"))
        }
    }

    @Test("a correction keeps the productions its corrector does not coordinate, and each member sees only their own productions",
          arguments: StoreKind.all)
    func consentAcrossProductions(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let admin = service.adminToken
            let (boss, _) = try await InvitationTests.setUp(client, admin: admin)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: boss, json: #"{"id": "p2", "title": "Second"}"#)
            let both = try await client.user("both@example.com", admin: admin)
            let one = try await client.user("one@example.com", admin: admin)
            for (production, email, token) in [("p1", "both@example.com", both), ("p2", "both@example.com", both), ("p1", "one@example.com", one)] {
                try await client.join("/api/v1/productions/\(production)/members", token: boss,
                                      json: #"{"email": "\#(email)", "role": "coordinator"}"#, invitee: token)
            }
            let terms = #""performer": "Jane Roe", "kind": "voice", "permitted-use": "voice match for two ADR lines in episode one", "signed-on": "2026-10-01""#
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: both,
                                        json: #"{"id": "c-shared", "productions": ["p2"], \#(terms)}"#)
            let seen = try await client.expect(.ok, .get, "/api/v1/consents/c-shared", token: one)
            #expect(seen["productions"] as? [String] == ["p1"], "the other production is not named to someone outside it")
            // The coordinator of p1 alone corrects it, sending back only the production they see.
            let corrected = try await client.expect(.ok, .put, "/api/v1/consents/c-shared", token: one,
                                                    json: #"{"document-ref": "DMS-9", \#(terms)}"#)
            #expect(corrected["document-ref"] as? String == "DMS-9")
            let stored = try await service.store.consent(id: "c-shared")
            #expect(stored?.productions == ["p1", "p2"], "p2 keeps its consent")
        }
    }
}
