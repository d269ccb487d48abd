@testable import ClearanceCore
import Foundation

/// The default policy, loaded once for all tests.
let defaultPolicy: Policy = {
    do {
        return try Policy.loadDefault()
    } catch {
        fatalError("the built-in policy does not load:\n\(error)")
    }
}()

let defaultEngine = PolicyEngine(policy: defaultPolicy)

/// The fictional tools the default policy's own tests use (the spec's scenario tools and two more).
let testRegistry = ToolRegistry(defaultPolicy.testTools)

/// Parses a request written in YAML or JSON, failing the test with the diagnostics if it is bad.
func request(_ text: String) throws -> UseRequest {
    try UseRequest.parse(text, file: "test.yaml", principles: Set(defaultPolicy.principleIDs))
}

/// The default policy's decision for a request.
func decide(_ text: String, engine: PolicyEngine = defaultEngine) throws -> Decision {
    engine.decide(try request(text), tools: testRegistry)
}

/// The diagnostics a bad request produces (empty if it parsed).
func problems(_ text: String) -> [Diagnostic] {
    do {
        _ = try UseRequest.parse(text, file: "bad.yaml", principles: Set(defaultPolicy.principleIDs))
        return []
    } catch {
        return error.diagnostics
    }
}

extension Decision {
    var firedRules: Set<String> { Set(findings.map(\.rule)) }

    func answer(_ principle: String) -> Answer? {
        principles.first { $0.id == principle }?.answer
    }
}

/// The repository's root folder, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The default policy with every built-in overlay beside it, or alone.
func defaultEngine(withOverlays: Bool) -> PolicyEngine {
    // The built-ins load in every test run; a broken one fails RulebookTests first.
    PolicyEngine(policy: defaultPolicy, overlays: withOverlays ? ((try? Policy.builtInOverlays()) ?? []) : [])
}
