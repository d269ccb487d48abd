@testable import ClearanceCore
import Testing

@Suite("Reading JSON and bounding documents")
struct DocumentLimitsTests {
    @Test("stored JSON reads back whatever characters a JSON string may hold, DEL, C1 and U+FFFE included")
    func storedJSONReadsBack() throws {
        let value = JSONValue.object([.init("performer", .string("Jane\u{7F}\u{85}\u{9F}\u{FFFE}")), .init("n", .number(3))])
        #expect(JSONValue.parse(value.rendered) == value)
    }

    @Test("surrogate pairs decode to one character, and a lone surrogate is a syntax error with its place")
    func surrogates() throws {
        #expect(try JSONText.parse(#"{"t": "Poster \ud83c\udfac"}"#) == .object([.init("t", .string("Poster \u{1F3AC}"))]))
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse(#"{"t": "\ud83c"}"#) }
        do {
            _ = try JSONText.parse("{\n  \"a\": tru\n}")
            Issue.record("accepted a misspelt literal")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("JSON a request is written in reads through the document reader, emoji included")
    func jsonRequestWithEmoji() throws {
        let parsed = try request(#"""
            {"title": "Poster \ud83c\udfac", "description": "d", "media": ["image"],
             "steps": [{"tool": "studio-imagegen", "inputs": ["prompt"]}]}
            """#)
        #expect(parsed.title == "Poster \u{1F3AC}")
    }

    @Test("a control character in a text field is refused, naming the field and the character")
    func controlCharacters() {
        let found = problems(#"""
            {"title": "t", "description": "d", "media": ["image"],
             "steps": [{"tool": "studio-imagegen", "inputs": ["prompt"]}],
             "talent": [{"performer": "Jane\u007f", "kind": "voice"}]}
            """#)
        #expect(found.contains { $0.path?.description == "talent[0].performer" && $0.message.contains("U+007F") }, "\(found)")
        #expect(TextCharacters.problem(in: "tab\tand\nlines\r fine") == nil)
        #expect(TextCharacters.problem(in: "x\u{FFFF}") != nil)
        #expect(TextCharacters.problem(in: "bell\u{07}") != nil)
    }

    @Test("nested aliases that expand past the bound are refused without walking the expansion")
    func aliasBomb() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            yaml += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
        }
        let found = problems(yaml)
        #expect(found.contains { $0.message.contains("aliases") }, "\(found)")
        #expect(NodeBudget.standard.maxNodes < 1_000_000)
    }

    @Test("deep nesting is refused, in YAML and in JSON")
    func deepNesting() {
        let deepYAML = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(problems(deepYAML).contains { $0.message.contains("nested") })
        let deepJSON = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.parse(deepJSON) }
    }

    @Test("the default policy fits the bounds with room to spare")
    func defaultPolicyFits() throws {
        _ = try Policy.loadDefault()
    }
}
