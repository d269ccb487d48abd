internal import ClearanceCore

/// Random identifiers and secrets: a prefix and 64 random bits per word, in hexadecimal.
public enum RandomID {
    /// `prefix` followed by `words` × 16 hex digits; one word for record ids, four (256 bits) for secrets.
    public static func make(_ prefix: String, words: Int = 1) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<words {
            let value: UInt64 = generator.next()
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
        }
        return prefix + JSONValue.hex(bytes)
    }
}

/// Secrets (tokens, invitation links, set-up links) are kept only as this hash.
public enum SecretHash {
    /// The SHA-256 of the secret's UTF-8 bytes, in lower-case hexadecimal.
    public static func of(_ secret: String) -> String {
        String(CanonicalDigest.of(bytes: Array(secret.utf8)).dropFirst("sha256:".count))
    }
}
