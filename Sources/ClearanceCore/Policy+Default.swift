extension Policy {
    /// The file name the default policy is known by in messages.
    public static let defaultPolicyFile = "netflix-genai-2025.yaml (built in)"

    /// Loads the default policy built into the binary.
    /// - Throws: `DocumentError` only if the built-in text is broken, which the test suite rules out.
    public static func loadDefault() throws(DocumentError) -> Policy {
        try load(defaultPolicyText, file: defaultPolicyFile)
    }

    /// The overlays built into the binary (rulebooks.md §6), in id order, loaded once.
    /// - Throws: `DocumentError` only if a built-in text is broken, which the test suite rules out.
    public static func builtInOverlays() throws(DocumentError) -> [Policy] {
        try BuiltInOverlays.loaded.get()
    }

    /// The ids of the built-in overlays; a custom overlay may not take one.
    public static var builtInOverlayIDs: Set<String> {
        Set(((try? builtInOverlays()) ?? []).map(\.id))
    }
}

private enum BuiltInOverlays {
    static let loaded: Result<[Policy], DocumentError> = {
        do throws(DocumentError) {
            var overlays: [Policy] = []
            for (name, text) in Policy.builtInOverlayTexts.sorted(by: { $0.key < $1.key }) {
                overlays.append(try Policy.load(text, file: "\(name) (built in)"))
            }
            return .success(overlays.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) })
        } catch {
            return .failure(error)
        }
    }()
}
