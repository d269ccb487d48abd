extension Policy {
    /// The file name the default policy is known by in messages.
    public static let defaultPolicyFile = "netflix-genai-2025.yaml (built in)"

    /// Loads the default policy built into the binary.
    /// - Throws: `DocumentError` only if the built-in text is broken, which the test suite rules out.
    public static func loadDefault() throws(DocumentError) -> Policy {
        try load(defaultPolicyText, file: defaultPolicyFile)
    }
}
