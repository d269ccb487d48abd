@testable import ClearanceCore
import Testing

/// A studio amends the policy by editing its YAML; decisions change with no rebuild.
@Suite("Editing a policy")
struct PolicyEditingTests {
    func edited(_ replacements: [(String, String)]) throws -> Policy {
        var text = Policy.defaultPolicyText
        for (old, new) in replacements {
            #expect(text.contains(old), "the default policy no longer contains \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return try Policy.load(text, file: "edited.yaml")
    }

    let keyCreative = "{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}], output: {prominence: key-creative}}"

    @Test("changing a rule's outcome changes the decision")
    func ruleChanged() throws {
        #expect(try decide(keyCreative).outcome == .approvalRequired)
        let policy = try edited([("""
              - id: key-creative
                outcome: approval-required
            """, """
              - id: key-creative
                outcome: escalate
            """)])
        let decision = try decide(keyCreative, engine: PolicyEngine(policy: policy))
        #expect(decision.outcome == .escalate)
        #expect(decision.policy.digest != defaultPolicy.digest)
    }

    @Test("changing a rule's condition changes when it fires")
    func conditionChanged() throws {
        let prominent = "{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}], output: {prominence: prominent}}"
        #expect(try decide(prominent).outcome == .socialize)
        let policy = try edited([("when: {fact: output.prominence, is: key-creative}", "when: {fact: output.prominence, in: [prominent, key-creative]}")])
        #expect(try decide(prominent, engine: PolicyEngine(policy: policy)).firedRules.contains("key-creative"))
    }

    @Test("adding a screening term flags prompts that were clean")
    func screeningTermAdded() throws {
        let text = "{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt], prompt: a castle like Moomin valley}]}"
        #expect(try decide(text).outcome == .socialize)
        let policy = try edited([("entries: [Star Wars,", "entries: [Moomin, Star Wars,")])
        let decision = try decide(text, engine: PolicyEngine(policy: policy))
        #expect(decision.outcome == .approvalRequired)
        #expect(decision.findings.first { $0.rule == "prompt-reference" }?.reason.contains("'Moomin'") == true)
    }

    @Test("adding a manner phrase flags prompts that were clean")
    func mannerPhraseAdded() throws {
        let text = "{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt], prompt: a harbour after Turner}]}"
        #expect(try decide(text).outcome == .socialize)
        let policy = try edited([("manner-phrases: [in the style of,", "manner-phrases: [after, in the style of,")])
        #expect(try decide(text, engine: PolicyEngine(policy: policy)).answer("P1") == .unsure)
    }

    @Test("changing the wording changes what the crew reads")
    func wordingChanged() throws {
        let policy = try edited([("headline: Socialize", "headline: Go ahead and tell your contact")])
        let decision = try decide("{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}]}",
                                  engine: PolicyEngine(policy: policy))
        #expect(decision.summary == "Go ahead and tell your contact.")
    }
}
