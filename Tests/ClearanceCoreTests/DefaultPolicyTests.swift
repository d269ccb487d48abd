@testable import ClearanceCore
import Foundation
import Testing

@Suite("The default policy as shipped")
struct DefaultPolicyTests {
    @Test("every embedded test passes")
    func embeddedTests() {
        let results = defaultPolicy.runTests(today: Day("2026-11-27")!)
        #expect(results.count >= 60)
        for result in results where !result.passed {
            Issue.record("\(result.name): \(result.failures.joined(separator: "; "))")
        }
    }

    @Test("the embedded tests include every scenario of the spec")
    func scenariosCovered() {
        let names = defaultPolicy.tests.map(\.name)
        for number in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"] {
            #expect(names.contains { $0.hasPrefix("scenario \(number):") }, "scenario \(number) has no embedded test")
        }
    }

    @Test("lint finds no errors and no untested rules in the default policy")
    func lintClean() {
        let found = Policy.lint(Policy.defaultPolicyText, file: "default")
        #expect(found.isEmpty, "\(found.map(\.description))")
    }

    @Test("the policy has the five principles and every approver area is used")
    func shape() {
        #expect(defaultPolicy.principleIDs == ["P1", "P2", "P3", "P4", "P5"])
        let areas = Set(defaultPolicy.rules.compactMap { rule -> Area? in
            if case .fixed(let area) = rule.area { return area }
            return nil
        })
        #expect(areas == Set(Area.allCases))
    }

    @Test("the decision JSON has the spec's members in the spec's order")
    func decisionJSON() throws {
        let decision = try decide("{title: t, description: d, media: [image], steps: [{tool: nobody-knows, inputs: [prompt]}]}")
        let json = decision.json
        guard case .object(let members) = json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["outcome", "summary", "principles", "findings", "actions", "policy", "request-digest"])
        let finding = try #require(decision.findings.first)
        guard case .array(let findings) = json["findings"], case .object(let findingMembers) = findings.first else {
            Issue.record("findings missing")
            return
        }
        #expect(findingMembers.map(\.key) == ["rule", "outcome", "area", "step", "reason", "cite"])
        #expect(finding.step == 1)
        #expect(decision.summary == "Escalate to your studio contact: P2 is unsure (step 1: tool 'nobody-knows' is not in the tool registry, so nothing is known of its terms).")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.rendered.utf8)) as? [String: Any]
        #expect(parsed?["request-digest"] as? String == decision.requestDigest)
        #expect((parsed?["policy"] as? [String: Any])?["digest"] as? String == defaultPolicy.digest)
    }

    @Test("the same request under the same policy always gives the same digests")
    func stableDigests() throws {
        let text = "{title: t, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}]}"
        let first = try decide(text)
        let reloaded = try Policy.loadDefault()
        let second = PolicyEngine(policy: reloaded).decide(try request(text), tools: testRegistry)
        #expect(first == second)
    }
}

@Suite("The published JSON Schema")
struct PolicySchemaTests {
    func properties(_ object: [String: Any]?) -> Set<String> {
        Set(((object?["properties"] as? [String: Any]) ?? [:]).keys)
    }

    @Test("the schema names exactly the keys the loader accepts")
    func schemaMatchesLoader() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("policies/policy.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        #expect(properties(schema) == Policy.topLevelFields)
        #expect(properties(defs["rule"] as? [String: Any]) == Policy.ruleFields)
        #expect(properties(defs["principle"] as? [String: Any]) == Policy.principleFields)
        let checks = ((defs["principle"] as? [String: Any])?["properties"] as? [String: Any])?["checks"] as? [String: Any]
        #expect(properties(checks?["items"] as? [String: Any]) == Policy.checkFields)
        #expect(properties(defs["test"] as? [String: Any]) == Policy.testFields)
        let expect = ((defs["test"] as? [String: Any])?["properties"] as? [String: Any])?["expect"] as? [String: Any]
        #expect(properties(expect) == Policy.expectFields)
        #expect(properties(defs["tool"] as? [String: Any]) == ToolRecord.fields)
        let shapes = (defs["condition"] as? [String: Any])?["oneOf"] as? [[String: Any]] ?? []
        #expect(shapes.reduce(into: Set<String>()) { $0.formUnion(properties($1)) } == Policy.conditionKeys)
    }
}

@Suite("The policy-language guide")
struct PolicyLanguageGuideTests {
    @Test("docs/policy-language.md names every fact a policy can use")
    func everyFactDocumented() throws {
        let guide = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/policy-language.md"), encoding: .utf8)
        let catalog = FactCatalog(principles: ["P"])
        for entry in catalog.entries {
            let name = entry.name.hasSuffix(".P") ? String(entry.name.dropLast()) + "<P>" : entry.name
            #expect(guide.contains("`\(name)`"), "\(name) is not documented")
        }
        for collection in Collection.allCases {
            #expect(guide.contains("`\(collection.rawValue)`"), "collection \(collection.rawValue) is not documented")
        }
    }
}
