@testable import ClearanceCore
import Testing

@Suite("Principle answers")
struct PrincipleTests {
    func answers(_ text: String) throws -> [String: Answer] {
        let decision = try decide(text)
        return Dictionary(uniqueKeysWithValues: decision.principles.map { ($0.id, $0.answer) })
    }

    @Test("all five principles are always listed, in order, each with a reason")
    func allFive() throws {
        let decision = try decide("{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}]}")
        #expect(decision.principles.map(\.id) == ["P1", "P2", "P3", "P4", "P5"])
        #expect(decision.principles.allSatisfy { $0.answer == .yes && !$0.because.isEmpty })
    }

    @Test("P2 and P3: an unknown tool counts as non-enterprise with unknown terms")
    func unknownTool() throws {
        let found = try answers("{title: t, description: d, media: [text], steps: [{tool: who-knows, inputs: [personal-data]}]}")
        #expect(found["P2"] == .unsure)
        #expect(found["P3"] == Answer.no)
    }

    @Test("P2: an inline tool record is judged by its own facts")
    func inlineTool() throws {
        let yes = try answers("{title: t, description: d, media: [text], steps: [{tool: {id: x, enterprise: false, trains-on-inputs: 'no', retains-inputs: 'no'}, inputs: [prompt]}]}")
        #expect(yes["P2"] == .yes)
        let no = try answers("{title: t, description: d, media: [text], steps: [{tool: {id: x, enterprise: false, trains-on-inputs: 'yes', retains-inputs: unknown}, inputs: [prompt]}]}")
        #expect(no["P2"] == Answer.no)
        let enterprise = try answers("{title: t, description: d, media: [text], steps: [{tool: {id: x, enterprise: true, trains-on-inputs: unknown, retains-inputs: unknown}, inputs: [prompt]}]}")
        #expect(enterprise["P2"] == .yes)
    }

    @Test("a custom pipeline is judged step by step and the weakest step decides")
    func weakestStep() throws {
        let decision = try decide("""
            {title: t, description: d, media: [image], steps: [
              {tool: studio-imagegen, inputs: [prompt]},
              {tool: vague-saas, inputs: [prompt]},
              {tool: studio-llm, inputs: [prompt]}]}
            """)
        #expect(decision.answer("P2") == .unsure)
        #expect(decision.findings.map(\.step) == [2])
        #expect(decision.principles[1].because == ["step 2: tool 'vague-saas' trains-on-inputs unknown"])
        #expect(decision.outcome == .escalate)
    }

    @Test("the answer is the worst of derived and self-assessed", arguments: [
        (Answer.yes, Answer.yes, Answer.yes),
        (.yes, .unsure, .unsure),
        (.yes, .no, .no),
        (.no, .yes, .no),
    ])
    func worstOf(derivedYes: Answer, own: Answer, expected: Answer) throws {
        let tool = derivedYes == .yes ? "studio-imagegen" : "public-imagegen"
        let decision = try decide("{title: t, description: d, media: [image], steps: [{tool: \(tool), inputs: [prompt]}], answers: {P2: \(own.rawValue)}}")
        #expect(decision.answer("P2") == expected)
    }

    @Test("P5: exceptions for customary post and dubbing apply only to alterations and voice")
    func consentExceptions() throws {
        func p5(_ use: String, _ exception: String) throws -> Answer? {
            try decide("{title: t, description: d, media: [video], steps: [{tool: studio-imagegen, inputs: [prompt]}], talent: [{performer: A, use: \(use), exception: \(exception)}]}").answer("P5")
        }
        #expect(try p5("alteration", "customary-post") == .yes)
        #expect(try p5("voice", "permitted-dubbing") == .yes)
        #expect(try p5("re-age", "customary-post") == Answer.no)
        #expect(try p5("replica", "permitted-dubbing") == Answer.no)
        #expect(try p5("replica", "unrecognizable") == .yes)
        #expect(try p5("visual-adr", "none") == Answer.no)
    }

    @Test("P5: a consent register can refuse a named consent")
    func consentCheck() throws {
        let parsed = try request("{title: t, description: d, media: [video], steps: [{tool: studio-imagegen, inputs: [prompt]}], talent: [{performer: A, use: re-age, consent: C-9}]}")
        let accepted = defaultEngine.decide(parsed, tools: testRegistry)
        #expect(accepted.answer("P5") == .yes)
        let refused = defaultEngine.decide(parsed, tools: testRegistry) { _ in "it covers voice only" }
        #expect(refused.answer("P5") == Answer.no)
        #expect(refused.principles[4].because == ["A: consent C-9 does not cover this use (it covers voice only)"])
    }
}
