@testable import ClearanceCore
import Testing

/// A small policy to exercise the language; `rules` replaces its rule list.
func miniPolicy(rules: String, extra: String = "") -> String {
    """
    id: mini
    version: "1"
    title: Mini
    principles:
      - {id: P1, title: a, question: q, area: legal, cite: c, yes-because: fine}
    outcomes:
      socialize: {headline: S}
      escalate: {headline: E}
      approval-required: {headline: A}
    rules:
    \(rules)
    \(extra)
    """
}

func loadErrors(_ text: String) -> [Diagnostic] {
    do {
        _ = try Policy.load(text, file: "p.yaml")
        return []
    } catch {
        return error.diagnostics
    }
}

@Suite("The policy language")
struct PolicyLanguageTests {
    @Test("quantifiers range over steps, talent and hits")
    func quantifiers() throws {
        let policy = try Policy.load(miniPolicy(rules: """
              - {id: every-enterprise, outcome: escalate, area: data, when: {every: steps, where: {fact: step.tool.enterprise, is: true}}, reason: r, cite: c}
              - {id: no-talent, outcome: escalate, area: talent, when: {none: talent}, reason: r, cite: c}
              - {id: a-style-hit, outcome: escalate, area: legal, when: {some: hits, where: {fact: hit.kind, is: style}}, reason: "{title}", cite: c}
            """, extra: "screening: {manner-phrases: [inspired by]}"))
        let engine = PolicyEngine(policy: policy)
        let decision = try decide("{title: Hello, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt], prompt: inspired by Goya}, {tool: studio-llm, inputs: [prompt]}]}", engine: engine)
        #expect(decision.firedRules == ["every-enterprise", "no-talent", "a-style-hit"])
        #expect(decision.findings.last?.reason == "Hello")
        let other = try decide("{title: t, description: d, media: [image], steps: [{tool: public-imagegen, inputs: [prompt]}], talent: [{performer: A, use: voice}]}", engine: engine)
        #expect(other.firedRules.isEmpty)
    }

    @Test("an unknown fact is an error with its place and a suggestion")
    func unknownFact() {
        let found = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: output.destinaton, is: final}, reason: r, cite: c}"))
        #expect(found.count == 1)
        #expect(found.first?.path?.description == "rules[0].when.fact")
        #expect(found.first?.message == "unknown fact 'output.destinaton'; did you mean 'output.destination'?")
        #expect(found.first?.location?.line == 11)
    }

    @Test("a value outside the fact's domain is an error")
    func badValue() {
        let found = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: output.destination, is: cinema}, reason: r, cite: c}"))
        #expect(found.first?.path?.description == "rules[0].when.is")
        #expect(found.first?.message.contains("'cinema' is not one of internal|pitch|temp|final") == true)
    }

    @Test("a step fact outside a step scope is an error that says how to fix it")
    func outOfScope() {
        let found = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: step.tool.enterprise, is: false}, reason: r, cite: c}"))
        #expect(found.first?.message.contains("needs a step in scope") == true)
        let template = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, reason: 'about {talent.performer}', cite: c}"))
        #expect(template.first?.path?.description == "rules[0].reason")
    }

    @Test("duplicate rule ids are errors")
    func duplicateIDs() {
        let found = loadErrors(miniPolicy(rules: """
              - {id: r, outcome: escalate, area: data, reason: r, cite: c}
              - {id: r, outcome: escalate, area: data, reason: r, cite: c}
            """))
        #expect(found.map(\.message) == ["duplicate rule id 'r'"])
        #expect(found.first?.path?.description == "rules[1].id")
    }

    @Test("a definition that refers to itself is an error, not a hang")
    func cycle() {
        let found = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {ref: a}, reason: r, cite: c}",
                                          extra: "definitions:\n  a: {ref: b}\n  b: {any: [{ref: a}]}"))
        #expect(found.contains { $0.message.contains("refers to itself: a → b → a") })
    }

    @Test("unknown keys, several shapes in one condition and wrong types are errors")
    func shapes() {
        #expect(loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: nonfiction, iss: true}, reason: r, cite: c}"))
            .first?.message == "unknown condition key 'iss'; did you mean 'is'?")
        #expect(loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {all: [], any: []}, reason: r, cite: c}"))
            .first?.message.contains("not several") == true)
        #expect(loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: media, is: image}, reason: r, cite: c}"))
            .first?.message == "'media' is a list; test it with has or has-any")
        #expect(loadErrors(miniPolicy(rules: "  - {id: r, outcome: maybe, area: data, reason: r, cite: c}"))
            .first?.path?.description == "rules[0].outcome")
        #expect(loadErrors("id: x\nversion: 1\n").map(\.message).contains("required field 'rules' is missing"))
    }

    @Test("tests in a policy must name rules that exist")
    func testsNameRules() {
        let found = loadErrors(miniPolicy(rules: "  - {id: final, outcome: escalate, area: data, reason: r, cite: c}",
                                          extra: "tests:\n  - {name: a, request: {title: t, description: d, media: [image], steps: [{tool: x, inputs: [prompt]}]}, expect: {fires: [finale]}}"))
        #expect(found.first?.message == "no rule has the id 'finale'; did you mean 'final'?")
    }

    @Test("a bad request inside a policy test is reported at its place in the policy")
    func badTestRequest() {
        let found = loadErrors(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, reason: r, cite: c}",
                                          extra: "tests:\n  - {name: a, request: {title: t, description: d, media: [image], steps: [{tool: x, inputs: [sketch]}]}, expect: {outcome: escalate}}"))
        #expect(found.first?.path?.description == "tests[0].request.steps[0].inputs[0]")
    }

    @Test("lint reports rules that can never fire")
    func neverFires() {
        let found = Policy.lint(miniPolicy(rules: """
              - {id: contradiction, outcome: escalate, area: data, when: {all: [{fact: output.destination, is: final}, {fact: output.destination, is: temp}]}, reason: r, cite: c}
              - {id: excluded, outcome: escalate, area: data, when: {all: [{fact: output.realistic, is: true}, {not: {fact: output.realistic, in: [true]}}]}, reason: r, cite: c}
              - {id: fine, outcome: escalate, area: data, when: {any: [{fact: output.destination, is: final}, {fact: output.destination, is: temp}]}, reason: r, cite: c}
              - {id: no-witness, outcome: escalate, area: data, when: {some: steps, where: {all: [{fact: step.training, is: none}, {fact: step.training, is: train}]}}, reason: r, cite: c}
              - {id: yes-concern, outcome: escalate, area: data, for-each: concern, when: {fact: concern.answer, is: "yes"}, reason: r, cite: c}
            """), file: "p.yaml")
        let never = found.filter { $0.severity == .error }.map(\.message)
        #expect(never == [
            "rule 'contradiction' can never fire: its condition contradicts itself",
            "rule 'excluded' can never fire: its condition contradicts itself",
            "rule 'no-witness' can never fire: its condition contradicts itself",
            "rule 'yes-concern' can never fire: its condition contradicts itself",
        ])
    }

    @Test("lint warns about unused definitions and untested rules")
    func lintWarnings() {
        let found = Policy.lint(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, reason: r, cite: c}",
                                           extra: "definitions:\n  spare: {fact: nonfiction, is: true}"), file: "p.yaml")
        #expect(found.allSatisfy { $0.severity == .warning })
        #expect(found.map(\.message).contains("definition 'spare' is never used"))
        #expect(found.map(\.message).contains("no test expects rule 'r' to fire"))
    }

    @Test("a failing embedded test is reported with what differed")
    func failingTest() throws {
        let policy = try Policy.load(miniPolicy(rules: "  - {id: r, outcome: escalate, area: data, when: {fact: nonfiction, is: true}, reason: r, cite: c}",
                                                extra: "tests:\n  - {name: a, request: {title: t, description: d, media: [image], steps: [{tool: x, inputs: [prompt]}]}, expect: {outcome: escalate, fires: [r], principles: {P1: unsure}}}"))
        let result = try #require(policy.runTests(today: Day("2026-11-27")!).first)
        #expect(!result.passed)
        #expect(result.failures == [
            "expected escalate, got socialize; fired: nothing",
            "expected rule 'r' to fire, but it did not",
            "expected P1 to be unsure, got yes (fine)",
        ])
    }
}
