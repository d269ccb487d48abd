import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Every role against every route family, including other studios and other productions.
///
/// World: studio `a` (admin, approver, viewer) with productions `a1` (requester, coordinator,
/// viewer) and `a2` (its own requester); studio `b` with its own admin. Outside what a user
/// belongs to, everything answers 404, exactly as if it did not exist; inside, what the role may
/// not do answers 403.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Role: String, CaseIterable {
        case anonymous, siteAdmin, studioAdmin, approver, studioViewer, requester, coordinator, productionViewer
        case otherProductionRequester, otherStudioAdmin
    }

    struct Probe {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var json: String?
        var yaml: String?
        /// Expected status per role, in `Role.allCases` order.
        var expected: [Int]
    }

    // Columns: anonymous, siteAdmin, studioAdmin, approver, studioViewer, requester, coordinator,
    //          productionViewer, otherProductionRequester, otherStudioAdmin
    static func probes(request: String, consent: String, scan: String, policyText: String) -> [Probe] {
        let readStudio = [401, 200, 200, 200, 200, 200, 200, 200, 200, 404]
        let readRegisters = [401, 404, 200, 200, 200, 200, 200, 200, 200, 404]
        let adminWrite = { (ok: Int) in [401, 403, ok, 403, 403, 403, 403, 403, 403, 404] }
        let readProduction = [401, 404, 200, 200, 200, 200, 200, 200, 404, 404]
        let inProduction = { (ok: [Int]) in [401, 404] + ok + [404, 404] } // studioAdmin…productionViewer
        return [
            Probe(name: "read studio", method: .get, path: "/api/v1/studios/a", expected: readStudio),
            Probe(name: "list studio members", method: .get, path: "/api/v1/studios/a/members",
                  expected: [401, 200, 200, 200, 200, 403, 403, 403, 403, 404]),
            Probe(name: "add studio member", method: .post, path: "/api/v1/studios/a/members",
                  json: #"{"email": "extra@example.com", "role": "viewer"}"#, expected: [401, 201, 201, 403, 403, 403, 403, 403, 403, 404]),
            Probe(name: "read policy", method: .get, path: "/api/v1/studios/a/policy", expected: readRegisters),
            Probe(name: "publish policy", method: .put, path: "/api/v1/studios/a/policy", yaml: policyText, expected: adminWrite(200)),
            Probe(name: "list policy versions", method: .get, path: "/api/v1/studios/a/policy/versions", expected: readRegisters),
            Probe(name: "list tools", method: .get, path: "/api/v1/studios/a/tools", expected: readRegisters),
            Probe(name: "add tool", method: .post, path: "/api/v1/studios/a/tools",
                  json: #"{"record": {"id": "new-{role}", "enterprise": true, "trains-on-inputs": "no", "retains-inputs": "no"}}"#,
                  expected: adminWrite(201)),
            Probe(name: "read tool", method: .get, path: "/api/v1/studios/a/tools/studio-gen", expected: readRegisters),
            Probe(name: "replace tool", method: .put, path: "/api/v1/studios/a/tools/studio-gen", json: enterpriseTool,
                  expected: adminWrite(200)),
            Probe(name: "delete tool", method: .delete, path: "/api/v1/studios/a/tools/doomed-{role}", expected: adminWrite(204)),
            Probe(name: "list productions", method: .get, path: "/api/v1/studios/a/productions", expected: readStudio),
            Probe(name: "create production", method: .post, path: "/api/v1/studios/a/productions",
                  json: #"{"id": "new-{role}", "title": "New"}"#, expected: adminWrite(201)),
            Probe(name: "read production", method: .get, path: "/api/v1/productions/a1", expected: readProduction),
            Probe(name: "list overlays", method: .get, path: "/api/v1/studios/a/overlays", expected: readRegisters),
            Probe(name: "switch an overlay for the studio", method: .put, path: "/api/v1/studios/a/overlays/wga-2026",
                  json: #"{"enabled": true}"#, expected: adminWrite(200)),
            Probe(name: "list a production's overlays", method: .get, path: "/api/v1/productions/a1/overlays", expected: readProduction),
            Probe(name: "switch an overlay for a production", method: .put, path: "/api/v1/productions/a1/overlays/wga-2026",
                  json: #"{"enabled": true}"#, expected: inProduction([200, 403, 403, 403, 403, 403])),
            Probe(name: "disclosure plan", method: .get, path: "/api/v1/productions/a1/disclosure-plan", expected: readProduction),
            Probe(name: "list obligations", method: .get, path: "/api/v1/requests/\(request)/obligations", expected: readProduction),
            Probe(name: "record an obligation met", method: .post, path: "/api/v1/requests/\(request)/obligations",
                  json: #"{"obligation": "none/none", "evidence": {"note": "done"}}"#, expected: inProduction([403, 403, 403, 403, 422, 403])),
            Probe(name: "list production members", method: .get, path: "/api/v1/productions/a1/members", expected: readProduction),
            Probe(name: "add production member", method: .post, path: "/api/v1/productions/a1/members",
                  json: #"{"email": "extra@example.com", "role": "viewer"}"#, expected: inProduction([202, 403, 403, 403, 202, 403])),
            Probe(name: "list requests", method: .get, path: "/api/v1/productions/a1/requests", expected: readProduction),
            Probe(name: "file request", method: .post, path: "/api/v1/productions/a1/requests", yaml: escalatingRequest(),
                  expected: inProduction([403, 403, 403, 201, 201, 403])),
            Probe(name: "read request", method: .get, path: "/api/v1/requests/\(request)", expected: readProduction),
            Probe(name: "revise request", method: .put, path: "/api/v1/requests/\(request)", yaml: escalatingRequest(title: "Revised"),
                  expected: inProduction([403, 403, 403, 200, 200, 403])),
            Probe(name: "request history", method: .get, path: "/api/v1/requests/\(request)/history", expected: readProduction),
            Probe(name: "triage preview in production", method: .post, path: "/api/v1/triage?production=a1", yaml: escalatingRequest(),
                  expected: readProduction),
            Probe(name: "list consents", method: .get, path: "/api/v1/productions/a1/consents", expected: readProduction),
            Probe(name: "record consent", method: .post, path: "/api/v1/productions/a1/consents",
                  json: #"{"performer": "Jane Roe", "kind": "voice", "permitted-use": "voice match for two ADR lines in episode one", "signed-on": "2026-10-01"}"#,
                  expected: inProduction([403, 403, 403, 403, 201, 403])),
            Probe(name: "read consent", method: .get, path: "/api/v1/consents/\(consent)", expected: readProduction),
            Probe(name: "revoke consent", method: .post, path: "/api/v1/consents/revocable-{role}/revoke",
                  expected: inProduction([403, 403, 403, 403, 200, 403])),
            // Whoever can see the studio but does not administer it is refused; the other studio's admin cannot see it.
            Probe(name: "read studio audit", method: .get, path: "/api/v1/audit?studio=a",
                  expected: [401, 403, 200, 403, 403, 403, 403, 403, 403, 404]),
            Probe(name: "verify audit chain", method: .get, path: "/api/v1/audit/verify",
                  expected: [401, 200, 403, 403, 403, 403, 403, 403, 403, 403]),
            Probe(name: "create studio", method: .post, path: "/api/v1/studios", json: #"{"id": "s-{role}", "name": "S"}"#,
                  expected: [401, 201, 403, 403, 403, 403, 403, 403, 403, 403]),
            Probe(name: "create user", method: .post, path: "/api/v1/users",
                  json: #"{"email": "{role}@new.example.com", "name": "N"}"#, expected: [401, 201, 403, 403, 403, 403, 403, 403, 403, 403]),
            Probe(name: "read register", method: .get, path: "/api/v1/productions/a1/register", expected: readProduction),
            Probe(name: "read final approvals", method: .get, path: "/api/v1/productions/a1/final-approvals", expected: readProduction),
            Probe(name: "list scans", method: .get, path: "/api/v1/productions/a1/scans", expected: readProduction),
            Probe(name: "upload scan", method: .post, path: "/api/v1/productions/a1/scans", json: scanReport([]),
                  expected: inProduction([403, 403, 403, 201, 201, 403])),
            Probe(name: "read scan", method: .get, path: "/api/v1/productions/a1/scans/\(scan)", expected: readProduction),
            Probe(name: "list webhooks", method: .get, path: "/api/v1/studios/a/webhooks", expected: adminWrite(200)),
            Probe(name: "add webhook", method: .post, path: "/api/v1/studios/a/webhooks",
                  json: #"{"url": "https://hooks.example.com/{role}", "events": ["policy.published"]}"#, expected: adminWrite(201)),
            Probe(name: "list studio requests", method: .get, path: "/api/v1/studios/a/requests",
                  expected: [401, 403, 200, 200, 200, 403, 403, 403, 403, 404]),
            // The request is escalated to `data`: the approver (legal) may not answer for it, and it cannot be acknowledged.
            Probe(name: "give verdict", method: .post, path: "/api/v1/requests/\(request)/approvals",
                  json: #"{"area": "data", "verdict": "approved"}"#, expected: inProduction([403, 422, 403, 403, 403, 403])),
            Probe(name: "acknowledge", method: .post, path: "/api/v1/requests/\(request)/acknowledge",
                  expected: inProduction([409, 409, 403, 403, 403, 403])),
            // Last, since it ends the request: its requester withdraws it, after which the coordinator cannot.
            Probe(name: "withdraw request", method: .post, path: "/api/v1/requests/\(request)/withdraw",
                  expected: inProduction([403, 403, 403, 200, 409, 403])),
        ]
    }

    /// Every role's password, for the web pages' sign-in.
    static let password = "correct horse battery"

    /// What the probes act on: each role's token, a request, a consent, a scan and the policy's text.
    struct World {
        var tokens: [Role: String]
        var request: Answer
        var consent: Answer
        var scan: Answer
        var policy: Answer
    }

    /// Studio `a` (admin, approver, viewer) with productions `a1` (requester, coordinator, viewer)
    /// and `a2` (its own requester); studio `b` with its own admin; every role with a password.
    static func world(_ client: Client, admin: String) async throws -> World {
        var tokens: [Role: String] = [:]
        for role in Role.allCases where role != .anonymous && role != .siteAdmin {
            tokens[role] = try await client.expect(.created, .post, "/api/v1/users", token: admin, json: """
                {"email": "\(role.rawValue)@example.com", "name": "\(role.rawValue)", "password": "\(Self.password)"}
                """)["token"] as? String
        }
        tokens[.siteAdmin] = admin
        _ = try await client.user("extra@example.com", admin: admin)
        _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                    json: #"{"id": "a", "name": "A", "admin": "studioAdmin@example.com"}"#)
        _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                    json: #"{"id": "b", "name": "B", "admin": "otherStudioAdmin@example.com"}"#)
        let aAdmin = tokens[.studioAdmin]
        try await client.join("/api/v1/studios/a/members", token: aAdmin,
                              json: #"{"email": "approver@example.com", "role": "approver", "areas": ["legal"]}"#, invitee: tokens[.approver])
        try await client.join("/api/v1/studios/a/members", token: aAdmin,
                              json: #"{"email": "studioViewer@example.com", "role": "viewer"}"#, invitee: tokens[.studioViewer])
        for production in ["a1", "a2"] {
            _ = try await client.expect(.created, .post, "/api/v1/studios/a/productions", token: aAdmin,
                                        json: #"{"id": "\#(production)", "title": "\#(production)"}"#)
        }
        _ = try await client.expect(.created, .post, "/api/v1/studios/b/productions", token: tokens[.otherStudioAdmin],
                                    json: #"{"id": "b1", "title": "b1"}"#)
        for (member, production, role) in [(Role.requester, "a1", "requester"), (.coordinator, "a1", "coordinator"),
                                           (.productionViewer, "a1", "viewer"), (.otherProductionRequester, "a2", "requester")] {
            try await client.join("/api/v1/productions/\(production)/members", token: aAdmin,
                                  json: #"{"email": "\#(member.rawValue)@example.com", "role": "\#(role)"}"#, invitee: tokens[member])
        }
        _ = try await client.expect(.created, .post, "/api/v1/studios/a/tools", token: aAdmin, json: enterpriseTool)
        for role in Role.allCases {
            _ = try await client.expect(.created, .post, "/api/v1/studios/a/tools", token: aAdmin,
                                        json: #"{"record": {"id": "doomed-\#(role.rawValue.lowercased())", "enterprise": false, "trains-on-inputs": "unknown", "retains-inputs": "unknown"}}"#)
            _ = try await client.expect(.created, .post, "/api/v1/productions/a1/consents", token: tokens[.coordinator],
                                        json: #"{"id": "revocable-\#(role.rawValue.lowercased())", "performer": "Jane Roe", "kind": "voice", "permitted-use": "voice match for two ADR lines in episode one", "signed-on": "2026-10-01"}"#)
        }
        let filed = try await client.expect(.created, .post, "/api/v1/productions/a1/requests", token: tokens[.requester],
                                            yaml: escalatingRequest())
        let consent = try await client.expect(.created, .post, "/api/v1/productions/a1/consents", token: tokens[.coordinator],
                                              json: #"{"performer": "Jane Roe", "kind": "alteration", "permitted-use": "de-age the flashback scenes in episode two", "signed-on": "2026-10-01"}"#)
        let policy = try await client.call(.get, "/api/v1/studios/a/policy", token: aAdmin, headers: [.accept: "application/yaml"])
        let scan = try await client.expect(.created, .post, "/api/v1/productions/a1/scans", token: tokens[.requester],
                                           json: scanReport([scannedFile("deliverables/a.jpg", verdict: "generated")]))
        return World(tokens: tokens, request: filed, consent: consent, scan: scan, policy: policy)
    }

    @Test("each role gets exactly the expected status on every route family", arguments: StoreKind.all)
    func matrix(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        let failures: [String] = try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let tokens = world.tokens
            let (filed, consent, policy, scan) = (world.request, world.consent, world.policy, world.scan)
            var failures: [String] = []
            for probe in Self.probes(request: filed["id"] as? String ?? "", consent: consent["id"] as? String ?? "",
                                     scan: scan["id"] as? String ?? "", policyText: policy.text) {
                for (role, expected) in zip(Role.allCases, probe.expected) {
                    let name = role.rawValue.lowercased()
                    let answer = try await client.call(probe.method, probe.path.replacingOccurrences(of: "{role}", with: name),
                                                       token: tokens[role],
                                                       json: probe.json?.replacingOccurrences(of: "{role}", with: name),
                                                       yaml: probe.yaml)
                    if answer.status.code != expected {
                        failures.append("\(probe.name) as \(role): expected \(expected), got \(answer.status.code) \(answer.text.prefix(160))")
                    }
                    if answer.status.code >= 400 && answer.headers[.contentType] != "application/problem+json" {
                        failures.append("\(probe.name) as \(role): error without problem+json")
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) mismatches:\n" + failures.joined(separator: "\n")))
    }

    @Test("a revoked or unknown token is refused with 401 on every API route", arguments: StoreKind.all)
    func revokedToken(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let token = try await client.user("temp@example.com", admin: service.adminToken)
            _ = try await client.expect(.ok, .get, "/api/v1/me", token: token)
            let tokens = try await client.expect(.ok, .get, "/api/v1/tokens", token: token)
            let id = tokens.items.first?["id"] as? String ?? ""
            _ = try await client.expect(.noContent, .delete, "/api/v1/tokens/\(id)", token: token)
            _ = try await client.expect(.unauthorized, .get, "/api/v1/me", token: token)
            _ = try await client.expect(.unauthorized, .get, "/api/v1/studios", token: "clr_" + String(repeating: "0", count: 64))
            let missing = try await client.expect(.unauthorized, .get, "/api/v1/studios", token: nil)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            // Health and metrics stay open.
            _ = try await client.expect(.ok, .get, "/healthz", token: nil)
        }
        // Only hashes are stored: the database never holds a token's secret.
        let admin = try #require(try await service.store.user(email: "root@example.com"))
        let stored = try await service.store.tokens(userID: admin.id).map(\.secretHash)
        #expect(!stored.isEmpty)
        #expect(stored.allSatisfy { !$0.hasPrefix("clr_") && $0.count == 64 })
        #expect(!stored.contains(service.adminToken))
        #expect(try await service.store.token(secretHash: service.adminToken) == nil)
    }
}
