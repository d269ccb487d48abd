import ClearanceServer
import Foundation
import HTTPTypes
import Testing
import Yams

/// Where the server and `docs/openapi.yaml` must agree: the cases schemathesis found
/// (`scripts/schemathesis-check` runs it against the real server).
@Suite("API contract")
struct ContractTests {
    @Test("a method a served path does not take is 405 with Allow; a path nobody serves stays 404")
    func methodNotAllowed() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let token = service.adminToken
            for (method, path, allow) in [(HTTPRequest.Method.patch, "/api/v1/me", "GET"),
                                          (.delete, "/api/v1/studios/anything", "GET"),
                                          (.post, "/api/v1/requests/r-0000000000000000", "GET, PUT"),
                                          (.get, "/api/v1/tokens/t-0000000000000000", "DELETE"),
                                          (.put, "/healthz", "GET")] {
                let answer = try await client.call(method, path, token: token)
                #expect(answer.status == .methodNotAllowed, "\(method) \(path)")
                #expect(answer.headers[.allow] == allow, "\(method) \(path)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                #expect(answer["status"] as? Int == 405)
            }
            let nowhere = try await client.call(.get, "/api/v1/nowhere", token: token)
            #expect(nowhere.status == .notFound)
            #expect(nowhere.headers[.allow] == nil)
            // Authentication still comes first under /api/.
            #expect(try await client.call(.patch, "/api/v1/me", token: nil).status == .unauthorized)
        }
    }
}
