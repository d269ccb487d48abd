import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Each studio's audit chain is its admins' to read, verify and export; no one else's.
@Suite("Studio audit chains")
struct AuditRouteTests {
    @Test("a studio admin reads, verifies and exports their studio's chain; others cannot; a tampered export fails", arguments: StoreKind.all)
    func studioChain(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let rival = try await client.user("rival@example.com", admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/studios", token: service.adminToken,
                                        json: #"{"id": "rival", "name": "Rival", "admin": "rival@example.com"}"#)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester, yaml: escalatingRequest())

            let verified = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit/verify", token: world.studioAdmin)
            #expect(verified["chain"] as? String == "studio:acme" && verified["intact"] as? Bool == true)
            let count = verified["events"] as? Int ?? 0
            #expect(count >= 8)
            let first = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit?limit=3", token: world.studioAdmin)
            #expect(first.items.compactMap { $0["position"] as? Int } == [1, 2, 3])
            #expect(first.items.allSatisfy { $0["chain"] as? String == "studio:acme" })
            let rest = try await client.expect(.ok, .get, "/api/v1/studios/acme/audit?after=\(first["next"] as? String ?? "")&limit=1000",
                                               token: world.studioAdmin)
            #expect(rest.items.count == count - 3)

            // Another studio's admin is told it does not exist; a production member is refused.
            for path in ["/api/v1/studios/acme/audit", "/api/v1/studios/acme/audit/verify", "/api/v1/studios/acme/audit/export"] {
                #expect(try await client.call(.get, path, token: rival).status == .notFound, "\(path)")
                #expect(try await client.call(.get, path, token: world.requester).status == .forbidden, "\(path)")
            }
            let own = try await client.expect(.ok, .get, "/api/v1/studios/rival/audit/verify", token: rival)
            #expect(own["events"] as? Int == 2, "the rival's chain holds its own events only")

            let export = try await client.call(.get, "/api/v1/studios/acme/audit/export", token: world.studioAdmin)
            #expect(export.status == .ok && export.headers[.contentType] == "application/jsonl")
            let (head, events) = try AuditExport.read(export.text)
            #expect(events.count == count && head.position == Int64(count))
            #expect(AuditChain.verify(events, head: head).intact)
            #expect(!export.text.contains("rival@example.com"))
            // Changing any line of the file is caught at that event.
            var lines = export.text.split(separator: "\n").map(String.init)
            lines[3] = lines[3].replacingOccurrences(of: #""actor":""#, with: #""actor":"x"#)
            let (tamperedHead, tampered) = try AuditExport.read(lines.joined(separator: "\n"))
            #expect(AuditChain.verify(tampered, head: tamperedHead).brokenAt == 3)
        }
    }
}
