internal import Foundation
internal import NIOCore
internal import NIOExtras
internal import NIOPosix
internal import NIOSSL

/// Sends mail through an SMTP relay (RFC 5321) with STARTTLS or TLS (RFC 3207, 8314) and AUTH
/// PLAIN or LOGIN (RFC 4616): one connection per message, closed after it.
public struct SMTPClient: Sendable {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    /// How long the relay may take to answer any one command.
    let replyTimeout: TimeAmount

    /// - Parameter replyTimeout: how many seconds the relay may take to answer any one command.
    public init(settings: SMTPSettings, replyTimeout: Int64 = 30) {
        self.settings = settings
        self.group = MultiThreadedEventLoopGroup.singleton
        self.replyTimeout = .seconds(replyTimeout)
    }

    /// Why a message was not sent, with the relay's answer where there was one (never the password).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// A 5xx answer: sending the same message again will not help.
        public var permanent: Bool

        init(_ description: String, permanent: Bool = false) {
            self.description = description
            self.permanent = permanent
        }
    }

    public func send(_ message: MailMessage) async throws {
        let data: String
        do {
            data = try message.rendered()
        } catch {
            throw Failure("the message cannot be sent: \(error)", permanent: true)
        }
        let context = try tlsContext()
        let host = settings.host
        let implicitTLS = settings.security == .tls
        let hostname = Self.isIPAddress(host) ? nil : host
        let timeout = replyTimeout
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if implicitTLS { try pipeline.addHandler(try NIOSSLClientHandler(context: context, serverHostname: hostname)) }
                        try pipeline.addHandler(IdleStateHandler(readTimeout: timeout))
                        try pipeline.addHandler(CloseWhenIdle())
                        try pipeline.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Failure("cannot reach the mail relay \(host):\(settings.port): \(error)")
        }
        let settings = settings
        try await channel.executeThenClose { inbound, outbound in
            var conversation = Conversation(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await conversation.expect(220, "the relay's greeting")
            let helloName = settings.from.address.split(separator: "@").last.map(String.init) ?? "localhost"
            var hello = try await conversation.command("EHLO \(helloName)", expect: [250])
            if settings.security == .startTLS {
                if hello.extensions.contains("STARTTLS") {
                    _ = try await conversation.command("STARTTLS", expect: [220])
                    // TLS goes next to the socket, under the line decoder, once the relay has said go ahead.
                    let raw = channel.channel
                    try await raw.eventLoop.submit {
                        try raw.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: hostname),
                                                                   position: .first)
                    }.get()
                    hello = try await conversation.command("EHLO \(helloName)", expect: [250])
                } else if settings.hasCredentials {
                    throw Failure("the relay \(host) offers no STARTTLS, so the password would cross the network in the clear; "
                                  + "use smtps:// or a relay that offers STARTTLS", permanent: true)
                }
            }
            if let user = settings.username, let password = settings.password {
                let mechanisms = hello.authMechanisms
                if mechanisms.contains("PLAIN") {
                    let token = Data(("\u{0}" + user + "\u{0}" + password).utf8).base64EncodedString()
                    _ = try await conversation.command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH PLAIN ****")
                } else if mechanisms.contains("LOGIN") {
                    _ = try await conversation.command("AUTH LOGIN", expect: [334])
                    _ = try await conversation.command(Data(user.utf8).base64EncodedString(), expect: [334], shown: "(user name)")
                    _ = try await conversation.command(Data(password.utf8).base64EncodedString(), expect: [235], shown: "(password)")
                } else {
                    throw Failure("the relay offers neither AUTH PLAIN nor AUTH LOGIN (it offers: "
                                  + (mechanisms.isEmpty ? "no AUTH at all" : mechanisms.sorted().joined(separator: ", ")) + ")",
                                  permanent: true)
                }
            }
            _ = try await conversation.command("MAIL FROM:<\(settings.from.address)>", expect: [250])
            for recipient in message.to {
                _ = try await conversation.command("RCPT TO:<\(recipient.address)>", expect: [250, 251])
            }
            _ = try await conversation.command("DATA", expect: [354])
            // Dot-stuffing (RFC 5321 §4.5.2): a line that starts with a dot gets another.
            let stuffed = data.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
            try await outbound.write(ByteBuffer(string: stuffed + "\r\n.\r\n"))
            try await conversation.expect(250, "the end of the message")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    /// The relay's certificate is checked against the system's authorities and `--extra-ca-file`.
    func tlsContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.extraCAFile {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw Failure("--extra-ca-file: cannot read \(file)", permanent: true)
            }
            configuration.additionalTrustRoots = [.file(file)]
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw Failure("cannot set up TLS for the mail relay: \(error)", permanent: true)
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Commands and replies over one connection.
    struct Conversation {
        var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        mutating func reply() async throws -> SMTPReply {
            var reader = SMTPReply.Reader()
            while true {
                let next: ByteBuffer?
                do {
                    next = try await lines.next()
                } catch is NIOSSLError {
                    throw Failure("TLS with the mail relay failed: its certificate is not trusted or does not name the host; "
                                  + "for a private certificate authority, give --extra-ca-file", permanent: true)
                }
                guard var buffer = next else {
                    throw Failure("the mail relay closed the connection (or took too long to answer)")
                }
                var line = buffer.readString(length: buffer.readableBytes) ?? ""
                if line.hasSuffix("\r") { line.removeLast() }
                do {
                    if let reply = try reader.feed(line) { return reply }
                } catch {
                    throw Failure(error.description)
                }
            }
        }

        mutating func expect(_ code: Int, _ what: String) async throws {
            let answer = try await reply()
            guard answer.code == code else {
                throw Failure("the mail relay refused \(what): \(answer.code) \(answer.text)", permanent: (500..<600).contains(answer.code))
            }
        }

        /// Sends one command line and reads its reply; `shown` stands for a line that carries a secret.
        mutating func command(_ line: String, expect codes: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
            let answer = try await reply()
            guard codes.contains(answer.code) else {
                let said = shown ?? line
                throw Failure("the mail relay answered '\(said)' with \(answer.code) \(answer.text)",
                              permanent: (500..<600).contains(answer.code))
            }
            return answer
        }
    }
}

/// Closes the connection when the relay stays silent past the read timeout.
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
