import ClearanceCLI
import ClearanceCore
import Foundation
import Synchronization
import Testing

/// Collects what a command prints.
final class Captured: Sendable {
    private let lines = Mutex<(out: [String], err: [String])>(([], []))

    var console: Console {
        Console(out: { line in self.lines.withLock { $0.out.append(line) } },
                err: { line in self.lines.withLock { $0.err.append(line) } })
    }

    var out: [String] { lines.withLock { $0.out } }
    var err: [String] { lines.withLock { $0.err } }
}

func checkRun(format: OutputFormat) throws -> CheckRun {
    let tools = try ToolRecord.parseList("""
        - {id: studio-imagegen, enterprise: true, trains-on-inputs: "no", retains-inputs: "no"}
        """)
    return CheckRun(engine: PolicyEngine(policy: try Policy.loadDefault()), tools: ToolRegistry(tools), format: format)
}

let good = InputDocument(name: "good.yaml", text: "{title: Moodboard, description: d, media: [image], steps: [{tool: studio-imagegen, inputs: [prompt]}]}")
let escalating = InputDocument(name: "esc.yaml", text: "{title: Unknown, description: d, media: [image], steps: [{tool: mystery, inputs: [prompt]}]}")
let bad = InputDocument(name: "bad.yaml", text: "title: t\ndescription: d\nmedia: [image]\nsteps: [{tool: studio-imagegen, inputs: [prompt]}]\noutput: {destination: cinema}\n")

@Suite("clearance check, in process")
struct CheckRunTests {
    @Test("JSON output is one decision object per input, one per line")
    func jsonLines() throws {
        let captured = Captured()
        let code = try checkRun(format: .json).run([good, escalating], console: captured.console)
        #expect(code == 3)
        #expect(captured.out.count == 2)
        let outcomes = try captured.out.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["outcome"] as? String
        }
        #expect(outcomes == ["socialize", "escalate"])
    }

    @Test("a bad input gets errors on stderr, no decision, and exit 2; the others are still checked")
    func badInput() throws {
        let captured = Captured()
        let code = try checkRun(format: .json).run([good, bad, escalating], console: captured.console)
        #expect(code == 2)
        #expect(captured.out.count == 2, "the good inputs are still decided")
        #expect(captured.err == ["bad.yaml:5:23: error: output.destination: 'cinema' is not one of internal|pitch|temp|final"])
    }

    @Test("an unreadable input is named and exits 2")
    func unreadable() throws {
        let captured = Captured()
        let code = try checkRun(format: .text).run([InputDocument(name: "gone.yaml", readError: "no such file")], console: captured.console)
        #expect(code == 2)
        #expect(captured.out.isEmpty)
        #expect(captured.err == ["gone.yaml: error: cannot read: no such file"])
    }

    @Test("text output puts the outcome first, then principles, findings with citations, then next steps")
    func textOrder() throws {
        let captured = Captured()
        _ = try checkRun(format: .text).run([escalating], console: captured.console)
        let text = try #require(captured.out.first)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "ESCALATE  Unknown  (esc.yaml)")
        let principles = try #require(lines.firstIndex(of: "Principles"))
        let findings = try #require(lines.firstIndex(of: "Findings"))
        let steps = try #require(lines.firstIndex(of: "Next steps"))
        #expect(principles < findings && findings < steps)
        #expect(lines.contains { $0.contains("P2 unsure") })
        #expect(lines.contains { $0.contains("[guidance §2]") })
        #expect(lines[steps + 1].hasPrefix("  1. "))
    }
}
