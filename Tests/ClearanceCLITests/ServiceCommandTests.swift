import ClearanceStore
import Foundation
import GRDB
import Testing

/// `clearance admin create` and `clearance audit verify`, run as an operator would.
@Suite("Service commands")
struct ServiceCommandTests {
    static func dataDir() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-data-\(UUID().uuidString)")
        return folder.path
    }

    @Test("admin create prints one token and nothing else, and refuses a second admin with the same email")
    func adminCreate() throws {
        let data = try Self.dataDir()
        let created = try Clearance.run(["admin", "create", "Root@Example.com", "--data-dir", data])
        #expect(created.code == 0)
        let lines = created.out.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("clr_") == true)
        #expect(lines.first?.count == 4 + 64)
        let again = try Clearance.run(["admin", "create", "root@example.com", "--data-dir", data])
        #expect(again.code != 0)
        #expect(again.out.isEmpty)
        #expect(again.err.contains("already exists"))
        let invalid = try Clearance.run(["admin", "create", "not-an-email", "--data-dir", data])
        #expect(invalid.code != 0)
        #expect(invalid.err.contains("not an email address"))
    }

    @Test("admin create --password-stdin stores a bcrypt hash of the password read from standard input, never the password")
    func adminPassword() throws {
        let data = try Self.dataDir()
        let short = try Clearance.run(["admin", "create", "a@example.com", "--password-stdin", "--data-dir", data], stdin: "short\n")
        #expect(short.code != 0 && short.err.contains("at least 12 characters"))
        let empty = try Clearance.run(["admin", "create", "a@example.com", "--password-stdin", "--data-dir", data], stdin: "")
        #expect(empty.code != 0 && empty.err.contains("no password line"))
        let created = try Clearance.run(["admin", "create", "a@example.com", "--password-stdin", "--data-dir", data],
                                        stdin: "a long enough secret\n")
        #expect(created.code == 0 && created.out.hasPrefix("clr_"))
        let hash = try DatabaseQueue(path: data + "/clearance.sqlite").read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM user WHERE email = 'a@example.com'")
        }
        #expect(hash?.hasPrefix("$2") == true && hash?.contains("a long enough secret") == false)
    }

    @Test("audit verify passes an untouched chain and names the first event edited in the database")
    func auditVerify() throws {
        let data = try Self.dataDir()
        #expect(try Clearance.run(["audit", "verify", "--data-dir", data]).code == 2)
        _ = try Clearance.run(["admin", "create", "root@example.com", "--data-dir", data])
        let intact = try Clearance.run(["audit", "verify", "--data-dir", data])
        #expect(intact.code == 0)
        #expect(intact.out.contains("intact: 2 events"))
        let database = try DatabaseQueue(path: data + "/clearance.sqlite")
        try database.write { db in try db.execute(sql: "UPDATE auditEvent SET actor = 'mallory' WHERE seq = 1") }
        let broken = try Clearance.run(["audit", "verify", "--data-dir", data])
        #expect(broken.code == 1)
        #expect(broken.out.contains("BROKEN at event 1"))
    }

    @Test("audit verify --file checks an exported chain with no database: 0 intact, 1 tampered, 2 unreadable")
    func auditVerifyFile() throws {
        var head = AuditChainHead.empty("studio:acme")
        var lines: [String] = []
        for index in 1...4 {
            let event = AuditChain.seal(AuditDraft(at: "2026-11-24T10:00:0\(index).000Z", actor: "u\(index)", action: "test.event",
                                                   studioID: "acme", subject: "s\(index)"), after: head, seq: Int64(index * 2))
            head = AuditChainHead(chain: head.chain, position: event.position, hash: event.hash, anchor: head.anchor)
            lines.append(AuditExport.line(event))
        }
        let folder = try Self.dataDir()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/acme-audit.jsonl"
        try ([AuditExport.heading(head, exportedAt: "2026-11-24T11:00:00.000Z")] + lines).joined(separator: "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let intact = try Clearance.run(["audit", "verify", "--file", file])
        #expect(intact.code == 0 && intact.out.contains("studio:acme: intact, 4 events"))
        // The last event cut off: the recorded head no longer matches.
        try ([AuditExport.heading(head, exportedAt: "2026-11-24T11:00:00.000Z")] + lines.dropLast()).joined(separator: "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let cut = try Clearance.run(["audit", "verify", "--file", file])
        #expect(cut.code == 1 && cut.out.contains("BROKEN at event 4"))
        try "not json\n".write(toFile: file, atomically: true, encoding: .utf8)
        let garbage = try Clearance.run(["audit", "verify", "--file", file])
        #expect(garbage.code == 2 && garbage.err.contains("line 1"))
    }
}
