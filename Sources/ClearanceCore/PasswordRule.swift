/// What a new password must be, wherever one is chosen (the CLI, the API, an invitation or a
/// reset): long enough to resist guessing, and not built from the account's own address.
public enum PasswordRule {
    public static let minimumLength = 12

    /// Why `password` is not acceptable for the account with `email`, in words for the person
    /// choosing it; nil when it is.
    public static func problem(password: String, email: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters long" }
        let name = email.split(separator: "@").first.map { $0.lowercased() } ?? ""
        if name.count >= 3, password.lowercased().contains(name) {
            return "must not contain the name part of the email address ('\(name)')"
        }
        return nil
    }
}
