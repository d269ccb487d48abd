import ClearanceCore
import ClearanceStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClearanceServer

@Suite("A request's journey in the browser")
struct RequestJourneyPageTests {
    @Test("after changes are asked, the requester revises in a form filled from the last revision, seeing the note and what goes stale")
    func reviseInTheBrowser() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            let location = try #require(try await crew.file(csrf: token, destination: "final").headers[.location])
            let first = try await crew.request(.get, location)
            #expect(first.text.contains("Your request is filed."), "the page says what was done")
            #expect(!(try await crew.request(.get, location)).text.contains("Your request is filed."), "once")
            #expect(first.text.contains("Do not start yet"), "approval is outstanding")

            var legal = WebUser(client)
            _ = try await legal.signIn("legal@example.com")
            let csrf = try #require(WebUser.csrf(in: try await legal.request(.get, location).text))
            let asked = try await legal.request(.post, location + "/verdict", form: [
                ("csrf", csrf), ("area", "legal"), ("verdict", "changes-requested"), ("note", "Show the final frames to legal first"),
            ])
            #expect(asked.status == .seeOther)
            #expect((try await legal.request(.get, location + "/revise")).status == .forbidden, "an approver does not revise")

            let page = try await crew.request(.get, location)
            #expect(page.text.contains("Changes asked for") && page.text.contains("Show the final frames to legal first"))
            #expect(page.text.contains(location + "/revise"))
            let form = try await crew.request(.get, location + "/revise")
            #expect(form.status == .ok)
            #expect(form.text.contains("Show the final frames to legal first"), "the approver's note is at the top")
            #expect(form.text.contains("Legal: asked for changes by legal@example.com"), "the verdict that will go stale is named")
            #expect(form.text.contains(#"value="Desert moodboards""#), "filled from the current revision")
            #expect(form.text.contains(#"value="brutalist desert city at dusk""#) || form.text.contains(">brutalist desert city at dusk<"))
            #expect(form.text.contains("File revision 2"))

            let formCSRF = try #require(WebUser.csrf(in: form.text))
            let bad = try await crew.request(.post, location + "/revise", form: intakeForm(csrf: formCSRF, title: ""))
            #expect(bad.status == .unprocessableContent, "a field error keeps the revise form")
            #expect(bad.text.contains("File revision 2"))
            let revised = try await crew.request(.post, location + "/revise",
                                                 form: intakeForm(csrf: formCSRF, title: "Desert moodboards, frames shown", destination: "final"))
            #expect(revised.status == .seeOther && revised.headers[.location] == location)
            let after = try await crew.request(.get, location)
            #expect(after.text.contains("Your revision is filed"))
            #expect(after.text.contains("revision 2") && after.text.contains("Desert moodboards, frames shown"))
            #expect(after.text.contains("stale"), "the history marks the set-aside verdict")

            let id = String(location.dropFirst("/requests/".count))
            let revisions = try await service.store.revisions(requestID: id)
            #expect(revisions.count == 2 && revisions.last?.authorID != nil)
            let events = try await service.store.auditEvents(AuditQuery(limit: 500)).filter { $0.subject == id }.map(\.action)
            #expect(events.contains("request.revised"))
        }
    }

    @Test("the requester withdraws with a reason; the page says so and offers nothing more")
    func withdrawInTheBrowser() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            let location = try #require(try await crew.file(csrf: token, destination: "final").headers[.location])
            let page = try await crew.request(.get, location)
            let csrf = try #require(WebUser.csrf(in: page.text))
            #expect(page.text.contains("Withdraw this request"))

            var other = WebUser(client)
            _ = try await other.signIn("other@example.com")
            let otherCSRF = try #require(WebUser.csrf(in: try await other.request(.get, "/").text))
            #expect((try await other.request(.post, location + "/withdraw", form: [("csrf", otherCSRF), ("note", "no")])).status == .notFound,
                    "someone from another production cannot even see it")

            let withdrawn = try await crew.request(.post, location + "/withdraw", form: [("csrf", csrf), ("note", "The shot was cut")])
            #expect(withdrawn.status == .seeOther)
            let after = try await crew.request(.get, location)
            #expect(after.text.contains("You withdrew the request") && after.text.contains("Withdrawn"))
            #expect(!after.text.contains("Withdraw this request") && !after.text.contains(location + "/revise"))
            let id = String(location.dropFirst("/requests/".count))
            #expect(try await service.store.request(id: id)?.state == .withdrawn)
            let event = try await service.store.auditEvents(AuditQuery(limit: 500)).last { $0.action == "request.withdrawn" }
            #expect(event?.subject == id && event?.details.contains("The shot was cut") == true, "the reason is kept in the audit chain")
            let again = try await crew.request(.post, location + "/withdraw", form: [("csrf", csrf), ("note", "")])
            #expect(again.status == .conflict && again.text.contains("<html"), "a second withdrawal is refused on a page")
        }
    }

    @Test("a document field the form has no control for survives a revision in the browser")
    func hiddenFieldsRideAlong() {
        let document = JSONValue.object([
            .init("title", .string("Plates")), .init("media", .array([.string("image"), .string("video")])),
            .init("steps", .array([.object([
                .init("tool", .object([.init("id", .string("local-sd")), .init("enterprise", .bool(false))])),
                .init("inputs", .array([.string("prompt")])),
            ])])),
            .init("output", .object([.init("realistic", .bool(true)), .init("destination", .string("final"))])),
        ])
        let fields = FormDocument.fields(of: document)
        #expect(fields.contains(.init(name: "/media[]", value: "video")))
        #expect(fields.contains(.init(name: "/output/realistic:bool", value: "true")))
        let form = IntakeForm(fields: fields, errors: [:], tools: [], consents: [], principles: [])
        #expect(form.hidden == [["name": "/steps/0/tool/id", "value": "local-sd"], ["name": "/steps/0/tool/enterprise:bool", "value": "false"]],
                "an inline tool record rides along, false included")
        let rebuilt = try? FormDocument(fields)
        #expect(rebuilt?.document["steps"]?.rendered == document["steps"]?.rendered)
        #expect(rebuilt?.document["output"]?.rendered == document["output"]?.rendered)
    }

    @Test("a browser gets an HTML page for an unknown address or a form's address; an API client still gets problem+json")
    func errorPagesForBrowsers() async throws {
        let service = try await Service.make()
        try await service.run { client in
            let html: HTTPFields = [.accept: "text/html,application/xhtml+xml"]
            let page = try await client.base.execute(uri: "/no/such/page", method: .get, headers: html) { $0 }
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: page.body).contains("Page not found"))
            let form = try await client.base.execute(uri: "/requests/r-1/withdraw", method: .get, headers: html) { $0 }
            #expect(form.status == .methodNotAllowed && String(buffer: form.body).contains("receives a form"))
            let api = try await client.base.execute(uri: "/api/v1/nothing", method: .get, headers: html) { $0 }
            #expect(api.headers[.contentType] == "application/problem+json", "the API answers problem+json whatever the Accept")
            let plain = try await client.base.execute(uri: "/no/such/page", method: .get) { $0 }
            #expect(plain.headers[.contentType] == "application/problem+json", "a client that does not ask for HTML")
        }
    }

    @Test("a tool described on the intake form triages as an inline record; rebuilt for the form, it is the same description")
    func unlistedToolFields() throws {
        let submitted: [FormDocument.Field] = [
            .init(name: "/steps/0/tool", value: "unlisted"), .init(name: "/steps/0/unlisted/name", value: "Sketchify Pro 2!"),
            .init(name: "/steps/0/unlisted/trains-on-inputs", value: "unknown"), .init(name: "/steps/0/unlisted/retains-inputs", value: "yes"),
            .init(name: "/steps/1/tool", value: "studio-gen"), .init(name: "/steps/1/unlisted/name", value: "ignored"),
        ]
        let document = UnlistedTool.toDocument(submitted)
        #expect(document.contains(.init(name: "/steps/0/tool/id", value: "sketchify-pro-2")))
        #expect(document.contains(.init(name: "/steps/0/tool/enterprise:bool", value: "false")), "an unticked box is no agreement")
        #expect(!document.contains { $0.name == "/steps/0/tool" } && document.contains(.init(name: "/steps/1/tool", value: "studio-gen")))
        #expect(!document.contains { $0.name.hasPrefix("/steps/1/unlisted") || $0.name.hasPrefix("/steps/1/tool/") })
        let back = UnlistedTool.toForm(document)
        #expect(back.contains(.init(name: "/steps/0/tool", value: "unlisted")) && back.contains(.init(name: "/steps/0/unlisted/name", value: "Sketchify Pro 2!")))
        #expect(UnlistedTool.toForm(errors: ["/steps/0/tool/retains-inputs": "x"]) == ["/steps/0/unlisted/retains-inputs": "x"])
        #expect(UnlistedTool.slug("  ---  ", step: "2") == "unlisted-tool-3")
    }

    @Test("an unlisted tool is filed as described; the studio admin is asked to register it, and registers it from the prefilled form")
    func toolsToRegister() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/users", token: service.adminToken,
                                        json: #"{"email": "boss@example.com", "name": "Bo Boss", "password": "correct horse battery"}"#)
            _ = try await client.expect(.created, .post, "/api/v1/studios/acme/members", token: service.adminToken,
                                        json: #"{"email": "boss@example.com", "role": "admin"}"#)
            var (crew, token) = try await WebUser.atIntake(client, "crew@example.com")
            var form = intakeForm(csrf: token).filter { $0.0 != "/steps/0/tool" }
            form += [("/steps/0/tool", "unlisted"), ("/steps/0/unlisted/name", "Sketchify Pro"),
                     ("/steps/0/unlisted/vendor", "Sketchify Ltd"), ("/steps/0/unlisted/trains-on-inputs", "no"),
                     ("/steps/0/unlisted/retains-inputs", "no")]
            let filed = try await crew.request(.post, "/productions/p1/requests/new", form: form)
            let location = try #require(filed.headers[.location])
            #expect(try await crew.request(.get, location).text.contains("Sketchify Pro (described in the request)"))
            #expect((try await crew.request(.get, "/studios/acme/tools/new")).status == .forbidden, "crews do not register tools")

            var boss = WebUser(client)
            _ = try await boss.signIn("boss@example.com")
            let registry = try await boss.request(.get, "/studios/acme/tools")
            #expect(registry.text.contains("Tools to register") && registry.text.contains("Sketchify Pro"))
            let id = String(location.dropFirst("/requests/".count))
            let prefilled = try await boss.request(.get, "/studios/acme/tools/new?from=\(id)&tool=sketchify-pro")
            #expect(prefilled.text.contains(#"value="Sketchify Ltd""#) && prefilled.text.contains(#"value="sketchify-pro""#))
            let csrf = try #require(WebUser.csrf(in: prefilled.text))
            let bad = try await boss.request(.post, "/studios/acme/tools/new", form: [
                ("csrf", csrf), ("/id", "Not A Slug"), ("/trains-on-inputs", "no"), ("/retains-inputs", "no"),
            ])
            #expect(bad.status == .unprocessableContent)
            let saved = try await boss.request(.post, "/studios/acme/tools/new", form: [
                ("csrf", csrf), ("/id", "sketchify-pro"), ("/name", "Sketchify Pro"), ("/vendor", "Sketchify Ltd"),
                ("/trains-on-inputs", "no"), ("/retains-inputs", "no"), ("/terms-checked", "2026-11-20"), ("/approved-for[]", "ideation"),
            ])
            #expect(saved.status == .seeOther)
            let tool = try await client.expect(.ok, .get, "/api/v1/studios/acme/tools/sketchify-pro", token: service.adminToken)
            #expect((tool["record"] as? [String: Any])?["vendor"] as? String == "Sketchify Ltd" && tool["approved-for"] as? [String] == ["ideation"])
            #expect(!(try await boss.request(.get, "/studios/acme/tools")).text.contains("Tools to register"), "nothing left to register")
        }
    }
}
