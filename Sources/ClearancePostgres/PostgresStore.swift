public import ClearanceStore
public import ServiceLifecycle
public import Foundation
public import ClearanceCore
public import Logging
internal import NIOSSL
internal import PostgresNIO

/// The shared store: PostgreSQL through postgres-nio's connection pool, for several server
/// instances on one database.
///
/// Every write is one transaction. Rows a write checks are locked (`FOR UPDATE`), so two
/// instances cannot both pass a check and both write; the audit chain is appended under a lock on
/// its head row, so its events form one chain whichever instance writes.
public final class PostgresStore: TransactionalStore {
    let client: PostgresClient
    let logger: Logger
    /// The pool's own task, for a store that runs its pool itself (commands, tests); nil when the
    /// pool runs as a service of the server's group (`clientService`).
    private let runner: Task<Void, Never>?

    /// The advisory lock key that keeps two instances from migrating at once.
    static let migrationLock: Int64 = 0x434C_4541_524D_4947  // "CLEARMIG"

    /// Connects to `url` (`postgres://user:password@host:port/database`, with `?sslmode=disable`,
    /// `prefer` (the default) or `require`) and brings the schema up to date.
    /// Gives up after `timeout` when the server cannot be reached (the pool itself would keep
    /// retrying for a minute).
    public static func connect(url: String, maximumConnections: Int = 20, logger: Logger? = nil,
                               timeout: Duration = .seconds(10)) async throws(StoreError) -> PostgresStore {
        let configuration = try Self.configuration(url: url, maximumConnections: maximumConnections)
        let store = PostgresStore(configuration: configuration, logger: logger ?? Self.quietLogger, runsItself: true)
        do {
            try await store.migrate(timeout: timeout, url: url)
        } catch {
            store.shutdown()
            throw error
        }
        return store
    }

    /// A store for the server: its pool runs as a service of the server's group (`clientService`),
    /// which closes its connections when the group shuts down, and `migrate(timeout:url:)` is run
    /// by the group before the server takes requests. Nothing connects until then.
    public static func forService(url: String, maximumConnections: Int = 20, logger: Logger? = nil) throws(StoreError) -> PostgresStore {
        PostgresStore(configuration: try Self.configuration(url: url, maximumConnections: maximumConnections),
                      logger: logger ?? Self.quietLogger, runsItself: false)
    }

    /// The connection pool as a service: it runs until the group shuts down, then closes every
    /// connection. Put it first in the group, so that it stops after the server and the workers.
    public var clientService: some Service { ClientService(client: client) }

    struct ClientService: Service {
        let client: PostgresClient

        func run() async throws {
            await cancelWhenGracefulShutdown { await client.run() }
        }
    }

    /// Applies the migrations not yet recorded, giving up after `timeout` when the server cannot
    /// be reached (the pool itself would keep retrying for a minute).
    public func migrate(timeout: Duration, url: String) async throws(StoreError) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.migrate() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw StoreError.database("no answer from \(Self.redacted(url)) within \(timeout)")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// The pool logs each failed connection attempt; an operator needs only warnings and errors.
    static var quietLogger: Logger {
        var logger = Logger(label: "clearance.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Creates an empty database on the server `url` points at (for tests and first set-up).
    /// The name must be lower-case letters, digits and underscores.
    public static func createDatabase(_ name: String, server url: String) async throws(StoreError) {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw .database("'\(name)' is not a database name this command creates (a-z, 0-9, _)")
        }
        let store = PostgresStore(configuration: try configuration(url: url, maximumConnections: 1),
                                  logger: Logger(label: "clearance.postgres"), runsItself: true)
        defer { store.shutdown() }
        _ = try await store.read { rows in try await rows.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\"")) }
    }

    init(configuration: PostgresClient.Configuration, logger: Logger, runsItself: Bool) {
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = runsItself ? Task { await client.run() } : nil
    }

    /// Closes the pool's connections, for a store that runs its own pool.
    public func shutdown() {
        runner?.cancel()
    }

    static func configuration(url: String, maximumConnections: Int) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw .database("'\(Self.redacted(url))' is not a postgres://user:password@host:port/database URL")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        // As libpq reads sslmode: prefer and require encrypt without checking the certificate,
        // verify-ca checks it against the trusted roots, verify-full checks the host name too.
        func encrypted(_ verification: CertificateVerification) -> TLSConfiguration {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = verification
            return configuration
        }
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(encrypted(.none))
        case "require": tls = .require(encrypted(.none))
        case "verify-ca": tls = .require(encrypted(.noHostnameVerification))
        case "verify-full": tls = .require(encrypted(.fullVerification))
        default: throw .database("sslmode '\(mode)' is not one of disable, prefer, require, verify-ca, verify-full")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.additionalStartupParameters = [("TimeZone", "UTC")]
        return configuration
    }

    /// The URL without its password, for messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    static func mapped(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        // A transaction's failure wraps the error that ended it.
        if let error = error as? PostgresTransactionError,
           let cause = error.closureError ?? error.beginError ?? error.commitError {
            return mapped(cause)
        }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState], state.hasPrefix("23") {
            return .conflict("it already exists")
        }
        if let error = error as? PSQLError {
            let message = error.serverInfo?[.message] ?? String(describing: error.code)
            return .database("PostgreSQL: \(message)")
        }
        return .database(String(describing: error))
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws(StoreError) -> T {
        do {
            let logger = logger
            return try await client.withTransaction(logger: logger) { connection in
                try await body(Rows(connection: connection, logger: logger))
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// One write transaction of the shared write path (`StoreWrites`), on one pooled connection.
    /// The path waits for each statement on a thread of its own, never on an event loop.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) throws -> T) async throws(StoreError) -> T {
        do {
            let logger = logger
            return try await client.withConnection { connection in
                try await PostgresTransaction.threads.runIfActive {
                    let transaction = PostgresTransaction(connection: connection, logger: logger)
                    try transaction.run("BEGIN")
                    do {
                        let result = try body(transaction)
                        try transaction.run("COMMIT")
                        return result
                    } catch {
                        _ = try? transaction.run("ROLLBACK")
                        throw error
                    }
                }
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws(StoreError) -> T {
        do {
            let logger = logger
            return try await client.withConnection { connection in
                try await body(Rows(connection: connection, logger: logger))
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Several reads that must agree with each other, from one snapshot: a read-only transaction
    /// at repeatable read, as SQLite's reads always are.
    func snapshotRead<T: Sendable>(_ body: @escaping @Sendable (Rows) async throws -> T) async throws(StoreError) -> T {
        try await write { rows in
            try await rows.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try await body(rows)
        }
    }

    /// The rows of `table` whose `column` equals `value`, ordered by `order` (both names are
    /// constants in this file, never input).
    func list<T: Decodable & Sendable>(_ type: T.Type, from table: String, where column: String, is value: String,
                                       orderedBy order: String) async throws(StoreError) -> [T] {
        var binds = PostgresBindings()
        binds.append(value)
        let query = PostgresQuery(unsafeSQL: """
            SELECT to_json(x)::text FROM "\(table)" x WHERE x."\(column)" = $1 ORDER BY \(order)
            """, binds: binds)
        return try await read { rows in try await rows.all(type, query) }
    }

    /// Applies the migrations not yet recorded, one transaction each, while holding a session
    /// advisory lock so two instances starting together do not both migrate.
    func migrate() async throws(StoreError) {
        do {
            let logger = logger
            try await client.withConnection { connection in
                let rows = Rows(connection: connection, logger: logger)
                try await rows.run("SELECT pg_advisory_lock(\(Self.migrationLock))")
                do {
                    try await rows.run("""
                        CREATE TABLE IF NOT EXISTS "schemaMigration" ("version" text PRIMARY KEY, "appliedAt" timestamptz NOT NULL)
                        """)
                    var applied = Set<String>()
                    for try await (version) in try await connection.query(#"SELECT "version" FROM "schemaMigration""#, logger: logger)
                        .decode(String.self) {
                        applied.insert(version)
                    }
                    for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                        try await connection.withTransaction(logger: logger) { transaction in
                            let step = Rows(connection: transaction, logger: logger)
                            // The extended protocol takes one statement at a time.
                            for statement in migration.statements { try await step.run(PostgresQuery(unsafeSQL: statement)) }
                            try await step.run("""
                                INSERT INTO "schemaMigration" ("version", "appliedAt") VALUES (\(migration.version), now())
                                """)
                        }
                        logger.info("migrated", metadata: ["version": .string(migration.version)])
                    }
                    try await rows.run("SELECT pg_advisory_unlock(\(Self.migrationLock))")
                } catch {
                    try? await rows.run("SELECT pg_advisory_unlock(\(Self.migrationLock))")
                    throw error
                }
            }
        } catch {
            throw Self.mapped(error)
        }
    }

    // MARK: Shared steps

    // MARK: Users and tokens

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await read { rows in try await rows.one(UserRecord.self, #"SELECT to_json(u)::text FROM "user" u WHERE u."id" = \#(id)"#) }
    }

    public func user(email: String) async throws(StoreError) -> UserRecord? {
        try await read { rows in
            try await rows.one(UserRecord.self, #"SELECT to_json(u)::text FROM "user" u WHERE u."email" = \#(email)"#)
        }
    }

    public func siteAdminCount() async throws(StoreError) -> Int {
        try await read { rows in try await rows.integer(#"SELECT count(*) FROM "user" WHERE "isSiteAdmin""#) ?? 0 }
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        try await read { rows in
            try await rows.all(UserRecord.self, #"SELECT to_json(u)::text FROM "user" u ORDER BY u."email""#)
        }
    }

    struct AttemptWindow: Decodable {
        var count: Int
        var oldest: Date?
    }

    public func token(secretHash: String) async throws(StoreError) -> TokenRecord? {
        try await read { rows in
            try await rows.one(TokenRecord.self, #"SELECT to_json(t)::text FROM "token" t WHERE t."secretHash" = \#(secretHash)"#)
        }
    }

    public func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        try await list(TokenRecord.self, from: "token", where: "userID", is: userID, orderedBy: #"x."createdAt", x."id""#)
    }

    public func identity(secretHash: String) async throws(StoreError) -> Identity? {
        guard let (token, member) = try await credential(TokenRecord.self, table: "token", secretHash: secretHash) else { return nil }
        return Identity(token: token, user: member.user, studioRoles: member.studios, productionRoles: member.productions,
                        productionStudios: member.productionStudios)
    }

    /// A token or session row by its secret hash, with its user and every membership, in one
    /// round trip: what authenticating a request needs.
    func credential<Credential: Decodable & Sendable>(_ type: Credential.Type, table: String, secretHash: String) async throws(StoreError)
        -> (Credential, Membership.Resolved)? {
        let query = PostgresQuery(unsafeSQL: """
            SELECT json_build_object('credential', to_json(c), 'member', \(Self.membershipJSON))::text
            FROM "\(table)" c JOIN "user" u ON u."id" = c."userID" WHERE c."secretHash" = $1
            """, binds: Self.bind(secretHash))
        return try await read { rows in
            try await rows.one(CredentialRow<Credential>.self, query).map { ($0.credential, $0.member.resolved) }
        }
    }

    /// A user (`u`) with every membership, as one JSON object: what authenticating needs, in one
    /// round trip.
    static let membershipJSON = """
        json_build_object(
            'user', to_json(u),
            'studios', COALESCE((SELECT json_agg(m ORDER BY m."studioID") FROM "studioMember" m WHERE m."userID" = u."id"), '[]'::json),
            'productions', COALESCE((SELECT json_agg(json_build_object('productionID', pm."productionID", 'role', pm."role",
                                                                       'studioID', p."studioID"))
                                     FROM "productionMember" pm JOIN "production" p ON p."id" = pm."productionID"
                                     WHERE pm."userID" = u."id"), '[]'::json))
        """

    static func bind(_ value: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }

    struct CredentialRow<Credential: Decodable>: Decodable {
        var credential: Credential
        var member: Membership
    }

    struct Membership: Decodable {
        struct ProductionRoleRow: Decodable {
            var productionID: String
            var role: String
            var studioID: String
        }

        var user: UserRecord
        var studios: [StudioMember]
        var productions: [ProductionRoleRow]

        typealias Resolved = (user: UserRecord, studios: [StudioMember], productions: [ProductionMember],
                              productionStudios: [String: String])

        var resolved: Resolved {
            var members: [ProductionMember] = []
            var studioOf: [String: String] = [:]
            for row in productions.sorted(by: { $0.productionID < $1.productionID }) {
                guard let role = ProductionRole(rawValue: row.role) else { continue }
                members.append(ProductionMember(productionID: row.productionID, userID: user.id, role: role))
                studioOf[row.productionID] = row.studioID
            }
            return (user, studios, members, studioOf)
        }
    }

    // MARK: Web sessions

    public func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int {
        try await read { rows in
            try await rows.integer(#"""
                SELECT count(*) FROM "session" WHERE "userID" = \#(userID) AND "endedAt" IS NULL AND "expiresAt" > \#(at)
                """#) ?? 0
        }
    }

    public func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord? {
        try await read { rows in
            try await rows.one(PasswordResetRecord.self,
                               #"SELECT to_json(r)::text FROM "passwordReset" r WHERE r."secretHash" = \#(secretHash)"#)
        }
    }

    // MARK: Invitations

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        try await read { rows in
            try await rows.one(InvitationRecord.self,
                               #"SELECT to_json(i)::text FROM "invitation" i WHERE i."secretHash" = \#(secretHash)"#)
        }
    }

    public func openInvitations(studioID: String, productionID: String?, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try await read { rows in
            try await rows.all(InvitationRecord.self, #"""
                SELECT to_json(i)::text FROM "invitation" i
                WHERE i."studioID" = \#(studioID) AND i."productionID" IS NOT DISTINCT FROM \#(productionID)
                  AND i."acceptedAt" IS NULL AND i."expiresAt" > \#(at)
                ORDER BY i."createdAt" DESC, i."id"
                """#)
        }
    }

    public func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try await read { rows in
            try await rows.all(InvitationRecord.self, #"""
                SELECT to_json(i)::text FROM "invitation" i
                WHERE i."email" = \#(email) AND i."acceptedAt" IS NULL AND i."expiresAt" > \#(at)
                ORDER BY i."createdAt" DESC, i."id"
                """#)
        }
    }

    public func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity? {
        guard let (session, member) = try await credential(SessionRecord.self, table: "session", secretHash: secretHash),
              session.isLive(at: at) else { return nil }
        return SessionIdentity(session: session, user: member.user, studioRoles: member.studios,
                               productionRoles: member.productions, productionStudios: member.productionStudios)
    }

    // MARK: Studios and policies

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        try await read { rows in try await rows.one(StudioRecord.self, #"SELECT to_json(s)::text FROM "studio" s WHERE s."id" = \#(id)"#) }
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        try await read { rows in try await rows.all(StudioRecord.self, #"SELECT to_json(s)::text FROM "studio" s ORDER BY s."id""#) }
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        try await list(StudioMember.self, from: "studioMember", where: "studioID", is: studioID, orderedBy: #"x."userID""#)
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        try await list(StudioMember.self, from: "studioMember", where: "userID", is: userID, orderedBy: #"x."studioID""#)
    }

    public func currentPolicy(studioID: String) async throws(StoreError) -> PolicyVersionRecord? {
        try await read { rows in
            try await rows.one(PolicyVersionRecord.self, #"""
                SELECT to_json(v)::text FROM "policyVersion" v WHERE v."studioID" = \#(studioID) ORDER BY v."number" DESC LIMIT 1
                """#)
        }
    }

    public func currentPolicyStamp(studioID: String) async throws(StoreError) -> PolicyVersionStamp? {
        try await read { rows in try await Self.policyStamp(studioID: studioID, in: rows) }
    }

    static func policyStamp(studioID: String, in rows: Rows) async throws -> PolicyVersionStamp? {
        try await rows.one(PolicyVersionStamp.self, #"""
            SELECT json_build_object('number', v."number", 'digest', v."digest")::text FROM "policyVersion" v
            WHERE v."studioID" = \#(studioID) ORDER BY v."number" DESC LIMIT 1
            """#)
    }

    public func policyVersion(studioID: String, number: Int) async throws(StoreError) -> PolicyVersionRecord? {
        try await read { rows in
            try await rows.one(PolicyVersionRecord.self, #"""
                SELECT to_json(v)::text FROM "policyVersion" v WHERE v."studioID" = \#(studioID) AND v."number" = \#(number)
                """#)
        }
    }

    public func policyVersions(studioID: String) async throws(StoreError) -> [PolicyVersionRecord] {
        try await list(PolicyVersionRecord.self, from: "policyVersion", where: "studioID", is: studioID, orderedBy: #"x."number""#)
    }

    // MARK: Tools

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        try await read { rows in
            try await rows.one(ToolEntry.self,
                               #"SELECT to_json(t)::text FROM "tool" t WHERE t."studioID" = \#(studioID) AND t."id" = \#(id)"#)
        }
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        try await list(ToolEntry.self, from: "tool", where: "studioID", is: studioID, orderedBy: #"x."id""#)
    }

    // MARK: Productions

    public func production(id: String) async throws(StoreError) -> ProductionRecord? {
        try await read { rows in
            try await rows.one(ProductionRecord.self, #"SELECT to_json(p)::text FROM "production" p WHERE p."id" = \#(id)"#)
        }
    }

    public func productionContext(id: String) async throws(StoreError) -> ProductionContext? {
        try await read { rows in
            struct Row: Decodable {
                var production: ProductionRecord
                var policy: PolicyVersionStamp?
                var tools: [ToolEntry]
            }
            // One round trip: the production, its studio's current policy stamp and its tools.
            guard let found = try await rows.one(Row.self, #"""
                SELECT json_build_object(
                    'production', to_json(p),
                    'policy', (SELECT json_build_object('number', v."number", 'digest', v."digest") FROM "policyVersion" v
                               WHERE v."studioID" = p."studioID" ORDER BY v."number" DESC LIMIT 1),
                    'tools', COALESCE((SELECT json_agg(t ORDER BY t."id") FROM "tool" t WHERE t."studioID" = p."studioID"), '[]'::json)
                )::text FROM "production" p WHERE p."id" = \#(id)
                """#), let policy = found.policy else { return nil }
            return ProductionContext(production: found.production, policy: policy, tools: found.tools)
        }
    }

    public func productions(studioID: String) async throws(StoreError) -> [ProductionRecord] {
        try await list(ProductionRecord.self, from: "production", where: "studioID", is: studioID, orderedBy: #"x."id""#)
    }

    public func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember] {
        try await list(ProductionMember.self, from: "productionMember", where: "productionID", is: productionID, orderedBy: #"x."userID""#)
    }

    public func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember] {
        try await list(ProductionMember.self, from: "productionMember", where: "userID", is: userID, orderedBy: #"x."productionID""#)
    }

    // MARK: Use requests

    public func openRequests(studioID: String) async throws(StoreError) -> [UseRequestRecord] {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await read { rows in
            try await rows.all(UseRequestRecord.self, #"""
                SELECT to_json(r)::text FROM "useRequest" r WHERE r."studioID" = \#(studioID) AND r."state" = ANY(\#(open))
                ORDER BY r."createdAt", r."id"
                """#)
        }
    }

    public func request(id: String) async throws(StoreError) -> UseRequestRecord? {
        try await read { rows in
            try await rows.one(UseRequestRecord.self, #"SELECT to_json(r)::text FROM "useRequest" r WHERE r."id" = \#(id)"#)
        }
    }

    public func requests(_ query: RequestQuery) async throws(StoreError) -> [UseRequestRecord] {
        try await read { rows in try await rows.all(UseRequestRecord.self, Self.requestSQL(query, counting: false)) }
    }

    public func registerPage(productionID: String, state: RequestState?, after: String?,
                             limit: Int) async throws(StoreError) -> [RegisterRow] {
        try await snapshotRead { rows in
            let requests = try await rows.all(UseRequestRecord.self, #"""
                SELECT to_json(r)::text FROM "useRequest" r
                WHERE r."productionID" = \#(productionID) AND (\#(state?.rawValue)::text IS NULL OR r."state" = \#(state?.rawValue))
                  AND (\#(after)::text IS NULL
                       OR (r."createdAt", r."id") > (SELECT a."createdAt", a."id" FROM "useRequest" a WHERE a."id" = \#(after)))
                ORDER BY r."createdAt", r."id" LIMIT \#(limit)
                """#)
            guard !requests.isEmpty else { return [] }
            let ids = requests.map(\.id)
            let decisions = try await rows.all(DecisionRecord.self, #"""
                SELECT to_json(d)::text FROM (SELECT DISTINCT ON ("requestID") * FROM "decision" WHERE "requestID" = ANY(\#(ids))
                                              ORDER BY "requestID", "seq" DESC) d
                """#)
            struct Document: Decodable {
                var requestID: String
                var document: String
            }
            let documents = try await rows.all(Document.self, #"""
                SELECT json_build_object('requestID', r."requestID", 'document', r."document")::text
                FROM (SELECT DISTINCT ON ("requestID") "requestID", "document" FROM "revision" WHERE "requestID" = ANY(\#(ids))
                      ORDER BY "requestID", "number" DESC) r
                """#)
            let verdicts = try await rows.all(VerdictRecord.self, #"""
                SELECT to_json(v)::text FROM "verdict" v WHERE v."requestID" = ANY(\#(ids)) ORDER BY v."seq"
                """#)
            return RegisterRow.assemble(requests, decisions: decisions,
                                        documents: Dictionary(documents.map { ($0.requestID, $0.document) }, uniquingKeysWith: { $1 }),
                                        verdicts: verdicts)
        }
    }

    public func dashboardCounts(studioID: String, productionID: String?, since: Date) async throws(StoreError) -> DashboardCounts {
        struct Tally: Decodable {
            var m: DashboardTally.Measure
            var k: String
            var n: Int
        }
        struct Settled: Decodable {
            var id: String
            var state: String
            var triagedAt: Date
            var verdict: String?
            var verdictAt: Date?
        }
        let settledStates = SettledUse.states.map(\.rawValue)
        return try await snapshotRead { rows in
            // The tallies the write path keeps: a few rows per production, however many requests.
            let tallies = try await rows.all(Tally.self, #"""
                SELECT json_build_object('m', t."measure", 'k', t."key", 'n', sum(t."count"))::text FROM "dashboardTally" t
                WHERE t."studioID" = \#(studioID) AND (\#(productionID)::text IS NULL OR t."productionID" = \#(productionID))
                GROUP BY t."measure", t."key"
                """#).map { DashboardTally(studioID: studioID, productionID: productionID ?? "", measure: $0.m, key: $0.k, count: $0.n) }
            let (byOutcome, byArea, byMonth) = DashboardCounts.from(tallies, since: since)
            let settledRows = try await rows.all(Settled.self, #"""
                SELECT json_build_object('id', r."id", 'state', r."state", 'triagedAt', d."createdAt", 'verdict', v."verdict",
                                         'verdictAt', v."createdAt")::text
                FROM "useRequest" r
                JOIN LATERAL (SELECT x."createdAt", x."requestDigest", x."policyDigest" FROM "decision" x
                              WHERE x."requestID" = r."id" ORDER BY x."seq" DESC LIMIT 1) d ON true
                LEFT JOIN "verdict" v ON v."requestID" = r."id" AND v."requestDigest" = d."requestDigest"
                                     AND v."policyDigest" = d."policyDigest"
                WHERE r."studioID" = \#(studioID) AND (\#(productionID)::text IS NULL OR r."productionID" = \#(productionID))
                  AND r."outcome" <> 'socialize' AND r."state" = ANY(\#(settledStates))
                ORDER BY r."createdAt", r."id", v."seq"
                """#)
            var settled: [String: SettledUse] = [:]
            var order: [String] = []
            for row in settledRows {
                guard let state = RequestState(rawValue: row.state) else { continue }
                if settled[row.id] == nil {
                    settled[row.id] = SettledUse(state: state, triagedAt: row.triagedAt, verdicts: [])
                    order.append(row.id)
                }
                if let kind = row.verdict.flatMap(VerdictKind.init(rawValue:)), let at = row.verdictAt {
                    settled[row.id]?.verdicts.append(SettledUse.Verdict(kind: kind, at: at))
                }
            }
            return DashboardCounts(byOutcome: byOutcome, byArea: byArea, byMonth: byMonth, settled: order.compactMap { settled[$0] })
        }
    }

    public func countRequests(_ query: RequestQuery) async throws(StoreError) -> Int {
        try await read { rows in try await rows.integer(Self.requestSQL(query, counting: true)) ?? 0 }
    }

    /// The requests a query matches: a page of them, newest first, or their number. Absent filters
    /// bind NULL and drop out; paging follows (createdAt, id).
    static func requestSQL(_ query: RequestQuery, counting: Bool) -> PostgresQuery {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 2048, interpolationCount: 20)
        /// Text, each followed by a bound value (which may be NULL) unless it is the end of a clause.
        enum Bind { case value(String?), end }
        func add(_ parts: [(String, Bind)]) {
            for (text, bind) in parts {
                sql.appendLiteral(text)
                if case .value(let value) = bind { sql.appendInterpolation(value) }
            }
        }
        let areas = query.awaitingVerdictFrom.map { "[" + $0.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]" }
        sql.appendLiteral(counting ? #"SELECT count(*) FROM "useRequest" r WHERE ("# : #"SELECT to_json(r)::text FROM "useRequest" r WHERE ("#)
        add([
            ("", .value(query.productionID)), (#"::text IS NULL OR r."productionID" = "#, .value(query.productionID)),
            (#") AND ("#, .value(query.studioID)), (#"::text IS NULL OR r."studioID" = "#, .value(query.studioID)),
            (#") AND ("#, .value(query.state?.rawValue)), (#"::text IS NULL OR r."state" = "#, .value(query.state?.rawValue)),
            (#") AND ("#, .value(query.outcome?.rawValue)), (#"::text IS NULL OR r."outcome" = "#, .value(query.outcome?.rawValue)),
            (#") AND ("#, .value(query.area?.rawValue)), (#"::text IS NULL OR r."areas" ? "#, .value(query.area?.rawValue)),
            (#") AND ("#, .value(query.requesterID)), (#"::text IS NULL OR r."requesterID" = "#, .value(query.requesterID)),
            // One of these areas is needed and has no verdict for the digests of the latest decision.
            (#") AND ("#, .value(areas)),
            (#"::jsonb IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(r."areas") a(area) WHERE "#, .value(areas)),
            (#"::jsonb ? a.area AND NOT EXISTS (SELECT 1 FROM "verdict" v WHERE v."requestID" = r."id" AND v."area" = a.area "#
                + #"AND (v."requestDigest", v."policyDigest") = (SELECT d."requestDigest", d."policyDigest" FROM "decision" d "#
                + #"WHERE d."requestID" = r."id" ORDER BY d."seq" DESC LIMIT 1)))"#, .end),
        ])
        // Filed or revised by this user: not theirs to judge.
        add([(#") AND ("#, .value(query.notAuthoredBy)), (#"::text IS NULL OR (r."requesterID" <> "#, .value(query.notAuthoredBy)),
             (#" AND NOT EXISTS (SELECT 1 FROM "revision" x WHERE x."requestID" = r."id" AND x."authorID" = "#, .value(query.notAuthoredBy)),
             ("))", .end)])
        if !counting {
            add([(#") AND ("#, .value(query.after)), (#"::text IS NULL OR (r."createdAt", r."id") < (SELECT a."createdAt", a."id" FROM "useRequest" a WHERE a."id" = "#, .value(query.after)),
                 (")) ORDER BY r.\"createdAt\" DESC, r.\"id\" DESC LIMIT ", .end)])
            sql.appendInterpolation(query.limit)
        } else {
            sql.appendLiteral(")")
        }
        return PostgresQuery(stringInterpolation: sql)
    }

    public func revisions(requestID: String) async throws(StoreError) -> [RevisionRecord] {
        try await list(RevisionRecord.self, from: "revision", where: "requestID", is: requestID, orderedBy: #"x."number""#)
    }

    public func decisions(requestID: String) async throws(StoreError) -> [DecisionRecord] {
        try await list(DecisionRecord.self, from: "decision", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    // MARK: Workflow

    // MARK: Re-triage jobs

    public func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob? {
        try await read { rows in
            try await rows.one(RetriageJob.self, #"""
                SELECT to_json(j)::text FROM "retriageJob" j WHERE j."studioID" = \#(studioID) AND j."number" = \#(number)
                """#)
        }
    }

    public func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        // A job for one production's rulebooks (an overlay switched for it) leaves the others alone.
        let scope = job.productionID ?? ""
        return try await snapshotRead { rows in
            let page = try await rows.all(UseRequestRecord.self, #"""
                SELECT to_json(r)::text FROM "useRequest" r
                WHERE r."studioID" = \#(job.studioID) AND r."state" = ANY(\#(open)) AND NOT r."id" = ANY(\#(job.setAside))
                  AND (\#(scope) = '' OR r."productionID" = \#(scope))
                  AND (SELECT max(d."policyNumber") FROM "decision" d WHERE d."requestID" = r."id") < \#(job.number)
                ORDER BY r."createdAt", r."id" LIMIT \#(limit)
                """#)
            let count = try await rows.integer(#"""
                SELECT count(*) FROM "useRequest" r
                WHERE r."studioID" = \#(job.studioID) AND r."state" = ANY(\#(open)) AND NOT r."id" = ANY(\#(job.setAside))
                  AND (\#(scope) = '' OR r."productionID" = \#(scope))
                  AND (SELECT max(d."policyNumber") FROM "decision" d WHERE d."requestID" = r."id") < \#(job.number)
                """#) ?? 0
            return (page, count)
        }
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        try await list(VerdictRecord.self, from: "verdict", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func comments(requestID: String) async throws(StoreError) -> [CommentRecord] {
        try await list(CommentRecord.self, from: "comment", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func coverageExtensions(requestID: String) async throws(StoreError) -> [CoverageExtension] {
        try await list(CoverageExtension.self, from: "coverageExtension", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord] {
        try await list(AcknowledgementRecord.self, from: "acknowledgement", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    // MARK: Webhooks

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        try await list(WebhookEndpoint.self, from: "webhookEndpoint", where: "studioID", is: studioID, orderedBy: #"x."createdAt", x."id""#)
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        try await read { rows in
            try await rows.all(WebhookDelivery.self, #"""
                SELECT to_json(d)::text FROM "webhookDelivery" d WHERE d."endpointID" = \#(endpointID)
                ORDER BY d."createdAt" DESC, d."id" LIMIT \#(limit)
                """#)
        }
    }

    // MARK: Consents

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        try await read { rows in try await rows.one(ConsentRecord.self, #"SELECT to_json(c)::text FROM "consent" c WHERE c."id" = \#(id)"#) }
    }

    public func overlaySettings(studioID: String) async throws(StoreError) -> [OverlaySetting] {
        try await list(OverlaySetting.self, from: StoreTable.overlaySetting.name, where: "studioID", is: studioID,
                       orderedBy: #"x."productionID", x."overlayID""#)
    }

    public func overlayVersions(studioID: String) async throws(StoreError) -> [OverlayVersionRecord] {
        try await list(OverlayVersionRecord.self, from: StoreTable.overlayVersion.name, where: "studioID", is: studioID,
                       orderedBy: #"x."overlayID", x."number""#)
    }

    public func obligationsMet(requestID: String) async throws(StoreError) -> [ObligationMet] {
        try await list(ObligationMet.self, from: StoreTable.obligationMet.name, where: "requestID", is: requestID,
                       orderedBy: #"x."metAt""#)
    }

    public func obligationsMet(productionID: String) async throws(StoreError) -> [ObligationMet] {
        try await list(ObligationMet.self, from: StoreTable.obligationMet.name, where: "productionID", is: productionID,
                       orderedBy: #"x."metAt""#)
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        try await read { rows in
            try await rows.all(ConsentRecord.self, #"""
                SELECT to_json(c)::text FROM "consent" c WHERE c."productions" ? \#(productionID) ORDER BY c."createdAt", c."id"
                """#)
        }
    }

    // MARK: Deliverable scans

    public func scan(id: String) async throws(StoreError) -> ScanRecord? {
        try await read { rows in try await rows.one(ScanRecord.self, #"SELECT to_json(s)::text FROM "scan" s WHERE s."id" = \#(id)"#) }
    }

    public func scans(productionID: String, after: String?, limit: Int) async throws(StoreError) -> [ScanRecord] {
        try await read { rows in
            // Every column but the report, which a list never shows.
            try await rows.all(ScanRecord.self, #"""
                SELECT (to_jsonb(s) - 'report')::text FROM "scan" s
                WHERE s."productionID" = \#(productionID)
                  AND (\#(after)::text IS NULL
                       OR (s."createdAt", s."id") < (SELECT a."createdAt", a."id" FROM "scan" a WHERE a."id" = \#(after)))
                ORDER BY s."createdAt" DESC, s."id" DESC LIMIT \#(limit)
                """#)
        }
    }

    /// Every table of the migrated database with its columns, for checking them against `StoreTable`.
    public func tableColumns() async throws(StoreError) -> [String: Set<String>] {
        struct Column: Decodable {
            var table: String
            var column: String
        }
        let columns = try await read { rows in
            try await rows.all(Column.self, #"""
                SELECT json_build_object('table', c.table_name, 'column', c.column_name)::text
                FROM information_schema.columns c WHERE c.table_schema = current_schema()
                """#)
        }
        return Dictionary(grouping: columns, by: \.table).mapValues { Set($0.map(\.column)) }
    }

    // MARK: Copying in

    /// Rows already in the tables a copy would fill: users, studios and audit events.
    public func existingRows() async throws(StoreError) -> Int {
        try await read { rows in try await rows.integer(Self.occupiedRows) ?? 0 }
    }

    static let occupiedRows: PostgresQuery = #"""
        SELECT (SELECT count(*) FROM "user") + (SELECT count(*) FROM "studio") + (SELECT count(*) FROM "auditEvent")
        """#

    /// Loads a whole installation into this empty database in one transaction, rows in their
    /// original order and the audit chain as it was (events are copied, not appended again).
    /// `conflict` if the database already holds data.
    public func load(_ snapshot: Snapshot, progress: @escaping @Sendable (String, Int) -> Void = { _, _ in }) async throws(StoreError) {
        try await write { rows in
            try await rows.run(#"LOCK TABLE "auditChainHead" IN EXCLUSIVE MODE"#)
            let existing = try await rows.integer(Self.occupiedRows) ?? 0
            guard existing == 0 else { throw StoreError.conflict("the target database already holds data (\(existing) rows)") }
            func copy<T: StoredRecord>(_ records: [T], _ label: String) async throws {
                for start in stride(from: 0, to: records.count, by: 500) {
                    try await rows.insertAll(Array(records[start..<min(start + 500, records.count)]))
                }
                progress(label, records.count)
            }
            try await copy(snapshot.users, "users")
            try await copy(snapshot.tokens, "tokens")
            try await copy(snapshot.sessions, "sessions")
            try await copy(snapshot.studios, "studios")
            try await copy(snapshot.studioMembers, "studio members")
            try await copy(snapshot.policyVersions, "policy versions")
            try await copy(snapshot.tools, "tools")
            try await copy(snapshot.productions, "productions")
            try await copy(snapshot.productionMembers, "production members")
            try await copy(snapshot.requests, "requests")
            try await copy(snapshot.revisions, "revisions")
            try await copy(snapshot.decisions, "decisions")
            try await copy(snapshot.consents, "consents")
            try await copy(snapshot.verdicts, "verdicts")
            try await copy(snapshot.acknowledgements, "acknowledgements")
            try await copy(snapshot.comments, "comments")
            try await copy(snapshot.coverageExtensions, "coverage extensions")
            try await copy(snapshot.webhookEndpoints, "webhooks")
            try await copy(snapshot.webhookDeliveries, "webhook deliveries")
            try await copy(snapshot.scans, "scans")
            try await copy(snapshot.invitations, "invitations")
            try await copy(snapshot.passwordResets, "password links")
            try await copy(snapshot.obligationsMet, "obligations met")
            try await copy(snapshot.overlaySettings, "overlay settings")
            try await copy(snapshot.overlayVersions, "custom overlay versions")
            try await copy(snapshot.retriageJobs.map { job in
                var copied = job
                if copied.state != .done { (copied.state, copied.owner, copied.leaseUntil) = (.waiting, nil, nil) }
                return copied
            }, "re-triage jobs")
            try await rows.run(PostgresQuery(unsafeSQL: PostgresSchema.tallyBackfill))
            try await copy(snapshot.auditEvents, "audit events")
            try await copy(snapshot.auditHeads, "audit chains")
            try await rows.run(#"SELECT setval('"auditEvent_seq"', (SELECT coalesce(max("seq"), 0) + 1 FROM "auditEvent"), false)"#)
        }
    }

    // MARK: Audit

    public func auditEvents(_ query: AuditQuery) async throws(StoreError) -> [AuditEvent] {
        let studios = query.studioIDs.map { Array($0) }
        return try await read { rows in
            try await rows.all(AuditEvent.self, #"""
                SELECT to_json(e)::text FROM "auditEvent" e
                WHERE e."seq" > \#(query.afterSeq)
                  AND (\#(studios)::text[] IS NULL OR e."studioID" = ANY(\#(studios)))
                  AND (\#(query.studioID)::text IS NULL OR e."studioID" = \#(query.studioID))
                  AND (\#(query.productionID)::text IS NULL OR e."productionID" = \#(query.productionID))
                ORDER BY e."seq" LIMIT \#(query.limit)
                """#)
        }
    }

    public func auditHeads() async throws(StoreError) -> [AuditChainHead] {
        try await read { rows in
            // A chain with events but no head row (deleted) gets an empty head, so it fails to verify.
            try await rows.all(AuditChainHead.self, #"""
                SELECT json_build_object('chain', c."chain", 'position', coalesce(h."position", 0),
                                         'hash', coalesce(h."hash", \#(AuditChain.zeroHash)),
                                         'anchor', coalesce(h."anchor", \#(AuditChain.zeroHash)))::text
                FROM (SELECT DISTINCT "chain" FROM "auditEvent" UNION SELECT "chain" FROM "auditChainHead") c
                LEFT JOIN "auditChainHead" h ON h."chain" = c."chain" ORDER BY c."chain"
                """#)
        }
    }

    public func auditChain(_ chain: String) async throws(StoreError) -> (events: [AuditEvent], head: AuditChainHead?) {
        // One snapshot for both reads: other instances keep appending meanwhile.
        try await snapshotRead { rows in
            let events = try await rows.all(AuditEvent.self, #"""
                SELECT to_json(e)::text FROM "auditEvent" e WHERE e."chain" = \#(chain) ORDER BY e."position"
                """#)
            let head = try await rows.one(AuditChainHead.self, #"SELECT to_json(h)::text FROM "auditChainHead" h WHERE h."chain" = \#(chain)"#)
            return (events, head)
        }
    }

    public func auditChainEvents(_ chain: String, after position: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await read { rows in
            try await rows.all(AuditEvent.self, #"""
                SELECT to_json(e)::text FROM "auditEvent" e WHERE e."chain" = \#(chain) AND e."position" > \#(position)
                ORDER BY e."position" LIMIT \#(limit)
                """#)
        }
    }
}
