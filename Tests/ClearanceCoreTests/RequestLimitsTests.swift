import ClearanceCore
import Testing

/// Hostile requests cannot tie up the engine: text and lists are bounded, and screening one
/// prompt reports a bounded number of references however it is built.
@Suite("Request limits")
struct RequestLimitsTests {
    static func request(prompt: String, steps: Int = 1) -> String {
        let step = "  - tool: studio-imagegen\n    inputs: [prompt]\n    prompt: \"\(prompt)\"\n"
        return "title: T\ndescription: D\nmedia: [image]\nsteps:\n" + String(repeating: step, count: steps)
    }

    @Test("a prompt over 4,000 characters and more than 20 steps are errors naming the field")
    func bounds() {
        let long = String(repeating: "a", count: 4001)
        let promptError = problems(Self.request(prompt: long))
        #expect(promptError.contains { $0.path?.description == "steps[0].prompt" && $0.message.contains("limit is 4000") })
        let stepsError = problems(Self.request(prompt: "x", steps: 21))
        #expect(stepsError.contains { $0.path?.description == "steps" && $0.message.contains("limit is 20") })
    }

    @Test("a prompt made of nothing but manner phrases and names reports at most a few dozen references")
    func adversarialPrompt() throws {
        let prompt = String(repeating: "Inspired By ", count: 330) + String(repeating: "Ansel's face ", count: 1)
        #expect(prompt.count <= 4000)
        let screener = PromptScreener(defaultPolicy.screening)
        let hits = screener.screen(prompt, step: 1)
        #expect(!hits.isEmpty)
        #expect(hits.count <= 32)
        #expect(hits.allSatisfy { $0.text.split(separator: " ").count <= 10 })
        let decision = try decide(Self.request(prompt: prompt))
        #expect(decision.outcome == .approvalRequired)
    }
}
