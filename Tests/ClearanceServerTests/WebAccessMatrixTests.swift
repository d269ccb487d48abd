import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Every web page and form against every role, in the world of `AccessMatrixTests`: what a role
/// cannot see answers 404 and what it may not do answers 403, exactly as the API does. Anonymous
/// visitors are sent to sign in (pages) or refused with 401 (forms). Every route the web pages
/// register must have its row, so a new page cannot be added without saying who may open it.
@Suite("Web access matrix")
struct WebAccessMatrixTests {
    typealias Role = AccessMatrixTests.Role

    /// An expected answer: an exact status, or "allowed" (any answer below 400, or a form's own
    /// 409 or 422 for what it was sent).
    static let allowed = 0

    struct Probe {
        /// The route as registered, such as `/studios/:studio/people`.
        var route: String
        var method: HTTPRequest.Method
        var path: String
        var form: [(String, String)] = []
        /// Per role, in `Role.allCases` order; column 0 (anonymous) is filled in by method.
        var expected: [Int]
    }

    // Columns: anonymous, siteAdmin, studioAdmin, approver, studioViewer, requester, coordinator,
    //          productionViewer, otherProductionRequester, otherStudioAdmin
    static func probes(_ ids: [String: String]) -> [Probe] {
        let ok = allowed
        let everyone = [0, ok, ok, ok, ok, ok, ok, ok, ok, ok]
        let siteOnly = [0, ok, 403, 403, 403, 403, 403, 403, 403, 403]
        let readStudio = [0, ok, ok, ok, ok, ok, ok, ok, ok, 404]
        let studioMembers = [0, ok, ok, ok, ok, 403, 403, 403, 403, 404]
        let studioAdminOrSite = [0, ok, ok, 403, 403, 403, 403, 403, 403, 404]
        let studioAdmin = [0, 403, ok, 403, 403, 403, 403, 403, 403, 404]
        let readRegisters = [0, 404, ok, ok, ok, ok, ok, ok, ok, 404]
        let studioRequests = [0, 403, ok, ok, ok, 403, 403, 403, 403, 404]
        let inProduction = { (roles: [Int]) in [0, 404] + roles + [404, 404] }
        let readProduction = inProduction([ok, ok, ok, ok, ok, ok])
        let productionMembers = inProduction([ok, 403, 403, 403, ok, 403])
        let productionAdmin = inProduction([ok, 403, 403, 403, 403, 403])
        let coordinator = inProduction([403, 403, 403, 403, ok, 403])
        let filers = inProduction([403, 403, 403, ok, ok, 403])
        let request = ids["request"] ?? "", consent = ids["consent"] ?? "", scan = ids["scan"] ?? ""
        let approver = ids["approver"] ?? "", requester = ids["requester"] ?? ""
        return [
            Probe(route: "/", method: .get, path: "/", expected: everyone),
            Probe(route: "/account", method: .get, path: "/account", expected: everyone),
            Probe(route: "/account/password", method: .post, path: "/account/password",
                  form: [("/current", "wrong password here"), ("/password", "x"), ("/confirm", "y")], expected: everyone),
            Probe(route: "/account/sessions", method: .post, path: "/account/sessions", expected: everyone),
            Probe(route: "/account/tokens", method: .post, path: "/account/tokens", form: [("/label", "matrix")], expected: everyone),
            Probe(route: "/account/tokens/:id/revoke", method: .post, path: "/account/tokens/t-unknown/revoke",
                  expected: [0, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
            Probe(route: "/site", method: .get, path: "/site", expected: siteOnly),
            Probe(route: "/site/audit", method: .get, path: "/site/audit", expected: siteOnly),
            Probe(route: "/site/studios", method: .post, path: "/site/studios",
                  form: [("/studio/id", "s-{role}"), ("/studio/name", "S {role}")], expected: siteOnly),
            Probe(route: "/site/studios/:studio/name", method: .post, path: "/site/studios/a/name", form: [("/name", "A")], expected: siteOnly),
            Probe(route: "/site/users", method: .post, path: "/site/users",
                  form: [("/email", "web-{role}@new.example.com"), ("/name", "N")], expected: siteOnly),
            Probe(route: "/site/users/:user/active", method: .post, path: "/site/users/\(requester)/active",
                  form: [("/active", "true")], expected: siteOnly),
            Probe(route: "/site/users/:user/reset", method: .post, path: "/site/users/\(requester)/reset", expected: siteOnly),
            Probe(route: "/studios/:studio/people", method: .get, path: "/studios/a/people", expected: studioMembers),
            Probe(route: "/studios/:studio/people", method: .post, path: "/studios/a/people",
                  form: [("/email", "extra@example.com"), ("/role", "viewer")], expected: studioAdminOrSite),
            Probe(route: "/studios/:studio/people/:user", method: .get, path: "/studios/a/people/\(approver)", expected: studioAdminOrSite),
            Probe(route: "/studios/:studio/people/:user", method: .post, path: "/studios/a/people/\(approver)",
                  form: [("/role", "approver"), ("/areas[]", "legal")], expected: studioAdminOrSite),
            Probe(route: "/studios/:studio/people/:user/remove", method: .post, path: "/studios/a/people/u-nobody/remove",
                  expected: [0, 404, 404, 403, 403, 403, 403, 403, 403, 404]),
            Probe(route: "/studios/:studio/productions", method: .get, path: "/studios/a/productions", expected: readStudio),
            Probe(route: "/studios/:studio/productions/new", method: .get, path: "/studios/a/productions/new", expected: studioAdmin),
            Probe(route: "/studios/:studio/productions/new", method: .post, path: "/studios/a/productions/new",
                  form: [("/id", "web-{role}"), ("/title", "Web")], expected: studioAdmin),
            Probe(route: "/productions/:production", method: .get, path: "/productions/a1", expected: readProduction),
            Probe(route: "/productions/:production/settings", method: .get, path: "/productions/a1/settings", expected: productionAdmin),
            Probe(route: "/productions/:production/settings", method: .post, path: "/productions/a1/settings",
                  form: [("/title", "a1")], expected: productionAdmin),
            Probe(route: "/productions/:production/archive", method: .post, path: "/productions/a1/archive",
                  form: [("/archived", "false")], expected: productionAdmin),
            Probe(route: "/productions/:production/people", method: .get, path: "/productions/a1/people", expected: readProduction),
            Probe(route: "/productions/:production/people", method: .post, path: "/productions/a1/people",
                  form: [("/email", "extra@example.com"), ("/role", "viewer")], expected: productionMembers),
            Probe(route: "/productions/:production/people/:user", method: .get, path: "/productions/a1/people/\(requester)",
                  expected: productionMembers),
            Probe(route: "/productions/:production/people/:user", method: .post, path: "/productions/a1/people/\(requester)",
                  form: [("/role", "requester")], expected: productionMembers),
            Probe(route: "/productions/:production/people/:user/remove", method: .post, path: "/productions/a1/people/u-nobody/remove",
                  expected: inProduction([404, 403, 403, 403, 404, 403])),
            Probe(route: "/productions/:production/requests/new", method: .get, path: "/productions/a1/requests/new", expected: filers),
            Probe(route: "/productions/:production/requests/new", method: .post, path: "/productions/a1/requests/new",
                  form: [("/title", "")], expected: filers),
            Probe(route: "/productions/:production/consents", method: .get, path: "/productions/a1/consents", expected: readProduction),
            Probe(route: "/productions/:production/consents/new", method: .get, path: "/productions/a1/consents/new", expected: coordinator),
            Probe(route: "/productions/:production/consents/new", method: .post, path: "/productions/a1/consents/new",
                  form: [("/performer", "")], expected: coordinator),
            Probe(route: "/consents/:id", method: .get, path: "/consents/\(consent)", expected: readProduction),
            Probe(route: "/consents/:id/edit", method: .get, path: "/consents/\(consent)/edit", expected: coordinator),
            Probe(route: "/consents/:id/edit", method: .post, path: "/consents/\(consent)/edit", form: [("/performer", "")],
                  expected: coordinator),
            Probe(route: "/consents/:id/revoke", method: .post, path: "/consents/revocable-{role}/revoke",
                  form: [("/reason", "withdrawn in writing")], expected: coordinator),
            Probe(route: "/productions/:production/scans", method: .get, path: "/productions/a1/scans", expected: readProduction),
            Probe(route: "/productions/:production/scans/:scan", method: .get, path: "/productions/a1/scans/\(scan)",
                  expected: readProduction),
            Probe(route: "/productions/:production/scans/:scan/extend", method: .post, path: "/productions/a1/scans/\(scan)/extend",
                  form: [("reference", "deliverables/a.jpg"), ("request", request)], expected: coordinator),
            Probe(route: "/productions/:production/register", method: .get, path: "/productions/a1/register", expected: readProduction),
            Probe(route: "/productions/:production/disclosure", method: .get, path: "/productions/a1/disclosure", expected: readProduction),
            Probe(route: "/productions/:production/disclosure.csv", method: .get, path: "/productions/a1/disclosure.csv",
                  expected: readProduction),
            Probe(route: "/productions/:production/overlays", method: .get, path: "/productions/a1/overlays", expected: readProduction),
            Probe(route: "/productions/:production/overlays/:id", method: .post, path: "/productions/a1/overlays/wga-2026",
                  form: [("enabled", "true")], expected: productionAdmin),
            Probe(route: "/studios/:studio/overlays", method: .get, path: "/studios/a/overlays", expected: readRegisters),
            Probe(route: "/studios/:studio/overlays/new", method: .post, path: "/studios/a/overlays/new", form: [("text", "")],
                  expected: studioAdmin),
            Probe(route: "/studios/:studio/overlays/:id", method: .post, path: "/studios/a/overlays/wga-2026",
                  form: [("enabled", "true")], expected: studioAdmin),
            Probe(route: "/requests/:id/obligations", method: .post, path: "/requests/\(request)/obligations",
                  form: [("obligation", "none/none"), ("note", "done")], expected: coordinator),
            Probe(route: "/productions/:production/dashboard", method: .get, path: "/productions/a1/dashboard", expected: readProduction),
            Probe(route: "/requests/:id", method: .get, path: "/requests/\(request)", expected: readProduction),
            Probe(route: "/requests/:id/compare", method: .get, path: "/requests/\(request)/compare", expected: readProduction),
            Probe(route: "/requests/:id/revise", method: .get, path: "/requests/\(request)/revise", expected: filers),
            Probe(route: "/requests/:id/revise", method: .post, path: "/requests/\(request)/revise", form: [("/title", "")],
                  expected: filers),
            Probe(route: "/requests/:id/comments", method: .post, path: "/requests/\(request)/comments", form: [("body", "")],
                  expected: inProduction([403, 403, 403, ok, ok, 403])),
            Probe(route: "/requests/:id/verdict", method: .post, path: "/requests/\(request)/verdict",
                  form: [("area", "data"), ("verdict", "approved")], expected: inProduction([403, ok, 403, 403, 403, 403])),
            Probe(route: "/requests/:id/acknowledge", method: .post, path: "/requests/\(request)/acknowledge",
                  expected: inProduction([ok, ok, 403, 403, 403, 403])),
            Probe(route: "/requests/:id/coverage/:extension", method: .post, path: "/requests/\(request)/coverage/x-none",
                  form: [("decision", "confirm")], expected: inProduction([404, 404, 404, 404, 404, 404])),
            Probe(route: "/studios/:studio/tools", method: .get, path: "/studios/a/tools", expected: readRegisters),
            Probe(route: "/studios/:studio/tools/new", method: .get, path: "/studios/a/tools/new", expected: studioAdmin),
            Probe(route: "/studios/:studio/tools/new", method: .post, path: "/studios/a/tools/new", form: [("/id", "")],
                  expected: studioAdmin),
            Probe(route: "/studios/:studio/tools/:tool/edit", method: .get, path: "/studios/a/tools/studio-gen/edit", expected: studioAdmin),
            Probe(route: "/studios/:studio/tools/:tool/edit", method: .post, path: "/studios/a/tools/studio-gen/edit",
                  form: [("/name", "Studio Gen")], expected: studioAdmin),
            Probe(route: "/studios/:studio/tools/:tool/retire", method: .post, path: "/studios/a/tools/doomed-{role}/retire",
                  expected: studioAdmin),
            Probe(route: "/studios/:studio/policy", method: .get, path: "/studios/a/policy", expected: readRegisters),
            Probe(route: "/studios/:studio/policy/draft", method: .get, path: "/studios/a/policy/draft", expected: studioAdmin),
            Probe(route: "/studios/:studio/policy/draft", method: .post, path: "/studios/a/policy/draft", form: [("/text", "format: x")],
                  expected: studioAdmin),
            Probe(route: "/studios/:studio/policy/publish", method: .post, path: "/studios/a/policy/publish",
                  form: [("/text", "format: x"), ("/digest", "sha256:none")], expected: studioAdmin),
            Probe(route: "/studios/:studio/webhooks", method: .get, path: "/studios/a/webhooks", expected: studioAdmin),
            Probe(route: "/studios/:studio/webhooks", method: .post, path: "/studios/a/webhooks",
                  form: [("/url", "https://hooks.example.com/{role}"), ("/events[]", "policy.published")], expected: studioAdmin),
            Probe(route: "/studios/:studio/webhooks/:id", method: .get, path: "/studios/a/webhooks/wh-none",
                  expected: [0, 403, 404, 403, 403, 403, 403, 403, 403, 404]),
            Probe(route: "/studios/:studio/webhooks/:id/test", method: .post, path: "/studios/a/webhooks/wh-none/test",
                  expected: [0, 403, 404, 403, 403, 403, 403, 403, 403, 404]),
            Probe(route: "/studios/:studio/webhooks/:id/remove", method: .post, path: "/studios/a/webhooks/wh-none/remove",
                  expected: [0, 403, 404, 403, 403, 403, 403, 403, 403, 404]),
            // As the API's studio-wide request list: the studio's own members.
            Probe(route: "/studios/:studio/dashboard", method: .get, path: "/studios/a/dashboard", expected: studioRequests),
            // An approver's queue, and what a contact (the approver, for legal) or an admin acknowledges.
            Probe(route: "/studios/:studio/queue", method: .get, path: "/studios/a/queue",
                  expected: [0, 403, 403, ok, 403, 403, 403, 403, 403, 404]),
            Probe(route: "/studios/:studio/to-acknowledge", method: .get, path: "/studios/a/to-acknowledge",
                  expected: [0, 403, ok, ok, 403, 403, 403, 403, 403, 404]),
            // Last, since it ends the request: its requester withdraws it.
            Probe(route: "/requests/:id/withdraw", method: .post, path: "/requests/\(request)/withdraw", form: [("reason", "no longer needed")],
                  expected: filers),
        ]
    }

    /// Pages open to anyone, which the rows above do not cover: signing in and out, and the
    /// one-time links (set-up, password reset, invitation), each with its own checks.
    static let openRoutes: Set<String> = [
        "GET /signin", "POST /signin", "POST /signout", "GET /setup/:secret", "POST /setup/:secret", "GET /reset/:secret",
        "POST /reset/:secret", "GET /invitations/:secret", "POST /invitations/:secret", "GET /assets/:name", "GET /openapi.yaml",
    ]

    /// A route as the router describes it: `/studios/{studio}` for `/studios/:studio`.
    static func described(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{" + $0.dropFirst() + "}" : String($0) }.joined(separator: "/")
    }

    @Test("every web route has its row in the matrix")
    func everyRouteListed() async throws {
        let service = try await Service.make()
        let router = buildRouter(store: service.store, configuration: service.configuration)
        let listed = Set(Self.probes([:]).map { "\($0.method) \($0.route)" }).union(Self.openRoutes).map(Self.described)
        let web = router.routes.map { "\($0.method) \($0.path)" }
            .filter { !$0.contains(" /api/") && !$0.hasSuffix(" /healthz") && !$0.hasSuffix(" /metrics") }
        let missing = web.filter { !listed.contains($0) }.sorted()
        #expect(missing.isEmpty, "web routes without a row in the access matrix: \(missing)")
        let stale = Set(listed).subtracting(web).sorted()
        #expect(stale.isEmpty, "rows for routes that no longer exist: \(stale)")
    }

    @Test("each role gets exactly the expected answer on every page and form", arguments: StoreKind.all)
    func matrix(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        let failures: [String] = try await service.run { client in
            let world = try await AccessMatrixTests.world(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/users", token: service.adminToken, json: """
                {"email": "siteadmin@example.com", "name": "Site", "password": "\(AccessMatrixTests.password)", "site-admin": true}
                """)
            var users: [String: String] = [:]
            for item in try await client.expect(.ok, .get, "/api/v1/users", token: service.adminToken).items {
                if let email = item["email"] as? String, let id = item["id"] as? String { users[email] = id }
            }
            var browsers: [Role: WebUser] = [:]
            var tokens: [Role: String] = [:]
            for role in Role.allCases where role != .anonymous {
                var browser = WebUser(client)
                let email = role == .siteAdmin ? "siteadmin@example.com" : "\(role.rawValue.lowercased())@example.com"
                let signed = try await browser.signIn(email, password: AccessMatrixTests.password)
                guard signed.status == .seeOther else { throw SetupError("\(role) could not sign in: \(signed.status)") }
                tokens[role] = WebUser.csrf(in: try await browser.request(.get, "/account").text) ?? ""
                browsers[role] = browser
            }
            browsers[.anonymous] = WebUser(client)
            let ids = ["request": world.request["id"] as? String ?? "", "consent": world.consent["id"] as? String ?? "",
                       "scan": world.scan["id"] as? String ?? "", "approver": users["approver@example.com"] ?? "",
                       "requester": users["requester@example.com"] ?? ""]
            var failures: [String] = []
            for probe in Self.probes(ids) {
                for (role, expected) in zip(Role.allCases, probe.expected) {
                    let name = role.rawValue.lowercased()
                    let want = role == .anonymous ? (probe.method == .get ? 303 : 401) : expected
                    var form = probe.form.map { ($0.0, $0.1.replacingOccurrences(of: "{role}", with: name)) }
                    if probe.method == .post { form.insert(("csrf", tokens[role] ?? ""), at: 0) }
                    guard var browser = browsers[role] else { continue }
                    let answer = try await browser.request(probe.method, probe.path.replacingOccurrences(of: "{role}", with: name),
                                                           form: probe.method == .post ? form : nil)
                    browsers[role] = browser
                    let code = answer.status.code
                    let held = want == Self.allowed ? (code < 400 || code == 409 || code == 422) : code == want
                    if !held {
                        failures.append("\(probe.method) \(probe.path) as \(role): expected \(want == 0 ? "allowed" : String(want)), got \(code)")
                    }
                    if code >= 400, answer.headers[.contentType]?.hasPrefix("text/html") != true {
                        failures.append("\(probe.method) \(probe.path) as \(role): \(code) is not an HTML page")
                    }
                }
            }
            return failures
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) mismatches:\n" + failures.joined(separator: "\n")))
    }

    @Test("every form refuses a post without the session's CSRF token")
    func csrfEverywhere() async throws {
        let service = try await Service.make()
        let open = Set(Self.openRoutes.map(Self.described))
        let failures: [String] = try await service.run { client in
            let world = try await AccessMatrixTests.world(client, admin: service.adminToken)
            var browser = WebUser(client)
            _ = try await browser.signIn("studioadmin@example.com", password: AccessMatrixTests.password)
            let router = buildRouter(store: service.store, configuration: service.configuration)
            var failures: [String] = []
            for route in router.routes where route.method == .post && !"\(route.path)".hasPrefix("/api/") {
                guard !open.contains("POST \(route.path)") else { continue }
                // Any value for each capture: the token is checked before anything is looked up.
                let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix("{") ? "x" : String($0) }.joined(separator: "/")
                for forged in [[], [("csrf", "forged-token")]] {
                    let answer = try await browser.request(.post, "/" + path, form: forged + [("/title", "x")])
                    if answer.status != .forbidden || !answer.text.contains("security token") {
                        failures.append("POST /\(path) with \(forged.isEmpty ? "no" : "a forged") token: \(answer.status.code)")
                    }
                }
            }
            _ = world
            return failures
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}
