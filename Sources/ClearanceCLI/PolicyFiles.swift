internal import ClearanceCore

/// Loading the policy a command names, or the built-in default.
enum PolicyFiles {
    /// The policy's text and the name errors are reported against.
    static func text(path: String?) -> InputDocument {
        guard let path else { return InputDocument(name: Policy.defaultPolicyFile, text: Policy.defaultPolicyText) }
        return DocumentFiles.read(path)
    }

    /// The built-in overlays' texts, in file order, each named as messages name it.
    static var builtInOverlays: [InputDocument] {
        Policy.builtInOverlayTexts.sorted { $0.key < $1.key }.map { InputDocument(name: "\($0.key) (built in)", text: $0.value) }
    }

    /// Runs `body` with the loaded policy, or reports why it cannot load and returns 2.
    static func withPolicy(path: String?, console: Console, _ body: (Policy) -> Int32) -> Int32 {
        guard let policy = PolicyRuns.load(text(path: path), console: console) else { return CheckExitCode.badInput }
        return body(policy)
    }
}
