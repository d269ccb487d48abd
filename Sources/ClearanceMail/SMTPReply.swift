/// One SMTP reply: its three-digit code and its lines (RFC 5321 §4.2), read line by line.
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]

    /// Whether the code is a positive completion (2xx) or intermediate (3xx) reply.
    public var isPositive: Bool { (200..<400).contains(code) }

    /// The text of every line, joined.
    public var text: String { lines.joined(separator: " ") }

    /// Collects reply lines: `feed` answers the whole reply once its last line (`NNN text`) arrives.
    public struct Reader: Sendable {
        private var lines: [String] = []
        private var code: Int?

        public init() {}

        public enum Problem: Error, Equatable, CustomStringConvertible {
            case malformed(String)

            public var description: String {
                switch self {
                case .malformed(let line): "the mail server answered a line SMTP does not allow: '\(line.prefix(80))'"
                }
            }
        }

        public mutating func feed(_ line: String) throws(Problem) -> SMTPReply? {
            let scalars = Array(line.utf8)
            guard scalars.count >= 3, scalars[0...2].allSatisfy({ (0x30...0x39).contains($0) }),
                  let value = Int(String(decoding: scalars[0...2], as: UTF8.self)) else { throw .malformed(line) }
            if let code, code != value { throw .malformed(line) }
            code = value
            let separator: UInt8? = scalars.count > 3 ? scalars[3] : nil
            guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw .malformed(line) }
            lines.append(scalars.count > 4 ? String(decoding: scalars[4...], as: UTF8.self) : "")
            guard separator != UInt8(ascii: "-") else { return nil }
            let reply = SMTPReply(code: value, lines: lines)
            self = Reader()
            return reply
        }
    }

    /// The extensions an EHLO reply lists, upper-cased (`STARTTLS`, `AUTH PLAIN LOGIN`, …), the greeting line left out.
    public var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }

    /// The AUTH mechanisms an EHLO reply offers.
    public var authMechanisms: Set<String> {
        guard let auth = extensions.first(where: { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }) else { return [] }
        return Set(auth.dropFirst(5).split(separator: " ").map(String.init))
    }
}
