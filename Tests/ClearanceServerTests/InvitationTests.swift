import ClearanceService
import ClearanceCore
import ClearanceServer
import ClearanceStore
import ClearanceTestSupport
import Foundation
import HTTPTypes
import Testing

/// Adding people by invitation: the inviter never learns whether an email has an account, and
/// only the invitee can use what they were given.
@Suite("Invitations")
struct InvitationTests {
    /// Studio `acme` (boss is its admin) with production `p1`, and `known@example.com`, an account
    /// in no studio, with a password.
    static func setUp(_ client: Client, admin: String) async throws -> (boss: String, known: String) {
        let boss = try await client.user("boss@example.com", admin: admin)
        let known = try await client.expect(.created, .post, "/api/v1/users", token: admin, json: """
            {"email": "known@example.com", "name": "Kim Known", "password": "correct horse battery"}
            """)["token"] as? String ?? ""
        _ = try await client.expect(.created, .post, "/api/v1/studios", token: admin,
                                    json: #"{"id": "acme", "name": "Acme Pictures", "admin": "boss@example.com"}"#)
        _ = try await client.expect(.created, .post, "/api/v1/studios/acme/productions", token: boss,
                                    json: #"{"id": "p1", "title": "Night Train"}"#)
        return (boss, known)
    }

    /// An answer with the values that differ between any two invitations replaced.
    static func shape(_ answer: Answer) -> [String] {
        answer.json.keys.sorted().map { key in
            ["id", "email", "link", "created-at", "expires-at"].contains(key) ? key : "\(key)=\(answer.json[key] ?? "")"
        }
    }

    @Test("inviting an email with an account and one without answers alike, after the same store reads", arguments: StoreKind.all)
    func inviterLearnsNothing(kind: StoreKind) async throws {
        let counting = CountingStore(try await kind.make())
        let token = try await SiteAdmin.create(email: "root@example.com", name: "Root", store: counting)
        try await Service(store: counting, adminToken: token).run { client in
            let (boss, _) = try await Self.setUp(client, admin: token)
            counting.reset()
            let known = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                json: #"{"email": "known@example.com", "role": "requester"}"#)
            let knownCalls = counting.recorded
            counting.reset()
            let unknown = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                  json: #"{"email": "nobody@example.com", "role": "requester"}"#)
            #expect(knownCalls == counting.recorded)
            #expect(Self.shape(known) == Self.shape(unknown))
            let users = try await client.expect(.ok, .get, "/api/v1/users", token: token).items
            let knownID = users.first { $0["email"] as? String == "known@example.com" }?["id"] as? String ?? "?"
            #expect(knownID.hasPrefix("u-"))
            #expect(known["user"] == nil && !known.text.contains(knownID), "the account's id does not reach the inviter")
            #expect((known["link"] as? String)?.hasPrefix("/invitations/clr_") == true)
            #expect(known["production"] as? String == "p1" && known["role"] as? String == "requester")
            // Nothing changed yet: neither is a member until they accept.
            let members = try await client.expect(.ok, .get, "/api/v1/productions/p1/members", token: boss)
            #expect(members.items.isEmpty)
        }
    }

    @Test("someone with an account sees the invitation and accepts it once; nobody else can", arguments: StoreKind.all)
    func accountHolderAccepts(kind: StoreKind) async throws {
        let service = try await Service.make(kind)
        try await service.run { client in
            let (boss, known) = try await Self.setUp(client, admin: service.adminToken)
            let invitation = try await client.expect(.accepted, .post, "/api/v1/studios/acme/members", token: boss,
                                                     json: #"{"email": "Known@Example.com", "role": "approver", "areas": ["legal"]}"#)
            let id = invitation["id"] as? String ?? ""
            let secret = (invitation["link"] as? String ?? "").split(separator: "/").last.map(String.init) ?? ""
            let listed = try await client.expect(.ok, .get, "/api/v1/invitations", token: known)
            #expect(listed.items.map { $0["id"] as? String } == [id])
            #expect(listed.items.first?["link"] == nil, "the link is shown once, to the inviter")
            // The inviter cannot accept on the invitee's behalf, and sees none of it in their own list.
            _ = try await client.expect(.notFound, .post, "/api/v1/invitations/accept", token: boss, json: "{\"token\": \"\(secret)\"}")
            // The invited account itself needs the link's secret: the email alone accepts nothing.
            _ = try await client.expect(.notFound, .post, "/api/v1/invitations/accept", token: known, json: #"{"token": "clr_guess"}"#)
            #expect(try await client.expect(.ok, .get, "/api/v1/invitations", token: boss).items.isEmpty)

            let accepted = try await client.expect(.created, .post, "/api/v1/invitations/accept", token: known, json: "{\"token\": \"\(secret)\"}")
            #expect(accepted["role"] as? String == "approver" && accepted["areas"] as? [String] == ["legal"])
            _ = try await client.expect(.notFound, .post, "/api/v1/invitations/accept", token: known, json: "{\"token\": \"\(secret)\"}")
            #expect(try await client.expect(.ok, .get, "/api/v1/invitations", token: known).items.isEmpty)
            // Now a member: a later change of role is made at once, with no invitation.
            let changed = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: boss,
                                                  json: #"{"email": "known@example.com", "role": "viewer"}"#)
            #expect(changed["role"] as? String == "viewer")
            let audit = try await client.expect(.ok, .get, "/api/v1/audit?studio=acme", token: boss)
            let actions = audit.items.compactMap { $0["action"] as? String }
            #expect(actions.contains("invitation.created") && actions.contains("invitation.accepted"))
            _ = try await client.expect(.ok, .get, "/api/v1/audit/verify", token: service.adminToken)
        }
    }

    @Test("an invitation expires after 14 days")
    func expiry() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let (boss, known) = try await Self.setUp(client, admin: service.adminToken)
            let invitation = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                     json: #"{"email": "known@example.com", "role": "viewer"}"#)
            service.clock.advance(14 * 24 * 3600 + 1)
            _ = try await client.expect(.notFound, .post, "/api/v1/invitations/accept", token: known,
                                        json: invitationAcceptance(invitation["link"] as? String ?? ""))
            var browser = WebUser(client)
            let page = try await browser.request(.get, invitation["link"] as? String ?? "")
            #expect(page.status == .notFound && page.text.contains("expired or has already been used"))
        }
    }

    @Test("someone new opens the link, chooses a password, and lands signed in on the production")
    func newPersonSetsPassword() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let (boss, _) = try await Self.setUp(client, admin: service.adminToken)
            let invitation = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                     json: #"{"email": "rita@example.com", "role": "requester"}"#)
            let link = invitation["link"] as? String ?? ""
            var browser = WebUser(client)
            let page = try await browser.request(.get, link)
            #expect(page.status == .ok)
            #expect(page.text.contains("Night Train, a production of Acme Pictures") && page.text.contains("rita@example.com"))
            #expect(page.text.contains("Create my account"))
            let csrf = WebUser.csrf(in: page.text) ?? ""

            // Without the form's token, nothing happens.
            var stranger = WebUser(client)
            let forged = try await stranger.request(.post, link, form: [("csrf", "x"), ("name", "Rita"), ("password", "a long enough secret"),
                                                                       ("confirm", "a long enough secret")])
            #expect(forged.status == .forbidden)

            let weak = try await browser.request(.post, link, form: [("csrf", csrf), ("name", "Rita"), ("password", "rita-is-great-2026"),
                                                                    ("confirm", "rita-is-great-2026")])
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("must not contain the name part of the email address") && weak.text.contains(#"value="Rita""#))
            let short = try await browser.request(.post, link, form: [("csrf", csrf), ("name", "Rita"), ("password", "short"),
                                                                     ("confirm", "short")])
            #expect(short.status == .unprocessableContent && short.text.contains("at least 12 characters"))
            let differ = try await browser.request(.post, link, form: [("csrf", csrf), ("name", "Rita"), ("password", "a long enough secret"),
                                                                      ("confirm", "a long enough secreT")])
            #expect(differ.status == .unprocessableContent && differ.text.contains("The two passwords differ"))

            let done = try await browser.request(.post, link, form: [("csrf", csrf), ("name", "Rita"), ("password", "a long enough secret"),
                                                                    ("confirm", "a long enough secret")])
            #expect(done.status == .seeOther && done.headers[.location] == "/productions/p1")
            let production = try await browser.request(.get, "/productions/p1")
            #expect(production.status == .ok && production.text.contains("New use request"))
            // The link is spent, and the password works for signing in.
            var again = WebUser(client)
            #expect(try await again.request(.get, link).status == .notFound)
            let signedIn = try await again.signIn("rita@example.com", password: "a long enough secret")
            #expect(signedIn.status == .seeOther)
            let members = try await client.expect(.ok, .get, "/api/v1/productions/p1/members", token: boss)
            #expect(members.items.map { $0["email"] as? String } == ["rita@example.com"])
        }
    }

    @Test("someone with an account is sent to sign in, then accepts; the home page lists what waits for them")
    func accountHolderInBrowser() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let (boss, _) = try await Self.setUp(client, admin: service.adminToken)
            let invitation = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                     json: #"{"email": "known@example.com", "role": "coordinator"}"#)
            let link = invitation["link"] as? String ?? ""
            var browser = WebUser(client)
            let page = try await browser.request(.get, link)
            #expect(page.status == .ok && page.text.contains("Sign in to accept") && !page.text.contains("Create my account"))
            // Choosing a second password for an existing account is refused.
            let signInForm = try await browser.request(.get, "/signin")
            let refused = try await browser.request(.post, link, form: [
                ("csrf", WebUser.csrf(in: signInForm.text) ?? ""), ("name", "Kim"), ("password", "another long secret"),
                ("confirm", "another long secret"),
            ])
            #expect(refused.status == .conflict)

            _ = try await browser.signIn("known@example.com")
            let home = try await browser.request(.get, "/")
            #expect(home.text.contains("You are invited to Night Train, a production of Acme Pictures"))
            #expect(home.text.contains("the GenAI coordinator"))
            let acceptPage = try await browser.request(.get, link)
            #expect(acceptPage.text.contains("Accept the invitation"))
            let accepted = try await browser.request(.post, link, form: [("csrf", WebUser.csrf(in: acceptPage.text) ?? "")])
            #expect(accepted.status == .seeOther && accepted.headers[.location] == "/productions/p1")
            let members = try await client.expect(.ok, .get, "/api/v1/productions/p1/members", token: boss)
            #expect(members.items.first?["role"] as? String == "coordinator")
            #expect(!(try await browser.request(.get, "/")).text.contains("You are invited"))
        }
    }

    @Test("a signed-in user holding someone else's link is told so and cannot accept it")
    func wrongAccount() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let (boss, _) = try await Self.setUp(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/users", token: service.adminToken,
                                        json: #"{"email": "other@example.com", "name": "Other", "password": "correct horse battery"}"#)
            let invitation = try await client.expect(.accepted, .post, "/api/v1/productions/p1/members", token: boss,
                                                     json: #"{"email": "known@example.com", "role": "requester"}"#)
            let link = invitation["link"] as? String ?? ""
            var browser = WebUser(client)
            _ = try await browser.signIn("other@example.com")
            let page = try await browser.request(.get, link)
            #expect(page.text.contains("this invitation is for known@example.com") || page.text.contains("but this invitation is for known@example.com"))
            let home = try await browser.request(.get, "/")
            let refused = try await browser.request(.post, link, form: [("csrf", WebUser.csrf(in: home.text) ?? "")])
            #expect(refused.status == .forbidden)
            let members = try await client.expect(.ok, .get, "/api/v1/productions/p1/members", token: boss)
            #expect(members.items.isEmpty)
        }
    }
}
