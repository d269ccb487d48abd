@testable import ClearanceServer
@testable import ClearanceService
import ClearanceCore
import ClearanceStore
import Foundation
import HTTPTypes
import Testing

/// The JSON the API answers with, byte for byte: each representation with its optional parts
/// both given and missing, and the answers of a whole journey through the API in outline. The
/// expected texts were recorded from the hand-built representations, so the wire stays as it was.
@Suite("Response shapes")
struct ResponseShapeTests {
    /// One representation to render, named for its expected text.
    struct Sample: Sendable {
        var name: String
        var render: @Sendable () throws -> String

        init(_ name: String, _ render: @escaping @Sendable () throws -> String) {
            self.name = name
            self.render = render
        }
    }

    static let at = Date(timeIntervalSince1970: 1_790_000_000.5)
    static let later = Date(timeIntervalSince1970: 1_790_086_400.25)
    /// Text a JSON writer has to escape: quotes, a backslash, a line end, a control character, and non-ASCII.
    static let awkward = "Q \"quoted\" \\ line\nend \u{1} caf\u{E9} \u{1F3AC}"

    static let user = UserRecord(id: "u1", email: "jo@example.com", name: awkward, passwordHash: "secret-hash", isSiteAdmin: true,
                                 createdAt: at)
    static let verdict = VerdictRecord(id: "v1", requestID: "r1", revision: 2, area: .legal, approverID: "u2", verdict: .approvedWithConditions,
                                       conditions: ["credit \"VFX Co\"", "no trailers"], note: awkward, requestDigest: "rd", policyDigest: "pd",
                                       expiresOn: "2027-01-31", createdAt: at, assets: ["shots/fb/*.exr", "id:FB-01"], carriedFrom: "v0")
    static let bareVerdict = VerdictRecord(id: "v2", requestID: "r1", revision: 1, area: .talent, approverID: "u3", verdict: .approved,
                                           conditions: [], note: nil, requestDigest: "rd", policyDigest: "pd", expiresOn: nil, createdAt: at)
    static let request = UseRequestRecord(id: "r1", studioID: "acme", productionID: "p1", requesterID: "u1", title: awkward,
                                          state: .escalated, revision: 2, outcome: .approvalRequired, areas: [.legal, .talent],
                                          createdAt: at, updatedAt: later, review: "the policy changed")
    static let bareRequest = UseRequestRecord(id: "r2", studioID: "acme", productionID: "p1", requesterID: "u1", title: "Plain",
                                              state: .submitted, revision: 1, outcome: .socialize, areas: [], createdAt: at, updatedAt: at)
    static let head = AuditChainHead(chain: "studio:acme", position: 7, hash: "h7", anchor: "a0")

    static let samples: [Sample] = [
        Sample("user") { try wire(user) },
        Sample("user, deactivated") {
            try wire(UserRecord(id: "u2", email: "x@example.com", name: "X", passwordHash: nil, isSiteAdmin: false, createdAt: at,
                                deactivatedAt: later))
        },
        Sample("token") { try wire(TokenRecord(id: "t1", userID: "u1", secretHash: "h", label: "ci", createdAt: at)) },
        Sample("token, revoked and expiring") {
            try wire(TokenRecord(id: "t2", userID: "u1", secretHash: "h", label: awkward, createdAt: at, revokedAt: later, expiresAt: later))
        },
        Sample("studio") { try wire(StudioRecord(id: "acme", name: awkward, createdAt: at)) },
        Sample("studio member") {
            try wire(StudioMember(studioID: "acme", userID: "u1", role: .approver, areas: [.legal, .creative], contact: false), user: user)
        },
        Sample("studio member, no user") { try wire(StudioMember(studioID: "acme", userID: "u9", role: .admin), user: nil) },
        Sample("production member") { try wire(ProductionMember(productionID: "p1", userID: "u1", role: .coordinator), user: user) },
        Sample("production member, no user") { try wire(ProductionMember(productionID: "p1", userID: "u9", role: .viewer), user: nil) },
        Sample("policy version with text") { try wire(policyVersion, includingText: true) },
        Sample("policy version") { try wire(policyVersion, includingText: false) },
        Sample("tool") {
            try wire(ToolEntry(studioID: "acme", id: "studio-gen", record: #"{"id":"studio-gen","enterprise":true,"retains-inputs":"no"}"#,
                               approvedFor: ["ideation", "previz"], approvedUntil: "2027-06-30", evidence: awkward, updatedAt: at))
        },
        Sample("tool, unapproved, unreadable record") {
            try wire(ToolEntry(studioID: "acme", id: "odd", record: "not json", approvedFor: [], approvedUntil: nil, evidence: nil,
                               updatedAt: at))
        },
        Sample("production") { try wire(ProductionRecord(id: "p1", studioID: "acme", title: "P1", createdAt: at)) },
        Sample("production with details") {
            try wire(ProductionRecord(id: "p2", studioID: "acme", title: awkward, createdAt: at, kind: .advertising, territories: ["US", "EU"],
                                      photographyStartsOn: "2026-11-02", deliveryOn: "2027-05-01", archivedAt: later))
        },
        Sample("request") { try wire(request, decision: nil, document: nil) },
        Sample("request, bare") { try wire(bareRequest, decision: nil, document: nil) },
        Sample("request with decision and document") {
            try wire(request, decision: .object([.init("outcome", .string("escalate")), .init("findings", .array([]))]),
                     document: .object([.init("title", .string(awkward)), .init("media", .array([.string("image")]))]))
        },
        Sample("revision") {
            try wire(RevisionRecord(requestID: "r1", number: 2, document: #"{"title":"T","steps":[{"tool":"x"}],"n":3}"#,
                                    requestDigest: "rd", authorID: "u1", createdAt: at))
        },
        Sample("revision, unreadable document") {
            try wire(RevisionRecord(requestID: "r1", number: 1, document: "", requestDigest: "rd", authorID: "u1", createdAt: at))
        },
        Sample("decision") {
            try wire(DecisionRecord(requestID: "r1", revision: 2, policyNumber: 3, policyDigest: "pd", requestDigest: "rd",
                                    outcome: .escalate, decisionJSON: #"{"outcome":"escalate","summary":"S \"q\"","actions":[]}"#, createdAt: at))
        },
        Sample("consent") {
            try wire(ConsentRecord(id: "c1", studioID: "acme", productions: ["p1"], performer: "Jane Roe", kind: .voice,
                                   permittedUse: "ADR", signedOn: "2026-10-01", noticeOn: nil, expiresOn: nil, signedSeparately: false,
                                   documentRef: nil, createdBy: "u1", createdAt: at))
        },
        Sample("consent, every term, revoked") {
            try wire(ConsentRecord(id: "c2", studioID: "acme", productions: ["p1", "p2"], performer: awkward, kind: .employmentReplica,
                                   permittedUse: "replica", signedOn: "2026-10-01", noticeOn: "2026-09-01", expiresOn: "2028-01-01",
                                   signedSeparately: true, documentRef: "DMS-1", revokedAt: later, revokedReason: "asked", createdBy: "u1",
                                   createdAt: at))
        },
        Sample("audit event") {
            try wire(AuditEvent(seq: 12, chain: "studio:acme", position: 7, at: "2026-09-21T10:00:00.500Z", actor: "u1",
                                action: "request.filed", studioID: "acme", productionID: "p1", subject: "r1",
                                details: #"{"b":1,"a":[true,null],"c":"\"x\""}"#, previousHash: "h6", hash: "h7"))
        },
        Sample("audit event, site") {
            try wire(AuditEvent(seq: 1, chain: "site", position: 1, at: "2026-09-21T10:00:00.500Z", actor: "system",
                                action: "user.created", studioID: nil, productionID: nil, subject: "u1", details: "{}", previousHash: "0",
                                hash: "h1"))
        },
        Sample("verdict") { try wire(verdict, stale: false) },
        Sample("verdict, stale and bare") { try wire(bareVerdict, stale: true) },
        Sample("audit verification, intact") { try wire(AuditVerification(events: 7, brokenAt: nil, reason: nil), head: head) },
        Sample("audit verification, broken") { try wire(AuditVerification(events: 7, brokenAt: 3, reason: awkward), head: head) },
        Sample("webhook, as registered") { try wire(webhook, secret: true) },
        Sample("webhook") { try wire(webhook, secret: false) },
        Sample("delivery, pending") {
            try wire(WebhookDelivery(id: "d1", endpointID: "w1", studioID: "acme", event: .requestSubmitted, body: "{}", status: .pending,
                                     attempts: 2, nextAttemptAt: later, lastStatusCode: 503, lastError: awkward, createdAt: at,
                                     deliveredAt: nil))
        },
        Sample("delivery, delivered") {
            try wire(WebhookDelivery(id: "d2", endpointID: "w1", studioID: "acme", event: .requestApproved, body: "{}", status: .delivered,
                                     attempts: 1, nextAttemptAt: later, lastStatusCode: nil, lastError: nil, createdAt: at,
                                     deliveredAt: later))
        },
        Sample("comment") { try wire(CommentRecord(id: "k1", requestID: "r1", revision: 2, authorID: "u1", body: awkward, createdAt: at)) },
        Sample("acknowledgement") { try wire(AcknowledgementRecord(requestID: "r1", revision: 1, userID: "u1", note: awkward, createdAt: at)) },
        Sample("acknowledgement, no note") {
            try wire(AcknowledgementRecord(requestID: "r1", revision: 1, userID: "u1", note: nil, createdAt: at))
        },
        Sample("approved final use") { try wire(ApprovedFinalUse(request: request, approvedAt: later, assets: ["id:FB-01"])) },
        Sample("scan") { try wire(scan(report: nil), withReport: false) },
        Sample("scan with report") { try wire(scan(report: #"{"scanner":"s","files":[]}"#), withReport: true) },
        Sample("scan, report missing") { try wire(scan(report: nil), withReport: true) },
        Sample("re-triage, running") {
            try wire(StudioAdministration.RetriageProgress(job: RetriageJob(studioID: "acme", number: 2, publishedBy: "u1", total: 5, retriaged: 2,
                                                                            flagged: [], state: .running, createdAt: at), remaining: 2))
        },
        Sample("re-triage, done") {
            try wire(StudioAdministration.RetriageProgress(job: RetriageJob(studioID: "acme", number: 2, publishedBy: "u1", total: 5, retriaged: 4,
                                                                            flagged: ["r1", "r2"], state: .done, createdAt: at,
                                                                            finishedAt: later), remaining: 0))
        },
        Sample("studio invitation") { try wire(invitation(production: nil), link: nil) },
        Sample("production invitation, as made") { try wire(invitation(production: "p1"), link: "https://clearance.example/invite/s3cret") },
        Sample("problem") { try wire(Problem(.notFound, "Not found")) },
        Sample("problem with fields") {
            try wire(Problem(.unprocessableContent, "The body is not valid", detail: awkward,
                             errors: [.init(pointer: "/title", detail: "missing", line: 3, column: 7),
                                      .init(pointer: "", detail: "whole", line: nil, column: nil)]))
        },
        Sample("register use") {
            try wire(ProductionRegister.Entry(request: request, department: "vfx", purpose: "talent", destination: "final", finalDeliverable: true,
                                              approval: "approved-with-conditions", verdicts: [verdict, bareVerdict],
                                              consents: [(id: "c1", status: "valid")], requestDigest: "rd", policyDigest: "pd",
                                              triagedAt: at))
        },
        Sample("register use, bare") {
            try wire(ProductionRegister.Entry(request: bareRequest, department: "", purpose: "", destination: "", finalDeliverable: false,
                                              approval: "submitted", verdicts: [], consents: [], requestDigest: "rd", policyDigest: "pd",
                                              triagedAt: nil))
        },
        Sample("register") {
            try wire(ProductionRegister(production: ProductionRecord(id: "p1", studioID: "acme", title: awkward, createdAt: at),
                                        generatedAt: later, entries: []))
        },
    ]

    static let policyVersion = PolicyVersionRecord(studioID: "acme", number: 3, policyID: "default", policyVersion: "2026.1", digest: "pd",
                                                   text: "id: default\nversion: \"2026.1\"\n", publishedBy: "u1", publishedAt: at)
    static let webhook = WebhookEndpoint(id: "w1", studioID: "acme", url: "https://hooks.example/x?a=1&b=\"2\"",
                                         events: [.requestSubmitted, .requestApproved], format: .slack, secret: "whsec", createdAt: at)

    static func scan(report: String?) -> ScanRecord {
        ScanRecord(id: "s1", productionID: "p1", studioID: "acme", uploadedBy: "u1", createdAt: at, scanner: "clearance-scan 1.0",
                   total: 9, flagged: 4, unapproved: 1, byVerdict: ["zeta": 1, "generated": 3, "alpha": 2, "no-markers": 3], report: report)
    }

    static func invitation(production: String?) -> InvitationRecord {
        InvitationRecord(id: "i1", secretHash: "h", studioID: "acme", productionID: production, email: "new@example.com",
                         role: production == nil ? "approver" : "requester", areas: production == nil ? [.legal] : [],
                         invitedBy: "u1", createdAt: at, expiresAt: later)
    }

    @Test("each representation renders as it always has")
    func representations() throws {
        for sample in Self.samples {
            #expect(try sample.render() == Self.expected[sample.name], "\(sample.name)")
        }
        #expect(Set(Self.samples.map(\.name)) == Set(Self.expected.keys))
    }

    @Test("a journey through the API answers in the same outline")
    func journey() async throws {
        let answers = try await Self.journeyAnswers()
        #expect(answers.map(\.0) == Self.expectedOutlines.map(\.0))
        for ((name, answer), (_, expected)) in zip(answers, Self.expectedOutlines) {
            #expect(Self.outline(answer) == expected, "\(name): \(answer.text)")
        }
    }

    /// The status, the content type and the body with every string emptied and every number
    /// zeroed: the members, their order, nulls and booleans, and the lengths of lists stay.
    static func outline(_ answer: Answer) -> String {
        func blank(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string: .string("")
            case .number: .number(0)
            // Lists come in id order, and ids are random: their items' outlines are compared sorted.
            case .array(let items): .array(items.map(blank).sorted { $0.rendered < $1.rendered })
            case .object(let members): .object(members.map { .init($0.key, blank($0.value)) })
            case .null, .bool: value
            }
        }
        let body = JSONValue.parse(answer.text).map { blank($0).rendered } ?? "not JSON"
        let type = answer.headers[.contentType] ?? "-"
        let end = answer.text.hasSuffix("}\n") ? "" : " without its line end"
        return "\(answer.status.code) \(type) \(body)\(end)"
    }

    /// Every answer that carries a hand-built representation, in the order the journey meets them.
    static func journeyAnswers() async throws -> [(String, Answer)] {
        let service = try await Service.make()
        return try await service.run { client in
            var answers: [(String, Answer)] = []
            func record(_ name: String, _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil,
                        yaml: String? = nil) async throws -> Answer {
                let answer = try await client.call(method, path, token: token, json: json, yaml: yaml)
                answers.append((name, answer))
                return answer
            }
            let admin = service.adminToken
            _ = try await record("health", .get, "/healthz", token: nil)
            let world = try await WorkflowRouteTests.world(client, admin: admin)
            let boss = world.studioAdmin
            _ = try await record("me", .get, "/api/v1/me", token: boss)
            _ = try await record("me, member of a production", .get, "/api/v1/me", token: world.dualRole)
            let created = try await record("create user", .post, "/api/v1/users", token: admin,
                                           json: #"{"email": "new@example.com", "name": "New"}"#)
            let newUser = created.json["user"].flatMap { ($0 as? [String: Any])?["id"] as? String } ?? ""
            let newToken = created.json["token"] as? String
            _ = try await record("invite", .post, "/api/v1/studios/acme/members", token: boss,
                                 json: #"{"email": "new@example.com", "role": "approver", "areas": ["ethics"]}"#)
            service.clock.advance(1)
            let invited = try await record("invite to a production", .post, "/api/v1/productions/p1/members", token: boss,
                                           json: #"{"email": "new@example.com", "role": "viewer"}"#)
            _ = try await record("invitations", .get, "/api/v1/invitations", token: newToken)
            _ = try await record("accept", .post, "/api/v1/invitations/accept", token: newToken,
                                 json: invitationAcceptance(invited["link"] as? String ?? ""))
            _ = try await record("users", .get, "/api/v1/users", token: admin)
            _ = try await record("deactivate", .post, "/api/v1/users/\(newUser)/deactivate", token: admin)
            _ = try await record("reactivate", .post, "/api/v1/users/\(newUser)/reactivate", token: admin)
            _ = try await record("password reset", .post, "/api/v1/users/\(newUser)/password-reset", token: admin)
            _ = try await record("create token", .post, "/api/v1/tokens", token: boss, json: #"{"label": "ci"}"#)
            _ = try await record("tokens", .get, "/api/v1/tokens", token: boss)
            _ = try await record("user tokens", .get, "/api/v1/users/\(newUser)/tokens", token: admin)
            _ = try await record("studio members", .get, "/api/v1/studios/acme/members", token: boss)
            _ = try await record("production members", .get, "/api/v1/productions/p1/members", token: boss)
            _ = try await record("studios", .get, "/api/v1/studios", token: boss)
            _ = try await record("studio", .get, "/api/v1/studios/acme", token: boss)
            _ = try await record("rename studio", .patch, "/api/v1/studios/acme", token: admin, json: #"{"name": "Acme Pictures"}"#)
            _ = try await record("create production", .post, "/api/v1/studios/acme/productions", token: boss,
                                 json: #"{"id": "p2", "title": "P2", "kind": "scripted", "territories": ["US"], "delivery-on": "2027-05-01"}"#)
            _ = try await record("archive production", .patch, "/api/v1/productions/p2", token: boss, json: #"{"archived": true}"#)
            _ = try await record("productions", .get, "/api/v1/studios/acme/productions", token: boss)
            _ = try await record("production", .get, "/api/v1/productions/p1", token: boss)
            _ = try await record("tools", .get, "/api/v1/studios/acme/tools", token: boss)
            _ = try await record("tool", .get, "/api/v1/studios/acme/tools/studio-gen", token: boss)
            _ = try await record("replace tool", .put, "/api/v1/studios/acme/tools/studio-gen", token: boss,
                                 json: #"{"record": {"id": "studio-gen", "name": "Studio Gen", "enterprise": true, "trains-on-inputs": "no", "retains-inputs": "no"}}"#)
            let consent = try await record("record consent", .post, "/api/v1/productions/p1/consents", token: world.dualRole,
                                           json: #"{"performer": "Jane Roe", "kind": "alteration", "permitted-use": "de-age the flashback scenes in episode two", "signed-on": "2026-10-01"}"#)
            let consentID = consent.json["id"] as? String ?? ""
            _ = try await record("consents", .get, "/api/v1/productions/p1/consents", token: boss)
            _ = try await record("triage", .post, "/api/v1/triage?production=p1", token: world.requester, yaml: escalatingRequest())
            let filed = try await record("file", .post, "/api/v1/productions/p1/requests", token: world.requester,
                                         yaml: WorkflowRouteTests.deAgeing() + "\n    consent: \(consentID)")
            let id = filed.json["id"] as? String ?? ""
            _ = try await record("request", .get, "/api/v1/requests/\(id)", token: world.requester)
            _ = try await record("verdict", .post, "/api/v1/requests/\(id)/approvals", token: world.legal,
                                 json: #"{"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit"], "note": "n", "expires-on": "2030-01-01", "assets": ["shots/fb/*.exr"]}"#)
            _ = try await record("comment", .post, "/api/v1/requests/\(id)/comments", token: world.requester, json: #"{"body": "thanks"}"#)
            _ = try await record("revise", .put, "/api/v1/requests/\(id)", token: world.requester,
                                 yaml: WorkflowRouteTests.deAgeing("Make the lead look younger, flashback only.") + "\n    consent: \(consentID)")
            for (area, token) in [("legal", world.legal), ("talent", world.talent), ("creative", world.contact)] {
                _ = try await client.expect(.created, .post, "/api/v1/requests/\(id)/approvals", token: token,
                                            json: #"{"area": "\#(area)", "verdict": "approved", "assets": ["shots/fb/*.exr"]}"#)
            }
            _ = try await record("last verdict", .post, "/api/v1/requests/\(id)/approvals", token: world.data,
                                 json: #"{"area": "data", "verdict": "approved"}"#)
            _ = try await record("approved request", .get, "/api/v1/requests/\(id)", token: world.requester)
            _ = try await record("history", .get, "/api/v1/requests/\(id)/history", token: world.requester)
            let social = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                                 yaml: "title: Mood board\ndescription: Ideas only.\nmedia: [image]\nsteps:\n  - tool: studio-gen\n    inputs: [prompt]\n")
            let socialID = social["id"] as? String ?? ""
            _ = try await record("acknowledge", .post, "/api/v1/requests/\(socialID)/acknowledge", token: world.contact, json: #"{"note": "seen"}"#)
            let doomed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester,
                                                 yaml: escalatingRequest(title: "Doomed"))
            _ = try await record("withdraw", .post, "/api/v1/requests/\(doomed["id"] as? String ?? "")/withdraw", token: world.requester,
                                 json: #"{"note": "not needed"}"#)
            _ = try await record("social history", .get, "/api/v1/requests/\(socialID)/history", token: world.requester)
            _ = try await record("requests", .get, "/api/v1/productions/p1/requests?state=approved&limit=1", token: world.requester)
            _ = try await record("studio requests", .get, "/api/v1/studios/acme/requests", token: boss)
            _ = try await record("consent requests", .get, "/api/v1/consents/\(consentID)/requests", token: boss)
            _ = try await record("revoke consent", .post, "/api/v1/consents/\(consentID)/revoke", token: world.dualRole,
                                 json: #"{"reason": "asked"}"#)
            _ = try await record("consent", .get, "/api/v1/consents/\(consentID)", token: boss)
            _ = try await record("final approvals", .get, "/api/v1/productions/p1/final-approvals", token: world.requester)
            let scan = try await record("upload scan", .post, "/api/v1/productions/p1/scans", token: world.requester,
                                        json: scanReport([scannedFile("a.jpg", verdict: "generated"), scannedFile("b.jpg", verdict: "no-markers")]))
            _ = try await record("scans", .get, "/api/v1/productions/p1/scans", token: world.requester)
            _ = try await record("scan", .get, "/api/v1/productions/p1/scans/\(scan.json["id"] as? String ?? "")", token: world.requester)
            _ = try await record("register", .get, "/api/v1/productions/p1/register", token: boss)
            let policy = try await client.call(.get, "/api/v1/studios/acme/policy", token: boss, headers: [.accept: "application/yaml"]).text
            let moved = policy.replacingOccurrences(of: "\nversion: ", with: "\nversion: moved-")
            let published = try await record("publish policy", .put, "/api/v1/studios/acme/policy", token: boss, yaml: moved)
            _ = try await record("publish again", .put, "/api/v1/studios/acme/policy", token: boss, yaml: moved)
            try await service.finishRetriage()
            _ = try await record("policy", .get, "/api/v1/studios/acme/policy", token: boss)
            _ = try await record("policy versions", .get, "/api/v1/studios/acme/policy/versions", token: boss)
            _ = try await record("policy version", .get, "/api/v1/studios/acme/policy/versions/\(published.json["number"] as? Int ?? 0)",
                                 token: boss)
            _ = try await record("first policy version", .get, "/api/v1/studios/acme/policy/versions/1", token: boss)
            let hook = try await record("add webhook", .post, "/api/v1/studios/acme/webhooks", token: boss,
                                        json: #"{"url": "https://hooks.example.com/x", "events": ["request.submitted"]}"#)
            _ = try await record("webhooks", .get, "/api/v1/studios/acme/webhooks", token: boss)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester, yaml: escalatingRequest())
            _ = try await record("deliveries", .get, "/api/v1/studios/acme/webhooks/\(hook.json["id"] as? String ?? "")/deliveries",
                                 token: boss)
            _ = try await record("audit", .get, "/api/v1/audit?limit=2", token: admin)
            _ = try await record("studio audit", .get, "/api/v1/audit?studio=acme&limit=2", token: boss)
            _ = try await record("audit verify", .get, "/api/v1/audit/verify", token: admin)
            _ = try await record("studio audit chain", .get, "/api/v1/studios/acme/audit?limit=2", token: boss)
            _ = try await record("studio audit verify", .get, "/api/v1/studios/acme/audit/verify", token: boss)
            _ = try await record("not found", .get, "/api/v1/requests/nope", token: boss)
            _ = try await record("invalid body", .post, "/api/v1/productions/p1/requests", token: world.requester,
                                 yaml: "title: 3\nmedia: [paper]\n")
            _ = try await record("bad JSON", .post, "/api/v1/productions/p1/requests", token: world.requester, json: "{\"title\": ")
            _ = try await record("unsigned", .get, "/api/v1/me", token: nil)
            return answers
        }
    }
}

extension ResponseShapeTests {
    /// What each sample rendered as before the API's answers were typed values.
    static let expected: [String: String] = [
        "user":
            #"{"id":"u1","email":"jo@example.com","name":"Q \"quoted\" \\ line\nend \u0001 café 🎬","site-admin":true,"created-at":"2026-09-21T14:13:20.500Z","active":true,"deactivated-at":null}"#,
        "user, deactivated":
            #"{"id":"u2","email":"x@example.com","name":"X","site-admin":false,"created-at":"2026-09-21T14:13:20.500Z","active":false,"deactivated-at":"2026-09-22T14:13:20.250Z"}"#,
        "token":
            #"{"id":"t1","label":"ci","created-at":"2026-09-21T14:13:20.500Z","expires-at":null,"revoked-at":null}"#,
        "token, revoked and expiring":
            #"{"id":"t2","label":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z","expires-at":"2026-09-22T14:13:20.250Z","revoked-at":"2026-09-22T14:13:20.250Z"}"#,
        "studio":
            #"{"id":"acme","name":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "studio member":
            #"{"user":"u1","email":"jo@example.com","role":"approver","areas":["legal","creative"],"contact":false}"#,
        "studio member, no user":
            #"{"user":"u9","email":null,"role":"admin","areas":[],"contact":false}"#,
        "production member":
            #"{"user":"u1","email":"jo@example.com","role":"coordinator"}"#,
        "production member, no user":
            #"{"user":"u9","email":null,"role":"viewer"}"#,
        "policy version with text":
            #"{"studio":"acme","number":3,"id":"default","version":"2026.1","digest":"pd","published-by":"u1","published-at":"2026-09-21T14:13:20.500Z","text":"id: default\nversion: \"2026.1\"\n"}"#,
        "policy version":
            #"{"studio":"acme","number":3,"id":"default","version":"2026.1","digest":"pd","published-by":"u1","published-at":"2026-09-21T14:13:20.500Z"}"#,
        "tool":
            #"{"id":"studio-gen","record":{"id":"studio-gen","enterprise":true,"retains-inputs":"no"},"approved-for":["ideation","previz"],"approved-until":"2027-06-30","evidence":"Q \"quoted\" \\ line\nend \u0001 café 🎬","updated-at":"2026-09-21T14:13:20.500Z"}"#,
        "tool, unapproved, unreadable record":
            #"{"id":"odd","record":null,"approved-for":[],"approved-until":null,"evidence":null,"updated-at":"2026-09-21T14:13:20.500Z"}"#,
        "production":
            #"{"id":"p1","studio":"acme","title":"P1","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "production with details":
            #"{"id":"p2","studio":"acme","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z","kind":"advertising","territories":["US","EU"],"photography-starts-on":"2026-11-02","delivery-on":"2027-05-01","archived-at":"2026-09-22T14:13:20.250Z"}"#,
        "request":
            #"{"id":"r1","studio":"acme","production":"p1","requester":"u1","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","state":"escalated","revision":2,"outcome":"approval-required","areas":["legal","talent"],"created-at":"2026-09-21T14:13:20.500Z","updated-at":"2026-09-22T14:13:20.250Z","review":"the policy changed"}"#,
        "request, bare":
            #"{"id":"r2","studio":"acme","production":"p1","requester":"u1","title":"Plain","state":"submitted","revision":1,"outcome":"socialize","areas":[],"created-at":"2026-09-21T14:13:20.500Z","updated-at":"2026-09-21T14:13:20.500Z","review":null}"#,
        "request with decision and document":
            #"{"id":"r1","studio":"acme","production":"p1","requester":"u1","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","state":"escalated","revision":2,"outcome":"approval-required","areas":["legal","talent"],"created-at":"2026-09-21T14:13:20.500Z","updated-at":"2026-09-22T14:13:20.250Z","review":"the policy changed","decision":{"outcome":"escalate","findings":[]},"document":{"title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","media":["image"]}}"#,
        "revision":
            #"{"number":2,"request-digest":"rd","author":"u1","created-at":"2026-09-21T14:13:20.500Z","document":{"title":"T","steps":[{"tool":"x"}],"n":3}}"#,
        "revision, unreadable document":
            #"{"number":1,"request-digest":"rd","author":"u1","created-at":"2026-09-21T14:13:20.500Z","document":null}"#,
        "decision":
            #"{"revision":2,"policy-version":3,"policy-digest":"pd","request-digest":"rd","outcome":"escalate","created-at":"2026-09-21T14:13:20.500Z","decision":{"outcome":"escalate","summary":"S \"q\"","actions":[]}}"#,
        "consent":
            #"{"id":"c1","studio":"acme","productions":["p1"],"performer":"Jane Roe","kind":"voice","permitted-use":"ADR","signed-on":"2026-10-01","notice-on":null,"expires-on":null,"signed-separately":false,"document-ref":null,"revoked-at":null,"revoked-reason":null,"created-by":"u1","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "consent, every term, revoked":
            #"{"id":"c2","studio":"acme","productions":["p1","p2"],"performer":"Q \"quoted\" \\ line\nend \u0001 café 🎬","kind":"employment-replica","permitted-use":"replica","signed-on":"2026-10-01","notice-on":"2026-09-01","expires-on":"2028-01-01","signed-separately":true,"document-ref":"DMS-1","revoked-at":"2026-09-22T14:13:20.250Z","revoked-reason":"asked","created-by":"u1","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "audit event":
            #"{"seq":12,"chain":"studio:acme","position":7,"at":"2026-09-21T10:00:00.500Z","actor":"u1","action":"request.filed","studio":"acme","production":"p1","subject":"r1","details":{"b":1,"a":[true,null],"c":"\"x\""},"previous-hash":"h6","hash":"h7"}"#,
        "audit event, site":
            #"{"seq":1,"chain":"site","position":1,"at":"2026-09-21T10:00:00.500Z","actor":"system","action":"user.created","studio":null,"production":null,"subject":"u1","details":{},"previous-hash":"0","hash":"h1"}"#,
        "verdict":
            #"{"id":"v1","area":"legal","verdict":"approved-with-conditions","conditions":["credit \"VFX Co\"","no trailers"],"note":"Q \"quoted\" \\ line\nend \u0001 café 🎬","approver":"u2","revision":2,"request-digest":"rd","policy-digest":"pd","expires-on":"2027-01-31","assets":["shots/fb/*.exr","id:FB-01"],"stale":false,"created-at":"2026-09-21T14:13:20.500Z","carried-from":"v0"}"#,
        "verdict, stale and bare":
            #"{"id":"v2","area":"talent","verdict":"approved","conditions":[],"note":null,"approver":"u3","revision":1,"request-digest":"rd","policy-digest":"pd","expires-on":null,"assets":[],"stale":true,"created-at":"2026-09-21T14:13:20.500Z"}"#,
        "audit verification, intact":
            #"{"chain":"studio:acme","intact":true,"events":7,"broken-at":null,"reason":null,"head":"h7","anchor":"a0"}"#,
        "audit verification, broken":
            #"{"chain":"studio:acme","intact":false,"events":7,"broken-at":3,"reason":"Q \"quoted\" \\ line\nend \u0001 café 🎬","head":"h7","anchor":"a0"}"#,
        "webhook, as registered":
            #"{"id":"w1","url":"https://hooks.example/x?a=1&b=\"2\"","events":["request.submitted","request.approved"],"format":"slack","created-at":"2026-09-21T14:13:20.500Z","secret":"whsec"}"#,
        "webhook":
            #"{"id":"w1","url":"https://hooks.example/x?a=1&b=\"2\"","events":["request.submitted","request.approved"],"format":"slack","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "delivery, pending":
            #"{"id":"d1","event":"request.submitted","status":"pending","attempts":2,"next-attempt-at":"2026-09-22T14:13:20.250Z","last-status-code":503,"last-error":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z","delivered-at":null}"#,
        "delivery, delivered":
            #"{"id":"d2","event":"request.approved","status":"delivered","attempts":1,"next-attempt-at":null,"last-status-code":null,"last-error":null,"created-at":"2026-09-21T14:13:20.500Z","delivered-at":"2026-09-22T14:13:20.250Z"}"#,
        "comment":
            #"{"id":"k1","author":"u1","revision":2,"body":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "acknowledgement":
            #"{"user":"u1","revision":1,"note":"Q \"quoted\" \\ line\nend \u0001 café 🎬","created-at":"2026-09-21T14:13:20.500Z"}"#,
        "acknowledgement, no note":
            #"{"user":"u1","revision":1,"note":null,"created-at":"2026-09-21T14:13:20.500Z"}"#,
        "approved final use":
            #"{"request":"r1","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","revision":2,"approved-at":"2026-09-22T14:13:20.250Z","assets":["id:FB-01"]}"#,
        "scan":
            #"{"id":"s1","production":"p1","studio":"acme","uploaded-by":"u1","created-at":"2026-09-21T14:13:20.500Z","scanner":"clearance-scan 1.0","total":9,"flagged":4,"unapproved":1,"by-verdict":{"generated":3,"ai-edited":0,"review":0,"heuristic":0,"no-markers":3,"unknown-format":0,"error":0,"alpha":2,"zeta":1}}"#,
        "scan with report":
            #"{"id":"s1","production":"p1","studio":"acme","uploaded-by":"u1","created-at":"2026-09-21T14:13:20.500Z","scanner":"clearance-scan 1.0","total":9,"flagged":4,"unapproved":1,"by-verdict":{"generated":3,"ai-edited":0,"review":0,"heuristic":0,"no-markers":3,"unknown-format":0,"error":0,"alpha":2,"zeta":1},"report":{"scanner":"s","files":[]}}"#,
        "scan, report missing":
            #"{"id":"s1","production":"p1","studio":"acme","uploaded-by":"u1","created-at":"2026-09-21T14:13:20.500Z","scanner":"clearance-scan 1.0","total":9,"flagged":4,"unapproved":1,"by-verdict":{"generated":3,"ai-edited":0,"review":0,"heuristic":0,"no-markers":3,"unknown-format":0,"error":0,"alpha":2,"zeta":1},"report":null}"#,
        "re-triage, running":
            #"{"state":"running","retriaged":2,"remaining":2,"skipped":1,"flagged-for-review":[],"finished-at":null}"#,
        "re-triage, done":
            #"{"state":"done","retriaged":4,"remaining":0,"skipped":1,"flagged-for-review":["r1","r2"],"finished-at":"2026-09-22T14:13:20.250Z"}"#,
        "studio invitation":
            #"{"id":"i1","email":"new@example.com","studio":"acme","role":"approver","areas":["legal"],"invited-by":"u1","created-at":"2026-09-21T14:13:20.500Z","expires-at":"2026-09-22T14:13:20.250Z"}"#,
        "production invitation, as made":
            #"{"id":"i1","email":"new@example.com","studio":"acme","production":"p1","role":"requester","areas":[],"invited-by":"u1","created-at":"2026-09-21T14:13:20.500Z","expires-at":"2026-09-22T14:13:20.250Z","link":"https://clearance.example/invite/s3cret"}"#,
        "problem":
            #"{"type":"about:blank","title":"Not found","status":404}"#,
        "problem with fields":
            #"{"type":"about:blank","title":"The body is not valid","status":422,"detail":"Q \"quoted\" \\ line\nend \u0001 café 🎬","errors":[{"pointer":"/title","detail":"missing","line":3,"column":7},{"pointer":"","detail":"whole"}]}"#,
        "register use":
            #"{"id":"r1","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","department":"vfx","purpose":"talent","destination":"final","final-deliverable":true,"state":"escalated","outcome":"approval-required","areas":["legal","talent"],"approval":"approved-with-conditions","verdicts":[{"id":"v1","area":"legal","verdict":"approved-with-conditions","conditions":["credit \"VFX Co\"","no trailers"],"note":"Q \"quoted\" \\ line\nend \u0001 café 🎬","approver":"u2","revision":2,"request-digest":"rd","policy-digest":"pd","expires-on":"2027-01-31","assets":["shots/fb/*.exr","id:FB-01"],"stale":false,"created-at":"2026-09-21T14:13:20.500Z","carried-from":"v0"},{"id":"v2","area":"talent","verdict":"approved","conditions":[],"note":null,"approver":"u3","revision":1,"request-digest":"rd","policy-digest":"pd","expires-on":null,"assets":[],"stale":false,"created-at":"2026-09-21T14:13:20.500Z"}],"conditions":["credit \"VFX Co\"","no trailers"],"assets":["shots/fb/*.exr","id:FB-01"],"consents":[{"id":"c1","status":"valid"}],"review":"the policy changed","revision":2,"request-digest":"rd","policy-digest":"pd","updated-at":"2026-09-22T14:13:20.250Z","obligations":[]}"#,
        "register use, bare":
            #"{"id":"r2","title":"Plain","department":"","purpose":"","destination":"","final-deliverable":false,"state":"submitted","outcome":"socialize","areas":[],"approval":"submitted","verdicts":[],"conditions":[],"assets":[],"consents":[],"review":null,"revision":1,"request-digest":"rd","policy-digest":"pd","updated-at":"2026-09-21T14:13:20.500Z","obligations":[]}"#,
        "register":
            #"{"production":"p1","studio":"acme","title":"Q \"quoted\" \\ line\nend \u0001 café 🎬","generated-at":"2026-09-22T14:13:20.250Z","uses":[]}"#,
    ]

    /// The outline of each answer of the journey, in order.
    static let expectedOutlines: [(String, String)] = [
        ("health",
         #"200 application/json {"status":""}"#),
        ("me",
         #"200 application/json {"user":{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},"studios":[{"studio":"","role":"","areas":[]}],"productions":[]}"#),
        ("me, member of a production",
         #"200 application/json {"user":{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},"studios":[{"studio":"","role":"","areas":[""]}],"productions":[{"production":"","role":""}]}"#),
        ("create user",
         #"201 application/json {"user":{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},"token":""}"#),
        ("invite",
         #"202 application/json {"id":"","email":"","studio":"","role":"","areas":[""],"invited-by":"","created-at":"","expires-at":"","link":""}"#),
        ("invite to a production",
         #"202 application/json {"id":"","email":"","studio":"","production":"","role":"","areas":[],"invited-by":"","created-at":"","expires-at":"","link":""}"#),
        ("invitations",
         #"200 application/json {"items":[{"id":"","email":"","studio":"","production":"","role":"","areas":[],"invited-by":"","created-at":"","expires-at":""},{"id":"","email":"","studio":"","role":"","areas":[""],"invited-by":"","created-at":"","expires-at":""}]}"#),
        ("accept",
         #"201 application/json {"user":"","email":"","role":""}"#),
        ("users",
         #"200 application/json {"items":[{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null},{"id":"","email":"","name":"","site-admin":true,"created-at":"","active":true,"deactivated-at":null}]}"#),
        ("deactivate",
         #"200 application/json {"id":"","email":"","name":"","site-admin":false,"created-at":"","active":false,"deactivated-at":""}"#),
        ("reactivate",
         #"200 application/json {"id":"","email":"","name":"","site-admin":false,"created-at":"","active":true,"deactivated-at":null}"#),
        ("password reset",
         #"201 application/json {"user":"","link":"","expires-at":""}"#),
        ("create token",
         #"201 application/json {"id":"","label":"","token":"","expires-at":""}"#),
        ("tokens",
         #"200 application/json {"items":[{"id":"","label":"","created-at":"","expires-at":"","revoked-at":null},{"id":"","label":"","created-at":"","expires-at":"","revoked-at":null}]}"#),
        ("user tokens",
         #"200 application/json {"items":[{"id":"","label":"","created-at":"","expires-at":"","revoked-at":""}]}"#),
        ("studio members",
         #"200 application/json {"items":[{"user":"","email":"","role":"","areas":[""],"contact":false},{"user":"","email":"","role":"","areas":[""],"contact":false},{"user":"","email":"","role":"","areas":[""],"contact":true},{"user":"","email":"","role":"","areas":[""],"contact":true},{"user":"","email":"","role":"","areas":[""],"contact":true},{"user":"","email":"","role":"","areas":[""],"contact":true},{"user":"","email":"","role":"","areas":[],"contact":false}]}"#),
        ("production members",
         #"200 application/json {"items":[{"user":"","email":"","role":""},{"user":"","email":"","role":""},{"user":"","email":"","role":""}]}"#),
        ("studios",
         #"200 application/json {"items":[{"id":"","name":"","created-at":""}]}"#),
        ("studio",
         #"200 application/json {"id":"","name":"","created-at":""}"#),
        ("rename studio",
         #"200 application/json {"id":"","name":"","created-at":""}"#),
        ("create production",
         #"201 application/json {"id":"","studio":"","title":"","created-at":"","kind":"","territories":[""],"delivery-on":""}"#),
        ("archive production",
         #"200 application/json {"id":"","studio":"","title":"","created-at":"","kind":"","territories":[""],"delivery-on":"","archived-at":""}"#),
        ("productions",
         #"200 application/json {"items":[{"id":"","studio":"","title":"","created-at":"","kind":"","territories":[""],"delivery-on":"","archived-at":""},{"id":"","studio":"","title":"","created-at":""}]}"#),
        ("production",
         #"200 application/json {"id":"","studio":"","title":"","created-at":""}"#),
        ("tools",
         #"200 application/json {"items":[{"id":"","record":{"enterprise":true,"id":"","name":"","retains-inputs":"","terms-checked":"","trains-on-inputs":""},"approved-for":["",""],"approved-until":"","evidence":"","updated-at":""}]}"#),
        ("tool",
         #"200 application/json {"id":"","record":{"enterprise":true,"id":"","name":"","retains-inputs":"","terms-checked":"","trains-on-inputs":""},"approved-for":["",""],"approved-until":"","evidence":"","updated-at":""}"#),
        ("replace tool",
         #"200 application/json {"id":"","record":{"enterprise":true,"id":"","name":"","retains-inputs":"","trains-on-inputs":""},"approved-for":[],"approved-until":null,"evidence":null,"updated-at":""}"#),
        ("record consent",
         #"201 application/json {"id":"","studio":"","productions":[""],"performer":"","kind":"","permitted-use":"","signed-on":"","notice-on":null,"expires-on":null,"signed-separately":false,"document-ref":null,"revoked-at":null,"revoked-reason":null,"created-by":"","created-at":""}"#),
        ("consents",
         #"200 application/json {"items":[{"id":"","studio":"","productions":[""],"performer":"","kind":"","permitted-use":"","signed-on":"","notice-on":null,"expires-on":null,"signed-separately":false,"document-ref":null,"revoked-at":null,"revoked-reason":null,"created-by":"","created-at":""}]}"#),
        ("triage",
         #"200 application/json {"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""}],"obligations":[],"actions":["",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}"#),
        ("file",
         #"201 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null,"decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}}"#),
        ("request",
         #"200 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null,"decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""},"document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""},"verdicts":[],"allowed":["","","","","","",""],"approval":""}"#),
        ("verdict",
         #"201 application/json {"request":{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null},"verdict":{"id":"","area":"","verdict":"","conditions":[""],"note":"","approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":"","assets":[""],"stale":false,"created-at":""}}"#),
        ("comment",
         #"201 application/json {"id":"","author":"","revision":0,"body":"","created-at":""}"#),
        ("revise",
         #"200 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null,"decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}}"#),
        ("last verdict",
         #"201 application/json {"request":{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null},"verdict":{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[],"stale":false,"created-at":""}}"#),
        ("approved request",
         #"200 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null,"decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""},"document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""},"verdicts":[{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[],"stale":false,"created-at":""}],"allowed":[],"approval":""}"#),
        ("history",
         #"200 application/json {"request":{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null},"revisions":[{"number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""}},{"number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""}}],"decisions":[{"revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}},{"revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}}],"verdicts":[{"id":"","area":"","verdict":"","conditions":[""],"note":"","approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":"","assets":[""],"stale":true,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[],"stale":false,"created-at":""}],"acknowledgements":[],"comments":[{"id":"","author":"","revision":0,"body":"","created-at":""}],"timeline":[{"kind":"","id":"","area":"","verdict":"","conditions":[""],"note":"","approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":"","assets":[""],"stale":true,"created-at":""},{"kind":"","id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"kind":"","id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"kind":"","id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"kind":"","id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[],"stale":false,"created-at":""},{"kind":"","id":"","author":"","revision":0,"body":"","created-at":""},{"kind":"","number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""}},{"kind":"","number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":["",""],"model-origin":"","tool":"","training":""}],"talent":[{"consent":"","deceased":false,"exception":"","performer":"","use":""}],"title":"","union-work":""}},{"kind":"","revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}},{"kind":"","revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","step":0,"reason":"","cite":""},{"rule":"","outcome":"","area":"","talent":0,"reason":"","cite":""},{"rulebook":"","rule":"","outcome":"","area":"","reason":"","cite":""}],"obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":""}],"actions":["","","","","","",""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}}]}"#),
        ("acknowledge",
         #"200 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":[],"created-at":"","updated-at":"","review":null}"#),
        ("withdraw",
         #"200 application/json {"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":[""],"created-at":"","updated-at":"","review":null}"#),
        ("social history",
         #"200 application/json {"request":{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":[],"created-at":"","updated-at":"","review":null},"revisions":[{"number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":[""],"model-origin":"","tool":"","training":""}],"talent":[],"title":"","union-work":""}}],"decisions":[{"revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[],"obligations":[],"actions":[""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}}],"verdicts":[],"acknowledgements":[{"user":"","revision":0,"note":"","created-at":""}],"comments":[],"timeline":[{"kind":"","number":0,"request-digest":"","author":"","created-at":"","document":{"answers":{},"department":"","description":"","format":"","media":[""],"nonfiction":false,"output":{"destination":"","prominence":"","realistic":false},"purpose":"","steps":[{"inputs":[""],"model-origin":"","tool":"","training":""}],"talent":[],"title":"","union-work":""}},{"kind":"","revision":0,"policy-version":0,"policy-digest":"","request-digest":"","outcome":"","created-at":"","decision":{"outcome":"","summary":"","as-of":"","as-of-from":"","territories":[],"territories-from":"","principles":[{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]},{"id":"","answer":"","because":[""]}],"findings":[],"obligations":[],"actions":[""],"rulebooks":[{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":false,"why-not":"","because":""},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0},{"id":"","kind":"","version":"","digest":"","applied":true,"findings":0}],"policy":{"id":"","version":"","digest":""},"rulebooks-digest":"","request-digest":""}},{"kind":"","user":"","revision":0,"note":"","created-at":""}]}"#),
        ("requests",
         #"200 application/json {"items":[{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null}],"next":""}"#),
        ("studio requests",
         #"200 application/json {"items":[{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":["","","",""],"created-at":"","updated-at":"","review":null},{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":[""],"created-at":"","updated-at":"","review":null},{"id":"","studio":"","production":"","requester":"","title":"","state":"","revision":0,"outcome":"","areas":[],"created-at":"","updated-at":"","review":null}]}"#),
        ("consent requests",
         #"200 application/json {"items":[{"request":"","title":"","production":"","state":"","performers":[""],"covered-now":true,"uncovered-by-revocation":true}]}"#),
        ("revoke consent",
         #"200 application/json {"id":"","studio":"","productions":[""],"performer":"","kind":"","permitted-use":"","signed-on":"","notice-on":null,"expires-on":null,"signed-separately":false,"document-ref":null,"revoked-at":"","revoked-reason":"","created-by":"","created-at":""}"#),
        ("consent",
         #"200 application/json {"id":"","studio":"","productions":[""],"performer":"","kind":"","permitted-use":"","signed-on":"","notice-on":null,"expires-on":null,"signed-separately":false,"document-ref":null,"revoked-at":"","revoked-reason":"","created-by":"","created-at":""}"#),
        ("final approvals",
         #"200 application/json {"production":"","approvals":[{"request":"","title":"","revision":0,"approved-at":"","assets":[""]}]}"#),
        ("upload scan",
         #"201 application/json {"id":"","production":"","studio":"","uploaded-by":"","created-at":"","scanner":"","total":0,"flagged":0,"unapproved":0,"by-verdict":{"generated":0,"ai-edited":0,"review":0,"heuristic":0,"no-markers":0,"unknown-format":0,"error":0}}"#),
        ("scans",
         #"200 application/json {"items":[{"id":"","production":"","studio":"","uploaded-by":"","created-at":"","scanner":"","total":0,"flagged":0,"unapproved":0,"by-verdict":{"generated":0,"ai-edited":0,"review":0,"heuristic":0,"no-markers":0,"unknown-format":0,"error":0}}]}"#),
        ("scan",
         #"200 application/json {"id":"","production":"","studio":"","uploaded-by":"","created-at":"","scanner":"","total":0,"flagged":0,"unapproved":0,"by-verdict":{"generated":0,"ai-edited":0,"review":0,"heuristic":0,"no-markers":0,"unknown-format":0,"error":0},"report":{"files":[{"bytes-read":0,"format":"","identifiers":[],"manifests":[],"markers":[],"path":"","size":0,"verdict":""},{"bytes-read":0,"format":"","identifiers":[],"manifests":[],"markers":[{"evidence":"","location":"","offset":0,"scope":"","source":"","verdict":""}],"path":"","size":0,"verdict":""}],"reconciliation":{"approvals-considered":0,"covered":0,"production":"","unapproved":[""]},"roots":[""],"scanner":"","summary":{"by-verdict":{},"bytes-in-files":0,"bytes-read":0,"flagged":0,"total":0,"unreadable":0}}}"#),
        ("register",
         #"200 application/json {"production":"","studio":"","title":"","generated-at":"","uses":[{"id":"","title":"","department":"","purpose":"","destination":"","final-deliverable":false,"state":"","outcome":"","areas":[""],"approval":"","verdicts":[],"conditions":[],"assets":[],"consents":[],"review":null,"revision":0,"request-digest":"","policy-digest":"","updated-at":"","obligations":[]},{"id":"","title":"","department":"","purpose":"","destination":"","final-deliverable":false,"state":"","outcome":"","areas":[],"approval":"","verdicts":[],"conditions":[],"assets":[],"consents":[],"review":null,"revision":0,"request-digest":"","policy-digest":"","updated-at":"","obligations":[]},{"id":"","title":"","department":"","purpose":"","destination":"","final-deliverable":true,"state":"","outcome":"","areas":["","","",""],"approval":"","verdicts":[{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[""],"stale":false,"created-at":""},{"id":"","area":"","verdict":"","conditions":[],"note":null,"approver":"","revision":0,"request-digest":"","policy-digest":"","expires-on":null,"assets":[],"stale":false,"created-at":""}],"conditions":[],"assets":[""],"consents":[{"id":"","status":""}],"review":null,"revision":0,"request-digest":"","policy-digest":"","updated-at":"","obligations":[{"id":"","rulebook":"","rule":"","kind":"","due":"","text":"","cite":"","status":"","flagged":false}]}]}"#),
        ("publish policy",
         #"201 application/json {"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":"","retriage":{"state":"","retriaged":0,"remaining":0,"skipped":0,"flagged-for-review":[],"finished-at":null}}"#),
        ("publish again",
         #"200 application/json {"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":""}"#),
        ("policy",
         #"200 application/json {"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":"","text":""}"#),
        ("policy versions",
         #"200 application/json {"items":[{"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":""},{"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":""}]}"#),
        ("policy version",
         #"200 application/json {"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":"","text":"","retriage":{"state":"","retriaged":0,"remaining":0,"skipped":0,"flagged-for-review":[""],"finished-at":""}}"#),
        ("first policy version",
         #"200 application/json {"studio":"","number":0,"id":"","version":"","digest":"","published-by":"","published-at":"","text":""}"#),
        ("add webhook",
         #"201 application/json {"id":"","url":"","events":[""],"format":"","created-at":"","secret":""}"#),
        ("webhooks",
         #"200 application/json {"items":[{"id":"","url":"","events":[""],"format":"","created-at":""}]}"#),
        ("deliveries",
         #"200 application/json {"items":[{"id":"","event":"","status":"","attempts":0,"next-attempt-at":"","last-status-code":null,"last-error":null,"created-at":"","delivered-at":null}]}"#),
        ("audit",
         #"200 application/json {"items":[{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":null,"production":null,"subject":"","details":{"email":"","site-admin":true},"previous-hash":"","hash":""},{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":null,"production":null,"subject":"","details":{"user":""},"previous-hash":"","hash":""}],"next":""}"#),
        ("studio audit",
         #"200 application/json {"items":[{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":"","production":null,"subject":"","details":{"name":"","policy-digest":""},"previous-hash":"","hash":""},{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":"","production":null,"subject":"","details":{"role":""},"previous-hash":"","hash":""}],"next":""}"#),
        ("audit verify",
         #"200 application/json {"intact":true,"events":0,"broken-at":null,"reason":null,"chains":[{"chain":"","intact":true,"events":0,"broken-at":null,"reason":null,"head":"","anchor":""},{"chain":"","intact":true,"events":0,"broken-at":null,"reason":null,"head":"","anchor":""}]}"#),
        ("studio audit chain",
         #"200 application/json {"items":[{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":"","production":null,"subject":"","details":{"name":"","policy-digest":""},"previous-hash":"","hash":""},{"seq":0,"chain":"","position":0,"at":"","actor":"","action":"","studio":"","production":null,"subject":"","details":{"role":""},"previous-hash":"","hash":""}],"next":""}"#),
        ("studio audit verify",
         #"200 application/json {"chain":"","intact":true,"events":0,"broken-at":null,"reason":null,"head":"","anchor":""}"#),
        ("not found",
         #"404 application/problem+json {"type":"","title":"","status":0,"detail":""}"#),
        ("invalid body",
         #"422 application/problem+json {"type":"","title":"","status":0,"detail":"","errors":[{"pointer":"","detail":"","line":0,"column":0},{"pointer":"","detail":"","line":0,"column":0},{"pointer":"","detail":"","line":0,"column":0}]}"#),
        ("bad JSON",
         #"400 application/problem+json {"type":"","title":"","status":0,"detail":""}"#),
        ("unsigned",
         #"401 application/problem+json {"type":"","title":"","status":0,"detail":""}"#),
    ]
}
