internal import ArgumentParser
internal import ClearanceCore
internal import ClearanceServer
internal import ClearanceStore
internal import Foundation
internal import Hummingbird
internal import Logging
internal import Metrics
internal import Prometheus

extension ClearanceCommand {
    /// `clearance serve`: the HTTP service, on SQLite in the data directory by default.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the Clearance service (HTTP API, registers and audit chain).",
            discussion: """
                Starts with no set-up: creates the data directory and its SQLite database on first \
                start and gives every new studio the built-in default policy. Stops cleanly on \
                SIGTERM or SIGINT. Create the first site admin with `clearance admin create EMAIL`.
                """
        )

        @OptionGroup var store: StoreOptions

        @Option(help: "The address to listen on (env CLEARANCE_HOST; default 127.0.0.1).")
        var host: String?

        @Option(help: "The port to listen on (env CLEARANCE_PORT; default 8080).")
        var port: Int?

        @Option(name: .customLong("log-level"), help: "trace|debug|info|notice|warning|error (env LOG_LEVEL; default info).")
        var logLevel: String?

        @Flag(name: .customLong("secure-cookies"),
              help: "Mark the web session cookie Secure, when TLS ends in front of the server (env CLEARANCE_SECURE_COOKIES=1).")
        var secureCookies = false

        @Option(name: .customLong("max-connections"),
                help: "Connections served at once; more wait to be accepted (env CLEARANCE_MAX_CONNECTIONS; default 512).")
        var maxConnections: Int?

        @Option(name: .customLong("public-url"),
                help: ArgumentHelp("The site's address as people reach it, such as https://clearance.example.com: the base of the links the server shows, such as invitations (env CLEARANCE_PUBLIC_URL).",
                                   valueName: "URL"))
        var publicURL: String?

        /// The public address, checked: http or https, a host, no trailing slash kept.
        static func checkedPublicURL(_ text: String?, flag: Bool) throws -> String? {
            guard let text, !text.isEmpty else { return nil }
            let name = flag ? "--public-url" : "CLEARANCE_PUBLIC_URL"
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host?.isEmpty == false, url.query == nil, url.fragment == nil else {
                throw ValidationError("\(name): '\(text)' is not an http or https address such as https://clearance.example.com")
            }
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }

        @Option(name: .customLong("web-root"),
                help: ArgumentHelp("Serve the web templates and assets from this folder (the repository's web/), re-read on every request, instead of the built-in copies: for working on the pages (env CLEARANCE_WEB_ROOT).",
                                   valueName: "DIR"))
        var webRoot: String?

        @Option(name: .customLong("outbound-allow"),
                help: ArgumentHelp("Let webhooks reach an internal address range, such as 10.20.0.0/16; repeatable (env CLEARANCE_OUTBOUND_ALLOW, comma-separated).",
                                   valueName: "CIDR"))
        var outboundAllow: [String] = []

        /// The flags' ranges, or else the environment's.
        func outboundPolicy(_ environment: [String: String]) throws -> OutboundAddressPolicy {
            let fromFlags = !outboundAllow.isEmpty
            do {
                return try OutboundAddressPolicy(allowList: fromFlags ? outboundAllow : [environment["CLEARANCE_OUTBOUND_ALLOW"] ?? ""])
            } catch {
                throw ValidationError("\(fromFlags ? "--outbound-allow" : "CLEARANCE_OUTBOUND_ALLOW"): \(String(describing: error))")
            }
        }

        func validate() throws {
            _ = try outboundPolicy(ProcessInfo.processInfo.environment)
            _ = try Self.checkedPublicURL(publicURL ?? ProcessInfo.processInfo.environment["CLEARANCE_PUBLIC_URL"], flag: publicURL != nil)
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let level = Logger.Level(rawValue: logLevel ?? environment["LOG_LEVEL"] ?? "info") ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            let logger = Logger(label: "clearance")

            let resolvedPort = port ?? environment["CLEARANCE_PORT"].flatMap(Int.init) ?? 8080
            let resolvedHost = host ?? environment["CLEARANCE_HOST"] ?? "127.0.0.1"
            let (database, services, migrate) = try await store.openForServing(logger: logger)
            let where_ = if case .postgres = try store.location() { "--database URL" } else { "--data-dir \(store.resolvedDataDir)" }
            let location = try store.location().description
            logger.notice("web pages at http://\(resolvedHost):\(resolvedPort)/ (sign in with a user's email and password)")
            let outbound = try outboundPolicy(environment)
            if !outbound.allowed.isEmpty {
                logger.notice("webhooks may reach these internal ranges", metadata: [
                    "outbound-allow": .string(outbound.allowed.map(\.description).joined(separator: ",")),
                ])
            }
            var configuration = ServerConfiguration(host: resolvedHost, port: resolvedPort,
                                                    secureCookies: secureCookies || environment["CLEARANCE_SECURE_COOKIES"] == "1",
                                                    outbound: outbound)
            if let root = webRoot ?? environment["CLEARANCE_WEB_ROOT"] {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root + "/templates", isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ValidationError("--web-root: '\(root)' has no templates folder; give the repository's web/ folder")
                }
                configuration.webRoot = root
                logger.notice("web pages served from disk", metadata: ["web-root": .string(root)])
            }
            configuration.publicURL = try Self.checkedPublicURL(publicURL ?? environment["CLEARANCE_PUBLIC_URL"], flag: publicURL != nil)
            if let limit = maxConnections ?? environment["CLEARANCE_MAX_CONNECTIONS"].flatMap(Int.init) {
                guard limit > 0 else { throw ValidationError("--max-connections must be at least 1") }
                configuration.connections.maxConnections = limit
            }
            // Run by the service group before the server takes requests.
            let setupLink = configuration.setupLink
            let base = configuration.publicURL ?? "http://\(resolvedHost):\(resolvedPort)"
            let prepare: @Sendable () async throws -> Void = {
                try await migrate()
                logger.info("database ready", metadata: ["database": .string(location)])
                if try await database.siteAdminCount() == 0 {
                    let secret = setupLink.arm(at: Date())
                    logger.notice("""
                        no site admin yet. Open this link within the hour to create one (it works once): \
                        \(base)/setup/\(secret) \
                        (or run `clearance admin create EMAIL --password-stdin \(where_)`)
                        """)
                }
            }
            let app = buildApplication(store: database, configuration: configuration, logger: logger, metrics: registry,
                                       storeServices: services, beforeServing: prepare)
            try await app.runService()
        }
    }

    /// `clearance audit`: the audit chains.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect the audit chains.",
            subcommands: [Verify.self]
        )

        /// `clearance audit verify`: recomputes every link of every chain and reports the first broken one of each.
        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check that no audit event was edited, deleted or reordered.",
                discussion: """
                    Checks every chain in the database (each studio's, the site's, and the single chain of an \
                    installation from before chains were kept per studio), or, with --file, one studio's chain as \
                    exported by GET /api/v1/studios/{studio}/audit/export, with no database at all.
                    Exit codes: 0 intact, 1 broken (the first broken event of each chain is named), 2 no database or \
                    an unreadable file.
                    """
            )

            @OptionGroup var store: StoreOptions

            @Option(help: ArgumentHelp("Verify an exported chain (JSON Lines) instead of the database.", valueName: "FILE"))
            var file: String?

            func run() async throws {
                if let file {
                    try verify(file: file)
                    return
                }
                let database: any Store
                do {
                    database = try await store.open(create: false)
                } catch let error as ValidationError {
                    FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                    throw ExitCode(2)
                }
                let results = try await database.verifyAuditChains()
                var broken = false
                for (head, result) in results {
                    if let at = result.brokenAt {
                        broken = true
                        print("\(head.chain): BROKEN at event \(at) of \(result.events): \(result.reason ?? "")")
                    } else {
                        print("\(head.chain): intact, \(result.events) events, head \(head.hash)")
                    }
                }
                let total = results.reduce(0) { $0 + $1.result.events }
                if broken { throw ExitCode(1) }
                print("audit chains intact: \(total) events in \(results.count) chain\(results.count == 1 ? "" : "s")")
            }

            func verify(file: String) throws {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
                    throw ExitCode(2)
                }
                let (head, events): (AuditChainHead, [AuditEvent])
                do {
                    (head, events) = try AuditExport.read(String(decoding: data, as: UTF8.self))
                } catch {
                    FileHandle.standardError.write(Data("error: \(file): \(error.description)\n".utf8))
                    throw ExitCode(2)
                }
                let result = AuditChain.verify(events, head: head)
                if let at = result.brokenAt {
                    print("\(head.chain): BROKEN at event \(at) of \(result.events): \(result.reason ?? "")")
                    throw ExitCode(1)
                }
                print("\(head.chain): intact, \(result.events) events, head \(head.hash)")
            }
        }
    }
}
