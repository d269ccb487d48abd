import ClearanceMail
import Foundation
import Testing

@Suite("Mail messages and the SMTP relay's settings and replies")
struct MailTests {
    static let from = MailAddress("clearance@studio.example")!

    @Test("a message is multipart: plain text and HTML, each UTF-8 in base64, with CRLF line ends")
    func rendering() throws {
        let message = MailMessage(from: Self.from, to: [MailAddress("ana@example.com")!], subject: "A use waits for you",
                                  text: "Bonjour, café ☕\n.hidden line", html: "<p>Bonjour</p>", date: Date(timeIntervalSince1970: 0))
        let rendered = try message.rendered(boundary: "b1")
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(lines.contains("From: clearance@studio.example") && lines.contains("To: ana@example.com"))
        #expect(lines.contains("Subject: A use waits for you"))
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(lines.contains("Content-Type: multipart/alternative; boundary=\"b1\""))
        #expect(lines.filter { $0 == "--b1" }.count == 2 && lines.contains("--b1--"))
        #expect(lines.contains(Data("Bonjour, café ☕\n.hidden line".utf8).base64EncodedString()))
        #expect(!rendered.contains("\n") || !rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF line ends")
        #expect(lines.allSatisfy { $0.count <= 998 })
    }

    @Test("a subject outside ASCII is an encoded word; a line break in it is refused")
    func subjects() throws {
        let accented = MailMessage(from: Self.from, to: [Self.from], subject: "Révision demandée", text: "t", html: "h")
        #expect(try accented.rendered().contains("Subject: =?utf-8?B?" + Data("Révision demandée".utf8).base64EncodedString() + "?="))
        let injected = MailMessage(from: Self.from, to: [Self.from], subject: "hi\r\nBcc: evil@example.com", text: "t", html: "h")
        #expect(throws: MailMessage.Problem.subjectHasLineBreak) { try injected.rendered() }
        #expect(throws: MailMessage.Problem.noRecipients) { try MailMessage(from: Self.from, to: [], subject: "s", text: "t", html: "h").rendered() }
    }

    @Test("addresses that could break a header are refused", arguments: ["", "no-at", "a@b@c", "a b@c.example", "a@c.example\r\nBcc: x", "<a@b.example>"])
    func badAddresses(address: String) {
        #expect(MailAddress(address) == nil)
    }

    @Test("the relay's URL: STARTTLS or TLS, default ports, credentials both or neither, the password never shown")
    func settings() throws {
        let starttls = try SMTPSettings(url: "smtp://mailer:s%40cret@mail.example.com", from: "clearance@studio.example")
        #expect(starttls.security == .startTLS && starttls.port == 587 && starttls.username == "mailer" && starttls.password == "s@cret")
        let tls = try SMTPSettings(url: "smtps://mail.example.com", from: "clearance@studio.example")
        #expect(tls.security == .tls && tls.port == 465 && !tls.hasCredentials)
        let plain = try SMTPSettings(url: "smtp://relay.internal:25", from: "clearance@studio.example")
        #expect(plain.port == 25 && !plain.hasCredentials)
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "http://mail.example.com", from: "a@b.example") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://mail.example.com", from: "not an address") }
        #expect(throws: SMTPSettings.Invalid.self) { try SMTPSettings(url: "smtp://user@mail.example.com", from: "a@b.example") }
        #expect(SMTPSettings.redacted("smtp://mailer:secret@mail.example.com:587") == "smtp://mailer:****@mail.example.com:587")
    }

    @Test("replies are read line by line: a multi-line reply ends at its NNN-space line; extensions and AUTH are read from EHLO")
    func replies() throws {
        var reader = SMTPReply.Reader()
        #expect(try reader.feed("250-mail.example.com hello") == nil)
        #expect(try reader.feed("250-STARTTLS") == nil)
        #expect(try reader.feed("250-AUTH PLAIN LOGIN") == nil)
        let reply = try #require(try reader.feed("250 SIZE 10240000"))
        #expect(reply.code == 250 && reply.extensions.contains("STARTTLS") && reply.authMechanisms == ["PLAIN", "LOGIN"])
        #expect(try reader.feed("354 go ahead")?.code == 354)
        #expect(throws: SMTPReply.Reader.Problem.self) { try reader.feed("hello") }
        var mixed = SMTPReply.Reader()
        _ = try mixed.feed("250-first")
        #expect(throws: SMTPReply.Reader.Problem.self) { try mixed.feed("550 second") }
    }
}
