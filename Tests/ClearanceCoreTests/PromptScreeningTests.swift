@testable import ClearanceCore
import Testing

@Suite("Prompt screening")
struct PromptScreeningTests {
    let screener = PromptScreener(defaultPolicy.screening)

    func found(_ prompt: String) -> [String] {
        screener.screen(prompt, step: 0).map(\.text)
    }

    @Test("a manner phrase followed by a name or title is a reference", arguments: [
        ("a lone rider on a ridge, in the style of Ansel Adams", "in the style of Ansel Adams"),
        ("inspired by the Night Watch", "inspired by the Night Watch"),
        ("In The Manner Of Vermeer, soft light", "In The Manner Of Vermeer"),
        ("a street à la Hopper", "à la Hopper"),
        ("reminiscent of Blade Runner at night", "reminiscent of Blade Runner"),
    ])
    func manner(prompt: String, match: String) {
        #expect(found(prompt) == [match])
    }

    @Test("a manner phrase followed by an ordinary word is not", arguments: [
        "in the style of a silent-film title card",
        "inspired by the sea at dusk",
        "the style of the era",
    ])
    func notManner(prompt: String) {
        #expect(found(prompt).isEmpty)
    }

    @Test("a possessive name before a likeness feature is a reference, with either apostrophe")
    func likeness() {
        #expect(found("a character with Meryl Streep's nose") == ["Meryl Streep's nose"])
        #expect(found("a character with Meryl Streep’s nose") == ["Meryl Streep’s nose".replacingOccurrences(of: "’", with: "'")])
        #expect(found("James' laugh over the credits") == ["James' laugh"])
        #expect(found("the Captain's cabin").isEmpty)
        #expect(found("the hero's face in shadow").isEmpty)
    }

    @Test("watch-list names match in any case and report their list")
    func watchList() {
        let hits = screener.screen("a droid from STAR WARS on a beach", step: 2)
        #expect(hits.map(\.text) == ["STAR WARS"])
        #expect(hits.first?.list == "franchises")
        #expect(hits.first?.kind == .watchList)
        #expect(hits.first?.step == 2)
        #expect(found("a starwarsy feel").isEmpty)
    }

    @Test("prompts of any shape are screened without crashing")
    func hostile() {
        for prompt in ["", "'''", "in the style of", "'s nose", String(repeating: "in the style of ", count: 500), "\u{0}\u{FFFF}é"] {
            _ = screener.screen(prompt, step: 0)
        }
    }
}
