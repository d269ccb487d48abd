import ClearanceService
import ClearanceCore
import ClearancePostgres
import ClearanceSQLite
import ClearanceStore
import ClearanceTestSupport
import Foundation
import Testing

/// `clearance migrate`, run as an operator would, from a SQLite file into a throwaway PostgreSQL
/// database. Needs `CLEARANCE_TEST_DATABASE_URL` (scripts/with-postgres).
@Suite("Migrate command", .enabled(if: PostgresTestServer.url != nil, "needs CLEARANCE_TEST_DATABASE_URL (scripts/with-postgres)"))
struct MigrateCommandTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func draft(_ action: String, _ subject: String, studio: String? = nil) -> AuditDraft {
        AuditDraft(at: Timestamps.string(t0), actor: "test", action: action, studioID: studio, productionID: nil, subject: subject,
                   details: .object([.init("n", .number(1))]))
    }

    /// A SQLite installation with a user, a studio, a production, a request and a consent.
    static func installation() async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("clearance.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.createUser(UserRecord(id: "u1", email: "ana@example.com", name: "Ana", passwordHash: nil, isSiteAdmin: true,
                                              createdAt: t0), audit: draft("user.created", "u1"))
        try await store.addToken(TokenRecord(id: "t1", userID: "u1", secretHash: String(repeating: "a", count: 64), label: "cli",
                                             createdAt: t0), audit: draft("token.created", "t1"))
        try await store.createStudio(StudioRecord(id: "acme", name: "Acme", createdAt: t0), policy: PolicyVersionRecord(
            studioID: "acme", number: 1, policyID: "p", policyVersion: "1", digest: "sha256:one", text: "policy 1",
            publishedBy: "u1", publishedAt: t0), audit: draft("studio.created", "acme", studio: "acme"))
        try await store.createProduction(ProductionRecord(id: "p1", studioID: "acme", title: "P1", createdAt: t0),
                                         audit: draft("production.created", "p1", studio: "acme"))
        try await store.createRequest(
            UseRequestRecord(id: "r1", studioID: "acme", productionID: "p1", requesterID: "u1", title: "Boards", state: .escalated,
                             revision: 1, outcome: .escalate, areas: [.data, .legal], createdAt: t0, updatedAt: t0),
            revision: RevisionRecord(requestID: "r1", number: 1, document: "{}", requestDigest: "sha256:r1", authorID: "u1", createdAt: t0),
            decision: DecisionRecord(requestID: "r1", revision: 1, policyNumber: 1, policyDigest: "sha256:one", requestDigest: "sha256:r1",
                                     outcome: .escalate, decisionJSON: "{}", createdAt: t0),
            audit: draft("request.submitted", "r1", studio: "acme"))
        _ = try await store.addVerdict(
            VerdictRecord(id: "v1", requestID: "r1", revision: 1, area: .data, approverID: "u1", verdict: .approved, conditions: [],
                          note: nil, requestDigest: "sha256:r1", policyDigest: "sha256:one", expiresOn: nil, createdAt: t0,
                          assets: ["shots/ep101/*.exr"]),
            audit: draft("request.verdict", "r1", studio: "acme"))
        try await store.addScan(
            ScanRecord(id: "scan-1", productionID: "p1", studioID: "acme", uploadedBy: "u1", createdAt: t0, scanner: "clearance-scan",
                       total: 3, flagged: 1, unapproved: 1, byVerdict: ["generated": 1, "no-markers": 2], report: #"{"files":[]}"#),
            audit: draft("scan.uploaded", "scan-1", studio: "acme"))
        _ = try await store.recordObligationMet(
            ObligationMet(requestID: "r1", obligationID: "eu-ai-act-art50/disclose", studioID: "acme", productionID: "p1",
                          note: "credit in the titles", link: nil, documentRef: "DMS-9", metBy: "u1", metAt: t0),
            audit: draft("obligation.met", "r1", studio: "acme"))
        var version2 = PolicyVersionRecord(studioID: "acme", number: 2, policyID: "p", policyVersion: "1", digest: "sha256:one",
                                           text: "policy 1", publishedBy: "u1", publishedAt: t0)
        version2.change = "EU AI Act switched off for P1"
        try await store.changeRulebooks(
            setting: OverlaySetting(studioID: "acme", productionID: "p1", overlayID: "eu-ai-act-art50", enabled: false, changedBy: "u1",
                                    changedAt: t0),
            overlay: OverlayVersionRecord(studioID: "acme", overlayID: "acme-rules", number: 1, version: "1", digest: "sha256:o",
                                          text: "overlay", publishedBy: "u1", publishedAt: t0),
            version: version2, retriage: nil, audit: draft("overlay.disabled", "acme/overlays/eu-ai-act-art50", studio: "acme"))
        return path
    }

    @Test("copies every row and the audit chain into an empty database, and refuses a database that holds data")
    func migrate() async throws {
        let path = try await Self.installation()
        let target = try await PostgresTestServer.freshDatabase()
        let copied = try Clearance.run(["migrate", "--from", "sqlite:" + path, "--to", target])
        #expect(copied.code == 0, Comment(rawValue: copied.err))
        #expect(copied.out.contains("requests: 1") && copied.out.contains("scans: 1") && copied.out.contains("audit events: 9"))
        #expect(copied.out.contains("obligations met: 1") && copied.out.contains("overlay settings: 1")
                && copied.out.contains("custom overlay versions: 1"))
        #expect(copied.out.contains("audit chains intact on the target: 2 chains, 9 events"))

        let source = try await SQLiteStore(path: path).snapshot()
        let store = try await PostgresStore.connect(url: target, maximumConnections: 2)
        defer { store.shutdown() }
        #expect(try await store.auditEventsInOrder() == source.auditEvents.sorted { $0.seq < $1.seq })
        #expect(try await store.auditHeads() == source.auditHeads)
        #expect(try await store.request(id: "r1") == source.requests.first)
        #expect(try await store.user(email: "ana@example.com") == source.users.first)
        #expect(try await store.decisions(requestID: "r1") == source.decisions)
        #expect(try await store.verdicts(requestID: "r1") == source.verdicts && source.verdicts.first?.assets == ["shots/ep101/*.exr"])
        #expect(try await store.scan(id: "scan-1") == source.scans.first)
        #expect(try await store.obligationsMet(requestID: "r1") == source.obligationsMet)
        #expect(try await store.overlaySettings(studioID: "acme") == source.overlaySettings)
        #expect(try await store.overlayVersions(studioID: "acme") == source.overlayVersions)
        #expect(try await store.policyVersion(studioID: "acme", number: 2)?.change == "EU AI Act switched off for P1")
        // The copy is a working installation: the next event continues the same chain.
        try await store.appendAudit(Self.draft("check", "after-copy"))
        #expect(try await store.verifyAuditChains().allSatisfy { $0.result.intact })

        let again = try Clearance.run(["migrate", "--from", "sqlite:" + path, "--to", target])
        #expect(again.code == 1 && again.err.contains("already holds data"))
        let unreachable = try Clearance.run(["migrate", "--from", "sqlite:" + path, "--to", "postgres://nobody@127.0.0.1:1/none?sslmode=disable"])
        #expect(unreachable.code == 2)
    }
}
