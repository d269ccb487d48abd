import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// The same long scenario on every store must leave the same records, the same audit events and
/// the same webhook bodies, ignoring only generated ids and times: a change made on SQLite and
/// the same change made on PostgreSQL may not differ in anything a user, an auditor or a webhook
/// receiver would see.
@Suite("Store differential")
struct StoreDifferentialTests {
    /// Replaces generated ids by their order of first appearance and times by a placeholder, so
    /// two runs compare equal exactly when they differ only in those.
    final class Normalizer {
        private var names: [String: String] = [:]
        private var counts: [String: Int] = [:]
        private static let ids = try! NSRegularExpression(pattern: #"\b(consent|d|inv|r|s|scan|t|u|v|wh)-[0-9a-f]{16}\b|clr_[0-9a-f]{64}"#)
        private static let times = try! NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#)
        /// A chain's head hash covers the times of its events.
        private static let heads = try! NSRegularExpression(pattern: #""head":"sha256:[0-9a-f]{64}""#)

        func callAsFunction(_ text: String) -> String {
            var result = ""
            var last = text.startIndex
            for match in Self.ids.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                let id = String(text[range])
                let prefix = id.hasPrefix("clr_") ? "secret" : String(id.prefix { $0 != "-" })
                if names[id] == nil {
                    counts[prefix, default: 0] += 1
                    names[id] = "<\(prefix)#\(counts[prefix] ?? 0)>"
                }
                result += text[last..<range.lowerBound] + (names[id] ?? id)
                last = range.upperBound
            }
            result += text[last...]
            let timed = Self.times.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "<time>")
            return Self.heads.stringByReplacingMatches(in: timed, range: NSRange(timed.startIndex..., in: timed), withTemplate: #""head":"<hash>""#)
        }
    }

    /// What a run leaves behind, normalized: one line per audit event, per webhook body and per record read.
    struct Outcome {
        var audit: [String] = []
        var webhookBodies: [String] = []
        var records: [String] = []
    }

    @Test("one scenario of every kind of write leaves the same records, audit events and webhook bodies on every store")
    func sameEverywhere() async throws {
        var outcomes: [(StoreKind, Outcome)] = []
        for kind in StoreKind.all where kind != .sqliteMemory || !StoreKind.all.contains(.postgres) {
            outcomes.append((kind, try await Self.run(kind)))
        }
        try #require(outcomes.count >= 2)
        let (firstKind, first) = outcomes[0]
        #expect(first.audit.count > 60, "the scenario makes many audited changes (\(first.audit.count))")
        #expect(first.webhookBodies.count > 10, "and raises many webhook deliveries (\(first.webhookBodies.count))")
        for (kind, outcome) in outcomes.dropFirst() {
            for (name, mine, theirs) in [("audit events", first.audit, outcome.audit), ("webhook bodies", first.webhookBodies, outcome.webhookBodies),
                                         ("records", first.records, outcome.records)] {
                let differing = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }
                #expect(mine.count == theirs.count && differing == nil, """
                    \(name) differ between \(firstKind) and \(kind) (\(mine.count) against \(theirs.count)); first difference, at \(differing?.offset ?? -1):
                    \(firstKind): \(differing?.element.0 ?? "")
                    \(kind): \(differing?.element.1 ?? "")
                    """)
            }
        }
    }

    static func run(_ kind: StoreKind) async throws -> Outcome {
        let service = try await Service.make(kind)
        let store = service.store
        return try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let admin = service.adminToken
            var requestIDs: [String] = []
            // Each step a second apart, so listings ordered by time have one order on every store.
            let tick = { service.clock.advance(1) }

            // Webhooks: one for every event in JSON, one in Slack's format that is removed later.
            let events = #"["request.submitted", "request.decided", "request.approved", "request.rejected", "request.acknowledged", "policy.published"]"#
            let hook = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                               json: #"{"url": "https://hooks.example.com/clearance", "events": \#(events)}"#)
            let slack = try await client.expect(.created, .post, "/api/v1/studios/acme/webhooks", token: world.studioAdmin,
                                                json: #"{"url": "https://hooks.example.com/slack", "events": \#(events), "format": "slack"}"#)

            // Tools: added, replaced, and one deleted.
            let spare = #"{"record": {"id": "spare-gen", "enterprise": false, "trains-on-inputs": "unknown", "retains-inputs": "unknown"}}"#
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/tools", token: world.studioAdmin, json: spare)
            _ = try await client.call(.put, "/api/v1/studios/acme/tools/spare-gen", token: world.studioAdmin, json: spare)
            _ = try await client.expect(.noContent, .delete, "/api/v1/studios/acme/tools/spare-gen", token: world.studioAdmin)

            // A socialized use, acknowledged by the studio contact.
            let socialized = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(title: "Costume boards", tool: "studio-gen"))
            tick()
            requestIDs.append(socialized)
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(socialized)/acknowledge", token: world.contact,
                                        json: #"{"note": "Seen; carry on."}"#)

            // An escalation: a conditional approval, a revision that makes it stale, then both areas approve.
            let approved = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            tick()
            requestIDs.append(approved)
            let verdicts = "/api/v1/requests/\(approved)/approvals"
            _ = try await client.expect(.created, .post, verdicts, token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit the vendor"]}"#)
            _ = try await client.expect(.ok, .put, "/api/v1/requests/\(approved)", token: world.requester,
                                        yaml: WorkflowRouteTests.deAgeing("Thirty years younger, flashback only."))
            _ = try await client.expect(.created, .post, verdicts, token: world.talent, json: #"{"area": "talent", "verdict": "approved"}"#)
            _ = try await client.expect(.created, .post, verdicts, token: world.legal,
                                        json: #"{"area": "legal", "verdict": "approved", "note": "Final cut only.", "assets": ["id:ART-1"]}"#)

            // Changes requested, then rejected; and one withdrawn.
            let rejected = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing("Another look."))
            tick()
            requestIDs.append(rejected)
            _ = try await client.expect(.created, .post, "/api/v1/requests/\(rejected)/approvals", token: world.talent,
                                        json: #"{"area": "talent", "verdict": "changes-requested", "note": "Say which shots."}"#)
            _ = try await client.expect(.ok, .put, "/api/v1/requests/\(rejected)", token: world.requester,
                                        yaml: WorkflowRouteTests.deAgeing("Shots 12 to 14 only."))
            _ = try await client.expect(.created, .post, "/api/v1/requests/\(rejected)/approvals", token: world.talent,
                                        json: #"{"area": "talent", "verdict": "rejected", "note": "No."}"#)
            let withdrawn = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(title: "Withdrawn"))
            tick()
            requestIDs.append(withdrawn)
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(withdrawn)/withdraw", token: world.requester,
                                        json: #"{"note": "Not needed after all."}"#)
            let open = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(title: "Still open"))
            tick()
            requestIDs.append(open)

            // Consents: recorded, then revoked.
            let consent = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.dualRole, json: """
                {"performer": "Jane Roe", "kind": "alteration", "permitted-use": "re-ageing in the flashback", "signed-on": "2026-01-10"}
                """)
            _ = try await client.expect(.ok, .post, "/api/v1/consents/\(consent["id"] as? String ?? "")/revoke", token: world.dualRole,
                                        json: #"{"reason": "The performer withdrew it."}"#)

            // A new policy version re-triages the open requests.
            let policy = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy", token: world.studioAdmin)
            let text = (policy["text"] as? String ?? "").replacingOccurrences(of: #"version: "2025.2""#, with: #"version: "2025.3""#)
            _ = try await service.publish(client, text, token: world.studioAdmin)

            // A scan upload, tokens, a user deactivated and back, a webhook removed.
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/scans", token: world.dualRole, json: scanReport([
                scannedFile("deliverables/sh010.png", verdict: "ai-edited"),
            ]))
            let token = try await client.expect(.created, .post, "/api/v1/tokens", token: world.requester, json: #"{"label": "pipeline"}"#)
            _ = try await client.expect(.noContent, .delete, "/api/v1/tokens/\(token["id"] as? String ?? "")", token: world.requester)
            let users = try await client.expect(.ok, .get, "/api/v1/users", token: admin).items
            let legal2 = users.first { $0["email"] as? String == "legal2@example.com" }?["id"] as? String ?? ""
            _ = try await client.expect(.ok, .post, "/api/v1/users/\(legal2)/deactivate", token: admin)
            _ = try await client.expect(.ok, .post, "/api/v1/users/\(legal2)/reactivate", token: admin)
            _ = try await client.expect(.noContent, .delete, "/api/v1/studios/acme/webhooks/\(slack["id"] as? String ?? "")",
                                        token: world.studioAdmin)

            // What was left, read the same way on each store.
            let normalize = Normalizer()
            var outcome = Outcome()
            for event in try await store.auditEventsInOrder() {
                outcome.audit.append(normalize([event.action, event.actor, event.studioID ?? "-", event.productionID ?? "-", event.subject,
                                                event.details].joined(separator: " | ")))
            }
            let deliveries = try await store.deliveries(endpointID: hook["id"] as? String ?? "", limit: 1000)
            // In the order of the audit events that raised them (one event may raise several).
            func sequence(_ delivery: WebhookDelivery) -> Int {
                let body = (try? JSONSerialization.jsonObject(with: Data(delivery.body.utf8))) as? [String: Any]
                return body?["audit-seq"] as? Int ?? -1
            }
            let ordered = deliveries.sorted { (sequence($0), $0.event.rawValue) < (sequence($1), $1.event.rawValue) }
            outcome.webhookBodies = ordered.map { normalize("\($0.event.rawValue) \($0.status.rawValue) \($0.body)") }
            var reads = requestIDs.flatMap { ["/api/v1/requests/\($0)", "/api/v1/requests/\($0)/history"] }
            reads += ["/api/v1/productions/p1/register", "/api/v1/productions/p1/requests", "/api/v1/studios/acme/requests",
                      "/api/v1/productions/p1/members", "/api/v1/studios/acme/members", "/api/v1/studios/acme/tools",
                      "/api/v1/productions/p1/consents", "/api/v1/productions/p1/scans", "/api/v1/studios/acme/policy/versions",
                      "/api/v1/productions/p1/final-approvals"]
            for path in reads {
                let answer = try await client.call(.get, path, token: world.studioAdmin)
                if path.hasSuffix("/members") {
                    // Listed by user id, which is random: compare them as a set.
                    let items = answer.items.map { item in
                        normalize(String(decoding: (try? JSONSerialization.data(withJSONObject: item, options: .sortedKeys)) ?? Data(), as: UTF8.self))
                    }
                    outcome.records.append("\(path) \(answer.status.code) \(items.sorted())")
                } else {
                    outcome.records.append(normalize("\(path) \(answer.status.code) \(answer.text)"))
                }
            }
            for path in ["/api/v1/users", "/api/v1/audit/verify"] {
                let answer = try await client.call(.get, path, token: admin)
                outcome.records.append(normalize("\(path) \(answer.status.code) \(answer.text)"))
            }
            return outcome
        }
    }
}
