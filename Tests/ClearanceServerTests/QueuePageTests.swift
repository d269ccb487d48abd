import ClearanceCore
import ClearanceServer
import ClearanceStore
import Foundation
import HTTPTypes
import Testing

/// Queues and request lists that outgrow a page are counted and paged, never cut off unseen.
@Suite("Queue pages")
struct QueuePageTests {
    /// The request ids linked from a page's table rows.
    static func requestIDs(_ html: String) -> [String] {
        html.components(separatedBy: #"<a href="/requests/"#).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// The "Show more" link's target, if the page has one.
    static func moreLink(_ html: String) -> String? {
        guard let range = html.range(of: #"<p class="more">"#),
              let href = html[range.upperBound...].range(of: #"<a href=""#) else { return nil }
        return String(html[href.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("an approver with 202 requests waiting sees a count and pages through every one of them")
    func longQueue() async throws {
        let service = try await Service.make()
        try await service.run { client in
            try await webStudio(client, admin: service.adminToken)
            let bulk = try await client.user("bulk@example.com", admin: service.adminToken)
            _ = try await client.expect(.created, .post, "/api/v1/productions/p1/members", token: service.adminToken,
                                        json: #"{"email": "bulk@example.com", "role": "requester"}"#)
            var filed: Set<String> = []
            for index in 0..<202 {
                service.clock.advance(1)
                let answer = try await client.expect(.created, .post, "/api/v1/productions/p1/requests", token: bulk,
                                                     yaml: escalatingRequest(title: "Boards \(index)"))
                filed.insert(answer["id"] as? String ?? "")
            }
            var legal = WebUser(client)
            _ = try await legal.signIn("legal@example.com")
            let home = try await legal.request(.get, "/")
            #expect(home.text.contains("Showing the newest 20 of 202 waiting."))
            #expect(!home.text.contains("Nothing is waiting on your areas"))
            #expect(Self.requestIDs(home.text).count == 20)

            var seen: [String] = []
            var next: String? = "/studios/acme/queue"
            var pages = 0
            while let path = next, pages < 10 {
                let page = try await legal.request(.get, path)
                #expect(page.status == .ok)
                seen += Self.requestIDs(page.text)
                next = Self.moreLink(page.text).flatMap { $0.contains("after=") ? $0 : nil }
                pages += 1
            }
            #expect(pages == 5, "50 + 50 + 50 + 50 + 2")
            let last = try await legal.request(.get, "/studios/acme/queue?after=" + (seen.dropLast(2).last ?? ""))
            #expect(last.text.contains("These are the last 2 of 202."))
            #expect(seen.count == 202 && Set(seen) == filed, "every waiting request appears once")

            // The requester is no approver: the queue page is refused; the production's list pages too.
            var crew = WebUser(client)
            _ = try await crew.signIn("crew@example.com")
            #expect(try await crew.request(.get, "/studios/acme/queue").status == .forbidden)
            let production = try await crew.request(.get, "/productions/p1")
            #expect(production.text.contains("Showing 50 of 202, newest first."))
            let second = try await crew.request(.get, Self.moreLink(production.text) ?? "")
            #expect(Self.requestIDs(second.text).count == 50)
            #expect(Set(Self.requestIDs(second.text)).isDisjoint(with: Self.requestIDs(production.text)))
        }
    }
}
