@testable import ClearanceCore
import Testing

/// One case of one rule of the default policy: a request and whether the rule must fire for it.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var fires: Bool
    var note: String
    var request: String

    var testDescription: String { "\(rule) \(fires ? "fires" : "stays quiet"): \(note)" }
}

private func base(steps: String = "[{tool: studio-imagegen, inputs: [prompt]}]", media: String = "[image]", _ extra: String = "") -> String {
    "{title: t, description: d, media: \(media), steps: \(steps)\(extra.isEmpty ? "" : ", " + extra)}"
}

/// Every rule in request-format.md's "How the default policy decides", firing and not firing.
let ruleCases: [RuleCase] = [
    // 1. destination final, unless incidental.
    RuleCase(rule: "final-deliverable", fires: true, note: "prominent element in the final cut", request: base("output: {destination: final, prominence: prominent}")),
    RuleCase(rule: "final-deliverable", fires: true, note: "final cut with no prominence given", request: base("output: {destination: final}")),
    RuleCase(rule: "final-deliverable", fires: false, note: "incidental element in the final cut", request: base("output: {destination: final, prominence: incidental}")),
    RuleCase(rule: "final-deliverable", fires: false, note: "temp material", request: base("output: {destination: temp, prominence: prominent}")),
    // 2. talent replica, voice, re-age, visual ADR, alteration without exception; deceased performers.
    RuleCase(rule: "talent-replica-or-alteration", fires: true, note: "replica", request: base("talent: [{performer: A, use: replica, consent: C-1}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: true, note: "voice even with an exception", request: base("talent: [{performer: A, use: voice, exception: permitted-dubbing}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: true, note: "re-age", request: base("talent: [{performer: A, use: re-age}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: true, note: "visual ADR", request: base("talent: [{performer: A, use: visual-adr}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: true, note: "alteration with no exception", request: base("talent: [{performer: A, use: alteration}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: false, note: "customary alteration", request: base("talent: [{performer: A, use: alteration, exception: customary-post}]")),
    RuleCase(rule: "talent-replica-or-alteration", fires: false, note: "no talent", request: base()),
    RuleCase(rule: "deceased-performer", fires: true, note: "a deceased performer, customary alteration", request: base("talent: [{performer: A, use: alteration, exception: customary-post, deceased: true}]")),
    RuleCase(rule: "deceased-performer", fires: false, note: "a living performer", request: base("talent: [{performer: A, use: replica, deceased: false}]")),
    // 3. personal data, third-party material or likeness as input.
    RuleCase(rule: "personal-data-input", fires: true, note: "personal data in an enterprise tool", request: base(steps: "[{tool: studio-llm, inputs: [personal-data]}]")),
    RuleCase(rule: "personal-data-input", fires: false, note: "licensed material", request: base(steps: "[{tool: studio-llm, inputs: [licensed]}]")),
    RuleCase(rule: "third-party-input", fires: true, note: "third-party art in the second step", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt]}, {tool: studio-imagegen, inputs: [third-party]}]")),
    RuleCase(rule: "third-party-input", fires: false, note: "public-domain material", request: base(steps: "[{tool: studio-imagegen, inputs: [public-domain]}]")),
    RuleCase(rule: "talent-likeness-input", fires: true, note: "a performer's scans", request: base(steps: "[{tool: studio-imagegen, inputs: [talent-likeness]}]")),
    RuleCase(rule: "talent-likeness-input", fires: false, note: "the crew's own photos", request: base(steps: "[{tool: studio-imagegen, inputs: [own-work]}]")),
    // 4. training on third-party material or likeness.
    RuleCase(rule: "training-on-unowned", fires: true, note: "fine-tune on likeness", request: base(steps: "[{tool: studio-imagegen, inputs: [talent-likeness], training: fine-tune}]")),
    RuleCase(rule: "training-on-unowned", fires: true, note: "train on third-party art", request: base(steps: "[{tool: studio-imagegen, inputs: [third-party, prompt], training: train}]")),
    RuleCase(rule: "training-on-unowned", fires: false, note: "fine-tune on own work", request: base(steps: "[{tool: studio-imagegen, inputs: [own-work], training: fine-tune}]")),
    RuleCase(rule: "training-on-unowned", fires: false, note: "likeness with no training", request: base(steps: "[{tool: studio-imagegen, inputs: [talent-likeness]}]")),
    // 5. production material in a non-enterprise tool.
    RuleCase(rule: "production-material-outside-enterprise", fires: true, note: "script into a consumer chatbot", request: base(steps: "[{tool: public-chatbot, inputs: [production-material]}]")),
    RuleCase(rule: "production-material-outside-enterprise", fires: true, note: "into a tool not in the registry", request: base(steps: "[{tool: nobody-knows, inputs: [production-material]}]")),
    RuleCase(rule: "production-material-outside-enterprise", fires: false, note: "script into an enterprise tool", request: base(steps: "[{tool: studio-llm, inputs: [production-material]}]")),
    RuleCase(rule: "production-material-outside-enterprise", fires: false, note: "a prompt into a consumer tool", request: base(steps: "[{tool: public-chatbot, inputs: [prompt]}]")),
    // 6. key creative.
    RuleCase(rule: "key-creative", fires: true, note: "key-creative prominence", request: base("output: {prominence: key-creative}")),
    RuleCase(rule: "key-creative", fires: false, note: "key-creative purpose alone", request: base("purpose: key-creative, output: {prominence: prominent}")),
    // 7. realistic.
    RuleCase(rule: "realistic-content", fires: true, note: "could be taken for real", request: base("output: {realistic: true}")),
    RuleCase(rule: "realistic-content", fires: false, note: "stylised", request: base()),
    // 8. non-fiction, picture or sound, final.
    RuleCase(rule: "nonfiction-final-media", fires: true, note: "documentary audio in the final cut", request: base(media: "[audio]", "nonfiction: true, output: {destination: final, prominence: incidental}")),
    RuleCase(rule: "nonfiction-final-media", fires: false, note: "documentary text", request: base(media: "[text]", "nonfiction: true, output: {destination: final}")),
    RuleCase(rule: "nonfiction-final-media", fires: false, note: "documentary pitch", request: base(media: "[video]", "nonfiction: true, output: {destination: pitch}")),
    RuleCase(rule: "nonfiction-final-media", fires: false, note: "fiction final", request: base(media: "[video]", "output: {destination: final}")),
    // 9. replaces union work.
    RuleCase(rule: "replaces-union-work", fires: true, note: "replaces", request: base("union-work: replaces")),
    RuleCase(rule: "replaces-union-work", fires: false, note: "unsure", request: base("union-work: unsure")),
    // 10. prompt screening.
    RuleCase(rule: "prompt-reference", fires: true, note: "style of a named artist", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], prompt: 'in the style of Ansel Adams'}]")),
    RuleCase(rule: "prompt-reference", fires: true, note: "a named likeness feature", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], prompt: \"Meryl Streep's nose\"}]")),
    RuleCase(rule: "prompt-reference", fires: false, note: "style of an ordinary thing", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], prompt: 'in the style of a silent-film title card'}]")),
    // 11. a model from another production where talent is involved.
    RuleCase(rule: "model-from-other-production", fires: true, note: "with a talent entry", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], model-origin: other-production}]", "talent: [{performer: A, use: alteration, exception: as-scripted}]")),
    RuleCase(rule: "model-from-other-production", fires: true, note: "with likeness input", request: base(steps: "[{tool: studio-imagegen, inputs: [talent-likeness], model-origin: other-production}]")),
    RuleCase(rule: "model-from-other-production", fires: false, note: "no talent involved", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], model-origin: other-production}]")),
    RuleCase(rule: "model-from-other-production", fires: false, note: "this production's model", request: base(steps: "[{tool: studio-imagegen, inputs: [prompt], model-origin: this-production}]", "talent: [{performer: A, use: replica}]")),
    // Escalate rules.
    RuleCase(rule: "principle-no", fires: true, note: "a consumer tool that trains on inputs", request: base(steps: "[{tool: public-imagegen, inputs: [prompt]}]")),
    RuleCase(rule: "principle-no", fires: false, note: "an unknown tool is unsure, not no", request: base(steps: "[{tool: nobody-knows, inputs: [prompt]}]")),
    RuleCase(rule: "principle-unsure", fires: true, note: "an unknown tool", request: base(steps: "[{tool: nobody-knows, inputs: [prompt]}]")),
    RuleCase(rule: "principle-unsure", fires: true, note: "the requester is unsure", request: base("answers: {P3: unsure}")),
    RuleCase(rule: "principle-unsure", fires: false, note: "every principle a confident yes", request: base("answers: {P1: yes, P2: yes}")),
    RuleCase(rule: "sensitive-material", fires: true, note: "contracts in an enterprise tool", request: base(steps: "[{tool: studio-llm, inputs: [contracts]}]")),
    RuleCase(rule: "sensitive-material", fires: false, note: "production material in an enterprise tool", request: base(steps: "[{tool: studio-llm, inputs: [production-material]}]")),
    RuleCase(rule: "incidental-final-element", fires: true, note: "incidental signage in the final cut", request: base("output: {destination: final, prominence: incidental}")),
    RuleCase(rule: "incidental-final-element", fires: false, note: "incidental element in temp", request: base("output: {destination: temp, prominence: incidental}")),
    RuleCase(rule: "writers-room-text", fires: true, note: "text for the writers", request: base(media: "[text]", "department: writing")),
    RuleCase(rule: "writers-room-text", fires: false, note: "images for the writers", request: base(media: "[image]", "department: writing")),
]

@Suite("Default policy rules")
struct DefaultPolicyRuleTests {
    @Test("each rule fires exactly where request-format.md says", arguments: ruleCases)
    func rule(_ ruleCase: RuleCase) throws {
        let decision = try decide(ruleCase.request)
        #expect(decision.firedRules.contains(ruleCase.rule) == ruleCase.fires,
                "fired: \(decision.findings.map(\.rule))")
        if ruleCase.fires, let rule = defaultPolicy.rules.first(where: { $0.id == ruleCase.rule }) {
            #expect(decision.outcome >= rule.outcome)
        }
    }

    @Test("every rule of the default policy has a firing case and a quiet case here")
    func coverage() {
        for rule in defaultPolicy.rules {
            #expect(ruleCases.contains { $0.rule == rule.id && $0.fires }, "no firing case for \(rule.id)")
            #expect(ruleCases.contains { $0.rule == rule.id && !$0.fires }, "no quiet case for \(rule.id)")
        }
        #expect(Set(ruleCases.map(\.rule)).isSubset(of: Set(defaultPolicy.rules.map(\.id))))
    }

    @Test("the highest outcome wins, and every fired rule is listed")
    func highestWins() throws {
        let decision = try decide(base(media: "[text]", "department: writing, output: {prominence: key-creative}"))
        #expect(decision.outcome == .approvalRequired)
        #expect(decision.firedRules == ["key-creative", "writers-room-text"])
        #expect(decision.actions.contains { $0.contains("how the writers will use the generated text") },
                "the writers' action survives a higher outcome")
        #expect(decision.actions.contains { $0.contains("meaningful human input") }, "key creative work keeps GenAI to exploration")
        // 2025.2: the union steps moved to the overlays, which give them as obligations.
        let overlaid = defaultEngine(withOverlays: true).decide(try request(base(media: "[text]", "department: writing, output: {prominence: key-creative}")),
                                                                tools: testRegistry, context: RulebookContext(today: Day("2026-11-27")!))
        #expect(overlaid.obligations.map(\.id) == ["dga-2026/director-consultation", "wga-2026/writers-notice"])
    }

    @Test("a plain enterprise use is socialized with the share-it action")
    func socialize() throws {
        let decision = try decide(base())
        #expect(decision.outcome == .socialize)
        #expect(decision.findings.isEmpty)
        #expect(decision.summary == "Socialize.")
        #expect(decision.actions.count == 1)
    }

    @Test("talent actions: consent with a specific description and the rights holder's permission; union steps come from the overlays")
    func unionActions() throws {
        let text = base("talent: [{performer: Ann Lee, use: replica, deceased: true}]")
        let decision = try decide(text)
        let actions = decision.actions.joined(separator: "\n")
        #expect(actions.contains("Ann Lee's documented, informed consent"))
        #expect(actions.contains("reasonably specific description"))
        #expect(actions.contains("whoever now holds the rights"))
        #expect(!actions.contains("48 hours"), "2025.2 leaves scan notice to the SAG-AFTRA overlay")
        let overlaid = defaultEngine(withOverlays: true).decide(try request(text), tools: testRegistry,
                                                                context: RulebookContext(today: Day("2026-11-27")!))
        #expect(overlaid.obligations.map(\.id).contains("sag-aftra-2026/estate-consent/talent-1"))
        #expect(overlaid.obligations.map(\.id).contains("sag-aftra-2026/replica-payment/talent-1"))
    }
}
