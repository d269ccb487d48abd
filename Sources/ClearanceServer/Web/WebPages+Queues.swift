internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

/// Lists of requests that can grow without bound (an approver's queue, the socialized uses to
/// acknowledge, a production's requests) are filtered and counted in the database and shown a
/// page at a time, each page saying how many there are in all: nothing is cut off unseen.
extension WebPages {
    /// How many requests the home page shows of each queue; the rest are a link away.
    static let homeListSize = 20
    /// How many requests a list page shows at a time.
    static let pageSize = 50

    func registerQueuePages(on router: Router<ClearanceContext>) {
        router.get("studios/:studio/queue") { request, context in
            try await page(request, context) { _ in try await queuePage(request, context, kind: .verdicts) }
        }
        router.get("studios/:studio/to-acknowledge") { request, context in
            try await page(request, context) { _ in try await queuePage(request, context, kind: .acknowledgements) }
        }
    }

    enum Queue {
        case verdicts, acknowledgements

        var path: String {
            switch self {
            case .verdicts: "queue"
            case .acknowledgements: "to-acknowledge"
            }
        }
    }

    /// The requests of a studio waiting on this member: for an approver, escalated requests with one
    /// of their areas still unjudged on the current decision; for a contact, socialized uses not yet
    /// acknowledged. Never requests they filed or revised themselves.
    static func query(_ queue: Queue, studioID: String, member: StudioMember, caller: Caller) -> RequestQuery {
        switch queue {
        case .verdicts:
            RequestQuery(studioID: studioID, state: .escalated, awaitingVerdictFrom: member.areas, notAuthoredBy: caller.user.id)
        case .acknowledgements:
            RequestQuery(studioID: studioID, state: .socialized, notAuthoredBy: caller.user.id)
        }
    }

    /// A page of a list for the `request-rows` partial, with how many there are in all and a link
    /// on: `more` names the link's words (the home page links to the full list; a list page to its
    /// next page). Nil when nothing matches.
    func listing(_ query: RequestQuery, after: String?, size: Int, link: String, more: (Int, String) -> String,
                 waitingFor areas: [Area]? = nil) async throws -> [String: Any]? {
        var page = query
        page.after = after
        page.limit = size + 1
        var requests = try await store.requests(page)
        guard !requests.isEmpty else { return nil }
        // One more than is shown says whether there is a next page.
        let hasMore = requests.count > size
        if hasMore { requests.removeLast() }
        var rows: [[String: Any]] = []
        for request in requests {
            var row = Self.row(request)
            if let areas {
                row["waiting"] = try await waitingAreas(request, for: areas).map { Wording.area($0) }.joined(separator: ", ")
            }
            rows.append(row)
        }
        var table: [String: Any] = ["rows": rows]
        let total = try await count(query)
        if hasMore, let last = requests.last {
            let separator = link.contains("?") ? "&" : "?"
            table["more"] = ["text": more(requests.count, total), "link": link + separator + "after=" + Self.percentEncode(last.id)]
        } else if after != nil {
            table["more"] = ["text": "These are the last \(requests.count) of \(total).", "link": link, "label": "Back to the newest"]
        }
        return table
    }

    /// How many a list holds, in words. A queue's filters (areas still waiting, not the reader's
    /// own) cost a check per request, so a queue is counted only up to `queueCountLimit`, which
    /// keeps an approver's home as quick at 50,000 requests as at 1,000.
    func count(_ query: RequestQuery) async throws -> String {
        guard query.awaitingVerdictFrom != nil || query.notAuthoredBy != nil else {
            return String(try await store.countRequests(query))
        }
        var capped = query
        capped.limit = Self.queueCountLimit + 1
        let counted = try await store.requests(capped).count
        return counted > Self.queueCountLimit ? "more than \(Self.queueCountLimit)" : String(counted)
    }

    static let queueCountLimit = 1000

    func queuePage(_ request: Request, _ context: ClearanceContext, kind: Queue) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.visibleStudio(try api.parameter(context, "studio"), caller)
        guard let member = caller.studioRoles[studio.id],
              kind == .verdicts ? member.role == .approver : caller.canAcknowledge(in: studio.id) else {
            throw Problem.forbidden(kind == .verdicts ? "only the studio's approvers have a verdict queue"
                                                      : "only the studio's contacts and admins acknowledge socialized uses")
        }
        let after = request.uri.queryParameters["after"].map(String.init)
        let path = "/studios/\(studio.id)/\(kind.path)"
        let table = try await listing(Self.query(kind, studioID: studio.id, member: member, caller: caller), after: after,
                                      size: Self.pageSize, link: path,
                                      more: { shown, total in "Showing \(shown) of \(total), newest first." },
                                      waitingFor: kind == .verdicts ? member.areas : nil)
        let title = kind == .verdicts ? "Waiting on your verdict" : "Socialized uses to acknowledge"
        return views.render("queue", [
            "studio": ["id": studio.id, "name": studio.name], "heading": title, "requests": table as Any,
            "lead": kind == .verdicts
                ? "Escalated uses at \(studio.name) that need a verdict from your areas (\(member.areas.map { Wording.area($0) }.joined(separator: ", "))) on their current revision."
                : "Uses at \(studio.name) that were cleared to go ahead and told to the studio; acknowledge each once you have read it.",
            "empty": kind == .verdicts ? "Nothing is waiting on your areas." : "Every socialized use has been acknowledged.",
        ], title: title, context: context)
    }
}
