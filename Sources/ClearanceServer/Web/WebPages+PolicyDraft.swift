internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Editing a studio's policy in the browser: a draft (from the current version or the default),
/// checked as `clearance policy lint` and `test` check it, previewed against every open and
/// approved request, then published from the preview. Drafts live only in the form.
extension WebPages {
    func registerPolicyDraftPages(on router: Router<ClearanceContext>) {
        router.get("studios/:studio/policy/draft") { request, context in
            try await page(request, context) { _ in
                let caller = try caller(context)
                let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
                let fromDefault = request.uri.queryParameters["from"] == "default"
                let text = fromDefault ? Policy.defaultPolicyText : try await api.studios.currentPolicy(in: studio.id, by: caller).text
                return try await draftPage(request, context, studio: studio, text: text, preview: nil,
                                           source: fromDefault ? "the default policy" : "the current version")
            }
        }
        router.post("studios/:studio/policy/draft") { request, context in
            try await page(request, context) { fields in
                let caller = try caller(context)
                let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
                let text = Self.lineEndings(fields.value("/text") ?? "")
                let preview = try await api.studios.previewPolicy(text, in: studio.id, by: caller)
                return try await draftPage(request, context, studio: studio, text: text, preview: preview, source: nil,
                                           status: preview.publishable ? .ok : .unprocessableContent)
            }
        }
        router.post("studios/:studio/policy/publish") { request, context in
            try await page(request, context) { fields in
                let caller = try caller(context)
                let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
                let text = Self.lineEndings(fields.value("/text") ?? "")
                // What was previewed is what is published: a text changed since gets a fresh preview.
                // Publishing checks the policy and runs its tests again, so the preview's whole
                // impact is worked out again only when the text is not the one previewed.
                if Policy.examine(text, file: "draft").0?.digest == fields.value("/digest") {
                    do {
                        switch try await api.studios.publishPolicy(text, in: studio.id, by: caller) {
                        case .published: return finished("policy-published", at: "/studios/\(studio.id)/policy", request)
                        case .unchanged: return finished("policy-unchanged", at: "/studios/\(studio.id)/policy", request)
                        }
                    } catch is PolicyTestFailures {
                        // Shown with the fresh preview below.
                    }
                }
                let preview = try await api.studios.previewPolicy(text, in: studio.id, by: caller)
                return try await draftPage(request, context, studio: studio, text: text, preview: preview, source: nil,
                                           status: .conflict, note: "The draft changed after its preview, so nothing was published. Here is the preview of the draft as it now stands.")
            }
        }
    }

    /// Browsers send a textarea's lines ended with CR LF; the policy is kept with LF.
    static func lineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    func draftPage(_ request: Request, _ context: ClearanceContext, studio: StudioRecord, text: String,
                   preview: StudioAdministration.PolicyPreview?, source: String?, status: HTTPResponse.Status = .ok,
                   note: String? = nil) async throws -> Response {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name], "text": text, "source": source as Any, "note": note as Any,
            "maxKB": Self.maxFormSize / 1024 - 16,
        ]
        if let preview {
            let problems = preview.diagnostics.map { diagnostic -> [String: Any] in
                let line = diagnostic.location?.line
                return ["error": diagnostic.severity == .error, "kind": diagnostic.severity == .error ? "Error" : "Warning",
                        "where": line.map { "Line \($0)" + (diagnostic.location.map { ", column \($0.column)" } ?? "") } ?? "The document",
                        "field": diagnostic.path.map(\.description) as Any, "message": Wording.sentence(diagnostic.message),
                        "source": line.flatMap { $0 >= 1 && $0 <= lines.count ? String(lines[$0 - 1]) : nil } as Any]
            }
            let changes = preview.impacts.filter(\.changes)
            var result: [String: Any] = [
                "problems": problems, "loads": preview.policy != nil, "testCount": preview.testCount,
                "testFailures": preview.testFailures.map { failure in
                    ["name": failure.name, "line": failure.location.line, "why": failure.failures.map(Wording.sentence).joined(separator: " ")]
                },
                "sameAsCurrent": preview.sameAsCurrent, "publishable": preview.publishable && !preview.sameAsCurrent,
                "digest": preview.policy?.digest ?? "", "number": preview.current.number + 1, "currentNumber": preview.current.number,
                "total": preview.impacts.count, "changeCount": changes.count,
                "impacts": preview.impacts.map { impact -> [String: Any] in
                    ["id": impact.request.id, "title": impact.request.title, "state": Wording.state(impact.request.state),
                     "now": Self.outcomeWords(impact.outcomeNow, impact.areasNow),
                     "draft": impact.outcomeDraft.map { Self.outcomeWords($0, impact.areasDraft) } ?? "Cannot be read under the draft",
                     "changes": impact.changes,
                     "stale": impact.staleVerdicts.map { "\(Wording.area($0.area).capitalizedFirst) (\(Wording.verdict($0.verdict)))" }
                        .joined(separator: ", ")]
                },
            ]
            if let policy = preview.policy { result["version"] = policy.version }
            values["preview"] = result
        }
        return views.render("policy-draft", values, title: "Policy draft: \(studio.name)", context: context, status: status)
    }

    static func outcomeWords(_ outcome: Outcome, _ areas: [Area]) -> String {
        Wording.outcomeTag(outcome).capitalizedFirst + (areas.isEmpty ? "" : " (" + areas.map(Wording.area).joined(separator: ", ") + ")")
    }
}
