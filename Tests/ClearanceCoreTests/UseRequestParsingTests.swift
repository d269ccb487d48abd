@testable import ClearanceCore
import Testing

@Suite("Reading use requests")
struct UseRequestParsingTests {
    @Test("missing optional fields take the format's defaults")
    func defaults() throws {
        let parsed = try request("""
            title: t
            description: d
            media: [image]
            steps:
              - tool: studio-imagegen
                inputs: [prompt]
            """)
        #expect(parsed.department == .art)
        #expect(parsed.purpose == .ideation)
        #expect(parsed.output == .init(destination: .internal, prominence: .none, realistic: false))
        #expect(parsed.steps[0].training == .none)
        #expect(parsed.steps[0].modelOrigin == .vendor)
        #expect(parsed.unionWork == .none)
        #expect(parsed.talent.isEmpty)
    }

    @Test("an unknown enum value names the field, its line and column")
    func unknownEnum() {
        let found = problems("""
            title: Bad destination
            description: d
            media: [image]
            steps:
              - tool: studio-imagegen
                inputs: [prompt]
            output:
              destination: cinema
            """)
        #expect(found.count == 1)
        #expect(found.first?.description == "bad.yaml:8:16: error: output.destination: 'cinema' is not one of internal|pitch|temp|final")
    }

    @Test("an unknown key is named, with a suggestion for a likely typo")
    func unknownKey() {
        let found = problems("""
            title: t
            description: d
            media: [image]
            steps: [{tool: studio-imagegen, inputs: [prompt], promt: hello}]
            """)
        #expect(found.map(\.path?.description) == ["steps[0].promt"])
        #expect(found.first?.message.contains("did you mean 'prompt'?") == true)
        #expect(found.first?.location?.line == 4)
    }

    @Test("every problem is reported at once, not only the first")
    func allProblems() {
        let found = problems("""
            title: 12
            media: []
            steps:
              - tool: Bad Tool
                inputs: [sketches]
            nonfiction: "yes"
            """)
        let paths = Set(found.compactMap(\.path?.description))
        #expect(paths == ["description", "media", "steps[0].tool", "steps[0].inputs[0]", "nonfiction"])
    }

    @Test("a wrong type is an error naming the field")
    func wrongType() {
        let found = problems("""
            title: t
            description: d
            media: image
            steps: [{tool: x, inputs: [prompt]}]
            """)
        #expect(found.first?.path?.description == "media")
        #expect(found.first?.message == "expected a list, found 'image'")
    }

    @Test("a YAML syntax error gives its line and column")
    func syntaxError() {
        let found = problems("title: t\ndescription: [unclosed\nmedia: [image]\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("syntax error") == true)
        #expect((found.first?.location?.line ?? 0) >= 2)
    }

    @Test("a JSON syntax error gives its line and column")
    func jsonSyntaxError() {
        let found = problems("{\"title\": \"t\",\n \"media\": [\"image\",,]}")
        #expect(found.count == 1)
        #expect(found.first?.location?.line == 2)
    }

    @Test("an empty document and a non-mapping document are errors, not crashes")
    func emptyDocuments() {
        #expect(problems("").first?.message == "the document is empty")
        #expect(problems("- a\n- b").first?.message == "expected a mapping (key: value pairs), found a list")
    }

    @Test("another format tag is refused")
    func formatTag() {
        let found = problems("format: clearance/use-request@2\ntitle: t\ndescription: d\nmedia: [image]\nsteps: [{tool: x, inputs: [prompt]}]")
        #expect(found.first?.path?.description == "format")
    }

    @Test("answers may only name the policy's principles")
    func unknownPrinciple() {
        let found = problems("title: t\ndescription: d\nmedia: [image]\nsteps: [{tool: x, inputs: [prompt]}]\nanswers: {P9: yes}")
        #expect(found.first?.path?.description == "answers.P9")
    }

    @Test("YAML and JSON spellings of one request have the same digest, and a change alters it")
    func digests() throws {
        let yaml = try request("""
            title: Moodboards
            description: d
            media: [image]
            steps:
              - tool: studio-imagegen
                inputs: [prompt]
            """)
        let json = try request(#"{"title": "Moodboards", "description": "d", "media": ["image"], "output": {"destination": "internal"}, "steps": [{"tool": "studio-imagegen", "inputs": ["prompt"]}]}"#)
        #expect(yaml.digest == json.digest)
        #expect(yaml.digest.hasPrefix("sha256:") && yaml.digest.count == 71)
        var changed = yaml
        changed.title = "Moodboards 2"
        #expect(changed.digest != yaml.digest)
    }

    @Test("the canonical JSON has every member sorted and every default written out")
    func canonicalJSONIsSorted() throws {
        let full = try request("""
            title: "Quotes \\"and\\" new\\nlines, é"
            production: dune-road
            description: d
            media: [video, image]
            steps:
              - {tool: {id: x, name: X, vendor: V, enterprise: false, trains-on-inputs: unknown, retains-inputs: "no", terms-checked: 2025-01-01}, inputs: [third-party], prompt: p, training: train, model-origin: other-production}
              - {tool: y, inputs: [prompt]}
            talent: [{performer: A, use: voice, exception: safety, consent: C-1, deceased: true}]
            answers: {P2: unsure, P1: "yes"}
            """)
        let canonical = full.canonicalJSON
        #expect(CanonicalDigest.recanonicalize(canonical) == canonical)
        #expect(canonical.hasPrefix(#"{"answers":{"P1":"yes","P2":"unsure"},"department":"art","#))
        #expect(canonical.contains(#""output":{"destination":"internal","prominence":"none","realistic":false}"#))
        let minimal = try request("{title: t, description: d, media: [image], steps: [{tool: y, inputs: [prompt]}]}")
        #expect(CanonicalDigest.recanonicalize(minimal.canonicalJSON) == minimal.canonicalJSON)
    }

    @Test("strings are escaped as JSON requires, and canonical objects are sorted by key")
    func jsonEscapes() {
        let value = JSONValue.object([.init("b", .string("q\"b\\n\n\t\u{01}é")), .init("a", .bool(true))])
        #expect(value.rendered == #"{"b":"q\"b\\n\n\t\u0001é","a":true}"#)
        #expect(value.canonical == #"{"a":true,"b":"q\"b\\n\n\t\u0001é"}"#)
    }

    @Test("tool lists read unquoted yes and no as the words, and refuse duplicates")
    func toolList() throws {
        let tools = try ToolRecord.parseList("- {id: a, enterprise: false, trains-on-inputs: no, retains-inputs: yes}")
        #expect(tools.first?.trainsOnInputs == TriState.no)
        #expect(tools.first?.retainsInputs == .yes)
        #expect(throws: DocumentError.self) {
            try ToolRecord.parseList("- {id: a, enterprise: true, trains-on-inputs: no, retains-inputs: no}\n- {id: a, enterprise: true, trains-on-inputs: no, retains-inputs: no}")
        }
    }
}
