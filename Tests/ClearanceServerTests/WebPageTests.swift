import ClearanceServer
import ClearanceStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A browser in-process: keeps cookies, signs in through the form, and posts forms with the
/// page's CSRF token, as the web pages expect.
struct WebUser {
    let client: Client
    var cookies: [String: String] = [:]

    init(_ client: Client) { self.client = client }

    mutating func request(_ method: HTTPRequest.Method, _ path: String, form: [(String, String)]? = nil,
                          headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        }
        let answer = try await client.base.execute(uri: path, method: method, headers: headers, body: body) { response in
            Answer(status: response.status, headers: response.headers, text: String(buffer: response.body), json: [:])
        }
        for header in answer.headers[values: .setCookie] {
            guard let pair = header.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            if header.contains("Max-Age=0") { cookies[String(parts[0])] = nil } else { cookies[String(parts[0])] = String(parts[1]) }
        }
        return answer
    }

    /// The value of the first hidden `csrf` field on a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    mutating func signIn(_ email: String, password: String = "correct horse battery") async throws -> Answer {
        let page = try await request(.get, "/signin")
        return try await request(.post, "/signin", form: [
            ("csrf", Self.csrf(in: page.text) ?? ""), ("email", email), ("password", password), ("next", "/"),
        ])
    }

    /// Signs in, opens a production's intake form, and returns the browser and the form's CSRF token.
    static func atIntake(_ client: Client, _ email: String, production: String = "p1") async throws -> (WebUser, String) {
        var browser = WebUser(client)
        _ = try await browser.signIn(email)
        let page = try await browser.request(.get, "/productions/\(production)/requests/new")
        guard let csrf = csrf(in: page.text) else { throw SetupError("no CSRF token on the intake form: \(page.status)") }
        return (browser, csrf)
    }

    /// Files the standard intake form (see `intakeForm`) and returns the answer.
    mutating func file(_ production: String = "p1", csrf: String, title: String = "Desert moodboards",
                       destination: String = "internal") async throws -> Answer {
        try await request(.post, "/productions/\(production)/requests/new", form: intakeForm(csrf: csrf, title: title, destination: destination))
    }
}

/// Sets up studio `acme` with production `p1` (crew: requester), `p2` (other: requester), a
/// registered enterprise tool and an approver for every area; all have passwords.
func webStudio(_ client: Client, admin: String) async throws {
    for email in ["crew@example.com", "other@example.com", "legal@example.com"] {
        _ = try await client.expect(.created, .post, "/api/v1/users", token: admin,
                                    json: #"{"email": "\#(email)", "name": "\#(email)", "password": "correct horse battery"}"#)
    }
    _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                json: #"{"id": "acme", "name": "Acme", "admin": "root@example.com"}"#)
    _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: admin, json: """
        {"email": "legal@example.com", "role": "approver", "areas": ["creative", "legal", "talent", "data", "ethics", "labor"]}
        """)
    for (production, email) in [("p1", "crew@example.com"), ("p2", "other@example.com")] {
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: admin,
                                    json: #"{"id": "\#(production)", "title": "Show \#(production)"}"#)
        _ = try await client.expect(.created, .post, "/api/v1/productions/\(production)/members", token: admin,
                                    json: #"{"email": "\#(email)", "role": "requester"}"#)
    }
    _ = try await client.expect(.created, .post, "/api/v1/studios/acme/tools", token: admin, json: enterpriseTool)
}

/// The fields of a complete intake form for an internal use of the registered enterprise tool.
func intakeForm(csrf: String, title: String = "Desert moodboards", destination: String = "internal") -> [(String, String)] {
    [
        ("csrf", csrf), ("/title", title), ("/description", "Mood images for the art department."),
        ("/media[]", "image"), ("/steps/0/tool", "studio-gen"), ("/steps/0/inputs[]", "prompt"),
        ("/steps/0/prompt", "brutalist desert city at dusk"), ("/output/destination", destination),
        ("/talent/0/performer", ""), ("/output/realistic:bool", ""), ("action", "file"),
    ]
}

@Suite("Web pages")
struct WebPageTests {
    @Test("sign-in sets an HttpOnly, SameSite=Lax session cookie, Secure behind TLS, and audits the session")
    func signInCookie() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            let answer = try await browser.signIn("crew@example.com")
            #expect(answer.status == .seeOther)
            let cookie = answer.headers[values: .setCookie].first { $0.hasPrefix("clearance_session=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP on loopback: no Secure flag")
            let home = try await browser.request(.get, "/")
            #expect(home.status == .ok && home.text.contains("Show p1"))

            var proxied = WebUser(client)
            let page = try await proxied.request(.get, "/signin", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            let signed = try await proxied.request(.post, "/signin", form: [
                ("csrf", WebUser.csrf(in: page.text) ?? ""), ("email", "crew@example.com"), ("password", "correct horse battery"),
            ], headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(signed.headers[values: .setCookie].contains { $0.hasPrefix("clearance_session=") && $0.contains("; Secure") })
        }
        let actions = try await service.store.auditEvents(AuditQuery(limit: 500)).map(\.action)
        #expect(actions.filter { $0 == "session.started" }.count == 2)
        let hashes = try await #require(service.sqlite).databaseWriter.read { db in try String.fetchAll(db, sql: "SELECT secretHash FROM session") }
        #expect(hashes.allSatisfy { $0.count == 64 && !$0.hasPrefix("clr_") }, "only hashes of session secrets are stored")
    }

    @Test("a wrong password is refused, and the sixth attempt in a row is throttled with Retry-After")
    func signInThrottle() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            for _ in 0..<5 {
                let answer = try await browser.signIn("crew@example.com", password: "wrong password!")
                #expect(answer.status == .unauthorized)
                #expect(answer.text.contains("do not match") && answer.text.contains(#"value="crew@example.com""#))
            }
            let throttled = try await browser.signIn("crew@example.com")
            #expect(throttled.status == .tooManyRequests, "even the right password waits once the limit is reached")
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(browser.cookies["clearance_session"] == nil)
            service.clock.advance(16 * 60)
            let later = try await browser.signIn("crew@example.com")
            #expect(later.status == .seeOther, "the window passes and sign-in works again")
        }
    }

    @Test("parallel wrong guesses cannot slip past the sign-in limit")
    func parallelGuesses() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            let page = try await browser.request(.get, "/signin")
            let csrf = WebUser.csrf(in: page.text) ?? ""
            let cookie = "clearance_signin=\(browser.cookies["clearance_signin"] ?? "")"
            let body = "csrf=\(csrf)&email=crew%40example.com&password=wrong+password+here"
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await client.base.execute(uri: "/signin", method: .post,
                                                      headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                      body: ByteBuffer(string: body)) { $0.status }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5, "\(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 7)
        }
    }

    @Test("signing out with an expired session still clears the cookie")
    func signOutExpired() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            _ = try await browser.signIn("crew@example.com")
            service.clock.advance(13 * 3600)
            let out = try await browser.request(.post, "/signout", form: [("csrf", "whatever")])
            #expect(out.status == .seeOther && out.headers[.location] == "/signin")
            #expect(browser.cookies["clearance_session"] == nil)
        }
    }

    @Test("a sign-in without the form's own token is refused")
    func signInCSRF() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            _ = try await browser.request(.get, "/signin")
            let forged = try await browser.request(.post, "/signin", form: [
                ("csrf", "made-up"), ("email", "crew@example.com"), ("password", "correct horse battery"),
            ])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["clearance_session"] == nil)
        }
    }

    @Test("every form post needs the session's CSRF token; a wrong one is 403 and files nothing")
    func formCSRF() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (browser, csrf) = try await WebUser.atIntake(client, "crew@example.com")
            for bad in ["", (csrf.hasPrefix("0") ? "1" : "0") + csrf.dropFirst(), "forged"] {
                let answer = try await browser.file(csrf: bad)
                #expect(answer.status == .forbidden)
                #expect(answer.text.contains("security token"))
            }
            let none = try await client.expect(.ok, .get, "/api/v1/productions/p1/requests", token: service.adminToken)
            #expect(none.items.isEmpty)
            let filed = try await browser.file(csrf: csrf)
            #expect(filed.status == .seeOther)
            #expect(filed.headers[.location]?.hasPrefix("/requests/r-") == true)
        }
    }

    @Test("a request filed through the form gets the same decision as through the API")
    func formMatchesAPI() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (browser, csrf) = try await WebUser.atIntake(client, "crew@example.com")
            let filed = try await browser.file(csrf: csrf, destination: "final")
            let id = try #require(filed.headers[.location]?.split(separator: "/").last.map(String.init))
            let stored = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: service.adminToken)
            let preview = try await client.expect(.ok, .post, "/api/v1/triage?production=p1", token: service.adminToken, yaml: """
                title: Desert moodboards
                description: Mood images for the art department.
                media: [image]
                steps:
                  - tool: studio-gen
                    inputs: [prompt]
                    prompt: brutalist desert city at dusk
                output:
                  destination: final
                """)
            let decision = stored["decision"] as? [String: Any]
            #expect(decision?["outcome"] as? String == "approval-required")
            #expect(decision?["request-digest"] as? String == preview["request-digest"] as? String,
                    "the form built exactly the document the API would have been sent")
            let detail = try await browser.request(.get, "/requests/\(id)")
            #expect(detail.text.contains("Written approval needed") && detail.text.contains("guidance §"))
        }
    }

    @Test("a field error is shown next to its field and keeps everything typed")
    func fieldErrors() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (browser, csrf) = try await WebUser.atIntake(client, "crew@example.com")
            var form = intakeForm(csrf: csrf, title: "", destination: "final")
            form.append(("/talent/0/use", "replica"))
            let answer = try await browser.request(.post, "/productions/p1/requests/new", form: form)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.text.contains(#"id="f-title-error""#), "the missing title is flagged at the title")
            #expect(answer.text.contains(#"id="f-talent-0-performer-error""#), "a performer entry without a name is flagged there")
            #expect(answer.text.contains("Mood images for the art department."), "the description is kept")
            #expect(answer.text.contains(#"value="final" checked"#), "the destination is kept")
            #expect(answer.text.contains(#"<option value="studio-gen" selected>"#), "the tool is kept")
            #expect(answer.text.contains(#"<option value="replica" selected>"#), "the talent use is kept")
        }
    }

    @Test("pages escape what users typed")
    func escaping() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (browser, csrf) = try await WebUser.atIntake(client, "crew@example.com")
            let filed = try await browser.file(csrf: csrf, title: #"<script>alert("x")</script>"#)
            let location = try #require(filed.headers[.location])
            for path in [location, "/", "/productions/p1", "/productions/p1/register"] {
                let shown = try await browser.request(.get, path)
                #expect(!shown.text.contains("<script>alert"), "\(path) shows the title as text")
                #expect(shown.text.contains("&lt;script&gt;"), "\(path) shows the title escaped")
            }
        }
    }

    @Test("pages keep tenancy: another production's request, register and consents are 404; anonymous visitors sign in")
    func tenancy() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (other, token) = try await WebUser.atIntake(client, "other@example.com", production: "p2")
            let filed = try await other.file("p2", csrf: token, title: "Secret poster")
            let location = try #require(filed.headers[.location])

            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            for path in [location, "/productions/p2", "/productions/p2/register", "/productions/p2/register?format=csv",
                         "/productions/p2/consents", "/productions/p2/dashboard", "/productions/p2/requests/new"] {
                let answer = try await crew.request(.get, path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(!answer.text.contains("Secret poster"), "\(path)")
            }
            let studioWide = try await crew.request(.get, "/studios/acme/dashboard")
            #expect(studioWide.status == .forbidden, "the studio dashboard spans productions; production members do not see it")

            let anonymous = WebUser(client)
            var visitor = anonymous
            let redirected = try await visitor.request(.get, location)
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers[.location]?.hasPrefix("/signin?next=/requests/") == true)
        }
    }

    @Test("the preview script's API call needs the session's CSRF token in X-CSRF-Token")
    func apiWithSession() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            let (browser, csrf) = try await WebUser.atIntake(client, "crew@example.com")
            let document = #"{"title": "t", "description": "d", "media": ["image"], "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}]}"#
            func triage(_ token: String?) async throws -> Answer {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let token { headers[HTTPField.Name("X-CSRF-Token")!] = token }
                headers[.cookie] = "clearance_session=\(browser.cookies["clearance_session"] ?? "")"
                return try await client.base.execute(uri: "/api/v1/triage?production=p1", method: .post, headers: headers,
                                                     body: ByteBuffer(string: document)) { response in
                    Answer(status: response.status, headers: response.headers, text: String(buffer: response.body), json: [:])
                }
            }
            #expect(try await triage(nil).status == .forbidden)
            #expect(try await triage("wrong").status == .forbidden)
            let answer = try await triage(csrf)
            #expect(answer.status == .ok && answer.text.contains(#""outcome":"socialize""#))
        }
    }

    @Test("an approver gives verdicts through the request page; a requester gets no verdict form")
    func verdictForm() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            let filed = try await crew.file(csrf: token, destination: "final")
            let location = try #require(filed.headers[.location])
            #expect(!(try await crew.request(.get, location)).text.contains("verdict-form"))

            var legal = WebUser(client)
            _ = try await legal.signIn("legal@example.com")
            let home = try await legal.request(.get, "/")
            #expect(home.text.contains(location), "the approver's queue lists the request")
            let detail = try await legal.request(.get, location)
            let csrf = try #require(WebUser.csrf(in: detail.text))
            let missing = try await legal.request(.post, location + "/verdict", form: [
                ("csrf", csrf), ("area", "legal"), ("verdict", "approved-with-conditions"), ("conditions", ""),
            ])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.components(separatedBy: "at least one condition").count - 1 == 1, "shown once, at the form posted")
            let given = try await legal.request(.post, location + "/verdict", form: [
                ("csrf", csrf), ("area", "legal"), ("verdict", "approved-with-conditions"),
                ("conditions", "Credit the art department\r\nLegal review before lock"),
            ])
            #expect(given.status == .seeOther)
            let after = try await legal.request(.get, location)
            #expect(after.text.contains("Legal review before lock") && after.text.contains("state-approved"))
        }
        let verdicts = try await service.store.auditEvents(AuditQuery(limit: 500)).filter { $0.action == "request.verdict" }
        #expect(verdicts.count == 1, "the form's verdict is audited like the API's")
    }

    @Test("signing out ends the session for good")
    func signOut() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            _ = try await browser.signIn("crew@example.com")
            let session = try #require(browser.cookies["clearance_session"])
            let home = try await browser.request(.get, "/")
            let out = try await browser.request(.post, "/signout", form: [("csrf", WebUser.csrf(in: home.text) ?? "")])
            #expect(out.status == .seeOther && browser.cookies["clearance_session"] == nil)
            browser.cookies["clearance_session"] = session
            let again = try await browser.request(.get, "/")
            #expect(again.status == .seeOther, "the old cookie no longer signs anyone in")
        }
        let actions = try await service.store.auditEvents(AuditQuery(limit: 500)).map(\.action)
        #expect(actions.contains("session.ended"))
    }

    @Test("the register downloads as CSV; dashboards draw inline SVG; the policy page diffs versions")
    func registersAndDashboards() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            _ = try await crew.file(csrf: token)
            let csv = try await crew.request(.get, "/productions/p1/register?format=csv")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(csv.text.hasPrefix("id,title,") && csv.text.contains("Desert moodboards"))
            let dashboard = try await crew.request(.get, "/productions/p1/dashboard")
            #expect(dashboard.text.components(separatedBy: "<svg").count - 1 == 4)
            #expect(dashboard.text.contains("tell your contact: 1"), "the outcome chart's description counts the use, in words")
            let tools = try await crew.request(.get, "/studios/acme/tools")
            #expect(tools.text.contains("Studio Gen") && tools.text.contains("Ideation, Previsualisation") && tools.text.contains("MSA 2026-114"))

            let current = try await client.expect(.ok, .get, "/api/v1/studios/acme/policy", token: service.adminToken)
            let text = try #require(current["text"] as? String)
            _ = try await client.expect(.created, .put, "/api/v1/studios/acme/policy", token: service.adminToken,
                                        yaml: text.replacingOccurrences(of: #"version: "2025.2""#, with: #"version: "2025.3""#))
            let policy = try await crew.request(.get, "/studios/acme/policy?from=1&to=2")
            #expect(policy.text.contains(#"<span class="line-removed">"#) && policy.text.contains(#"version: &quot;2025.2&quot;"#))
            #expect(policy.text.contains("P5") && policy.text.contains("guidance §"))
        }
    }

    @Test("with --web-root the templates and assets come from disk, read afresh for every page")
    func webRootFromDisk() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-web-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("web"), to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        var onDisk = try await Service.make()
        onDisk.webRoot = root.path
        let service = onDisk
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            #expect(try await crew.request(.get, "/").text.contains("Your GenAI uses"))
            let home = root.appendingPathComponent("templates/home.mustache")
            let edited = try String(contentsOf: home, encoding: .utf8).replacingOccurrences(of: "Your GenAI uses", with: "Edited on disk")
            try edited.write(to: home, atomically: true, encoding: .utf8)
            #expect(try await crew.request(.get, "/").text.contains("Edited on disk"), "no rebuild, no restart")
            let css = try await crew.request(.get, "/assets/app.css")
            #expect(css.text == (try String(contentsOf: root.appendingPathComponent("assets/app.css"), encoding: .utf8)))
            #expect(try await crew.request(.get, "/assets/..%2Ftemplates%2Fhome.mustache").status == .notFound)
        }
    }
}
