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
public final class PostgresStore: Store {
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

    /// Inserts (or, `replacing`, upserts) one record with its audit event.
    func save<T: Encodable & Sendable>(_ record: T, into table: String, replacing: Bool = false,
                                       audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            if replacing { try await rows.upsert(record, into: table) } else { try await rows.insert(record, into: table) }
            try await Self.append(audit, in: rows)
        }
    }

    /// Inserts a record with its audit event unless a row already has its `column` value
    /// (a constant here): then `conflict` with `message`.
    func saveNew<T: Encodable & Sendable>(_ record: T, into table: String, unique column: String, value: String,
                                          message: String, audit: AuditDraft) async throws(StoreError) {
        var binds = PostgresBindings()
        binds.append(value)
        let existing = PostgresQuery(unsafeSQL: #"SELECT count(*) FROM "\#(table)" WHERE "\#(column)" = $1"#, binds: binds)
        try await write { rows in
            if try await rows.integer(existing) ?? 0 > 0 { throw StoreError.conflict(message) }
            try await rows.insert(record, into: table)
            try await Self.append(audit, in: rows)
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

    /// Appends an audit event after the chain's head and queues the webhook deliveries it raises,
    /// in the caller's transaction. Locking the head row puts appends from every instance in one
    /// line; the lock is held from here to the commit, so the work after it is one statement.
    static func append(_ draft: AuditDraft, in rows: Rows) async throws {
        var endpoints: [WebhookEndpoint] = []
        if let studio = draft.studioID, !StoreRules.raisedEvents(draft).isEmpty {
            endpoints = try await rows.all(WebhookEndpoint.self,
                                           #"SELECT to_json(e)::text FROM "webhookEndpoint" e WHERE e."studioID" = \#(studio)"#)
        }
        // Each chain's head row is locked on its own: appends to different studios' chains never
        // wait for each other. A chain's first append creates its head, after the old chain's head.
        let chain = AuditChain.chain(for: draft.studioID)
        struct Locked: Decodable {
            var head: AuditChainHead
            var seq: Int64
        }
        let lock: PostgresQuery = #"""
            SELECT json_build_object('head', to_json(h), 'seq', nextval('"auditEvent_seq"'))::text
            FROM "auditChainHead" h WHERE h."chain" = \#(chain) FOR UPDATE
            """#
        var locked = try await rows.one(Locked.self, lock)
        if locked == nil {
            try await rows.run(#"""
                INSERT INTO "auditChainHead" ("chain", "position", "hash", "anchor")
                SELECT \#(chain), 0, a.hash, a.hash
                FROM (SELECT coalesce((SELECT "hash" FROM "auditChainHead" WHERE "chain" = \#(AuditChain.legacy)),
                                      \#(AuditChain.zeroHash)) AS hash) a
                ON CONFLICT ("chain") DO NOTHING
                """#)
            locked = try await rows.one(Locked.self, lock)
        }
        guard let locked else { throw StoreError.database("the audit chain head of \(chain) is missing") }
        let event = AuditChain.seal(draft, after: locked.head, seq: locked.seq)
        var binds = PostgresBindings()
        binds.append(String(decoding: try RecordJSON.encoder.encode(event), as: UTF8.self))
        binds.append(event.position)
        binds.append(event.hash)
        binds.append(chain)
        let columns = Rows.columnList("auditEvent")
        try await rows.run(PostgresQuery(unsafeSQL: """
            WITH e AS (INSERT INTO "auditEvent" (\(columns)) SELECT \(columns) FROM json_populate_record(NULL::"auditEvent", $1::json))
            UPDATE "auditChainHead" SET "position" = $2, "hash" = $3 WHERE "chain" = $4
            """, binds: binds))
        let deliveries = StoreRules.deliveries(for: draft, event: event, endpoints: endpoints)
        if !deliveries.isEmpty { try await rows.insertAll(deliveries, into: "webhookDelivery") }
    }

    /// The request row, locked until the transaction ends.
    static func lockedRequest(_ id: String, in rows: Rows) async throws -> UseRequestRecord? {
        try await rows.one(UseRequestRecord.self, #"SELECT to_json(r)::text FROM "useRequest" r WHERE r."id" = \#(id) FOR UPDATE"#)
    }

    // MARK: Users and tokens

    public func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError) {
        try await saveNew(user, into: "user", unique: "email", value: user.email,
                          message: "a user with email \(user.email) already exists", audit: audit)
    }

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

    public func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var user = try await rows.one(UserRecord.self,
                                                #"SELECT to_json(u)::text FROM "user" u WHERE u."id" = \#(id) FOR UPDATE"#),
                  (user.deactivatedAt == nil) != (at == nil) else { return false }
            user.deactivatedAt = at
            try await rows.update(user, in: "user")
            if let at {
                try await rows.run(#"UPDATE "session" SET "endedAt" = \#(at) WHERE "userID" = \#(id) AND "endedAt" IS NULL"#)
                try await rows.run(#"UPDATE "token" SET "revokedAt" = \#(at) WHERE "userID" = \#(id) AND "revokedAt" IS NULL"#)
            }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date] {
        try await write { rows in
            // One lock per key, taken in a fixed order, puts concurrent attempts on a key in line
            // across every instance without blocking other keys.
            for key in keys.map(\.key).sorted() {
                try await rows.run(#"SELECT pg_advisory_xact_lock(hashtextextended(\#(key), 7))"#)
            }
            try await rows.run(#"DELETE FROM "signInAttempt" WHERE "at" < \#(since)"#)
            var full: [Date] = []
            for key in keys {
                let window = try await rows.one(AttemptWindow.self, #"""
                    SELECT json_build_object('count', count(*), 'oldest', min("at"))::text
                    FROM "signInAttempt" WHERE "key" = \#(key.key)
                    """#)
                if let window, window.count >= key.limit, let oldest = window.oldest { full.append(oldest) }
            }
            guard full.isEmpty else { return full }
            for key in keys {
                try await rows.run(#"INSERT INTO "signInAttempt" ("key", "at") VALUES (\#(key.key), \#(at))"#)
            }
            return []
        }
    }

    struct AttemptWindow: Decodable {
        var count: Int
        var oldest: Date?
    }

    public func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError) {
        try await write { rows in
            if newestOnly {
                try await rows.run(#"""
                    DELETE FROM "signInAttempt" WHERE ctid =
                        (SELECT ctid FROM "signInAttempt" WHERE "key" = \#(key) ORDER BY "at" DESC LIMIT 1)
                    """#)
            } else {
                try await rows.run(#"DELETE FROM "signInAttempt" WHERE "key" = \#(key)"#)
            }
        }
    }

    public func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(token, into: "token", audit: audit)
    }

    public func token(secretHash: String) async throws(StoreError) -> TokenRecord? {
        try await read { rows in
            try await rows.one(TokenRecord.self, #"SELECT to_json(t)::text FROM "token" t WHERE t."secretHash" = \#(secretHash)"#)
        }
    }

    public func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        try await list(TokenRecord.self, from: "token", where: "userID", is: userID, orderedBy: #"x."createdAt", x."id""#)
    }

    public func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var token = try await rows.one(TokenRecord.self,
                                                 #"SELECT to_json(t)::text FROM "token" t WHERE t."id" = \#(id) FOR UPDATE"#),
                  token.userID == userID, token.revokedAt == nil else { return false }
            token.revokedAt = at
            try await rows.update(token, in: "token")
            try await Self.append(audit, in: rows)
            return true
        }
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

    public func setPassword(userID: String, hash: String, at: Date, keepingSession: String?, reset: String?,
                            audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            if let reset {
                guard try await rows.integer(#"""
                    WITH u AS (UPDATE "passwordReset" SET "usedAt" = \#(at)
                               WHERE "id" = \#(reset) AND "userID" = \#(userID) AND "usedAt" IS NULL AND "expiresAt" > \#(at) RETURNING 1)
                    SELECT count(*) FROM u
                    """#) ?? 0 > 0 else { return false }
            }
            guard try await rows.integer(#"""
                WITH u AS (UPDATE "user" SET "passwordHash" = \#(hash) WHERE "id" = \#(userID) RETURNING 1) SELECT count(*) FROM u
                """#) ?? 0 > 0 else { return false }
            try await rows.run(#"""
                UPDATE "session" SET "endedAt" = \#(at)
                WHERE "userID" = \#(userID) AND "endedAt" IS NULL AND "id" IS DISTINCT FROM \#(keepingSession)
                """#)
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func endOtherSessions(userID: String, except: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Int {
        try await write { rows in
            let ended = try await rows.integer(#"""
                WITH u AS (UPDATE "session" SET "endedAt" = \#(at)
                           WHERE "userID" = \#(userID) AND "endedAt" IS NULL AND "expiresAt" > \#(at) AND "id" <> \#(except) RETURNING 1)
                SELECT count(*) FROM u
                """#) ?? 0
            if ended > 0 { try await Self.append(audit, in: rows) }
            return ended
        }
    }

    public func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int {
        try await read { rows in
            try await rows.integer(#"""
                SELECT count(*) FROM "session" WHERE "userID" = \#(userID) AND "endedAt" IS NULL AND "expiresAt" > \#(at)
                """#) ?? 0
        }
    }

    public func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(reset, into: "passwordReset", audit: audit)
    }

    public func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord? {
        try await read { rows in
            try await rows.one(PasswordResetRecord.self,
                               #"SELECT to_json(r)::text FROM "passwordReset" r WHERE r."secretHash" = \#(secretHash)"#)
        }
    }

    // MARK: Invitations

    public func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(invitation, into: "invitation", audit: audit)
    }

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        try await read { rows in
            try await rows.one(InvitationRecord.self,
                               #"SELECT to_json(i)::text FROM "invitation" i WHERE i."secretHash" = \#(secretHash)"#)
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

    public func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                                 audit: [AuditDraft]) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var invitation = try await rows.one(
                      InvitationRecord.self, #"SELECT to_json(i)::text FROM "invitation" i WHERE i."id" = \#(id) FOR UPDATE"#),
                  invitation.isOpen(at: at), let membership = invitation.membership(for: userID) else { return false }
            if let newUser {
                if try await rows.integer(#"SELECT count(*) FROM "user" WHERE "email" = \#(newUser.email)"#) ?? 0 > 0 {
                    throw StoreError.conflict("a user with email \(newUser.email) already exists")
                }
                try await rows.insert(newUser, into: "user")
            }
            invitation.acceptedAt = at
            invitation.acceptedBy = userID
            try await rows.update(invitation, in: "invitation")
            switch membership {
            case .studio(let member): try await rows.upsert(member, into: "studioMember")
            case .production(let member): try await rows.upsert(member, into: "productionMember")
            }
            for draft in audit { try await Self.append(draft, in: rows) }
            return true
        }
    }

    public func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(session, into: "session", audit: audit)
    }

    public func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity? {
        guard let (session, member) = try await credential(SessionRecord.self, table: "session", secretHash: secretHash),
              session.isLive(at: at) else { return nil }
        return SessionIdentity(session: session, user: member.user, studioRoles: member.studios,
                               productionRoles: member.productions, productionStudios: member.productionStudios)
    }

    public func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var session = try await rows.one(SessionRecord.self,
                                                   #"SELECT to_json(s)::text FROM "session" s WHERE s."id" = \#(id) FOR UPDATE"#),
                  session.endedAt == nil else { return false }
            session.endedAt = at
            try await rows.update(session, in: "session")
            try await Self.append(audit, in: rows)
            return true
        }
    }

    // MARK: Studios and policies

    public func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            if try await rows.integer(#"SELECT count(*) FROM "studio" WHERE "id" = \#(studio.id)"#) ?? 0 > 0 {
                throw StoreError.conflict("a studio with id '\(studio.id)' already exists")
            }
            try await rows.insert(studio, into: "studio")
            try await rows.insert(policy, into: "policyVersion")
            try await Self.append(audit, in: rows)
        }
    }

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        try await read { rows in try await rows.one(StudioRecord.self, #"SELECT to_json(s)::text FROM "studio" s WHERE s."id" = \#(id)"#) }
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        try await read { rows in try await rows.all(StudioRecord.self, #"SELECT to_json(s)::text FROM "studio" s ORDER BY s."id""#) }
    }

    public func renameStudio(id: String, name: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard try await rows.integer(#"""
                WITH u AS (UPDATE "studio" SET "name" = \#(name) WHERE "id" = \#(id) AND "name" <> \#(name) RETURNING 1)
                SELECT count(*) FROM u
                """#) ?? 0 > 0 else { return false }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func removeStudioMember(studioID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard try await rows.integer(#"""
                WITH d AS (DELETE FROM "studioMember" WHERE "studioID" = \#(studioID) AND "userID" = \#(userID) RETURNING 1)
                SELECT count(*) FROM d
                """#) ?? 0 > 0 else { return false }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError) {
        try await save(member, into: "studioMember", replacing: true, audit: audit)
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        try await list(StudioMember.self, from: "studioMember", where: "studioID", is: studioID, orderedBy: #"x."userID""#)
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        try await list(StudioMember.self, from: "studioMember", where: "userID", is: userID, orderedBy: #"x."studioID""#)
    }

    public func publishPolicy(_ version: PolicyVersionRecord, retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await write { rows in
            let current = try await Self.lockedPolicyNumber(studioID: version.studioID, exclusive: true, in: rows)
            guard version.number == current + 1 else {
                throw StoreError.conflict("policy version \(current + 1) is next, not \(version.number)")
            }
            try await rows.insert(version, into: "policyVersion")
            if var job = retriage {
                job.total = try await rows.integer(#"""
                    SELECT count(*) FROM "useRequest" WHERE "studioID" = \#(version.studioID) AND "state" = ANY(\#(open))
                    """#) ?? 0
                try await rows.insert(job, into: "retriageJob")
            }
            try await Self.append(audit, in: rows)
        }
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

    public func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            let existed = try await rows.integer(#"""
                SELECT count(*) FROM "tool" WHERE "studioID" = \#(tool.studioID) AND "id" = \#(tool.id)
                """#) ?? 0 > 0
            try await rows.upsert(tool, into: "tool")
            try await Self.append(audit, in: rows)
            return !existed
        }
    }

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        try await read { rows in
            try await rows.one(ToolEntry.self,
                               #"SELECT to_json(t)::text FROM "tool" t WHERE t."studioID" = \#(studioID) AND t."id" = \#(id)"#)
        }
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        try await list(ToolEntry.self, from: "tool", where: "studioID", is: studioID, orderedBy: #"x."id""#)
    }

    public func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            let deleted = try await rows.integer(#"""
                WITH gone AS (DELETE FROM "tool" WHERE "studioID" = \#(studioID) AND "id" = \#(id) RETURNING 1)
                SELECT count(*) FROM gone
                """#) ?? 0
            guard deleted > 0 else { return false }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    // MARK: Productions

    public func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) {
        try await saveNew(production, into: "production", unique: "id", value: production.id,
                          message: "the id '\(production.id)' is taken; choose another", audit: audit)
    }

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

    public func updateProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var stored = try await rows.one(
                ProductionRecord.self, #"SELECT to_json(p)::text FROM "production" p WHERE p."id" = \#(production.id) FOR UPDATE"#) else {
                return false
            }
            stored.title = production.title
            stored.kind = production.kind
            stored.territories = production.territories
            stored.photographyStartsOn = production.photographyStartsOn
            stored.deliveryOn = production.deliveryOn
            stored.archivedAt = production.archivedAt
            try await rows.update(stored, in: "production")
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func removeProductionMember(productionID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard try await rows.integer(#"""
                WITH d AS (DELETE FROM "productionMember" WHERE "productionID" = \#(productionID) AND "userID" = \#(userID) RETURNING 1)
                SELECT count(*) FROM d
                """#) ?? 0 > 0 else { return false }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError) {
        try await save(member, into: "productionMember", replacing: true, audit: audit)
    }

    public func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember] {
        try await list(ProductionMember.self, from: "productionMember", where: "productionID", is: productionID, orderedBy: #"x."userID""#)
    }

    public func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember] {
        try await list(ProductionMember.self, from: "productionMember", where: "userID", is: userID, orderedBy: #"x."productionID""#)
    }

    // MARK: Use requests

    /// The studio's current policy version, with its row locked to the end of the transaction:
    /// filing and revising take a share lock, publishing an exclusive one, so no request is
    /// decided under a version that is replaced meanwhile.
    static func lockedPolicyNumber(studioID: String, exclusive: Bool, in rows: Rows) async throws -> Int {
        var binds = PostgresBindings()
        binds.append(studioID)
        return try await rows.integer(PostgresQuery(unsafeSQL: """
            SELECT (SELECT max(v."number") FROM "policyVersion" v WHERE v."studioID" = s."id")
            FROM "studio" s WHERE s."id" = $1 FOR \(exclusive ? "UPDATE" : "SHARE") OF s
            """, binds: binds)) ?? 0
    }

    public func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            try StoreRules.requireCurrentPolicy(decision, current: try await Self.lockedPolicyNumber(studioID: request.studioID, exclusive: false, in: rows))
            try await rows.insertTogether([(request, "useRequest"), (revision, "revision"), (decision, "decision")])
            try await Self.append(audit, in: rows)
        }
    }

    public func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            try StoreRules.checkRevision(stored: try await Self.lockedRequest(request.id, in: rows), id: request.id,
                                         number: revision.number)
            try StoreRules.requireCurrentPolicy(decision, current: try await Self.lockedPolicyNumber(studioID: request.studioID, exclusive: false, in: rows))
            try await rows.update(request, in: "useRequest")
            try await rows.insert(revision, into: "revision")
            try await rows.insert(decision, into: "decision")
            try await Self.append(audit, in: rows)
        }
    }

    public func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, carried: [VerdictRecord], job: RetriageJob?,
                               audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            let stored = try await Self.lockedRequest(request.id, in: rows)
            let newest = try await rows.integer(#"SELECT max("policyNumber") FROM "decision" WHERE "requestID" = \#(request.id)"#) ?? 0
            let state = try StoreRules.stateAfterRetriage(stored: stored, id: request.id, decision: decision, newestPolicy: newest,
                                                          required: request.areas, carried: carried)
            guard var updated = stored else { return }
            updated.state = state
            updated.outcome = request.outcome
            updated.areas = request.areas
            updated.updatedAt = request.updatedAt
            try await rows.update(updated, in: "useRequest")
            try await rows.insert(decision, into: "decision")
            for verdict in carried { try await rows.insert(verdict, into: "verdict") }
            if let job {
                try await rows.run(#"""
                    UPDATE "retriageJob" SET "retriaged" = "retriaged" + 1 WHERE "studioID" = \#(job.studioID) AND "number" = \#(job.number)
                    """#)
            }
            try await Self.append(StoreRules.retriageAudit(audit, state: state), in: rows)
        }
    }

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
        struct Count: Decodable {
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
            let byOutcome = try await rows.all(Count.self, #"""
                SELECT json_build_object('k', r."outcome", 'n', count(*))::text FROM "useRequest" r
                WHERE r."studioID" = \#(studioID) AND (\#(productionID)::text IS NULL OR r."productionID" = \#(productionID))
                GROUP BY r."outcome"
                """#)
            let byArea = try await rows.all(Count.self, #"""
                SELECT json_build_object('k', a.area, 'n', count(*))::text FROM "useRequest" r, jsonb_array_elements_text(r."areas") a(area)
                WHERE r."studioID" = \#(studioID) AND (\#(productionID)::text IS NULL OR r."productionID" = \#(productionID))
                GROUP BY a.area
                """#)
            let byMonth = try await rows.all(Count.self, #"""
                SELECT json_build_object('k', m.k, 'n', count(*))::text
                FROM (SELECT to_char(r."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM') AS k FROM "useRequest" r
                      WHERE r."studioID" = \#(studioID) AND (\#(productionID)::text IS NULL OR r."productionID" = \#(productionID))
                        AND r."createdAt" >= \#(since)) m
                GROUP BY m.k
                """#)
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
            return DashboardCounts(
                byOutcome: Dictionary(byOutcome.compactMap { count in Outcome(rawValue: count.k).map { ($0, count.n) } }, uniquingKeysWith: +),
                byArea: Dictionary(byArea.compactMap { count in Area(rawValue: count.k).map { ($0, count.n) } }, uniquingKeysWith: +),
                byMonth: Dictionary(byMonth.map { ($0.k, $0.n) }, uniquingKeysWith: +),
                settled: order.compactMap { settled[$0] })
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

    public func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date,
                           acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await write { rows in
            let (request, draft) = try StoreRules.moved(try await Self.lockedRequest(requestID, in: rows), id: requestID,
                                                        expectedRevision: expectedRevision, event: event, at: at, audit: audit)
            try await rows.update(request, in: "useRequest")
            if let acknowledgement { try await rows.insert(acknowledgement, into: "acknowledgement") }
            try await Self.append(draft, in: rows)
            return request
        }
    }

    public func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await write { rows in
            // The request row lock makes verdicts on one request take turns, so each sees the others.
            let stored = try await Self.lockedRequest(verdict.requestID, in: rows)
            struct Digests: Decodable {
                var requestDigest: String
                var policyDigest: String
            }
            let latest = try await rows.one(Digests.self, #"""
                SELECT json_build_object('requestDigest', d."requestDigest", 'policyDigest', d."policyDigest")::text
                FROM "decision" d WHERE d."requestID" = \#(verdict.requestID) ORDER BY d."seq" DESC LIMIT 1
                """#).map { (request: $0.requestDigest, policy: $0.policyDigest) }
            let current = try await rows.all(VerdictRecord.self, #"""
                SELECT to_json(v)::text FROM "verdict" v WHERE v."requestID" = \#(verdict.requestID)
                AND v."requestDigest" = \#(verdict.requestDigest) AND v."policyDigest" = \#(verdict.policyDigest) ORDER BY v."seq"
                """#)
            let (request, draft) = try StoreRules.afterVerdict(verdict, stored: stored, latestDigests: latest, given: current, audit: audit)
            try await rows.insert(verdict, into: "verdict")
            try await rows.update(request, in: "useRequest")
            try await Self.append(draft, in: rows)
            return request
        }
    }

    public func flagForReview(requestID: String, reason: String, job: RetriageJob?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            let changed = try await rows.integer(#"""
                WITH u AS (UPDATE "useRequest" SET "review" = \#(reason) WHERE "id" = \#(requestID) AND "review" IS DISTINCT FROM \#(reason)
                           RETURNING 1)
                SELECT count(*) FROM u
                """#) ?? 0
            guard changed > 0 else { return false }
            if let job {
                try await rows.run(#"""
                    UPDATE "retriageJob" SET "flagged" = "flagged" || to_jsonb(\#(requestID)::text)
                    WHERE "studioID" = \#(job.studioID) AND "number" = \#(job.number) AND NOT "flagged" ? \#(requestID)
                    """#)
            }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    // MARK: Re-triage jobs

    public func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob? {
        try await read { rows in
            try await rows.one(RetriageJob.self, #"""
                SELECT to_json(j)::text FROM "retriageJob" j WHERE j."studioID" = \#(studioID) AND j."number" = \#(number)
                """#)
        }
    }

    public func claimRetriageJob(owner: String, at: Date, leaseUntil: Date) async throws(StoreError) -> RetriageJob? {
        try await write { rows in
            // SKIP LOCKED: an instance claiming at the same moment takes another job, or none.
            try await rows.one(RetriageJob.self, #"""
                WITH j AS (SELECT "studioID", "number" FROM "retriageJob"
                           WHERE "state" <> 'done' AND ("leaseUntil" IS NULL OR "leaseUntil" < \#(at))
                           ORDER BY "createdAt", "studioID", "number" LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE "retriageJob" r SET "owner" = \#(owner), "leaseUntil" = \#(leaseUntil), "state" = 'running'
                FROM j WHERE r."studioID" = j."studioID" AND r."number" = j."number"
                RETURNING to_json(r)::text
                """#)
        }
    }

    public func renewRetriageLease(studioID: String, number: Int, owner: String, at: Date, until: Date) async throws(StoreError) -> Bool {
        try await write { rows in
            try await rows.integer(#"""
                WITH u AS (UPDATE "retriageJob" SET "leaseUntil" = \#(until)
                           WHERE "studioID" = \#(studioID) AND "number" = \#(number) AND "owner" = \#(owner) AND "state" <> 'done'
                           RETURNING 1)
                SELECT count(*) FROM u
                """#) ?? 0 > 0
        }
    }

    public func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await snapshotRead { rows in
            let page = try await rows.all(UseRequestRecord.self, #"""
                SELECT to_json(r)::text FROM "useRequest" r
                WHERE r."studioID" = \#(job.studioID) AND r."state" = ANY(\#(open)) AND NOT r."id" = ANY(\#(job.setAside))
                  AND (SELECT max(d."policyNumber") FROM "decision" d WHERE d."requestID" = r."id") < \#(job.number)
                ORDER BY r."createdAt", r."id" LIMIT \#(limit)
                """#)
            let count = try await rows.integer(#"""
                SELECT count(*) FROM "useRequest" r
                WHERE r."studioID" = \#(job.studioID) AND r."state" = ANY(\#(open)) AND NOT r."id" = ANY(\#(job.setAside))
                  AND (SELECT max(d."policyNumber") FROM "decision" d WHERE d."requestID" = r."id") < \#(job.number)
                """#) ?? 0
            return (page, count)
        }
    }

    public func setAsideRetriage(_ job: RetriageJob, requestID: String) async throws(StoreError) {
        try await write { rows in
            try await rows.run(#"""
                UPDATE "retriageJob" SET "setAside" = "setAside" || to_jsonb(\#(requestID)::text)
                WHERE "studioID" = \#(job.studioID) AND "number" = \#(job.number) AND NOT "setAside" ? \#(requestID)
                """#)
        }
    }

    public func finishRetriageJob(_ job: RetriageJob, owner: String, at: Date) async throws(StoreError) -> Bool {
        try await write { rows in
            try await rows.integer(#"""
                WITH u AS (UPDATE "retriageJob" SET "state" = 'done', "finishedAt" = \#(at), "leaseUntil" = NULL
                           WHERE "studioID" = \#(job.studioID) AND "number" = \#(job.number) AND "owner" = \#(owner) AND "state" <> 'done'
                           RETURNING 1)
                SELECT count(*) FROM u
                """#) ?? 0 > 0
        }
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        try await list(VerdictRecord.self, from: "verdict", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func addComment(_ comment: CommentRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(comment, into: "comment", audit: audit)
    }

    public func comments(requestID: String) async throws(StoreError) -> [CommentRecord] {
        try await list(CommentRecord.self, from: "comment", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func addCoverageExtension(_ extension: CoverageExtension, audit: AuditDraft) async throws(StoreError) {
        try await save(`extension`, into: "coverageExtension", audit: audit)
    }

    public func decideCoverageExtension(id: String, confirmed: Bool, by userID: String, at: Date,
                                        audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            let changed = try await rows.integer(#"""
                WITH changed AS (UPDATE "coverageExtension" SET "confirmed" = \#(confirmed), "decidedBy" = \#(userID), "decidedAt" = \#(at)
                                 WHERE "id" = \#(id) AND "confirmed" IS NULL RETURNING 1)
                SELECT count(*)::bigint FROM changed
                """#) ?? 0
            guard changed > 0 else { return false }
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func coverageExtensions(requestID: String) async throws(StoreError) -> [CoverageExtension] {
        try await list(CoverageExtension.self, from: "coverageExtension", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    public func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord] {
        try await list(AcknowledgementRecord.self, from: "acknowledgement", where: "requestID", is: requestID, orderedBy: #"x."seq""#)
    }

    // MARK: Webhooks

    public func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError) {
        try await save(endpoint, into: "webhookEndpoint", audit: audit)
    }

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        try await list(WebhookEndpoint.self, from: "webhookEndpoint", where: "studioID", is: studioID, orderedBy: #"x."createdAt", x."id""#)
    }

    public func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard try await rows.integer(#"""
                SELECT count(*) FROM "webhookEndpoint" WHERE "id" = \#(id) AND "studioID" = \#(studioID)
                """#) ?? 0 > 0 else { return false }
            try await rows.run(#"DELETE FROM "webhookDelivery" WHERE "endpointID" = \#(id)"#)
            try await rows.run(#"DELETE FROM "webhookEndpoint" WHERE "id" = \#(id)"#)
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        try await read { rows in
            try await rows.all(WebhookDelivery.self, #"""
                SELECT to_json(d)::text FROM "webhookDelivery" d WHERE d."endpointID" = \#(endpointID)
                ORDER BY d."createdAt" DESC, d."id" LIMIT \#(limit)
                """#)
        }
    }

    public func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [(WebhookDelivery, WebhookEndpoint)] {
        try await write { rows in
            // SKIP LOCKED: rows another instance is claiming right now are left to it.
            let claimed = try await rows.all(WebhookDelivery.self, #"""
                UPDATE "webhookDelivery" d SET "nextAttemptAt" = \#(leaseUntil)
                WHERE d."id" IN (SELECT x."id" FROM "webhookDelivery" x
                                 WHERE x."status" = \#(DeliveryStatus.pending.rawValue) AND x."nextAttemptAt" <= \#(at)
                                 ORDER BY x."createdAt", x."id" LIMIT \#(limit) FOR UPDATE SKIP LOCKED)
                RETURNING to_json(d)::text
                """#).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            var result: [(WebhookDelivery, WebhookEndpoint)] = []
            for delivery in claimed {
                if let endpoint = try await rows.one(WebhookEndpoint.self, #"""
                    SELECT to_json(e)::text FROM "webhookEndpoint" e WHERE e."id" = \#(delivery.endpointID)
                    """#) {
                    result.append((delivery, endpoint))
                }
            }
            return result
        }
    }

    public func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError) {
        try await write { rows in
            guard let delivery = try await rows.one(WebhookDelivery.self, #"""
                SELECT to_json(d)::text FROM "webhookDelivery" d WHERE d."id" = \#(attempt.deliveryID) FOR UPDATE
                """#) else { return }
            try await rows.update(StoreRules.afterAttempt(delivery, attempt), in: "webhookDelivery")
            try await Self.append(audit, in: rows)
        }
    }

    // MARK: Consents

    public func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) {
        try await saveNew(consent, into: "consent", unique: "id", value: consent.id,
                          message: "the id '\(consent.id)' is taken; choose another", audit: audit)
    }

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        try await read { rows in try await rows.one(ConsentRecord.self, #"SELECT to_json(c)::text FROM "consent" c WHERE c."id" = \#(id)"#) }
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        try await read { rows in
            try await rows.all(ConsentRecord.self, #"""
                SELECT to_json(c)::text FROM "consent" c WHERE c."productions" ? \#(productionID) ORDER BY c."createdAt", c."id"
                """#)
        }
    }

    public func correctConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard let stored = try await rows.one(ConsentRecord.self,
                                                  #"SELECT to_json(c)::text FROM "consent" c WHERE c."id" = \#(consent.id) FOR UPDATE"#),
                  stored.revokedAt == nil else { return false }
            try await rows.update(StoreRules.corrected(stored, with: consent), in: "consent")
            try await Self.append(audit, in: rows)
            return true
        }
    }

    public func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { rows in
            guard var consent = try await rows.one(ConsentRecord.self,
                                                   #"SELECT to_json(c)::text FROM "consent" c WHERE c."id" = \#(id) FOR UPDATE"#),
                  consent.revokedAt == nil else { return false }
            consent.revokedAt = at
            consent.revokedReason = reason
            try await rows.update(consent, in: "consent")
            try await Self.append(audit, in: rows)
            return true
        }
    }

    // MARK: Deliverable scans

    public func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError) {
        try await save(scan, into: "scan", audit: audit)
    }

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
            func copy<T: Encodable & Sendable>(_ records: [T], _ table: String, _ label: String) async throws {
                for start in stride(from: 0, to: records.count, by: 500) {
                    try await rows.insertAll(Array(records[start..<min(start + 500, records.count)]), into: table)
                }
                progress(label, records.count)
            }
            try await copy(snapshot.users, "user", "users")
            try await copy(snapshot.tokens, "token", "tokens")
            try await copy(snapshot.sessions, "session", "sessions")
            try await copy(snapshot.studios, "studio", "studios")
            try await copy(snapshot.studioMembers, "studioMember", "studio members")
            try await copy(snapshot.policyVersions, "policyVersion", "policy versions")
            try await copy(snapshot.tools, "tool", "tools")
            try await copy(snapshot.productions, "production", "productions")
            try await copy(snapshot.productionMembers, "productionMember", "production members")
            try await copy(snapshot.requests, "useRequest", "requests")
            try await copy(snapshot.revisions, "revision", "revisions")
            try await copy(snapshot.decisions, "decision", "decisions")
            try await copy(snapshot.consents, "consent", "consents")
            try await copy(snapshot.verdicts, "verdict", "verdicts")
            try await copy(snapshot.acknowledgements, "acknowledgement", "acknowledgements")
            try await copy(snapshot.comments, "comment", "comments")
            try await copy(snapshot.coverageExtensions, "coverageExtension", "coverage extensions")
            try await copy(snapshot.webhookEndpoints, "webhookEndpoint", "webhooks")
            try await copy(snapshot.webhookDeliveries, "webhookDelivery", "webhook deliveries")
            try await copy(snapshot.scans, "scan", "scans")
            try await copy(snapshot.invitations, "invitation", "invitations")
            try await copy(snapshot.retriageJobs.map { job in
                var copied = job
                if copied.state != .done { (copied.state, copied.owner, copied.leaseUntil) = (.waiting, nil, nil) }
                return copied
            }, "retriageJob", "re-triage jobs")
            try await copy(snapshot.auditEvents, "auditEvent", "audit events")
            try await copy(snapshot.auditHeads, "auditChainHead", "audit chains")
            try await rows.run(#"SELECT setval('"auditEvent_seq"', (SELECT coalesce(max("seq"), 0) + 1 FROM "auditEvent"), false)"#)
        }
    }

    // MARK: Audit

    public func appendAudit(_ draft: AuditDraft) async throws(StoreError) {
        try await write { rows in try await Self.append(draft, in: rows) }
    }

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
