import ClearanceCore
import Foundation
import Testing

/// The spec's shared folder, next to this repository as `../shared` (CLEARANCE_SHARED moves it).
private let sharedRoot: URL = {
    if let path = ProcessInfo.processInfo.environment["CLEARANCE_SHARED"] { return URL(fileURLWithPath: path) }
    return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
}()

private let rulebookScenarioFolder = sharedRoot.appendingPathComponent("spec/rulebook-scenarios")
private let specScenarios = sharedRoot.appendingPathComponent("spec/scenarios")
private var hasRulebookScenarios: Bool { FileManager.default.fileExists(atPath: rulebookScenarioFolder.appendingPathComponent("README.md").path) }

/// The studio rulebook and every built-in overlay, as `clearance check` judges by default.
private func engine() throws -> PolicyEngine {
    PolicyEngine(policy: try Policy.loadDefault(), overlays: try Policy.builtInOverlays())
}

private func filed(_ yaml: String) throws -> UseRequest {
    try UseRequest.parse(yaml, principles: ["P1", "P2", "P3", "P4", "P5"])
}

private let nov27 = Day("2026-11-27")!

@Suite("Rulebooks: overlays judged beside the studio's policy")
struct RulebookTests {
    @Test("the thirteen built-in overlays load, each an overlay of version 2026.1 with a scope")
    func builtIns() throws {
        let overlays = try Policy.builtInOverlays()
        #expect(overlays.map(\.id) == [
            "dga-2023", "dga-2026", "eu-ai-act-art50", "iatse-2024", "sag-aftra-2023", "sag-aftra-2026", "us-ca-digital-replica",
            "us-ny-digital-replica", "us-ny-post-mortem", "us-ny-synthetic-ads", "us-tn-elvis", "wga-2023", "wga-2026",
        ])
        for overlay in overlays {
            #expect(overlay.kind == .overlay)
            #expect(overlay.version == "2026.1")
            #expect(overlay.scope?.isEmpty == false)
            #expect(!overlay.tests.isEmpty, "\(overlay.id) has no tests")
        }
    }

    @Test("every built-in overlay passes its embedded tests under the default policy, and lints clean")
    func builtInTestsPass() throws {
        let studio = try Policy.loadDefault()
        for (name, text) in Policy.builtInOverlayTexts.sorted(by: { $0.key < $1.key }) {
            let overlay = try Policy.load(text, file: name)
            for result in overlay.runTests(studio: studio, today: nov27) {
                #expect(result.passed, "\(name): \(result.name): \(result.failures.joined(separator: "; "))")
            }
            let found = Policy.lint(text, file: name, today: nov27)
            #expect(found.filter { $0.severity == .error }.isEmpty, "\(name): \(found.map(\.description))")
            // Only the agreements that ended before today may warn, and only that they ended.
            for warning in found where warning.severity == .warning {
                #expect(warning.message.contains("ended on"), "\(name): \(warning.description)")
            }
            // Every rule fires in some test and stays quiet in another.
            let fires = Set(overlay.tests.flatMap(\.fires)), quiet = Set(overlay.tests.flatMap(\.quiet))
            for rule in overlay.rules {
                #expect(fires.contains(rule.id), "\(name): no test makes \(rule.id) fire")
                #expect(quiet.contains(rule.id), "\(name): no test keeps \(rule.id) quiet")
            }
        }
    }

    @Test("the default policy is 2025.2, a studio rulebook, and still passes its tests")
    func defaultPolicy() throws {
        let policy = try Policy.loadDefault()
        #expect(policy.version == "2025.2")
        #expect(policy.kind == .studio)
        #expect(policy.runTests(today: nov27).allSatisfy { $0.passed })
    }

    /// `# expect: OUTCOME; rulebooks: ID,…; obligations: KIND/DUE,…`
    private func expectation(_ text: String) throws -> (outcome: String, rulebooks: [String], obligations: [String]) {
        let line = try #require(text.split(separator: "\n").first.map(String.init))
        let parts = line.dropFirst("# expect: ".count).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        func list(_ prefix: String) -> [String] {
            let value = parts.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? "-"
            return value == "-" ? [] : value.split(separator: ",").map(String.init)
        }
        return (parts[0], list("rulebooks: "), list("obligations: "))
    }

    @Test("every rulebook scenario of the spec gives its outcome, rulebooks and obligations", .enabled(if: hasRulebookScenarios))
    func rulebookScenarios() throws {
        let tools = ToolRegistry(try ToolRecord.parseList(
            try String(contentsOf: specScenarios.appendingPathComponent("tools.yaml"), encoding: .utf8)))
        let files = try FileManager.default.contentsOfDirectory(at: rulebookScenarioFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(files.count >= 12)
        let judge = try engine()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let expected = try expectation(text)
            let decision = judge.decide(try filed(text), tools: tools, context: RulebookContext(today: nov27))
            let name = file.lastPathComponent
            #expect(decision.outcome.rawValue == expected.outcome, "\(name): \(decision.summary)")
            var withFindings: [String] = []
            for finding in decision.findings {
                let id = finding.rulebook ?? decision.policy.id
                if !withFindings.contains(id) { withFindings.append(id) }
            }
            #expect(withFindings == expected.rulebooks, "\(name)")
            let obligations = decision.obligations.map { "\($0.kind.rawValue)/\($0.due.rawValue)" }.sorted()
            #expect(obligations == expected.obligations, "\(name): \(decision.obligations.map(\.id))")
        }
    }

    @Test("the spec's scenarios keep their outcomes, and with no overlays their findings are the studio's alone",
          .enabled(if: hasRulebookScenarios))
    func oldScenarios() throws {
        let tools = ToolRegistry(try ToolRecord.parseList(
            try String(contentsOf: specScenarios.appendingPathComponent("tools.yaml"), encoding: .utf8)))
        let files = try FileManager.default.contentsOfDirectory(at: specScenarios, includingPropertiesForKeys: nil)
            .filter { ["yaml", "json"].contains($0.pathExtension) && $0.lastPathComponent != "tools.yaml" }
        let judge = try engine()
        let alone = PolicyEngine(policy: try Policy.loadDefault())
        let allOff = Dictionary(uniqueKeysWithValues: try Policy.builtInOverlays().map { ($0.id, RulebookContext.SwitchedOff.check) })
        var checked = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            // JSON files carry no comment; the README gives the one JSON scenario's outcome.
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            let outcome = first.hasPrefix("# expect: ") ? first.dropFirst("# expect: ".count).trimmingCharacters(in: .whitespaces)
                : file.pathExtension == "json" ? "socialize" : ""
            guard !outcome.isEmpty, let parsed = try? filed(text) else { continue }
            let withOverlays = judge.decide(parsed, tools: tools, context: RulebookContext(today: nov27))
            let noOverlays = judge.decide(parsed, tools: tools, context: RulebookContext(today: nov27, disabled: allOff))
            let before = alone.decide(parsed, tools: tools)
            #expect(withOverlays.outcome.rawValue == outcome, "\(file.lastPathComponent)")
            #expect(noOverlays.findings == before.findings, "\(file.lastPathComponent)")
            #expect(noOverlays.outcome == before.outcome)
            #expect(withOverlays.findings.filter { $0.rulebook == nil } == before.findings)
            #expect(noOverlays.rulebooks.dropFirst().allSatisfy { !$0.applied && $0.because == "disabled for this check" })
            checked += 1
        }
        #expect(checked >= 12)
    }

    @Test("an overlay applies by switch, then date, then scope, and says why not in that order")
    func whyNot() throws {
        let judge = try engine()
        let eu = { (date: String, territories: String, off: Bool) -> Decision.RulebookUse? in
            let decision = judge.decide(try! filed("""
                {title: t, description: d, media: [video], territories: [\(territories)], use-date: \(date),
                 steps: [{tool: x, inputs: [prompt]}], output: {destination: final, realistic: true}}
                """), context: RulebookContext(today: nov27, disabled: off ? ["eu-ai-act-art50": .studio] : [:]))
            return decision.rulebooks.first { $0.id == "eu-ai-act-art50" }
        }
        #expect(eu("2026-08-01", "EU", false)?.whyNot == "before-effective")
        #expect(eu("2026-08-01", "EU", false)?.because == "effective from 2026-08-02; as-of 2026-08-01")
        #expect(eu("2026-08-02", "EU", false)?.applied == true)
        #expect(eu("2026-08-02", "GB", false)?.whyNot == "applies-when")
        #expect(eu("2026-08-02", "GB", false)?.because?.hasPrefix("not in scope: ") == true)
        #expect(eu("2026-08-01", "GB", true)?.whyNot == "disabled")
        #expect(eu("2026-08-01", "GB", true)?.because == "disabled for this studio")
        // WORLD stands for every other code; GB is not in the EU.
        #expect(eu("2026-09-01", "WORLD", false)?.applied == true)
    }

    @Test("the decision says where its day and territories came from; a request's own territories win")
    func sources() throws {
        let judge = try engine()
        let plain = try filed("{title: t, description: d, media: [image], steps: [{tool: x, inputs: [prompt]}]}")
        let fromProduction = judge.decide(plain, context: RulebookContext(today: nov27, territories: [.usCA], territoriesFrom: .production))
        #expect(fromProduction.asOf == nov27)
        #expect(fromProduction.asOfFrom == "decision-day")
        #expect(fromProduction.territories == [.usCA])
        #expect(fromProduction.territoriesFrom == "production")
        let own = try filed("{title: t, description: d, media: [image], territories: [EU, EU], use-date: 2026-09-15, steps: [{tool: x, inputs: [prompt]}]}")
        let decided = judge.decide(own, context: RulebookContext(today: nov27, territories: [.usCA], territoriesFrom: .production))
        #expect(decided.territories == [.eu])
        #expect(decided.territoriesFrom == "request")
        #expect(decided.asOf == Day("2026-09-15"))
        #expect(decided.asOfFrom == "use-date")
        let none = judge.decide(plain, context: RulebookContext(today: nov27))
        #expect(none.territoriesFrom == "none")
        #expect(Territory.expanded([.us, .eu]).map(\.rawValue) == ["US", "US-CA", "US-NY", "US-TN", "EU"])
        #expect(Territory.expanded([.world]).count == 8)
    }

    @Test("obligation ids name the rulebook and, for a rule per element, the element; one per id")
    func obligationIDs() throws {
        let judge = try engine()
        let decision = judge.decide(try filed("""
            {title: t, description: d, media: [audio], territories: [US-TN, US-CA], use-date: 2026-10-01,
             steps: [{tool: x, inputs: [prompt]}, {tool: x, inputs: [prompt], prompt: a narrator with Taylor Swift's voice}],
             output: {destination: final},
             talent: [{performer: A, use: voice, consent: c-1, consent-terms: {specific-description: true, represented: counsel, separately-signed: true}},
                      {performer: B, use: voice}]}
            """), context: RulebookContext(today: nov27))
        let ids = decision.obligations.map(\.id)
        #expect(ids.contains("us-tn-elvis/authorisation/talent-2"))
        #expect(!ids.contains("us-tn-elvis/authorisation/talent-1"), "a named consent counts as given without a register")
        #expect(ids.contains("us-tn-elvis/authorisation/step-2/hit-1"))
        #expect(Set(ids).count == ids.count)
        let hit = try #require(decision.obligations.first { $0.id == "us-tn-elvis/authorisation/step-2/hit-1" })
        #expect(hit.step == 2 && hit.hit == 1 && hit.talent == nil)
        // Counsel negotiated A's consent: the California clause rules stay quiet for A.
        #expect(!decision.findings.contains { $0.rulebook == "us-ca-digital-replica" && $0.talent == 1 })
        #expect(decision.rulebooksDigest?.hasPrefix("sha256:") == true)
    }

    @Test("the rulebooks digest covers which rulebooks applied and why, not how many findings they gave")
    func rulebooksDigest() throws {
        let judge = try engine()
        let one = judge.decide(try filed("{title: t, description: d, media: [text], department: writing, steps: [{tool: x, inputs: [prompt]}]}"),
                               context: RulebookContext(today: nov27))
        let two = judge.decide(try filed("{title: t2, description: d, media: [text], department: writing, steps: [{tool: x, inputs: [third-party]}]}"),
                               context: RulebookContext(today: nov27))
        #expect(one.rulebooksDigest == two.rulebooksDigest)
        #expect(one.rulebooks[0].findings != two.rulebooks[0].findings)
        let later = judge.decide(try filed("{title: t, description: d, media: [text], department: writing, steps: [{tool: x, inputs: [prompt]}]}"),
                                 context: RulebookContext(today: Day("2030-06-01")!))
        #expect(later.rulebooksDigest != one.rulebooksDigest)
    }

    @Test("a request without the new fields digests as it always did")
    func oldDigest() throws {
        let old = try filed("{title: t, description: d, media: [image], steps: [{tool: x, inputs: [prompt]}], talent: [{performer: A, use: voice}]}")
        #expect(!old.canonicalJSON.contains("territories"))
        #expect(!old.canonicalJSON.contains("minor"))
        #expect(!old.canonicalJSON.contains("advertising"))
        let spelled = try filed("""
            {title: t, description: d, media: [image], synthetic-performer: none, output: {advertising: false},
             steps: [{tool: x, inputs: [prompt]}], talent: [{performer: A, use: voice, minor: false, scan: false}]}
            """)
        #expect(spelled.digest == old.digest)
        let new = try filed("{title: t, description: d, media: [image], territories: [EU], steps: [{tool: x, inputs: [prompt]}], talent: [{performer: A, use: voice}]}")
        #expect(new.digest != old.digest)
    }

    @Test("a tool on the production's own machines counts as enterprise-secured for P2 and P3")
    func onPremises() throws {
        let policy = try Policy.loadDefault()
        let local = ToolRecord(id: "local", enterprise: false, trainsOnInputs: .no, retainsInputs: .no, onPremises: true)
        let decision = PolicyEngine(policy: policy).decide(
            try filed("{title: t, description: d, media: [image], steps: [{tool: local, inputs: [production-material]}]}"),
            tools: ToolRegistry([local]))
        #expect(decision.principles.first { $0.id == "P3" }?.answer == .yes)
        #expect(!decision.findings.contains { $0.rule == "production-material-outside-enterprise" })
        var outside = local
        outside.onPremises = false
        let without = PolicyEngine(policy: policy).decide(
            try filed("{title: t, description: d, media: [image], steps: [{tool: local, inputs: [production-material]}]}"),
            tools: ToolRegistry([outside]))
        #expect(without.principles.first { $0.id == "P3" }?.answer == .no)
    }

    @Test("bad rulebook fields in a request are errors that name the field and place",
          arguments: [
            ("territories: [EU, MARS]", "'MARS' is not one of"),
            ("territories: []", "territories"),
            ("use-date: 2026-02-30", "'2026-02-30' is not a real date"),
            ("talent: [{performer: A, use: voice, consent-terms: {specific-description: true, represented: none, separately-signed: true}}]",
             "consent: none"),
            ("talent: [{performer: A, use: voice, consent: c, consent-terms: {specific-description: true, represented: none}}]",
             "separately-signed"),
            ("talent: [{performer: A, use: voice, scan: true, deceased: true}]", "cannot be scanned"),
            ("synthetic-performer: crowd", "'crowd' is not one of"),
          ])
    func requestErrors(field: String, message: String) throws {
        let text = "title: t\ndescription: d\nmedia: [image]\nsteps: [{tool: x, inputs: [prompt]}]\n\(field)\n"
        #expect {
            try filed(text)
        } throws: { error in
            let description = String(describing: error)
            return description.contains(message) && description.contains(":5:")
        }
    }

    private func overlay(_ body: String) -> String {
        """
        format: clearance/policy@1
        kind: overlay
        id: custom-test
        version: "1"
        title: A test overlay
        source: nowhere
        scope: requests with text
        \(body)
        """
    }

    @Test("the loader refuses what a rulebook may not hold",
          arguments: [
            ("rules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]\noutcomes: {}", "an overlay has no 'outcomes'"),
            ("effective: {from: 2026-05-01, until: 2026-04-30}\nrules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]",
             "'until' (2026-04-30) is before 'from'"),
            ("applies-when: {some: hits}\nrules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]", "applies-when reads"),
            ("applies-when: {fact: principles.P1, is: \"no\"}\nrules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]",
             "unknown fact 'principles.P1'"),
            ("""
             rules:
               - id: r
                 outcome: escalate
                 area: legal
                 reason: r
                 cite: c
                 obligations:
                   - {id: o, kind: notice, due: before-use, text: t}
                   - {id: o, kind: record, due: before-use, text: t}
             """, "obligation 'o' is listed twice"),
            ("rules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c, obligations: [{id: o, kind: tell, due: before-use, text: t}]}]",
             "'tell' is not one of"),
            ("rules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c, obligations: [{id: o, kind: notice, due: later, text: t}]}]",
             "'later' is not one of"),
          ])
    func loaderErrors(body: String, message: String) {
        let (_, diagnostics) = Policy.examine(overlay(body))
        #expect(diagnostics.contains { $0.severity == .error && $0.description.contains(message) },
                "\(diagnostics.map(\.description))")
    }

    @Test("a studio rulebook may not hold an overlay's keys")
    func studioWithOverlayKeys() throws {
        let text = Policy.defaultPolicyText.replacingOccurrences(of: "kind: studio\n", with: "kind: studio\nscope: everything\n")
        let (_, diagnostics) = Policy.examine(text)
        #expect(diagnostics.contains { $0.description.contains("'scope' belongs to an overlay") })
    }

    @Test("lint: a custom overlay may not take a built-in id; an ended one warns")
    func lintOverlay() throws {
        let reused = overlay("rules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]")
            .replacingOccurrences(of: "id: custom-test", with: "id: wga-2026")
        #expect(Policy.lint(reused, today: nov27).contains { $0.severity == .error && $0.message.contains("built-in overlay") })
        let ended = overlay("effective: {until: 2025-01-01}\nrules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c}]")
        #expect(Policy.lint(ended, today: nov27).contains { $0.severity == .warning && $0.message.contains("ended on 2025-01-01") })
        #expect(!Policy.lint(Policy.builtInOverlayTexts["wga-2026.yaml"] ?? "", today: nov27).contains { $0.severity == .error })
    }

    @Test("an overlay's test is judged on its first effective day when the request has no use-date")
    func overlayTestDay() throws {
        let text = overlay("""
            effective: {from: 2027-01-01}
            rules: [{id: r, outcome: escalate, area: legal, reason: r, cite: c, when: {fact: media, has: text}}]
            tests:
              - {name: in force, request: {title: t, description: d, media: [text], steps: [{tool: x, inputs: [prompt]}]}, expect: {applies: true, fires: [r]}}
              - {name: before, request: {title: t, description: d, media: [text], use-date: 2026-12-31, steps: [{tool: x, inputs: [prompt]}]}, expect: {applies: false}}
            """)
        let loaded = try Policy.load(text)
        let results = loaded.runTests(studio: try Policy.loadDefault(), today: nov27)
        #expect(results.allSatisfy { $0.passed }, "\(results.flatMap(\.failures))")
    }
}
