public import ClearanceCore

/// `clearance policy test` and `lint` without the file system, so tests can call them.
public enum PolicyRuns {
    /// Runs the embedded tests: 0 all passed, 1 a test failed (or there are none), 2 the policy has errors.
    /// An overlay's tests are judged under `studio` (the default policy when nil) plus the overlay.
    public static func test(_ document: InputDocument, verbose: Bool, console: Console, studio: Policy? = nil, today: Day) -> Int32 {
        guard let policy = load(document, console: console) else { return CheckExitCode.badInput }
        guard !policy.tests.isEmpty else {
            console.err("\(document.name): error: the policy has no tests")
            return 1
        }
        var base = studio
        if policy.kind == .overlay, base == nil {
            guard let loaded = load(PolicyFiles.text(path: nil), console: console) else { return CheckExitCode.badInput }
            base = loaded
        }
        let results = policy.runTests(studio: base, today: today)
        for result in results {
            if result.passed {
                if verbose { console.out("pass  \(result.name)") }
            } else {
                console.out("FAIL  \(result.name)  (\(result.location))")
                for failure in result.failures { console.out("      \(failure)") }
            }
        }
        let failed = results.filter { !$0.passed }.count
        console.out("\(policy.id) \(policy.version): \(results.count) tests, \(results.count - failed) passed, \(failed) failed")
        return failed == 0 ? 0 : 1
    }

    /// Loads a policy document, or prints why it cannot be loaded and returns nil.
    static func load(_ document: InputDocument, console: Console) -> Policy? {
        guard let text = document.text else {
            console.err("\(document.name): error: cannot read: \(document.readError ?? "unknown error")")
            return nil
        }
        do {
            return try Policy.load(text, file: document.name)
        } catch {
            console.err(error.description)
            console.err("\(document.name): the policy has errors")
            return nil
        }
    }

    /// Lints a policy: 0 when there are no errors (warnings may be printed), 2 otherwise.
    public static func lint(_ document: InputDocument, console: Console, today: Day? = nil) -> Int32 {
        guard let text = document.text else {
            console.err("\(document.name): error: cannot read: \(document.readError ?? "unknown error")")
            return CheckExitCode.badInput
        }
        let diagnostics = Policy.lint(text, file: document.name, today: today)
        for diagnostic in diagnostics { console.out(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        console.out("\(document.name): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        return errors == 0 ? 0 : CheckExitCode.badInput
    }
}
