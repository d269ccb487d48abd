import ClearanceCore
import ClearanceServer
import ClearanceService
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// Publishing a policy answers at once; the open requests are re-triaged in the background by a
/// runner holding a lease, which finishes the job exactly once even when the first runner dies.
@Suite("Background re-triage")
struct RetriageTests {
    static func runner(_ service: Service, owner: String) -> RetriageRunner {
        let clock = service.clock
        var logger = Logger(label: "clearance-test")
        logger.logLevel = .critical
        return RetriageRunner(store: service.store, now: { clock.now }, logger: logger, owner: owner, lease: 60, pageSize: 4)
    }

    @Test("a runner that dies halfway is taken over after its lease; every request is re-triaged exactly once", arguments: StoreKind.all)
    func resumesExactlyOnce(kind: StoreKind) async throws {
        let counting = CountingStore(try await kind.make())
        let token = try await SiteAdmin.create(email: "root@example.com", name: "Root", store: counting)
        let service = Service(store: counting, adminToken: token)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: token)
            // An approved use the new version decides differently, one sent back for changes (a
            // re-triage leaves it alone), and eleven open ones.
            let approved = try await RegisterTests.approvedUse(client, world)
            let sentBack = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing("Another look."))
            _ = try await client.expect(.created, .post, "/api/v1/requests/\(sentBack)/approvals", token: world.talent,
                                        json: #"{"area": "talent", "verdict": "changes-requested"}"#)
            var open: [String] = []
            for index in 0..<11 {
                service.clock.advance(1)
                let tool = index.isMultiple(of: 2) ? "studio-gen" : "mystery-gen"
                open.append(try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(title: "Use \(index)", tool: tool)))
            }
            let current = try await client.call(.get, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                headers: [.accept: "application/yaml"]).text
            let moved = current.replacingOccurrences(of: "\nversion: ", with: "\nversion: moved-")
                .replacingOccurrences(of: "  - id: final-deliverable\n    outcome: approval-required\n    area: legal",
                                      with: "  - id: final-deliverable\n    outcome: approval-required\n    area: creative")
            let answered = try await client.expect(.created, .put, "/api/v1/studios/acme/policy", token: world.studioAdmin, yaml: moved)
            let waiting = answered["retriage"] as? [String: Any]
            #expect(waiting?["state"] as? String == "waiting")
            #expect(waiting?["retriaged"] as? Int == 0 && waiting?["remaining"] as? Int == 12 && waiting?["skipped"] as? Int == 0)

            // The first runner dies at its sixth attempt to record a decision, which never commits. Of
            // the five before it, one was the request sent back for changes (the oldest open one),
            // which the store refused and the runner set aside: four were re-triaged.
            counting.reset()
            counting.fail("recordDecision", after: 5)
            await #expect(throws: StoreError.self) { try await Self.runner(service, owner: "first").runOnce() }
            counting.recover()
            let halfway = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions/2", token: world.studioAdmin)
            let progress = halfway["retriage"] as? [String: Any]
            #expect(progress?["state"] as? String == "running")
            #expect(progress?["retriaged"] as? Int == 4)
            #expect(progress?["skipped"] as? Int == 1 && progress?["remaining"] as? Int == 7)

            // While its lease holds, no other runner takes the job.
            let second = Self.runner(service, owner: "second")
            #expect(try await second.runOnce() == false)
            service.clock.advance(61)
            #expect(try await second.runOnce() == true)
            #expect(try await second.runOnce() == false, "the job is done")

            let done = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy/versions/2", token: world.studioAdmin)
            let final = done["retriage"] as? [String: Any]
            #expect(final?["state"] as? String == "done")
            #expect(final?["retriaged"] as? Int == 11 && final?["remaining"] as? Int == 0 && final?["skipped"] as? Int == 1)
            #expect(final?["flagged-for-review"] as? [String] == [approved])

            // Exactly once: one decision under version 2 and one audit event per open request.
            for id in open {
                let history = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.requester)
                let versions = (history["decisions"] as? [[String: Any]] ?? []).compactMap { $0["policy-version"] as? Int }
                #expect(versions == [1, 2], "\(id): \(versions)")
            }
            let events = try await counting.auditEventsInOrder()
            let retriaged = events.filter { $0.action == "request.retriaged" }.map(\.subject)
            #expect(retriaged.sorted() == open.sorted())
            #expect(events.filter { $0.action == "request.flagged" }.map(\.subject) == [approved])
            let sentBackHistory = try await client.expect(.ok, .get, "/api/v1/requests/\(sentBack)/history", token: world.requester)
            #expect((sentBackHistory["decisions"] as? [Any])?.count == 1, "a request sent back for changes keeps its decision")
            _ = try await client.expect(.ok, .get, "/api/v1/audit/verify", token: token)
        }
    }

    /// Publishes `text` and runs the background re-triage to the end.
    static func publishAndRetriage(_ client: Client, _ service: Service, _ world: WorkflowRouteTests.World, _ text: String) async throws {
        _ = try await client.expect(.created, .put, "/api/v1/studios/acme/policy", token: world.studioAdmin, yaml: text)
        while try await runner(service, owner: "test").runOnce() {}
    }

    @Test("a new version keeps each verdict whose area it decides as before: a watch-list name keeps all; a changed outcome sets that area's aside",
          arguments: StoreKind.all)
    func verdictsAcrossVersions(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let id = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            let path = "/api/v1/requests/\(id)/approvals"
            _ = try await client.expect(.created, .post, path, token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved", "assets": ["shots/fb/*.exr"]}"#)
            _ = try await client.expect(.created, .post, path, token: world.talent, json: #"{"area": "talent", "verdict": "approved"}"#)
            func counting() async throws -> Set<String> {
                let shown = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
                return Set((shown["verdicts"] as? [[String: Any]] ?? []).compactMap { $0["area"] as? String })
            }
            #expect(try await counting() == ["legal", "talent"])

            // A watch-list name no finding of this request touches: every verdict stays in force.
            let current = try await client.call(.get, "/api/v1/studios/acme/policy", token: world.studioAdmin,
                                                headers: [.accept: "application/yaml"]).text
            let named = current.replacingOccurrences(of: "\nversion: ", with: "\nversion: named-")
                .replacingOccurrences(of: "entries: [Taylor Swift,", with: "entries: [Ada Lovelace, Taylor Swift,")
            try await Self.publishAndRetriage(client, service, world, named)
            #expect(try await counting() == ["legal", "talent"], "a new watch-list name leaves every verdict current")
            let kept = try await client.expect(.ok, .get, "/api/v1/requests/\(id)/history", token: world.requester)
            let verdicts = kept["verdicts"] as? [[String: Any]] ?? []
            #expect(verdicts.filter { $0["carried-from"] != nil && $0["stale"] as? Bool == false }.count == 2)
            let approvals = try await client.expect(.ok, .get, "/api/v1/productions/p1/final-approvals", token: world.requester)
            #expect((approvals["approvals"] as? [Any])?.isEmpty == true, "not approved yet: data has not decided")

            // A changed outcome for a legal rule: the legal verdict goes stale, talent's stays.
            let changed = named.replacingOccurrences(of: "\nversion: ", with: "\nversion: changed-")
                .replacingOccurrences(of: "  - id: final-deliverable\n    outcome: approval-required",
                                      with: "  - id: final-deliverable\n    outcome: escalate")
                // The policy's own test of that rule says what the studio now expects.
                .replacingOccurrences(of: "expect: {outcome: approval-required, fires: [final-deliverable], quiet: [incidental-final-element]}",
                                      with: "expect: {outcome: escalate, fires: [final-deliverable], quiet: [incidental-final-element]}")
            #expect(changed != named)
            try await Self.publishAndRetriage(client, service, world, changed)
            #expect(try await counting() == ["talent"], "only the area whose findings changed needs a new verdict")

            // Data and creative (the director's consultation) approve, legal again: approved, and the final approval
            // carries legal's assets.
            _ = try await client.expect(.created, .post, path, token: world.data, json: #"{"area": "data", "verdict": "approved"}"#)
            _ = try await client.expect(.created, .post, path, token: world.contact, json: #"{"area": "creative", "verdict": "approved"}"#)
            let done = try await client.expect(.created, .post, path, token: world.legal,
                                               json: #"{"area": "legal", "verdict": "approved", "assets": ["shots/fb/*.exr"]}"#)
            #expect((done["request"] as? [String: Any])?["state"] as? String == "approved")
            let final = try await client.expect(.ok, .get, "/api/v1/productions/p1/final-approvals", token: world.requester)
            #expect(((final["approvals"] as? [[String: Any]])?.first?["assets"] as? [String]) == ["shots/fb/*.exr"])
        }
    }

    @Test("one rule decides whether a new decision changes an area: wording aside, by rule, outcome, step and talent entry")
    func areaChanges() {
        let legal = DecisionChange.Key(rule: "final-deliverable", outcome: .approvalRequired, area: .legal, step: nil, talent: nil)
        let talent1 = DecisionChange.Key(rule: "talent-replica-or-alteration", outcome: .approvalRequired, area: .talent, step: nil, talent: 1)
        let talent2 = DecisionChange.Key(rule: "talent-replica-or-alteration", outcome: .approvalRequired, area: .talent, step: nil, talent: 2)
        #expect(DecisionChange.changedAreas(from: [legal, talent1], to: [talent1, legal]).isEmpty, "order does not matter")
        #expect(DecisionChange.changedAreas(from: [legal, talent1], to: [legal, talent2]) == [.talent], "another performer")
        var escalated = legal
        escalated.outcome = .escalate
        #expect(DecisionChange.changedAreas(from: [legal, talent1], to: [escalated, talent1]) == [.legal])
        #expect(DecisionChange.changedAreas(from: [legal], to: [legal, legal]) == [.legal], "one more firing counts")
        let stored = JSONValue.parse(#"{"findings": [{"rule": "final-deliverable", "outcome": "approval-required", "area": "legal", "reason": "old words", "cite": "x"}]}"#)
        #expect(DecisionChange.keys(ofStored: stored) == [legal], "the reason and cite are not compared")
        var unnamed = talent1
        unnamed.talent = nil
        #expect(DecisionChange.changedAreas(from: [legal, unnamed], to: [legal, talent1]).isEmpty,
                "a decision stored before findings named their performer is not a change by itself")
    }
}
