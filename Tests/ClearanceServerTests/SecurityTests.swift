import ClearanceService
import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// What the security sweep found, each shown closed.
@Suite("Security sweep")
struct SecurityTests {
    static func basic(_ email: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(email):\(password)".utf8).base64EncodedString()]
    }

    // MARK: Password guessing through HTTP Basic

    @Test("HTTP Basic on POST /tokens is throttled with the sign-in form's counts, and the right password then waits too")
    func basicIsThrottled() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var browser = WebUser(client)
            for _ in 0..<5 {
                #expect(try await browser.signIn("crew@example.com", password: "wrong password!").status == .unauthorized)
            }
            // The web sign-in has locked the account: Basic must not be a way around it.
            for _ in 0..<3 {
                let guess = try await client.call(.post, "/api/v1/tokens", token: nil,
                                                  headers: Self.basic("crew@example.com", "another guess"))
                #expect(guess.status == .tooManyRequests)
                #expect(Int(guess.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            let right = try await client.call(.post, "/api/v1/tokens", token: nil,
                                              headers: Self.basic("crew@example.com", "correct horse battery"))
            #expect(right.status == .tooManyRequests, "no token while the account is locked")
            service.clock.advance(16 * 60)
            let later = try await client.call(.post, "/api/v1/tokens", token: nil,
                                              headers: Self.basic("crew@example.com", "correct horse battery"))
            #expect(later.status == .created)
        }
    }

    @Test("five wrong passwords through Basic lock the web sign-in as well")
    func basicCountsForTheForm() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            for _ in 0..<5 {
                let guess = try await client.call(.post, "/api/v1/tokens", token: nil, headers: Self.basic("crew@example.com", "guess"))
                #expect(guess.status == .unauthorized)
            }
            var browser = WebUser(client)
            #expect(try await browser.signIn("crew@example.com").status == .tooManyRequests)
        }
    }

    @Test("the throttle's counts live in the store, so a second server on the same database sees them")
    func throttleIsShared() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            for _ in 0..<5 {
                _ = try await client.call(.post, "/api/v1/tokens", token: nil, headers: Self.basic("crew@example.com", "guess"))
            }
        }
        // A fresh router (another instance's memory) over the same store.
        try await service.run { client in
            let right = try await client.call(.post, "/api/v1/tokens", token: nil,
                                              headers: Self.basic("crew@example.com", "correct horse battery"))
            #expect(right.status == .tooManyRequests)
        }
    }

    // MARK: Sign-in cookie fixation

    @Test("a sign-in cookie the browser arrived with is replaced, and a form posted with a planted one is refused")
    func signInCookieFixation() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            let planted = String(repeating: "ab", count: 16)
            var browser = WebUser(client)
            browser.cookies["clearance_signin"] = planted
            let page = try await browser.request(.get, "/signin")
            #expect(browser.cookies["clearance_signin"] != planted)
            #expect(WebUser.csrf(in: page.text) != planted)

            var attacker = WebUser(client)
            attacker.cookies["clearance_signin"] = planted
            let forged = try await attacker.request(.post, "/signin", form: [
                ("csrf", planted), ("email", "crew@example.com"), ("password", "correct horse battery"), ("next", "/"),
            ])
            #expect(forged.status == .forbidden)
            #expect(attacker.cookies["clearance_session"] == nil)
        }
    }

    // MARK: Characters and JSON

    @Test("a control character in a request field is refused with a 422 naming the field, never stored")
    func controlCharacterRefused() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let body = #"""
                {"title": "Voice test", "description": "A voice line.", "media": ["audio"],
                 "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}],
                 "talent": [{"performer": "Jane\u007f", "kind": "voice"}]}
                """#
            let answer = try await client.call(.post, "/api/v1/productions/p1/requests", token: world.requester, json: body)
            #expect(answer.status == .unprocessableContent, "\(answer.text)")
            let pointers = (answer["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
            #expect(pointers.contains("/talent/0/performer"), "\(answer.text)")
            #expect(answer.text.contains("U+007F"))
            let listed = try await client.expect(.ok, .get, "/api/v1/productions/p1/requests", token: world.requester)
            #expect(listed.items.isEmpty)
        }
    }

    @Test("every valid JSON text is accepted: a title written with a surrogate pair files and reads back")
    func surrogatePairs() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let body = #"""
                {"title": "Poster \ud83c\udfac", "description": "A poster.", "media": ["image"],
                 "steps": [{"tool": "studio-gen", "inputs": ["prompt"]}]}
                """#
            let filed = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: world.requester, json: body)
            let id = filed["id"] as? String ?? ""
            let read = try await client.expect(.ok, .get, "/api/v1/requests/\(id)", token: world.requester)
            #expect((read["document"] as? [String: Any])?["title"] as? String == "Poster \u{1F3AC}")
            #expect(read["decision"] is [String: Any])
        }
    }

    @Test("a policy built of nested aliases is refused at once with a plain error")
    func aliasBombRefused() async throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let bomb = yaml
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let answer = try await client.call(.put, "/api/v1/studios/acme/policy", token: world.studioAdmin, yaml: bomb)
            #expect(answer.status == .badRequest || answer.status == .unprocessableContent, "\(answer.status)")
            #expect(answer.text.contains("aliases"), "\(answer.text)")
        }
    }

    // MARK: Existence across studios

    @Test("a page cursor from another production or an unknown one answers the same 422")
    func foreignCursor() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                        json: #"{"id": "p2", "title": "Other show"}"#)
            try await client.join("/api/v1/productions/p2/members", token: world.studioAdmin,
                                  json: #"{"email": "lead@example.com", "role": "coordinator"}"#, invitee: world.coordinator)
            let elsewhere = try await client.expect(.created, .post, "/api/v1/productions/p2/requests", token: world.coordinator,
                                                    yaml: escalatingRequest())
            let foreignID = elsewhere["id"] as? String ?? ""
            let foreign = try await client.call(.get, "/api/v1/productions/p1/requests?after=\(foreignID)", token: world.requester)
            let unknown = try await client.call(.get, "/api/v1/productions/p1/requests?after=r-0000000000000000", token: world.requester)
            #expect(foreign.status == .unprocessableContent)
            #expect(unknown.status == .unprocessableContent)
            #expect(foreign.text == unknown.text, "the two answers are the same bytes")
        }
    }

    @Test("another studio's request and consent ids are looked up exactly as unknown ids are, and answer the same 404")
    func foreignIDsCostWhatUnknownOnesCost() async throws {
        let counting = CountingStore(try await StoreKind.sqliteMemory.make())
        let token = try await SiteAdmin.create(email: "root@example.com", name: "Root", store: counting)
        let service = Service(store: counting, adminToken: token)
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: token)
            // Another studio with its own request, consent and scan.
            let rival = try await client.user("rival@example.com", admin: token)
            _ = try await client.expect(.created, .post, "/api/v1/studios", token: token,
                                        json: #"{"id": "rival", "name": "Rival", "admin": "rival@example.com"}"#)
            _ = try await client.expect(.created, .post, "/api/v1/studios/rival/productions", token: rival,
                                        json: #"{"id": "rp", "title": "Rival show"}"#)
            try await client.join("/api/v1/productions/rp/members", token: rival,
                                  json: #"{"email": "rival@example.com", "role": "coordinator"}"#, invitee: rival)
            let request = try await client.expect(.created, .post, "/api/v1/productions/rp/requests", token: rival,
                                                  yaml: escalatingRequest())
            let consent = try await client.expect(.created, .post, "/api/v1/productions/rp/consents", token: rival, json: """
                {"performer": "Jo", "kind": "voice", "permitted-use": "Temp dialogue for the cut.", "signed-on": "2026-01-05"}
                """)
            let pairs = [
                ("/api/v1/requests/\(request["id"] as? String ?? "")", "/api/v1/requests/r-00000000000000ff"),
                ("/api/v1/consents/\(consent["id"] as? String ?? "")/revoke", "/api/v1/consents/consent-00000000000000ff/revoke"),
            ]
            for (foreign, unknown) in pairs {
                let method: HTTPRequest.Method = foreign.hasSuffix("/revoke") ? .post : .get
                counting.reset()
                let theirs = try await client.call(method, foreign, token: world.coordinator)
                let theirCalls = counting.recorded
                counting.reset()
                let missing = try await client.call(method, unknown, token: world.coordinator)
                #expect(theirs.status == .notFound && missing.status == .notFound, "\(foreign)")
                #expect(theirCalls == counting.recorded, "\(foreign): \(theirCalls) against \(counting.recorded)")
                #expect(theirs.text.replacingOccurrences(of: foreign.split(separator: "/")[3], with: "ID")
                        == missing.text.replacingOccurrences(of: unknown.split(separator: "/")[3], with: "ID"))
            }
        }
    }

    @Test("a production id another studio holds answers the same 409 as any taken id")
    func takenIDs() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let rival = try await client.user("rival@example.com", admin: world.admin)
            _ = try await client.expect(.created, .post, "/api/v1/studios", token: world.admin,
                                        json: #"{"id": "rival", "name": "Rival", "admin": "rival@example.com"}"#)
            let theirs = try await client.call(.post, "/api/v1/studios/rival/productions", token: rival,
                                               json: #"{"id": "p1", "title": "Copy"}"#)
            let ours = try await client.call(.post, "/api/v1/studios/acme/productions", token: world.studioAdmin,
                                             json: #"{"id": "p1", "title": "Copy"}"#)
            #expect(theirs.status == .conflict && ours.status == .conflict)
            #expect(theirs["detail"] as? String == "the id 'p1' is taken; choose another")
            #expect(ours["detail"] as? String == theirs["detail"] as? String)
        }
    }

    // MARK: Credentials

    @Test("tokens expire: 90 days by default, as asked up to a year, shown at creation and in the list")
    func tokenExpiry() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let made = try await client.expect(.created, .post, "/api/v1/tokens", token: world.requester,
                                               json: #"{"label": "pipeline", "expires-in-days": 2}"#)
            let secret = made["token"] as? String ?? ""
            let expires = made["expires-at"] as? String ?? ""
            #expect(!expires.isEmpty)
            let listed = try await client.expect(.ok, .get, "/api/v1/tokens", token: secret)
            let shown = listed.items.first { $0["label"] as? String == "pipeline" }?["expires-at"] as? String ?? ""
            #expect(shown.prefix(19) == expires.prefix(19) && !shown.isEmpty, "created \(expires), listed \(shown)")
            let tooLong = try await client.call(.post, "/api/v1/tokens", token: world.requester, json: #"{"expires-in-days": 400}"#)
            #expect(tooLong.status == .unprocessableContent)
            let whole = try await client.call(.post, "/api/v1/tokens", token: world.requester, json: #"{"expires-in-days": 75.0}"#)
            #expect(whole.status == .created, "75.0 is a whole number")
            let fraction = try await client.call(.post, "/api/v1/tokens", token: world.requester, json: #"{"expires-in-days": 7.5}"#)
            #expect(fraction.status == .unprocessableContent)
            service.clock.advance(3 * 86_400)
            #expect(try await client.call(.get, "/api/v1/me", token: secret).status == .unauthorized)
            #expect(try await client.call(.get, "/api/v1/me", token: world.requester).status == .ok, "the 90-day token still works")
            service.clock.advance(88 * 86_400)
            #expect(try await client.call(.get, "/api/v1/me", token: world.requester).status == .unauthorized)
        }
    }

    @Test("site admins list and revoke any user's tokens; others cannot")
    func adminRevokes() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let world = try await ServiceBehaviourTests.world(client, admin: service.adminToken)
            let me = try await client.expect(.ok, .get, "/api/v1/me", token: world.requester)
            let userID = (me["user"] as? [String: Any])?["id"] as? String ?? ""
            let tokens = try await client.expect(.ok, .get, "/api/v1/users/\(userID)/tokens", token: world.admin)
            let tokenID = tokens.items.first?["id"] as? String ?? ""
            #expect(try await client.call(.get, "/api/v1/users/\(userID)/tokens", token: world.studioAdmin).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/users/\(userID)/tokens/\(tokenID)", token: world.studioAdmin).status == .forbidden)
            _ = try await client.expect(.noContent, .delete, "/api/v1/users/\(userID)/tokens/\(tokenID)", token: world.admin)
            #expect(try await client.call(.get, "/api/v1/me", token: world.requester).status == .unauthorized)
        }
    }

    @Test("deactivating a user ends their sessions and tokens at once, and they cannot sign in again until reactivated")
    func deactivation() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            let made = try await client.call(.post, "/api/v1/tokens", token: nil, headers: Self.basic("crew@example.com", "correct horse battery"))
            let token = made["token"] as? String ?? ""
            var browser = WebUser(client)
            #expect(try await browser.signIn("crew@example.com").status == .seeOther)
            #expect(try await browser.request(.get, "/").status == .ok)
            let me = try await client.expect(.ok, .get, "/api/v1/me", token: token)
            let userID = (me["user"] as? [String: Any])?["id"] as? String ?? ""

            let off = try await client.expect(.ok, .post, "/api/v1/users/\(userID)/deactivate", token: service.adminToken)
            #expect(off["active"] as? Bool == false)
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized)
            let home = try await browser.request(.get, "/")
            #expect(home.status == .seeOther, "the browser session ended")
            var again = WebUser(client)
            #expect(try await again.signIn("crew@example.com").status == .unauthorized)
            let audit = try await client.expect(.ok, .get, "/api/v1/audit", token: service.adminToken)
            #expect(audit.items.contains { $0["action"] as? String == "user.deactivated" && $0["subject"] as? String == userID })

            _ = try await client.expect(.ok, .post, "/api/v1/users/\(userID)/reactivate", token: service.adminToken)
            var back = WebUser(client)
            #expect(try await back.signIn("crew@example.com").status == .seeOther)
            #expect(try await client.call(.get, "/api/v1/me", token: token).status == .unauthorized, "revoked tokens stay revoked")
        }
    }
}
