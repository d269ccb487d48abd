import ClearanceCore
import ClearanceSQLite
import ClearanceStore
import Foundation
import GRDB
import Testing

/// Tampering with the audit table directly in SQLite, the way an insider with file access would,
/// is caught by verification, which names the first broken event.
@Suite("Audit chain tampering")
struct AuditTamperTests {
    static func chain(events count: Int) async throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("clearance.sqlite").path)
        for index in 1...count {
            try await store.appendAudit(AuditDraft(at: "2026-11-24T10:00:0\(index % 10).000Z", actor: "u\(index)", action: "test.event",
                                                   studioID: "acme", subject: "s\(index)",
                                                   details: .object([.init("index", .number(index))])))
        }
        return store
    }

    static func verify(_ store: SQLiteStore) async throws -> AuditVerification {
        let (events, head) = try await store.auditChain()
        return AuditChain.verify(events, head: head)
    }

    @Test("an untouched chain verifies")
    func intact() async throws {
        let result = try await Self.verify(try await Self.chain(events: 5))
        #expect(result.intact)
        #expect(result.events == 5)
    }

    @Test("an edited actor, detail or time is caught at that event")
    func edited() async throws {
        for column in ["actor", "details", "at", "action"] {
            let store = try await Self.chain(events: 5)
            try await store.databaseWriter.write { db in
                try db.execute(sql: "UPDATE auditEvent SET \(column) = ? WHERE seq = 3", arguments: ["\"forged\""])
            }
            let result = try await Self.verify(store)
            #expect(result.brokenAt == 3, "editing \(column)")
            #expect(result.reason?.contains("altered") == true)
        }
    }

    @Test("an edit that also recomputes the event's own hash is caught at the next event")
    func editedAndRehashed() async throws {
        let store = try await Self.chain(events: 5)
        let (events, _) = try await store.auditChain()
        var forged = events[2]
        forged.actor = "someone-else"
        forged.hash = AuditChain.hash(of: forged)
        try await store.databaseWriter.write { [forged] db in
            try db.execute(sql: "UPDATE auditEvent SET actor = ?, hash = ? WHERE seq = 3", arguments: [forged.actor, forged.hash])
        }
        #expect(try await Self.verify(store).brokenAt == 4)
    }

    @Test("a deleted event in the middle is caught")
    func deletedMiddle() async throws {
        let store = try await Self.chain(events: 5)
        try await store.databaseWriter.write { db in try db.execute(sql: "DELETE FROM auditEvent WHERE seq = 2") }
        let result = try await Self.verify(store)
        #expect(result.brokenAt == 2)
        #expect(result.reason?.contains("missing") == true)
    }

    @Test("a deleted newest event is caught against the recorded head")
    func deletedTail() async throws {
        let store = try await Self.chain(events: 5)
        try await store.databaseWriter.write { db in try db.execute(sql: "DELETE FROM auditEvent WHERE seq = 5") }
        let result = try await Self.verify(store)
        #expect(result.brokenAt == 5)
    }

    @Test("two events swapped in order are caught")
    func reordered() async throws {
        let store = try await Self.chain(events: 5)
        try await store.databaseWriter.write { db in
            try db.execute(sql: "UPDATE auditEvent SET seq = -1 WHERE seq = 2")
            try db.execute(sql: "UPDATE auditEvent SET seq = 2 WHERE seq = 3")
            try db.execute(sql: "UPDATE auditEvent SET seq = 3 WHERE seq = -1")
        }
        #expect(try await Self.verify(store).brokenAt == 2)
    }

    @Test("appending after a verified chain keeps it verifiable")
    func appendAfterReopen() async throws {
        let store = try await Self.chain(events: 3)
        try await store.appendAudit(AuditDraft(at: "2026-11-24T11:00:00.000Z", actor: "u9", action: "later", subject: "s9"))
        let result = try await Self.verify(store)
        #expect(result.intact)
        #expect(result.events == 4)
    }
}
