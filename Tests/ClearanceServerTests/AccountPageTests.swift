import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Accounts in the browser: the first-run set-up link, password changes and reset links, API
/// tokens, and a studio and its people run from the pages.
@Suite("Account and set-up pages")
struct AccountPageTests {
    /// The value of a read-only field (a token, a link) on a page.
    static func shown(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: #"id="\#(id)""#),
              let value = html[start.upperBound...].range(of: #"value=""#) else { return nil }
        return String(html[value.upperBound...].prefix { $0 != "\"" })
    }

    static func path(of link: String) -> String {
        guard let url = URL(string: link), url.scheme != nil else { return link }
        return url.path
    }

    @Test("the set-up link creates the first site admin once, only within its hour, and never once an admin exists")
    func setupLink() async throws {
        let store = try await StoreKind.sqliteMemory.make()
        let service = Service(store: store, adminToken: "")
        let secret = service.setupLink.arm(at: service.clock.now)
        try await service.run { client in
            var browser = WebUser(client)
            let wrong = try await browser.request(.get, "/setup/clr_not-the-link")
            #expect(wrong.status == .notFound)
            let page = try await browser.request(.get, "/setup/\(secret)")
            #expect(page.status == .ok && page.text.contains("Set up Clearance"))
            let nonce = WebUser.csrf(in: page.text) ?? ""
            let weak = try await browser.request(.post, "/setup/\(secret)", form: [
                ("csrf", nonce), ("/name", "Rosa"), ("/email", "rosa@example.com"), ("/password", "rosa12345678"), ("/confirm", "rosa12345678"),
            ])
            #expect(weak.status == .unprocessableContent && weak.text.contains("name part"), "the password rule is the sign-up rule")
            #expect(try await store.siteAdminCount() == 0)
            let made = try await browser.request(.post, "/setup/\(secret)", form: [
                ("csrf", nonce), ("/name", "Rosa"), ("/email", "Rosa@Example.com"), ("/password", "a quiet studio at dawn"),
                ("/confirm", "a quiet studio at dawn"),
            ])
            #expect(made.status == .seeOther && made.headers[.location] == "/site")
            #expect(browser.cookies["clearance_session"] != nil, "the new admin is signed in")
            #expect(try await store.user(email: "rosa@example.com")?.isSiteAdmin == true)
            let again = try await browser.request(.get, "/setup/\(secret)")
            #expect(again.status == .notFound && again.text.contains("used or has expired"), "the link dies once used")
        }
        // A new link on a database that has an admin opens nothing.
        let late = service.setupLink.arm(at: service.clock.now)
        try await service.run { client in
            var browser = WebUser(client)
            let answer = try await browser.request(.get, "/setup/\(late)")
            #expect(answer.status == .notFound)
        }
    }

    @Test("a set-up link is taken by one submission at a time and given back when the form must be filled in again")
    func setupLinkTaken() {
        let link = SetupLink()
        let now = Date()
        let secret = link.arm(at: now)
        let taken = link.take(secret, at: now)
        #expect(taken != nil)
        #expect(link.take(secret, at: now) == nil, "a second submission at the same moment finds no link")
        #expect(!link.accepts(secret, at: now))
        if let taken { link.restore(taken) }
        #expect(link.accepts(secret, at: now), "given back, it works again")
        #expect(link.take("clr_other", at: now) == nil)
    }

    @Test("a set-up link stops working an hour after it was printed")
    func setupLinkExpires() async throws {
        let store = try await StoreKind.sqliteMemory.make()
        let service = Service(store: store, adminToken: "")
        let secret = service.setupLink.arm(at: service.clock.now)
        service.clock.advance(SetupLink.lifetime + 1)
        try await service.run { client in
            var browser = WebUser(client)
            let answer = try await browser.request(.get, "/setup/\(secret)")
            #expect(answer.status == .notFound)
        }
    }

    @Test("changing a password needs the current one and signs out every other browser", arguments: StoreKind.all)
    func changePassword(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var here = WebUser(client), elsewhere = WebUser(client)
            _ = try await here.signIn("crew@example.com")
            _ = try await elsewhere.signIn("crew@example.com")
            let account = try await here.request(.get, "/account")
            #expect(account.text.contains("this one included: <strong>2</strong>"))
            let csrf = WebUser.csrf(in: account.text) ?? ""
            let wrong = try await here.request(.post, "/account/password", form: [
                ("csrf", csrf), ("/current", "not my password"), ("/password", "a new sentence to remember"),
                ("/confirm", "a new sentence to remember"),
            ])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("not your current password"))
            let changed = try await here.request(.post, "/account/password", form: [
                ("csrf", csrf), ("/current", "correct horse battery"), ("/password", "a new sentence to remember"),
                ("/confirm", "a new sentence to remember"),
            ])
            #expect(changed.status == .seeOther)
            #expect(try await here.request(.get, "/account").text.contains("Password changed"), "the page says what happened")
            #expect(try await elsewhere.request(.get, "/account").status == .seeOther, "the other browser is signed out")
            var fresh = WebUser(client)
            #expect(try await fresh.signIn("crew@example.com").headers[.location] != "/", "the old password no longer works")
            #expect(try await fresh.signIn("crew@example.com", password: "a new sentence to remember").headers[.location] == "/")
            #expect(try await service.store.auditEventsInOrder().contains { $0.action == "user.password.changed" })
            // Wrong guesses at the current password count as failed sign-ins do.
            let next = WebUser.csrf(in: try await here.request(.get, "/account").text) ?? ""
            var last = ""
            for _ in 0..<6 {
                last = try await here.request(.post, "/account/password", form: [
                    ("csrf", next), ("/current", "a wrong guess here"), ("/password", "another long sentence"), ("/confirm", "another long sentence"),
                ]).text
            }
            #expect(last.contains("Too many wrong passwords"), "guessing through the account page is limited")
        }
    }

    @Test("a reset link sets a new password once, signs the user out everywhere, and lands them signed in", arguments: StoreKind.all)
    func resetLink(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            let users = try await client.expect(.ok, .get, "/api/v1/users", token: service.adminToken).items
            let crewID = users.first { $0["email"] as? String == "crew@example.com" }?["id"] as? String ?? ""
            let issued = try await client.expect(.created, .post, "/api/v1/users/\(crewID)/password-reset", token: service.adminToken)
            let link = Self.path(of: issued["link"] as? String ?? "")
            #expect(link.hasPrefix("/reset/clr_"))
            var holder = WebUser(client)
            let page = try await holder.request(.get, link)
            #expect(page.status == .ok && page.text.contains("crew@example.com"))
            let nonce = WebUser.csrf(in: page.text) ?? ""
            let set = try await holder.request(.post, link, form: [("csrf", nonce), ("/password", "harbour lights at night"),
                                                                   ("/confirm", "harbour lights at night")])
            #expect(set.status == .seeOther && set.headers[.location] == "/account")
            #expect(try await holder.request(.get, "/account").text.contains("Your new password is set"))
            #expect(try await crew.request(.get, "/account").status == .seeOther, "the earlier session ended")
            let reused = try await WebUser(client).requestOnce(.get, link)
            #expect(reused.status == .notFound, "the link works once")
            let second = try await client.expect(.created, .post, "/api/v1/users/\(crewID)/password-reset", token: service.adminToken)
            let third = try await client.expect(.created, .post, "/api/v1/users/\(crewID)/password-reset", token: service.adminToken)
            var user = WebUser(client)
            let open = try await user.request(.get, Self.path(of: second["link"] as? String ?? ""))
            _ = try await user.request(.post, Self.path(of: second["link"] as? String ?? ""), form: [
                ("csrf", WebUser.csrf(in: open.text) ?? ""), ("/password", "harbour lights at dawn"), ("/confirm", "harbour lights at dawn"),
            ])
            let stale = try await WebUser(client).requestOnce(.get, Self.path(of: third["link"] as? String ?? ""))
            #expect(stale.status == .notFound, "a new password ends every other open reset link")
            // Only the hash of the link's secret is kept.
            let secret = String(link.dropFirst("/reset/".count))
            #expect(try await service.store.passwordReset(secretHash: secret) == nil)
            #expect(try await service.store.passwordReset(secretHash: SecretHash.of(secret))?.usedAt != nil)
        }
    }

    @Test("a token made on the account page is shown once with a scan command, works on the API, and is revoked from the page")
    func tokens() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            let csrf = WebUser.csrf(in: try await crew.request(.get, "/account").text) ?? ""
            let bad = try await crew.request(.post, "/account/tokens", form: [("csrf", csrf), ("/label", ""), ("/days", "9999")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("1 to 365"))
            let made = try await crew.request(.post, "/account/tokens", form: [
                ("csrf", csrf), ("/label", "edit suite"), ("/days", "30"), ("/production", "p1"),
            ])
            #expect(made.status == .created)
            let secret = try #require(Self.shown("new-token", in: made.text))
            #expect(made.text.contains("--production p1 --upload"))
            _ = try await client.expect(.ok, .get, "/api/v1/productions/p1", token: secret)
            let listed = try await crew.request(.get, "/account")
            #expect(!listed.text.contains(secret), "the secret is shown only once")
            let tokens = try await client.expect(.ok, .get, "/api/v1/tokens", token: secret).items
            let id = tokens.first { $0["label"] as? String == "edit suite" }?["id"] as? String ?? ""
            let revoked = try await crew.request(.post, "/account/tokens/\(id)/revoke", form: [("csrf", csrf)])
            #expect(revoked.status == .seeOther)
            _ = try await client.expect(.unauthorized, .get, "/api/v1/productions/p1", token: secret)
        }
    }

    @Test("a studio admin creates a production with territories and dates, invites people, changes a role and removes someone")
    func studioFromPages() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/users", token: service.adminToken,
                                        json: #"{"email": "boss@example.com", "name": "Bo", "password": "correct horse battery"}"#)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: service.adminToken,
                                        json: #"{"email": "boss@example.com", "role": "admin"}"#)
            var boss = WebUser(client)
            _ = try await boss.signIn("boss@example.com")
            let csrf = WebUser.csrf(in: try await boss.request(.get, "/studios/acme/productions/new").text) ?? ""
            let refused = try await boss.request(.post, "/studios/acme/productions/new", form: [
                ("csrf", csrf), ("/id", "Bad Id"), ("/title", "Salt Road"), ("/territories[]", "EU"),
            ])
            #expect(refused.status == .unprocessableContent && refused.text.contains("not a valid id"))
            #expect(refused.text.contains(#"value="Salt Road""#), "the title is kept")
            let made = try await boss.request(.post, "/studios/acme/productions/new", form: [
                ("csrf", csrf), ("/id", "salt-road"), ("/title", "Salt Road"), ("/kind", "nonfiction"),
                ("/territories[]", "EU"), ("/territories[]", "US-NY"), ("/photography-starts-on", "2027-02-01"),
                ("/delivery-on", "2027-10-15"),
            ])
            #expect(made.status == .seeOther && made.headers[.location] == "/productions/salt-road/people")
            let production = try await client.expect(.ok, .get, "/api/v1/productions/salt-road", token: service.adminToken)
            #expect(production["territories"] as? [String] == ["EU", "US-NY"] && production["kind"] as? String == "nonfiction")
            let page = try await boss.request(.get, "/productions/salt-road")
            #expect(page.text.contains("European Union, New York") && page.text.contains("2027-10-15"))
            #expect(try await boss.request(.get, "/productions/salt-road/requests/new").status == .forbidden)

            let invited = try await boss.request(.post, "/productions/salt-road/people", form: [
                ("csrf", csrf), ("/email", "crew@example.com"), ("/role", "requester"),
            ])
            #expect(invited.status == .accepted && invited.text.contains("Invitation ready for crew@example.com"))
            let link = Self.path(of: Self.shown("invitation-link", in: invited.text) ?? "")
            let waiting = try await boss.request(.get, "/productions/salt-road/people")
            #expect(waiting.text.contains("Invited, not yet joined") && waiting.text.contains("crew@example.com"),
                    "the people page lists who was invited and has not joined")
            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            let accept = try await crew.request(.get, link)
            _ = try await crew.request(.post, link, form: [("csrf", WebUser.csrf(in: accept.text) ?? "")])
            #expect(!(try await boss.request(.get, "/productions/salt-road/people")).text.contains("Invited, not yet joined"),
                    "once they join, the invitation leaves the list")
            let intake = try await crew.request(.get, "/productions/salt-road/requests/new")
            #expect(intake.status == .ok && intake.text.contains(#"name="/nonfiction:bool" value="true" checked"#),
                    "a non-fiction production's intake form starts with that answer")

            let crewID = (try await client.expect(.ok, .get, "/api/v1/users", token: service.adminToken).items
                .first { $0["email"] as? String == "crew@example.com" }?["id"] as? String) ?? ""
            let changed = try await boss.request(.post, "/productions/salt-road/people/\(crewID)", form: [("csrf", csrf), ("/role", "viewer")])
            #expect(changed.status == .seeOther)
            let members = try await client.expect(.ok, .get, "/api/v1/productions/salt-road/members", token: service.adminToken).items
            #expect(members.first { $0["user"] as? String == crewID }?["role"] as? String == "viewer")
            let removed = try await boss.request(.post, "/productions/salt-road/people/\(crewID)/remove", form: [("csrf", csrf)])
            #expect(removed.status == .seeOther)
            #expect(try await crew.request(.get, "/productions/salt-road").status == .notFound, "removed, they see nothing of it")

            let archived = try await boss.request(.post, "/productions/salt-road/archive", form: [("csrf", csrf), ("/archived", "true")])
            #expect(archived.status == .seeOther)
            #expect(try await boss.request(.get, "/studios/acme/productions").text.contains("Archived"))
        }
    }
}

extension WebUser {
    /// One request from a fresh browser (no cookies kept).
    func requestOnce(_ method: HTTPRequest.Method, _ path: String) async throws -> Answer {
        var copy = self
        return try await copy.request(method, path)
    }
}
