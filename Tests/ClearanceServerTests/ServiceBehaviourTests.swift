import ClearanceCore
import ClearanceServer
import ClearanceStore
import Foundation
import HTTPTypes
import Testing
import Yams

/// What a crew member, a coordinator or a studio admin sees through the API.
@Suite("Service behaviour")
struct ServiceBehaviourTests {
    /// Studio `acme` with production `p1`, its requester and coordinator, and one enterprise tool.
    struct World {
        var admin: String
        var studioAdmin: String
        var requester: String
        var coordinator: String
    }

    static func world(_ client: Client, admin: String) async throws -> World {
        let studioAdmin = try await client.user("boss@example.com", admin: admin)
        let requester = try await client.user("crew@example.com", admin: admin)
        let coordinator = try await client.user("lead@example.com", admin: admin)
        _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                    json: #"{"id": "acme", "name": "Acme", "admin": "boss@example.com"}"#)
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: studioAdmin,
                                    json: #"{"id": "p1", "title": "Night Train"}"#)
        try await client.join("/api/v1/productions/p1/members", token: studioAdmin,
                              json: #"{"email": "crew@example.com", "role": "requester"}"#, invitee: requester)
        try await client.join("/api/v1/productions/p1/members", token: studioAdmin,
                              json: #"{"email": "lead@example.com", "role": "coordinator"}"#, invitee: coordinator)
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/tools", token: studioAdmin, json: enterpriseTool)
        return World(admin: admin, studioAdmin: studioAdmin, requester: requester, coordinator: coordinator)
    }

    static func decision(_ answer: Answer) -> [String: Any] { answer["decision"] as? [String: Any] ?? [:] }

    static func answer(_ decision: [String: Any], principle: String) -> String? {
        (decision["principles"] as? [[String: Any]])?.first { $0["id"] as? String == principle }?["answer"] as? String
    }

    @Test("filing triages at once with the studio's policy and registry, and keeps every revision")
    func fileAndRevise() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                                yaml: escalatingRequest())
            #expect(filed["state"] as? String == "escalated")
            #expect(filed["areas"] as? [String] == ["data"])
            let first = Self.decision(filed)
            #expect((first["summary"] as? String)?.contains("mystery-gen") == true)
            let id = filed["id"] as? String ?? ""
            #expect(filed.headers[.location] == "/api/v1/requests/\(id)")

            // The same use on the registered enterprise tool socializes.
            let revised = try await client.expect(.ok, .put, "/api/v1/requests/\(id)", token: world.requester,
                                                  json: #"{"title": "Costume boards", "description": "Mood boards from text prompts.", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}]}"#)
            #expect(revised["outcome"] as? String == "socialize")
            #expect(revised["state"] as? String == "socialized")
            #expect(revised["revision"] as? Int == 2)

            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.coordinator)
            let revisions = history["revisions"] as? [[String: Any]] ?? []
            let decisions = history["decisions"] as? [[String: Any]] ?? []
            #expect(revisions.map { $0["number"] as? Int } == [1, 2])
            #expect(decisions.map { $0["outcome"] as? String } == ["escalate", "socialize"])
            #expect(Set(revisions.compactMap { $0["request-digest"] as? String }).count == 2)
            #expect(decisions.allSatisfy { ($0["policy-digest"] as? String)?.hasPrefix("sha256:") == true })

            let read = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect((read["document"] as? [String: Any])?["title"] as? String == "Costume boards")
            #expect(Self.decision(read)["outcome"] as? String == "socialize")
        }
    }

    @Test("the decision over the API is the engine's decision for the same document and registry")
    func sameAsEngine() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let text = escalatingRequest(tool: "studio-gen")
            let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester, yaml: text)
            let policy = try Policy.loadDefault()
            let tools = try ToolRecord.parseList(#"[{"id": "studio-gen", "name": "Studio Gen", "enterprise": true, "trains-on-inputs": "no", "retains-inputs": "no", "terms-checked": "2026-10-01"}]"#)
            let expected = PolicyEngine(policy: policy).decide(try UseRequest.parse(text, principles: ["P1", "P2", "P3", "P4", "P5"]),
                                                               tools: ToolRegistry(tools))
            let decision = Self.decision(filed)
            #expect(decision["outcome"] as? String == expected.outcome.rawValue)
            #expect(decision["summary"] as? String == expected.summary)
            #expect(decision["request-digest"] as? String == expected.requestDigest)
            #expect((decision["policy"] as? [String: Any])?["digest"] as? String == policy.digest)
        }
    }

    @Test("a preview decides without storing anything")
    func previewStoresNothing() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let before = try await service.store.auditEventsInOrder().count
            let preview = try await client.expect(.ok, .post, "/api/v1/triage?production=p1", token: world.requester,
                                                  yaml: escalatingRequest())
            #expect(preview["outcome"] as? String == "escalate")
            let outside = try await client.expect(.ok, .post, "/api/v1/triage", token: world.requester, yaml: escalatingRequest())
            #expect(outside["outcome"] as? String == "escalate")
            #expect(try await service.store.auditEventsInOrder().count == before)
            #expect(try await client.expect(.ok, .get, "/api/v1/productions/p1/requests", token: world.requester).items.isEmpty)
        }
    }

    @Test("listing filters by state, outcome and area and pages with 'next'")
    func listing() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            for index in 0..<5 {
                let tool = index < 3 ? "mystery-gen" : "studio-gen"
                _ = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                            yaml: escalatingRequest(title: "R\(index)", tool: tool))
            }
            let path = "/api/v1/productions/p1/requests"
            #expect(try await client.expect(.ok, .get, "\(path)?outcome=escalate", token: world.requester).items.count == 3)
            #expect(try await client.expect(.ok, .get, "\(path)?state=socialized", token: world.requester).items.count == 2)
            #expect(try await client.expect(.ok, .get, "\(path)?area=data", token: world.requester).items.count == 3)
            #expect(try await client.expect(.ok, .get, "\(path)?area=legal", token: world.requester).items.isEmpty)
            var titles: [String] = []
            var next: String? = nil
            repeat {
                let page = try await client.expect(.ok, .get, "\(path)?limit=2" + (next.map { "&after=\($0)" } ?? ""), token: world.requester)
                titles += page.items.compactMap { $0["title"] as? String }
                next = page["next"] as? String
            } while next != nil
            #expect(Set(titles) == ["R0", "R1", "R2", "R3", "R4"])
            #expect(titles.count == 5)
            let bad = try await client.expect(.badRequest, .get, "\(path)?outcome=maybe", token: world.requester)
            #expect(bad.text.contains("socialize"))
        }
    }

    @Test("a named consent counts only if it is this production's, covers the use, and is unexpired and unrevoked")
    func consents() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            func consent(_ id: String, kind: String = "alteration", expires: String = "2099-01-01", performer: String = "Jane Roe") -> String {
                #"{"id": "\#(id)", "performer": "\#(performer)", "kind": "\#(kind)", "permitted-use": "de-age Jane Roe in the 1985 flashback of episode one", "signed-on": "2026-01-05", "expires-on": "\#(expires)", "signed-separately": true, "document-ref": "DMS-77"}"#
            }
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.coordinator, json: consent("c-good"))
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.coordinator,
                                        json: consent("c-expired", expires: "2026-02-01"))
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.coordinator,
                                        json: consent("c-voice", kind: "voice"))
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.coordinator,
                                        json: consent("c-revoked"))
            _ = try await client.expect(.ok, .post, "/api/v1/consents/c-revoked/revoke", token: world.coordinator,
                                        json: #"{"reason": "performer withdrew"}"#)
            // The same performer's consent on another production of the studio does not carry over.
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                        json: #"{"id": "p2", "title": "Other"}"#)
            try await client.join("/api/v1/productions/p2/members", token: world.studioAdmin,
                                  json: #"{"email": "lead@example.com", "role": "coordinator"}"#, invitee: world.coordinator)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p2/consents", token: world.coordinator, json: consent("c-p2"))

            func decide(_ consentID: String) async throws -> [String: Any] {
                let talent = "talent:\n  - performer: Jane Roe\n    use: re-age\n    consent: \(consentID)"
                let request = escalatingRequest(tool: "studio-gen", talent: talent)
                return try await client.expect(.ok, .post, "/api/v1/triage?production=p1", token: world.requester, yaml: request).json
            }
            let good = try await decide("c-good")
            #expect(Self.answer(good, principle: "P5") == "yes")
            // Signed separately but no notice on record: the crew is still told to get consent (notice of a scan is
            // the SAG-AFTRA overlay's, and this use has no scan).
            #expect((good["actions"] as? [String] ?? []).contains { $0.contains("documented, informed consent") })
            // With notice given too, the next steps name the consent that covers the use instead.
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.coordinator,
                                        json: consent("c-noticed").replacingOccurrences(of: #""document-ref""#, with: #""notice-on": "2026-01-10", "document-ref""#))
            let covered = (try await decide("c-noticed"))["actions"] as? [String] ?? []
            #expect(covered.contains { $0.contains("consent c-noticed on record covers this use") }, "\(covered)")
            #expect(!covered.contains { $0.contains("documented, informed consent") || $0.contains("48 hours' notice") })
            for (id, why) in [("c-expired", "expired on 2026-02-01"), ("c-voice", "does not cover a re-age use"),
                              ("c-revoked", "was revoked"), ("c-p2", "not recorded for this production"),
                              ("c-missing", "not recorded for this production")] {
                let decision = try await decide(id)
                #expect(Self.answer(decision, principle: "P5") == "no", "consent \(id)")
                let text = String(decoding: try JSONSerialization.data(withJSONObject: decision), as: UTF8.self)
                #expect(text.contains(why), "consent \(id) should say '\(why)'")
            }
            let listed = try await client.expect(.ok, .get, "/api/v1/productions/p1/consents", token: world.requester)
            #expect(Set(listed.items.compactMap { $0["id"] as? String }) == ["c-good", "c-expired", "c-voice", "c-revoked", "c-noticed"])
        }
    }

    @Test("publishing checks the policy and its own tests, keeps every version, and later triage uses the new one")
    func publishPolicy() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let current = try await client.call(.get, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                headers: [.accept: "application/yaml"])
            #expect(current.text == Policy.defaultPolicyText)

            let broken = current.text.replacingOccurrences(of: "version:", with: "versoin:")
            let invalid = try await client.expect(.unprocessableContent, .put, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                  yaml: broken)
            #expect(invalid.text.contains("versoin"))

            // Weaken the rule for a principle answered "no" to socialize: the policy's own tests must catch it.
            let weakened = current.text.replacingOccurrences(of: "  - id: principle-no\n    outcome: escalate",
                                                             with: "  - id: principle-no\n    outcome: socialize")
            #expect(weakened != current.text)
            let failing = try await client.expect(.unprocessableContent, .put, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                  yaml: weakened)
            #expect(failing["title"] as? String == "The policy fails its own tests")
            #expect(((failing["errors"] as? [[String: Any]])?.count ?? 0) > 0)

            // An open request filed under version 1 is re-triaged when version 2 is published.
            let open = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                               yaml: escalatingRequest())
            let edited = current.text.replacingOccurrences(of: "\nversion: ", with: "\nversion: amended-")
            let answered = try await client.expect(.created, .put, "/api/v1/studios/acme/policy", token: world.studioAdmin, yaml: edited)
            // Publishing answers at once; the re-triage runs in the background.
            #expect((answered["retriage"] as? [String: Any])?["remaining"] as? Int == 1)
            try await service.finishRetriage()
            let published = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions/2", token: world.studioAdmin)
            #expect(published["number"] as? Int == 2)
            let progress = published["retriage"] as? [String: Any]
            #expect(progress?["retriaged"] as? Int == 1 && progress?["remaining"] as? Int == 0 && progress?["skipped"] as? Int == 0)
            #expect(progress?["state"] as? String == "done")
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(open["id"] as? String ?? "")/history",
                                                  token: world.requester)
            let decisions = history["decisions"] as? [[String: Any]] ?? []
            #expect(decisions.map { $0["policy-version"] as? Int } == [1, 2])
            #expect(decisions.last?["policy-digest"] as? String == published["digest"] as? String)
            #expect((history["revisions"] as? [Any])?.count == 1)
            let versions = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions", token: world.requester)
            #expect(versions.items.map { $0["number"] as? Int } == [1, 2])
            let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                                yaml: escalatingRequest())
            let stamp = Self.decision(filed)["policy"] as? [String: Any]
            #expect(stamp?["digest"] as? String == published["digest"] as? String)
            #expect((stamp?["version"] as? String)?.hasPrefix("amended-") == true)
        }
    }

    @Test("bad bodies get problem+json that says what and where")
    func badInput() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            let path = "/api/v1/productions/p1/requests"
            let syntax = try await client.expect(.badRequest, .post, path, token: world.requester, json: #"{"title": "x""#)
            #expect(syntax.headers[.contentType] == "application/problem+json")
            let schema = try await client.expect(.unprocessableContent, .post, path, token: world.requester,
                                                 json: #"{"title": "x", "description": "y", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}], "output": {"destination": "cinema"}}"#)
            let errors = schema["errors"] as? [[String: Any]] ?? []
            #expect(errors.first?["pointer"] as? String == "/output/destination")
            #expect((errors.first?["detail"] as? String)?.contains("internal|pitch|temp|final") == true)
            let unknownField = try await client.expect(.unprocessableContent, .post, "/api/v1/studios/acme/productions",
                                                       token: world.studioAdmin, json: #"{"id": "p9", "title": "T", "budget": 3}"#)
            #expect((unknownField["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/budget")
            let wrongType = try await client.call(.post, path, token: world.requester,
                                                  headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(wrongType.status == .unsupportedMediaType)
            let huge = "title: " + String(repeating: "x", count: ServerConfiguration.maxBodySize + 10)
            let tooLarge = try await client.call(.post, path, token: world.requester, yaml: huge)
            #expect(tooLarge.status == .contentTooLarge)
            let conflict = try await client.expect(.conflict, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                                   json: #"{"id": "p1", "title": "Again"}"#)
            #expect((conflict["detail"] as? String)?.contains("p1") == true)
            let noRoute = try await client.expect(.notFound, .get, "/api/v1/nothing-here", token: world.requester)
            #expect(noRoute.headers[.contentType] == "application/problem+json")
            for answer in [syntax, schema, unknownField, conflict] {
                #expect(!answer.text.lowercased().contains("sqlite"))
                #expect(!answer.text.contains("Error("))
            }
        }
    }

    @Test("every change lands in the audit chain, which verifies over the API")
    func auditTrail() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await Self.world(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester, yaml: escalatingRequest())
            let events = try await client.expect(.ok, .get, "/api/v1/audit?studio=acme", token: world.studioAdmin)
            let actions = events.items.compactMap { $0["action"] as? String }
            // Each member joined by invitation: the invitation, its acceptance, then the membership.
            #expect(actions == ["studio.created", "studio.member.set", "production.created",
                                "invitation.created", "invitation.accepted", "production.member.set",
                                "invitation.created", "invitation.accepted", "production.member.set", "tool.saved", "request.submitted"])
            let verified = try await client.expect(.ok, .get, "/api/v1/audit/verify", token: world.admin)
            #expect(verified["intact"] as? Bool == true)
            #expect(verified["events"] as? Int == 1 + 1 + 3 * 2 + 11)
        }
    }

    @Test("the OpenAPI document is 3.1 and documents every route the router serves")
    func openAPI() async throws {
        let service = try await Service.make()
        let router = buildRouter(store: service.store, configuration: Service.configuration)
        let served = try await service.run { client in
            try await client.expect(.ok, .get, "/openapi.yaml", token: nil).text
        }
        let document = try #require(try Yams.load(yaml: served) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: Any])
        var missing: [String] = []
        // The document covers the JSON API and the operational endpoints; the HTML pages are not part of it.
        let documented = router.routes.filter { route in
            let path = route.path.description.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return path.hasPrefix("api/") || ["healthz", "metrics", "openapi.yaml"].contains(path)
        }
        for route in documented {
            let path = "/" + route.path.description.split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            let operations = paths[path] as? [String: Any]
            if operations?[route.method.rawValue.lowercased()] == nil { missing.append("\(route.method) \(path)") }
        }
        #expect(documented.count > 30)
        #expect(missing.isEmpty, Comment(rawValue: "undocumented: " + missing.joined(separator: ", ")))
    }
}
