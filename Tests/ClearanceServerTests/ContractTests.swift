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
                                          (.delete, "/api/v1/studios/anything", "GET, PATCH"),
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

    @Test("every operation that reads a body documents 400, 413 and 415, the answers Body.read gives")
    func bodyErrorsDocumented() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var missing: [String] = []
        for (path, item) in paths {
            for (method, value) in item {
                guard let operation = value as? [String: Any], operation["requestBody"] != nil,
                      let responses = operation["responses"] as? [String: Any] else { continue }
                for status in ["400", "413", "415"] where responses[status] == nil {
                    missing.append("\(method.uppercased()) \(path) \(status)")
                }
            }
        }
        #expect(missing.sorted() == [], "undocumented body errors")
    }

    @Test("what the server answers a bad body or a stray cursor is a status the document lists for the operation")
    func answeredStatusesDocumented() async throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let service = try await Service.make()
        let answered: [(operation: String, status: Int)] = try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let request = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            let probes: [(HTTPRequest.Method, String, String, String?, String)] = [
                (.post, "/api/v1/requests/{id}/acknowledge", "/api/v1/requests/\(request)/acknowledge", "\u{0}", world.contact),
                (.post, "/api/v1/requests/{id}/withdraw", "/api/v1/requests/\(request)/withdraw", "{", world.requester),
                (.get, "/api/v1/productions/{production}/requests", "/api/v1/productions/p1/requests?after=", nil, world.requester),
                (.get, "/api/v1/productions/{production}/scans", "/api/v1/productions/p1/scans?after=scan-0", nil, world.requester),
                (.get, "/api/v1/studios/{studio}/requests", "/api/v1/studios/acme/requests?after=r-0", nil, world.contact),
            ]
            var answered: [(operation: String, status: Int)] = []
            for (method, template, path, body, token) in probes {
                let answer = try await client.call(method, path, token: token, json: body)
                answered.append(("\(method.rawValue.lowercased()) \(template)", answer.status.code))
            }
            return answered
        }
        let undocumented = answered.filter { operation, status in
            let parts = operation.split(separator: " ").map(String.init)
            let responses = (paths[parts[1]]?[parts[0]] as? [String: Any])?["responses"] as? [String: Any]
            return responses?[String(status)] == nil
        }
        #expect(undocumented.map { "\($0.operation) answered \($0.status)" } == [])
    }

    @Test("a blank note, evidence or document reference is accepted and kept as none")
    func blankTextAccepted() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await WorkflowRouteTests.world(client, admin: service.adminToken)
            let socialized = try await WorkflowRouteTests.file(client, world.requester, escalatingRequest(tool: "studio-gen"))
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(socialized)/acknowledge", token: world.contact,
                                        json: #"{"note": ""}"#)
            let history = try await client.expect(.ok, .get, "/api/v1/requests/\(socialized)/history", token: world.requester)
            #expect((history["acknowledgements"] as? [[String: Any]])?.first?["note"] is NSNull)

            let escalated = try await WorkflowRouteTests.file(client, world.requester, WorkflowRouteTests.deAgeing())
            let verdict = try await client.expect(.created, .post, "/api/v1/requests/\(escalated)/approvals", token: world.legal,
                                                  json: #"{"area": "legal", "verdict": "approved", "note": "  "}"#)
            #expect((verdict["verdict"] as? [String: Any])?["note"] is NSNull)
            _ = try await client.expect(.ok, .post, "/api/v1/requests/\(escalated)/withdraw", token: world.requester,
                                        yaml: "note: ''")

            let tool = try await client.expect(.created, .post, "/api/v1/studios/acme/tools", token: world.studioAdmin, json: """
                {"record": {"id": "blank-gen", "enterprise": true, "trains-on-inputs": "no", "retains-inputs": "no"}, "evidence": ""}
                """)
            #expect(tool["evidence"] is NSNull)
            let consent = try await client.expect(.created, .post, "/api/v1/productions/p1/consents", token: world.dualRole, json: """
                {"performer": "Jane Roe", "kind": "voice", "permitted-use": "voice match for two ADR lines",
                 "signed-on": "2026-01-10", "document-ref": ""}
                """)
            #expect(consent["document-ref"] is NSNull)
        }
    }

    @Test("null for a field that takes text, a choice or a mapping is a 422 naming the field", arguments: [
        ("POST", "/api/v1/tokens", #"{"label": null}"#, "/label"),
        ("POST", "/api/v1/studios/acme/webhooks", #"{"url": "https://hooks.example.com/hook", "events": ["policy.published"], "format": null}"#, "/format"),
        ("POST", "/api/v1/studios/acme/tools", #"{"record": {"id": "null-gen", "enterprise": true, "trains-on-inputs": "no", "retains-inputs": "no"}, "evidence": null}"#, "/evidence"),
        ("POST", "/api/v1/productions/p1/requests", #"{"title": "T", "description": "D", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}], "format": null}"#, "/format"),
        ("POST", "/api/v1/productions/p1/requests", #"{"title": "T", "description": "D", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}], "answers": null}"#, "/answers"),
        ("POST", "/api/v1/productions/p1/requests", #"{"title": "T", "description": "D", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}], "production": null}"#, "/production"),
        ("POST", "/api/v1/productions/p1/scans", #"{"scanner": "s", "roots": [], "files": [], "summary": {"total": 0, "flagged": 0, "by-verdict": {}, "bytes-read": 0, "bytes-in-files": 0}, "reconciliation": null}"#, "/reconciliation"),
    ])
    func nullRefused(method: String, path: String, body: String, pointer: String) async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let token = path.hasPrefix("/api/v1/studios") ? world.studioAdmin : world.requester
            let answer = try await client.call(HTTPRequest.Method(method) ?? .post, path, token: token, json: body)
            #expect(answer.status == .unprocessableContent, "\(answer.text)")
            let pointers = (answer["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String }
            #expect(pointers == [pointer])
        }
    }

    @Test("a YAML boolean or number where the schema wants a string is refused, not turned into text")
    func yamlScalarsAreNotText() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let answer = try await client.call(.post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                               yaml: "id: false\ntitle: 1984\n")
            #expect(answer.status == .unprocessableContent)
            let errors = answer["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["pointer"] as? String } == ["/id", "/title"])
            #expect((errors.first?["detail"] as? String)?.contains("must be a string") == true)
            _ = try await client.expect(.notFound, .get, "/api/v1/productions/false", token: world.studioAdmin)
            // Quoted, the same words are text.
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                        yaml: "id: 'false'\ntitle: '1984'\n")
            // An id nested in a tool record, or named in a request, is held to the same rule.
            let tool = try await client.call(.post, "/api/v1/studios/acme/tools", token: world.studioAdmin, yaml: """
                record: {id: false, enterprise: true, trains-on-inputs: 'no', retains-inputs: 'no'}
                """)
            #expect(tool.status == .unprocessableContent)
            #expect((tool["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } == ["/record/id"])
            let filed = try await client.call(.post, "/api/v1/productions/p1/requests", token: world.requester, yaml: """
                title: Boards
                description: Boards
                media: [image]
                steps: [{tool: 12, inputs: [prompt]}]
                """)
            #expect(filed.status == .unprocessableContent)
            #expect((filed["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } == ["/steps/0/tool"])
            let consent = try await client.call(.post, "/api/v1/productions/p1/requests", token: world.requester, yaml: """
                title: Voice match
                description: Two ADR lines
                media: [audio]
                steps: [{tool: studio-gen, inputs: [prompt]}]
                talent: [{performer: Jane Roe, use: voice, consent: false}]
                """)
            #expect((consent["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } == ["/talent/0/consent"])
        }
    }

    @Test("a member of a studio's production asking for the studio's audit is refused, not told it does not exist")
    func auditOfAVisibleStudio() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let answer = try await client.call(.get, "/api/v1/audit?studio=acme", token: world.requester)
            #expect(answer.status == .forbidden)
            #expect((answer["detail"] as? String)?.contains("admins") == true)
            _ = try await client.expect(.notFound, .get, "/api/v1/audit?studio=elsewhere", token: world.requester)
        }
    }
}
