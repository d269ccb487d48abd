import Foundation
import Testing

/// Runs the built `clearance` executable, as a pipeline engineer would.
struct Clearance {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable next to the test bundle (SwiftPM builds both into the same folder).
    static let executable: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("clearance")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/clearance")
    }()

    /// The spec's scenarios, next to this repository as `../shared` (set CLEARANCE_SHARED to move it).
    static let scenarios: URL = {
        let shared = ProcessInfo.processInfo.environment["CLEARANCE_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? root.deletingLastPathComponent().appendingPathComponent("shared")
        return shared.appendingPathComponent("spec/scenarios")
    }()

    static var hasScenarios: Bool { FileManager.default.fileExists(atPath: scenarios.appendingPathComponent("tools.yaml").path) }

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(code: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

/// The outcome a scenario file states on its first line (`# expect: …`); JSON files carry none.
func expectedExit(_ file: URL) throws -> Int32 {
    let text = try String(contentsOf: file, encoding: .utf8)
    let first = text.prefix { $0 != "\n" }
    if first.hasPrefix("# expect: socialize") { return 0 }
    if first.hasPrefix("# expect: escalate") { return 3 }
    if first.hasPrefix("# expect: approval-required") { return 4 }
    if first.hasPrefix("# expect: invalid") { return 2 }
    if file.lastPathComponent == "12-customary-denoise-temp-mix.json" { return 0 }
    throw CocoaError(.fileReadCorruptFile)
}

@Suite("The clearance executable")
struct BinaryTests {
    @Test("every scenario of the spec gives its stated outcome and exit code", .enabled(if: Clearance.hasScenarios))
    func scenarios() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Clearance.scenarios, includingPropertiesForKeys: nil)
            .filter { ["yaml", "json"].contains($0.pathExtension) && $0.lastPathComponent != "tools.yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(files.count >= 13)
        let tools = Clearance.scenarios.appendingPathComponent("tools.yaml").path
        for file in files {
            let expected = try expectedExit(file)
            let result = try Clearance.run(["check", "--tools", tools, "--format", "json", file.path])
            #expect(result.code == expected, "\(file.lastPathComponent): \(result.err)")
            if expected == 2 {
                #expect(result.out.isEmpty, "no partial decision for a bad input")
                #expect(result.err.contains("90-invalid-enum.yaml:9:16: error: output.destination:"), "\(result.err)")
            } else {
                let names: [Int32: String] = [0: "socialize", 3: "escalate", 4: "approval-required"]
                #expect(result.out.contains("{\"outcome\":\"\(names[expected] ?? "")\""))
            }
        }
    }

    @Test("a request on standard input is checked; a missing file is bad input")
    func stdinAndMissing() throws {
        let piped = try Clearance.run(["check", "--format", "json", "-"],
                                      stdin: "{title: t, description: d, media: [image], steps: [{tool: x, inputs: [prompt]}]}")
        #expect(piped.code == 3)
        let missing = try Clearance.run(["check", "/nonexistent/request.yaml"])
        #expect(missing.code == 2)
        #expect(missing.err.contains("/nonexistent/request.yaml: error: cannot read: no such file"))
    }

    @Test("a hand-edited policy file changes decisions with no rebuild")
    func editedPolicy() throws {
        let request = try Clearance.temporaryFile("r.yaml", """
            title: Poster
            description: d
            media: [image]
            steps: [{tool: mystery, inputs: [prompt], prompt: a poster like Moomin valley}]
            output: {destination: temp}
            """)
        let before = try Clearance.run(["check", "--format", "json", request.path])
        #expect(before.code == 3)
        let shown = try Clearance.run(["policy", "show"])
        var policy = shown.out
        policy = policy.replacingOccurrences(of: "entries: [Star Wars,", with: "entries: [Moomin, Star Wars,")
        policy = policy.replacingOccurrences(of: "    when: {fact: step.tool.known, is: false}\n", with: "    when: {all: [{fact: step.tool.known, is: false}, {fact: output.destination, is: final}]}\n")
        let policyFile = try Clearance.temporaryFile("studio.yaml", policy)
        let after = try Clearance.run(["check", "--format", "json", "--policy", policyFile.path, request.path])
        #expect(after.code == 4, "the new screening term makes it approval-required: \(after.err)")
        #expect(after.out.contains("'Moomin'"))
        let test = try Clearance.run(["policy", "test", policyFile.path])
        #expect(test.code == 1, "the edited policy breaks an embedded test about unknown tools")
        #expect(test.out.contains("FAIL  P2 is unsure for a tool missing from the registry"))
    }

    @Test("policy test passes on the default policy; lint is clean")
    func policyCommands() throws {
        let test = try Clearance.run(["policy", "test"])
        #expect(test.code == 0, "\(test.out)")
        #expect(test.out.contains("0 failed"))
        let lint = try Clearance.run(["policy", "lint"])
        #expect(lint.code == 0)
        #expect(lint.out.hasSuffix("0 errors, 0 warnings\n"))
    }

    @Test("a broken policy is refused with file:line:column, and nothing is checked")
    func brokenPolicy() throws {
        let policyFile = try Clearance.temporaryFile("broken.yaml", "id: x\nversion: '1'\ntitle: t\nprinciples: []\noutcomes: {}\nrules:\n  - {id: a, when: {fact: no.such}}\n")
        let lint = try Clearance.run(["policy", "lint", policyFile.path])
        #expect(lint.code == 2)
        #expect(lint.out.contains("broken.yaml:7:"))
        let check = try Clearance.run(["check", "--policy", policyFile.path, "-"], stdin: "{}")
        #expect(check.code == 2)
        #expect(check.out.isEmpty)
    }
}
