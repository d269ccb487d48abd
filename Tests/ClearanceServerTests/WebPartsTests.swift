@testable import ClearanceServer
import ClearanceService
import ClearanceCore
import ClearanceStore
import Foundation
import Testing

@Suite("Web parts")
struct WebPartsTests {
    typealias Field = FormDocument.Field

    @Test("a form named by JSON pointers becomes the request document: lists, booleans, groups, and no empty values")
    func formDocument() throws {
        let form = try FormDocument([
            Field(name: "csrf", value: "token"), Field(name: "/title", value: "Boards"), Field(name: "/media[]", value: "image"),
            Field(name: "/media[]", value: "video"), Field(name: "/steps/0/tool", value: "a"), Field(name: "/steps/0/inputs[]", value: "prompt"),
            Field(name: "/steps/1/tool", value: ""), Field(name: "/steps/2/tool", value: "b"), Field(name: "/output/realistic:bool", value: "true"),
            Field(name: "/nonfiction:bool", value: ""), Field(name: "/talent/0/performer", value: ""), Field(name: "/department", value: ""),
        ])
        #expect(form.document.canonical == JSONValue.parse("""
            {"title": "Boards", "media": ["image", "video"], "steps": [{"tool": "a", "inputs": ["prompt"]}, {"tool": "b"}],
             "output": {"realistic": true}}
            """)?.canonical)
        #expect(form.fields.map(\.name) == ["/title", "/media[]", "/media[]", "/steps/0/tool", "/steps/0/inputs[]", "/steps/1/tool",
                                            "/output/realistic:bool"], "the gap left by the empty step is closed in the names too")
    }

    @Test("form field names that are not pointers into a document are refused", arguments: [
        "/", "/a//b", "/steps/100/tool", "/steps/-1/tool", "/a/b/c/d/e/f/g", "/" + String(repeating: "x", count: 41),
    ])
    func badNames(name: String) {
        #expect(throws: FormDocumentError.badName(name)) { try FormDocument([Field(name: name, value: "v")]) }
    }

    @Test("a flood of fields is refused before anything is built")
    func tooManyFields() {
        let fields = (0...FormDocument.maxFields).map { Field(name: "/title", value: "\($0)") }
        #expect(throws: FormDocumentError.tooManyFields) { try FormDocument(fields) }
    }

    @Test("urlencoded bodies decode plus signs, percent escapes and empty values")
    func urlEncoded() {
        let fields = URLEncodedForm.parse("%2Ftitle=Night+%26+day&empty=&%2Fmedia%5B%5D=image&bad=%ZZ")
        #expect(fields.map(\.name) == ["/title", "empty", "/media[]"])
        #expect(fields.first?.value == "Night & day")
    }

    @Test("line diff: unchanged, added, removed and replaced lines, numbered in both versions")
    func lineDiff() {
        let lines = LineDiff.compare("a\nb\nc\nd\n", "a\nc\nx\nd\ne\n")
        #expect(lines.map { "\($0.change.rawValue):\($0.text)" } == ["same:a", "removed:b", "same:c", "added:x", "same:d", "added:e"])
        #expect(lines.first { $0.text == "x" }?.newNumber == 3)
        #expect(lines.first { $0.text == "b" }?.oldNumber == 2)
        #expect(LineDiff.compare("same\n", "same\n").allSatisfy { $0.change == .same })
        #expect(LineDiff.compare("", "new\n").map(\.change) == [.added])
    }

    @Test("the diff excerpt folds long unchanged runs around the changes")
    func diffExcerpt() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 10", with: "line ten")
        let rows = WebPages.diffExcerpt(LineDiff.compare(old, new))
        let gaps = rows.compactMap { if case .gap(let count) = $0 { count } else { nil } }
        #expect(gaps == [6, 7], "three lines of context either side of the change")
    }

    @Test("charts escape labels and describe their figures for screen readers")
    func charts() {
        let svg = Chart.rows([Chart.Bar(label: "<b>&", value: 3), Chart.Bar(label: "none", value: 0)], title: "Uses \"x\"", id: "c1")
        #expect(svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"))
        #expect(svg.contains(#"<title id="c1-title">Uses &quot;x&quot;</title>"#))
        #expect(svg.contains("<desc id=\"c1-desc\">&lt;b&gt;&amp;: 3, none: 0</desc>"))
        #expect(svg.contains(#"role="img""#))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)
    }

    @Test("after sign-in, only a plain path on this site is followed", arguments: [
        ("/requests/r-1?x=1", true), ("/", true), ("//evil.example", false), ("/\t/evil.example", false), ("/\\evil.example", false),
        ("https://evil.example", false), ("/ok path", false), ("/a\nb", false), ("", false),
    ])
    func safeNext(next: String, followed: Bool) {
        #expect((WebPages.safeNext(next) != nil) == followed)
    }

    @Test("the sign-in limits key attempts by account and address, and wait until the oldest attempt leaves the window")
    func throttleLimits() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let limits = SignInLimits(window: 900, maxPerAccount: 3, maxPerAddress: 5)
        #expect(limits.keys(account: "a", address: "ip") == [ThrottleKey("account:a", limit: 3), ThrottleKey("address:ip", limit: 5)])
        #expect(limits.secondsToWait(oldest: [t0], at: t0.addingTimeInterval(10)) == 890)
        #expect(limits.secondsToWait(oldest: [t0, t0.addingTimeInterval(5)], at: t0.addingTimeInterval(10)) == 895)
        #expect(limits.secondsToWait(oldest: [t0], at: t0.addingTimeInterval(899.5)) == 1)
    }

    @Test("dashboard waits run from the triage to the verdict that settled the request")
    func dashboardWaits() {
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        func use(_ state: RequestState, verdicts: [(VerdictKind, Double)]) -> SettledUse {
            SettledUse(state: state, triagedAt: t0, verdicts: verdicts.map { .init(kind: $0.0, at: t0.addingTimeInterval($0.1 * 3600)) })
        }
        #expect(Dashboard.wait(use(.approved, verdicts: [(.approved, 2), (.approved, 30)])) == 30)
        #expect(Dashboard.wait(use(.rejected, verdicts: [(.approved, 1), (.rejected, 5)])) == 5)
        #expect(Dashboard.wait(use(.changesRequested, verdicts: [(.changesRequested, 3), (.changesRequested, 9)])) == 3)
        #expect(Dashboard.wait(use(.escalated, verdicts: [(.approved, 1)])) == nil, "not settled yet")
        let month = String(Timestamps.day(t0).prefix(7))
        let figures = Dashboard(DashboardCounts(byOutcome: [.escalate: 2], byArea: [.legal: 2], byMonth: [month: 2],
                                                settled: [use(.approved, verdicts: [(.approved, 2)]), use(.approved, verdicts: [(.approved, 100)])]),
                                now: t0)
        #expect(figures.waitBuckets.map(\.value) == [1, 0, 1, 0])
        #expect(figures.medianWait == "2.1 days")
        #expect(figures.byOutcome.map(\.value) == [0, 2, 0])
        #expect(figures.byMonth.last?.value == 2 && figures.byMonth.count == 12)
        #expect(Timestamps.day(Dashboard.since(t0)).hasSuffix("-01"), "months are counted from the first day of the oldest")
    }
}
