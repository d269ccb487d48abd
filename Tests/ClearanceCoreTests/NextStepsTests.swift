@testable import ClearanceCore
import Testing

/// The next steps fit what is on record: a consent that covers the use, the request's media, and
/// the inputs that made a rule fire.
@Suite("Next steps that fit the request")
struct NextStepsTests {
    static let reAge = """
        {title: t, description: d, media: [video], steps: [{tool: studio-imagegen, inputs: [prompt]}],
         talent: [{performer: Jane Roe, use: re-age, consent: C-1}]}
        """

    @Test("a consent on record, signed separately with notice given, is named instead of asking for consent and notice")
    func consentOnRecord() throws {
        let covered = defaultEngine.decide(try request(Self.reAge), tools: testRegistry, consentCheck: { _ in nil },
                                           consentTerms: { _ in RecordedConsentTerms(signedSeparately: true, noticeGiven: true) })
        #expect(covered.firedRules.contains("talent-replica-or-alteration"), "the use still needs the talent approver")
        #expect(!covered.actions.contains { $0.contains("documented, informed consent") || $0.contains("48 hours' notice") })
        #expect(covered.actions.contains { $0.contains("consent C-1 on record covers this use") })

        for terms in [(signedSeparately: false, noticeGiven: true), (signedSeparately: true, noticeGiven: false)] {
            let partial = defaultEngine.decide(try request(Self.reAge), tools: testRegistry, consentCheck: { _ in nil },
                                               consentTerms: { _ in RecordedConsentTerms(signedSeparately: terms.signedSeparately, noticeGiven: terms.noticeGiven) })
            #expect(partial.actions.contains { $0.contains("documented, informed consent") }, "\(terms)")
            #expect(!partial.actions.contains { $0.contains("on record covers") }, "\(terms)")
        }
        let unchecked = try decide(Self.reAge)
        #expect(unchecked.actions.contains { $0.contains("documented, informed consent") }, "without a register nothing is on record")
    }

    @Test("an action that names a medium fits the request's media")
    func mediumFits() throws {
        let base = "{title: t, description: d, steps: [{tool: studio-imagegen, inputs: [prompt]}], output: {destination: final, prominence: incidental}, "
        let audio = try decide(base + "media: [audio]}")
        #expect(audio.firedRules.contains("incidental-final-element"))
        #expect(audio.actions.contains { $0.contains("in the mix") } && !audio.actions.contains { $0.contains("signs, posters") })
        let picture = try decide(base + "media: [image]}")
        #expect(picture.actions.contains { $0.contains("signs, posters") } && !picture.actions.contains { $0.contains("in the mix") })
    }

    @Test("a message names only the inputs that made its check fire, in words")
    func firingInputsOnly() throws {
        let decision = try decide("{title: t, description: d, media: [image], steps: [{tool: nobody-knows, inputs: [prompt, unreleased-footage]}]}")
        let because = decision.principles.first { $0.id == "P3" }?.because ?? []
        #expect(because.contains { $0.contains("sensitive material (unreleased footage)") }, "\(because)")
        #expect(!because.contains { $0.contains("prompt") })
    }
}
