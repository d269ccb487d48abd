import ClearanceCore
import ClearanceServer
import ClearanceService
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// Overlays in the service: switched per studio and per production with a background re-triage,
/// the day an overlay comes into force, custom overlays, consent terms from the register, and
/// obligations recorded as met (rulebooks.md §2, §4).
@Suite("Rulebooks in the service")
struct RulebookServiceTests {
    typealias World = WorkflowRouteTests.World

    /// A realistic generated street scene in the final cut of a fiction: a deep fake where the EU's rules apply.
    static let deepFake = """
        title: Burning street for the riot scene
        department: vfx
        purpose: background
        description: A generated street on fire behind the actors.
        media: [video]
        steps:
          - tool: studio-gen
            inputs: [prompt]
        output:
          destination: final
          prominence: incidental
          realistic: true
        """

    static func decision(_ client: Client, _ id: String, _ token: String) async throws -> [String: Any] {
        try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: token)["decision"] as? [String: Any] ?? [:]
    }

    static func rulebook(_ decision: [String: Any], _ id: String) -> [String: Any]? {
        (decision["rulebooks"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    static func inEU(_ client: Client, _ world: World) async throws {
        _ = try await client.expect(.ok, .patch, "/api/v1/productions/p1", token: world.studioAdmin, json: #"{"territories": ["EU"]}"#)
    }

    @Test("switching an overlay off for one production re-triages its open requests; only studio admins may", arguments: StoreKind.all)
    func productionSwitch(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            try await Self.inEU(client, world)
            try await service.finishRetriage()
            let id = try await WorkflowRouteTests.file(client, world.requester, Self.deepFake)
            var decision = try await Self.decision(client, id, world.requester)
            #expect(decision["territories-from"] as? String == "production")
            #expect(Self.rulebook(decision, "eu-ai-act-art50")?["applied"] as? Bool == true)
            #expect((decision["obligations"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["eu-ai-act-art50/disclose"])

            _ = try await client.expect(.forbidden, .put, "/api/v1/productions/p1/overlays/eu-ai-act-art50", token: world.requester,
                                        json: #"{"enabled": false}"#)
            let switched = try await client.expect(.ok, .put, "/api/v1/productions/p1/overlays/eu-ai-act-art50", token: world.studioAdmin,
                                                   json: #"{"enabled": false}"#)
            #expect(switched["enabled"] as? Bool == false && switched["set-by"] as? String == "production")
            try await service.finishRetriage()
            decision = try await Self.decision(client, id, world.requester)
            let eu = Self.rulebook(decision, "eu-ai-act-art50")
            #expect(eu?["applied"] as? Bool == false && eu?["because"] as? String == "disabled for this production")
            #expect((decision["obligations"] as? [Any])?.isEmpty == true)
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.requester)
            #expect((history["decisions"] as? [Any])?.count == 2, "re-triaged once, in the background")

            // The studio's own setting is untouched, and the version says what changed.
            let studio = try await client.expect(.ok, .get, "/api/v1/studios/acme/overlays", token: world.requester)
            let listed = (studio["items"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "eu-ai-act-art50" }
            #expect(listed?["enabled"] as? Bool == true && (studio["items"] as? [Any])?.count == 13)
            let versions = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions", token: world.studioAdmin)
            #expect((versions["items"] as? [[String: Any]])?.last?["change"] as? String == "EU AI Act, Article 50: transparency for deep fakes switched off for P1"
                    || ((versions["items"] as? [[String: Any]])?.last?["change"] as? String)?.contains("switched off for P1") == true)
            // Switching it on again at once changes nothing more than the setting.
            _ = try await client.expect(.ok, .put, "/api/v1/productions/p1/overlays/eu-ai-act-art50", token: world.studioAdmin,
                                        json: #"{"enabled": true}"#)
            try await service.finishRetriage()
            #expect(Self.rulebook(try await Self.decision(client, id, world.requester), "eu-ai-act-art50")?["applied"] as? Bool == true)
            let audit = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit?limit=500", token: world.studioAdmin)
            let actions = (audit["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.contains("overlay.disabled") && actions.contains("overlay.enabled"))
        }
    }

    @Test("the day an overlay comes into force, open requests without a use-date are triaged again")
    func dayBoundary() async throws {
        let service = try await Service.make()
        // 30 July 2026: the EU's deep-fake rules start on 2 August.
        let start = try #require(ISO8601DateFormatter().date(from: "2026-07-30T12:00:00Z"))
        service.clock.advance(start.timeIntervalSince(service.clock.now))
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            try await Self.inEU(client, world)
            try await service.finishRetriage()
            let id = try await WorkflowRouteTests.file(client, world.requester, Self.deepFake)
            let before = try await Self.decision(client, id, world.requester)
            #expect(Self.rulebook(before, "eu-ai-act-art50")?["why-not"] as? String == "before-effective")
            #expect(before["as-of-from"] as? String == "decision-day")

            let clock = service.clock
            var logger = Logger(label: "clearance-test")
            logger.logLevel = .critical
            let runner = RetriageRunner(store: service.store, now: { clock.now }, logger: logger)
            try await runner.advanceRulebooks()
            #expect(try await runner.runOnce() == false, "nothing changes before the day")

            service.clock.advance(3 * 86_400)  // 2 August
            try await runner.advanceRulebooks()
            try await runner.advanceRulebooks()  // a second look the same day queues nothing more
            try await service.finishRetriage()
            let after = try await Self.decision(client, id, world.requester)
            #expect(Self.rulebook(after, "eu-ai-act-art50")?["applied"] as? Bool == true)
            #expect(after["as-of"] as? String == "2026-08-02")
            let versions = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions", token: world.studioAdmin)
            let changes = (versions["items"] as? [[String: Any]] ?? []).compactMap { $0["change"] as? String }
            #expect(changes.filter { $0.contains("in force from 2026-08-02") }.count == 1, "\(changes)")
        }
    }

    @Test("a custom overlay is published when it reads and passes its tests; a built-in id is refused")
    func customOverlay() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let overlay = """
                format: clearance/policy@1
                kind: overlay
                id: acme-client-rules
                version: "1"
                title: Acme's client rules for trailers
                source: Acme's distribution contract, clause 9
                scope: trailers and promos
                applies-when: {fact: output.advertising, is: true}
                rules:
                  - id: client-sign-off
                    outcome: escalate
                    area: legal
                    reason: the distributor signs off generated material in trailers
                    cite: Acme distribution contract §9
                    obligations:
                      - {id: client-sign-off, kind: consult, due: before-release, text: Get the distributor's sign-off on the trailer.}
                tests:
                  - {name: a trailer, request: {title: t, description: d, media: [video], output: {advertising: true}, steps: [{tool: studio-imagegen, inputs: [prompt]}]}, expect: {applies: true, fires: [client-sign-off], obligations: [acme-client-rules/client-sign-off]}}
                  - {name: the work, request: {title: t, description: d, media: [video], steps: [{tool: studio-imagegen, inputs: [prompt]}]}, expect: {applies: false, quiet: [client-sign-off]}}
                """
            let published = try await client.expect(.created, .put, "/api/v1/studios/acme/overlays/acme-client-rules", token: world.studioAdmin,
                                                    yaml: overlay)
            #expect(published["built-in"] as? Bool == false && published["number"] as? Int == 1)
            try await service.finishRetriage()
            let id = try await WorkflowRouteTests.file(client, world.requester, """
                title: Teaser
                description: A generated shot in the teaser.
                media: [video]
                steps: [{tool: studio-gen, inputs: [prompt]}]
                output: {advertising: true}
                """)
            let decision = try await Self.decision(client, id, world.requester)
            #expect((decision["findings"] as? [[String: Any]])?.contains { $0["rulebook"] as? String == "acme-client-rules" } == true)

            let reused = try await client.expect(.unprocessableContent, .put, "/api/v1/studios/acme/overlays/wga-2026", token: world.studioAdmin,
                                                 yaml: overlay.replacingOccurrences(of: "id: acme-client-rules", with: "id: wga-2026"))
            #expect(reused.text.contains("built-in overlay"))
            let failing = try await client.expect(.unprocessableContent, .put, "/api/v1/studios/acme/overlays/acme-client-rules",
                                                  token: world.studioAdmin,
                                                  yaml: overlay.replacingOccurrences(of: "expect: {applies: false", with: "expect: {applies: true"))
            #expect(failing.text.contains("the work"))
            _ = try await client.expect(.forbidden, .put, "/api/v1/studios/acme/overlays/acme-client-rules", token: world.requester, yaml: overlay)
        }
    }

    @Test("a consent in the register speaks for its own terms; the request's terms count only for one that is not")
    func consentTerms() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            _ = try await client.expect(.ok, .patch, "/api/v1/productions/p1", token: world.studioAdmin, json: #"{"territories": ["US-CA"]}"#)
            try await service.finishRetriage()
            func consent(_ id: String, _ terms: String) -> String {
                #"{"id": "\#(id)", "performer": "John Doe", "kind": "voice", "permitted-use": "three replacement lines in episode four", "signed-on": "2026-01-05", "signed-separately": false\#(terms)}"#
            }
            let general = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.dualRole,
                                                  json: consent("c-general", #", "specific-description": false, "represented": "none""#))
            #expect(general["represented"] as? String == "none" && general["specific-description"] as? Bool == false)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.dualRole, json: consent("c-bare", ""))
            func rules(naming id: String, terms: String = "") async throws -> [String] {
                let filed = try await WorkflowRouteTests.file(client, world.requester, """
                    title: ADR lines
                    description: Three generated replacement lines.
                    media: [audio]
                    steps: [{tool: studio-gen, inputs: [prompt]}]
                    talent:
                      - performer: John Doe
                        use: voice
                        consent: \(id)\(terms)
                    """)
                let decision = try await Self.decision(client, filed, world.requester)
                return (decision["findings"] as? [[String: Any]] ?? []).filter { $0["rulebook"] as? String == "us-ca-digital-replica" }
                    .compactMap { $0["rule"] as? String }
            }
            #expect(try await rules(naming: "c-general") == ["replica-clause-unenforceable"])
            // The request says a lawyer negotiated it; the register says no one did, and the register wins.
            #expect(try await rules(naming: "c-general", terms: "\n    consent-terms: {specific-description: true, represented: counsel, separately-signed: true}")
                    == ["replica-clause-unenforceable"])
            #expect(try await rules(naming: "c-bare") == ["replica-clause-terms-unknown"])
            // Another production's record is not this request's to read: its terms do not count, and the request's own do.
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                        json: #"{"id": "p9", "title": "Elsewhere"}"#)
            try await client.join("/api/v1/productions/p9/members", token: world.studioAdmin,
                                  json: #"{"email": "dual@example.com", "role": "coordinator"}"#, invitee: world.dualRole)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p9/consents", token: world.dualRole,
                                        json: consent("c-elsewhere", #", "specific-description": false, "represented": "none""#))
            #expect(try await rules(naming: "c-elsewhere",
                                    terms: "\n    consent-terms: {specific-description: true, represented: counsel, separately-signed: true}") == [],
                    "a consent of another production counts as not in the register")
        }
    }

    @Test("the coordinator records an obligation as met with evidence; it shows in the register and the disclosure plan",
          arguments: StoreKind.all)
    func obligations(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            try await Self.inEU(client, world)
            try await service.finishRetriage()
            let id = try await WorkflowRouteTests.file(client, world.requester, Self.deepFake)
            let path = "/api/v1/requests/\(id)/obligations"
            let listed = try await client.expect(.ok, .get, path, token: world.requester)
            #expect((listed["items"] as? [[String: Any]])?.map { $0["status"] as? String } == ["open"])
            let plan = try await client.expect(.ok, .get, "/api/v1/productions/p1/disclosure-plan", token: world.requester)
            #expect((plan["items"] as? [[String: Any]])?.first?["flagged"] as? Bool == true, "open, at first exposure, in the final cut")

            let body = #"{"obligation": "eu-ai-act-art50/disclose", "evidence": {"note": "AI credit in the end titles", "link": "https://docs.example.com/credits"}}"#
            _ = try await client.expect(.forbidden, .post, path, token: world.requester, json: body)
            let empty = try await client.expect(.unprocessableContent, .post, path, token: world.dualRole,
                                                json: #"{"obligation": "eu-ai-act-art50/disclose", "evidence": {}}"#)
            #expect((empty["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/evidence")
            _ = try await client.expect(.unprocessableContent, .post, path, token: world.dualRole,
                                        json: #"{"obligation": "eu-ai-act-art50/label", "evidence": {"note": "n"}}"#)
            _ = try await client.expect(.unprocessableContent, .post, path, token: world.dualRole,
                                        json: #"{"obligation": "eu-ai-act-art50/disclose", "evidence": {"link": "javascript:alert(1)"}}"#)
            let met = try await client.expect(.created, .post, path, token: world.dualRole, json: body)
            #expect(met["status"] as? String == "met" && met["note"] as? String == "AI credit in the end titles")
            _ = try await client.expect(.conflict, .post, path, token: world.dualRole, json: body)

            let register = try await client.expect(.ok, .get, "/api/v1/productions/p1/register", token: world.requester)
            let use = (register["uses"] as? [[String: Any]])?.first
            let obligation = (use?["obligations"] as? [[String: Any]])?.first
            #expect(obligation?["status"] as? String == "met" && obligation?["flagged"] as? Bool == false)
            let csv = try await client.call(.get, "/api/v1/productions/p1/disclosure-plan", token: world.requester,
                                            headers: [.accept: "text/csv"]).text
            #expect(csv.hasPrefix("request,title,final-deliverable,obligation,") && csv.contains("eu-ai-act-art50/disclose") && csv.contains(",met,"))
            let registerCSV = try await client.call(.get, "/api/v1/productions/p1/register", token: world.requester,
                                                    headers: [.accept: "text/csv"]).text
            #expect(registerCSV.contains("eu-ai-act-art50/disclose (disclose, at-first-exposure): met"))
            let audit = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit?limit=500", token: world.studioAdmin)
            #expect((audit["items"] as? [[String: Any]] ?? []).contains { $0["action"] as? String == "obligation.met" && $0["subject"] as? String == id })
        }
    }
}
