public import Foundation

/// An email address, checked for what would break a header: no line breaks, one `@`, no spaces.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: String

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, trimmed.count <= 254,
              !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\"" }),
              trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }) else { return nil }
        address = trimmed
    }

    public var description: String { address }
}

/// One message in plain text and HTML (multipart/alternative), as Clearance sends it.
///
/// Bodies are UTF-8 in base64, so no line of the body can be taken for the end of the data, and
/// any language reads the same; a subject outside ASCII is an RFC 2047 encoded word. Line breaks
/// in the subject are refused, so no header can be injected through it.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var subject: String
    public var text: String
    public var html: String
    public var date: Date
    /// `<random@domain-of-from>`.
    public var messageID: String

    public init(from: MailAddress, to: [MailAddress], subject: String, text: String, html: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        messageID = "<\(MailMessage.randomToken())@\(domain)>"
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noRecipients
        case subjectHasLineBreak

        public var description: String {
            switch self {
            case .noRecipients: "a message needs at least one recipient"
            case .subjectHasLineBreak: "a subject may not contain a line break"
            }
        }
    }

    /// The message as SMTP's DATA carries it: CRLF line ends, without the closing dot.
    public func rendered(boundary: String = "clearance-" + MailMessage.randomToken()) throws(Problem) -> String {
        guard !to.isEmpty else { throw .noRecipients }
        // Scalars, not characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard !subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { throw .subjectHasLineBreak }
        var lines = [
            "From: \(from.address)",
            "To: " + to.map(\.address).joined(separator: ", "),
            "Subject: " + Self.headerText(subject),
            "Date: " + Self.rfc5322(date),
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "This message has a plain text part and an HTML part.",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["", "--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(body)
        }
        lines += ["", "--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    /// A header value: as it is when plain ASCII, else an RFC 2047 base64 encoded word.
    static func headerText(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        return "=?utf-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }
}
