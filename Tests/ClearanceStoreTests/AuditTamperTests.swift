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
        let (events, head) = try await store.auditChain("studio:acme")
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
        let (events, _) = try await store.auditChain("studio:acme")
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
            try db.execute(sql: "UPDATE auditEvent SET position = -1 WHERE position = 2")
            try db.execute(sql: "UPDATE auditEvent SET position = 2 WHERE position = 3")
            try db.execute(sql: "UPDATE auditEvent SET position = 3 WHERE position = -1")
        }
        #expect(try await Self.verify(store).brokenAt == 2)
    }

    @Test("appending after a verified chain keeps it verifiable")
    func appendAfterReopen() async throws {
        let store = try await Self.chain(events: 3)
        try await store.appendAudit(AuditDraft(at: "2026-11-24T11:00:00.000Z", actor: "u9", action: "later", studioID: "acme", subject: "s9"))
        let result = try await Self.verify(store)
        #expect(result.intact)
        #expect(result.events == 4)
    }

    @Test("a database from before chains per studio keeps its single chain verifiable; each new chain starts from its head")
    func upgradeFromOneChain() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("clearance.sqlite").path
        var legacyHead = AuditChainHead.empty(AuditChain.legacy)
        do {
            // Back to the schema before v11-audit-chains, with three events written as it wrote them.
            let fresh = try SQLiteStore(path: path)
            try await fresh.databaseWriter.write { db in
                try db.execute(sql: "DROP TABLE auditChainHead")
                try db.execute(sql: "DROP INDEX auditEvent_chain_position")
                try db.execute(sql: "ALTER TABLE auditEvent DROP COLUMN chain")
                try db.execute(sql: "ALTER TABLE auditEvent DROP COLUMN position")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v11-audit-chains'")
            }
            for index in 1...3 {
                let event = AuditChain.seal(AuditDraft(at: "2026-01-0\(index)T10:00:00.000Z", actor: "u1", action: "old.event",
                                                       studioID: index == 2 ? "acme" : nil, subject: "s\(index)"),
                                            after: legacyHead, seq: Int64(index))
                legacyHead = AuditChainHead(chain: AuditChain.legacy, position: event.position, hash: event.hash, anchor: AuditChain.zeroHash)
                try await fresh.databaseWriter.write { [event] db in
                    try db.execute(sql: """
                        INSERT INTO auditEvent (seq, at, actor, action, studioID, productionID, subject, details, previousHash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [event.seq, event.at, event.actor, event.action, event.studioID, event.productionID, event.subject,
                                         event.details, event.previousHash, event.hash])
                    try db.execute(sql: "INSERT OR REPLACE INTO auditHead (id, seq, hash) VALUES (1, ?, ?)", arguments: [event.seq, event.hash])
                }
            }
        }
        let upgraded = try SQLiteStore(path: path)
        let (legacy, head) = try await upgraded.auditChain(AuditChain.legacy)
        #expect(legacy.map(\.position) == [1, 2, 3] && head == legacyHead)
        #expect(AuditChain.verify(legacy, head: head).intact)
        try await upgraded.appendAudit(AuditDraft(at: "2026-11-24T10:00:00.000Z", actor: "u1", action: "new.event", studioID: "acme",
                                                  subject: "n1"))
        try await upgraded.appendAudit(AuditDraft(at: "2026-11-24T10:00:01.000Z", actor: "u1", action: "new.event", subject: "n2"))
        for (chain, seq) in [("studio:acme", Int64(4)), (AuditChain.site, 5)] {
            let (events, chainHead) = try await upgraded.auditChain(chain)
            #expect(events.first?.previousHash == legacyHead.hash && chainHead?.anchor == legacyHead.hash,
                    "\(chain)'s first event names the old chain's head")
            #expect(events.first?.seq == seq, "numbering across chains continues")
        }
        #expect(try await upgraded.verifyAuditChains().map { $0.result.intact } == [true, true, true])
        // Tampering with an old event breaks the old chain alone.
        try await upgraded.databaseWriter.write { db in try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE seq = 2") }
        let results = try await upgraded.verifyAuditChains()
        #expect(results.map { $0.head.chain } == ["legacy", "site", "studio:acme"])
        #expect(results.map { $0.result.brokenAt } == [2, nil, nil])
    }

    @Test("tampering with one studio's chain breaks that chain and no other")
    func chainsApart() async throws {
        let store = try await Self.chain(events: 3)
        for index in 1...3 {
            try await store.appendAudit(AuditDraft(at: "2026-11-24T12:00:0\(index).000Z", actor: "u", action: "test.event", studioID: "rival",
                                                   subject: "r\(index)"))
        }
        try await store.appendAudit(AuditDraft(at: "2026-11-24T12:00:09.000Z", actor: "u", action: "user.created", subject: "u"))
        try await store.databaseWriter.write { db in
            try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE chain = 'studio:rival' AND position = 2")
        }
        let results = try await store.verifyAuditChains()
        #expect(results.map { $0.head.chain } == ["site", "studio:acme", "studio:rival"])
        #expect(results.map { $0.result.brokenAt } == [nil, nil, 2])
    }

    @Test("a chain whose head row was deleted is reported broken, not skipped")
    func deletedHead() async throws {
        let store = try await Self.chain(events: 3)
        try await store.databaseWriter.write { db in try db.execute(sql: "DELETE FROM auditChainHead WHERE chain = 'studio:acme'") }
        let results = try await store.verifyAuditChains()
        #expect(results.map { $0.head.chain } == ["studio:acme"])
        #expect(results.first?.result.intact == false)
    }

    @Test("a head rolled back to an earlier event is caught: the events after it are still checked")
    func rolledBackHead() async throws {
        let store = try await Self.chain(events: 4)
        let (events, _) = try await store.auditChain("studio:acme")
        try await store.databaseWriter.write { [second = events[1]] db in
            try db.execute(sql: "UPDATE auditChainHead SET position = 2, hash = ? WHERE chain = 'studio:acme'", arguments: [second.hash])
        }
        let result = try #require(try await store.verifyAuditChains().first?.result)
        #expect(!result.intact && result.reason?.contains("recorded head is event 2") == true)
    }
}
