internal import Foundation

/// Where mail goes: the studio's SMTP relay, from `--smtp-url` and `--mail-from`.
///
/// - `smtp://user:pass@host:587`: STARTTLS, then AUTH (a relay that offers no STARTTLS is refused
///   when credentials are given, so a password never crosses the network in the clear);
/// - `smtps://user:pass@host:465`: TLS from the first byte;
/// - `smtp://host:25`: no authentication; STARTTLS when the relay offers it.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// STARTTLS after the greeting (required when there are credentials).
        case startTLS
        /// TLS from the start.
        case tls
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: MailAddress
    /// A PEM file of extra certificate authorities to trust (a private CA).
    public var extraCAFile: String?

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(url: String, from: String, extraCAFile: String? = nil) throws(Invalid) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw Invalid(description: "--smtp-url: '\(Self.redacted(url))' is not a URL such as smtp://user:pass@mail.example.com:587")
        }
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .tls
        default: throw Invalid(description: "--smtp-url: the scheme must be smtp (STARTTLS) or smtps (TLS), not '\(scheme)'")
        }
        guard let sender = MailAddress(from) else {
            throw Invalid(description: "--mail-from: '\(from)' is not an email address")
        }
        self.host = host
        port = components.port ?? (security == .tls ? 465 : 587)
        guard (1...65535).contains(port) else { throw Invalid(description: "--smtp-url: port \(port) is out of range") }
        username = components.user?.removingPercentEncoding
        password = components.password?.removingPercentEncoding
        if (username == nil) != (password == nil) {
            throw Invalid(description: "--smtp-url: give both a user and a password, or neither")
        }
        self.from = sender
        self.extraCAFile = extraCAFile
    }

    /// The URL with its password hidden, for messages and logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? url
    }

    public var hasCredentials: Bool { username != nil }
}
