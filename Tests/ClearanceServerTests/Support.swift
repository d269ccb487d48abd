import ClearanceCore
import ClearanceServer
import ClearanceService
import ClearanceSQLite
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// One answer from the API, with its body parsed when it is JSON.
struct Answer: @unchecked Sendable {
    // @unchecked: `json` holds Foundation property-list values, read-only after parsing.
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: [String: Any]

    subscript(key: String) -> Any? { json[key] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

/// Calls the API in-process, as a given user.
struct Client: Sendable {
    let base: any TestClientProtocol

    func call(_ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil, yaml: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let yaml {
            headers[.contentType] = "application/yaml"
            body = ByteBuffer(string: yaml)
        }
        return try await base.execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
            return Answer(status: response.status, headers: response.headers, text: text, json: object)
        }
    }
}

/// A clock the test moves forward: retries fall due and approvals expire without waiting.
final class TestClock: Sendable {
    private let time = Mutex(Date())
    var now: Date { time.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A running service over a fresh store: the app, its store, its clock, and a site admin's token.
struct Service {
    let store: any Store
    let adminToken: String
    let clock = TestClock()
    /// The addresses webhooks may be registered for; tests with loopback receivers allow them.
    var outbound = OutboundAddressPolicy()
    /// Serve the web files from this folder, as `--web-root` does.
    var webRoot: String?
    /// The set-up link the server would print, shared by every router built for this service.
    let setupLink = SetupLink()

    /// The SQLite store, for tests that read or tamper with rows directly.
    var sqlite: SQLiteStore? { store as? SQLiteStore }

    static let configuration = ServerConfiguration(passwordCost: 4)

    var configuration: ServerConfiguration {
        let clock = clock
        var configuration = ServerConfiguration(passwordCost: 4, outbound: outbound, now: { clock.now })
        configuration.webRoot = webRoot
        configuration.setupLink = setupLink
        return configuration
    }

    static func make(_ kind: StoreKind = .sqliteMemory, outbound: OutboundAddressPolicy = OutboundAddressPolicy()) async throws -> Service {
        let store = try await kind.make()
        let token = try await SiteAdmin.create(email: "root@example.com", name: "Root", store: store)
        return Service(store: store, adminToken: token, outbound: outbound)
    }

    /// Runs the background re-triage that publishing a policy queues, as the server's runner does,
    /// until no job is waiting.
    func finishRetriage() async throws {
        let clock = clock
        var logger = Logger(label: "clearance-test")
        logger.logLevel = .warning
        let runner = RetriageRunner(store: store, now: { clock.now }, logger: logger)
        while try await runner.runOnce() {}
    }

    /// Publishes a policy as a studio admin, lets the background re-triage finish, and answers the
    /// version as it then stands (with its `retriage` progress).
    func publish(_ client: Client, _ text: String, studio: String = "acme", token: String?) async throws -> Answer {
        let published = try await client.expect(.created, .put, "/api/v1/studios/\(studio)/policy", token: token, yaml: text)
        try await finishRetriage()
        return try await client.expect(.ok, .get, "/api/v1/studios/\(studio)/policy/versions/\(published["number"] as? Int ?? 0)",
                                       token: token)
    }

    func run<Value: Sendable>(_ body: @escaping @Sendable (Client) async throws -> Value) async throws -> Value {
        let router = buildRouter(store: store, configuration: configuration)
        var logger = Logger(label: "clearance-test")
        logger.logLevel = .warning
        let app = Application(router: router, logger: logger)
        return try await app.test(.router) { client in try await body(Client(base: client)) }
    }
}

extension Client {
    /// Creates a user and returns their first token.
    func user(_ email: String, admin: String) async throws -> String {
        let answer = try await call(.post, "/api/v1/users", token: admin, json: #"{"email": "\#(email)", "name": "\#(email)"}"#)
        guard answer.status == .created, let token = answer["token"] as? String else {
            throw SetupError("creating \(email): \(answer.status) \(answer.text)")
        }
        return token
    }

    func expect(_ status: HTTPResponse.Status, _ method: HTTPRequest.Method, _ path: String, token: String?,
                json: String? = nil, yaml: String? = nil) async throws -> Answer {
        let answer = try await call(method, path, token: token, json: json, yaml: yaml)
        guard answer.status == status else {
            throw SetupError("\(method) \(path): expected \(status.code), got \(answer.status.code) \(answer.text)")
        }
        return answer
    }
}

extension Client {
    /// Adds someone as a studio admin or coordinator does: the API answers with an invitation
    /// (it never says whether the email has an account), which the invitee accepts with their own token.
    func join(_ path: String, token: String?, json: String, invitee: String?) async throws {
        let invitation = try await expect(.accepted, .post, path, token: token, json: json)
        guard let link = invitation["link"] as? String else { throw SetupError("\(path): no invitation link in \(invitation.text)") }
        _ = try await expect(.created, .post, "/api/v1/invitations/accept", token: invitee, json: invitationAcceptance(link))
    }
}

/// The body that accepts an invitation: the secret at the end of its link.
func invitationAcceptance(_ link: String) -> String {
    let secret = link.split(separator: "/").last.map(String.init) ?? ""
    return "{\"token\": \"" + secret + "\"}"
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A use request that escalates under the default policy (an unregistered tool), as YAML.
func escalatingRequest(title: String = "Costume boards", tool: String = "mystery-gen", talent: String = "") -> String {
    """
    title: \(title)
    description: Mood boards for the costume department from text prompts only.
    media: [image]
    steps:
      - tool: \(tool)
        inputs: [prompt]
        prompt: Victorian winter coats, muted palette
    \(talent)
    """
}

/// A tool record the default policy treats as safe: enterprise, no training, no retention.
let enterpriseTool = """
{"record": {"id": "studio-gen", "name": "Studio Gen", "enterprise": true,
            "trains-on-inputs": "no", "retains-inputs": "no", "terms-checked": "2026-10-01"},
 "approved-for": ["ideation", "previz"], "approved-until": "2027-06-30", "evidence": "MSA 2026-114"}
"""

/// The repository root, for tests that compare embedded copies with their files.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
