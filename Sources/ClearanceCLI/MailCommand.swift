internal import ArgumentParser
internal import ClearanceMail
internal import Foundation

extension ClearanceCommand {
    /// `clearance mail`: check that mail reaches people through the studio's SMTP relay.
    struct Mail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the mail relay Clearance sends through.",
            subcommands: [Test.self]
        )

        struct Test: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Send one test message through the SMTP relay, in plain text and HTML.",
                discussion: """
                    smtp://user:pass@host:587 uses STARTTLS (required when a password is given), \
                    smtps://user:pass@host:465 uses TLS from the start, smtp://host:25 sends without \
                    signing in. Exit codes: 0 sent, 1 the relay refused or could not be reached, 2 bad options.
                    """
            )

            @Option(help: "The relay, such as smtp://user:pass@mail.example.com:587 (or CLEARANCE_SMTP_URL).")
            var smtpURL: String?

            @Option(help: "The sender address (or CLEARANCE_MAIL_FROM).")
            var mailFrom: String?

            @Option(help: "Who receives the test message.")
            var to: String

            @Option(help: "A PEM file of certificate authorities to trust besides the system's, for a relay with a private CA.")
            var extraCAFile: String?

            func run() async throws {
                let environment = ProcessInfo.processInfo.environment
                guard let url = smtpURL ?? environment["CLEARANCE_SMTP_URL"], let from = mailFrom ?? environment["CLEARANCE_MAIL_FROM"] else {
                    DocumentFiles.standardConsole.err("error: give --smtp-url and --mail-from (or CLEARANCE_SMTP_URL and CLEARANCE_MAIL_FROM)")
                    throw ExitCode(2)
                }
                let settings: SMTPSettings
                do {
                    settings = try SMTPSettings(url: url, from: from, extraCAFile: extraCAFile)
                } catch {
                    DocumentFiles.standardConsole.err("error: \(error.description)")
                    throw ExitCode(2)
                }
                guard let recipient = MailAddress(to) else {
                    DocumentFiles.standardConsole.err("error: --to: '\(to)' is not an email address")
                    throw ExitCode(2)
                }
                let message = MailMessage(
                    from: settings.from, to: [recipient], subject: "Clearance: a test message",
                    text: "This is a test message from Clearance. If you can read it, mail from Clearance reaches you.\n",
                    html: "<p>This is a test message from <strong>Clearance</strong>. If you can read it, mail from Clearance reaches you.</p>\n")
                do {
                    try await SMTPClient(settings: settings).send(message)
                } catch let failure as SMTPClient.Failure {
                    DocumentFiles.standardConsole.err("error: \(failure.description)")
                    throw ExitCode(1)
                }
                DocumentFiles.standardConsole.out("sent a test message to \(recipient) through \(settings.host):\(settings.port)")
            }
        }
    }
}
