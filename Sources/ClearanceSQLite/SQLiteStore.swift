public import ClearanceStore
public import Foundation
public import ClearanceCore
public import GRDB

/// The embedded store: one SQLite file in WAL mode, migrated on open.
///
/// Writes go through GRDB's single writer, so appending to the audit chain never races; reads
/// run concurrently on the pool's readers.
public final class SQLiteStore: Store {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws(StoreError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL: a commit survives the process being killed; only a
            // power loss can take back the newest commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(writer)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// A private in-memory database, for tests.
    public init(inMemory: Void = ()) throws(StoreError) {
        do {
            writer = try DatabaseQueue()
            try SQLiteSchema.migrator.migrate(writer)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Direct SQL access, for tests that tamper with rows.
    public var databaseWriter: any DatabaseWriter { writer }

    static func mapped(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_CONSTRAINT {
            return .conflict("it already exists")
        }
        return .database(String(describing: error))
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Reads run on the calling thread. In WAL mode a reader never waits for the writer, and a
    /// read here is a few indexed lookups, so this costs less than hopping to GRDB's queue and
    /// back, which under load cost more than the queries themselves (measured with perf: a
    /// quarter of the server's CPU went to thread switches). Writes still hop, since they can
    /// wait for each other.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try Self.readHere(writer, body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// Reads whose cost grows with a studio's data (lists, pages of the register, counts, the audit
    /// chain) run on GRDB's reader queue instead, off Swift's cooperative threads, so that several
    /// at once cannot hold every thread that answers requests (on a 2-core machine there are two).
    func scan<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw Self.mapped(error)
        }
    }

    /// GRDB's blocking read; a synchronous function, so the overload chosen is not the async one.
    private static func readHere<T>(_ writer: any DatabaseWriter, _ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    static func append(_ draft: AuditDraft, in db: Database) throws {
        let chain = AuditChain.chain(for: draft.studioID)
        let head = try AuditChainHead.fetchOne(db.cachedStatement(sql: "SELECT * FROM auditChainHead WHERE chain = ?"), arguments: [chain])
            ?? .empty(chain, anchor: try String.fetchOne(db.cachedStatement(sql: "SELECT hash FROM auditChainHead WHERE chain = ?"),
                                                         arguments: [AuditChain.legacy]) ?? AuditChain.zeroHash)
        let seq = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM auditEvent")) ?? 0) + 1
        let event = AuditChain.seal(draft, after: head, seq: seq)
        try db.cachedStatement(sql: """
            INSERT INTO auditEvent (seq, chain, position, at, actor, action, studioID, productionID, subject, details, previousHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [event.seq, event.chain, event.position, event.at, event.actor, event.action, event.studioID,
                                     event.productionID, event.subject, event.details, event.previousHash, event.hash])
        try db.cachedStatement(sql: """
            INSERT INTO auditChainHead (chain, position, hash, anchor) VALUES (?, ?, ?, ?)
            ON CONFLICT(chain) DO UPDATE SET position = excluded.position, hash = excluded.hash
            """).execute(arguments: [chain, event.position, event.hash, head.anchor])
        try enqueueWebhooks(for: draft, event: event, in: db)
    }

    /// The outbox: deliveries for every endpoint subscribed to what this change raises, written in
    /// the change's transaction, so none is lost and none is sent for a change that rolled back.
    static func enqueueWebhooks(for draft: AuditDraft, event: AuditEvent, in db: Database) throws {
        guard let studio = draft.studioID, !StoreRules.raisedEvents(draft).isEmpty else { return }
        let endpoints = try WebhookEndpoint.fetchAll(db.cachedStatement(sql: "SELECT * FROM webhookEndpoint WHERE studioID = ?"),
                                                     arguments: [studio])
        guard !endpoints.isEmpty else { return }
        for delivery in StoreRules.deliveries(for: draft, event: event, endpoints: endpoints) { try delivery.insert(db) }
    }

    /// A decision made under a policy version that is no longer current would go stale at once;
    /// the caller triages again.
    static func requireCurrentPolicy(_ decision: DecisionRecord, studioID: String, in db: Database) throws {
        try StoreRules.requireCurrentPolicy(decision, current: try policyStamp(studioID: studioID, in: db)?.number ?? 0)
    }

    /// The JSON text GRDB's Codable encoding gives a list of areas, written directly.
    static func areasJSON(_ areas: [Area]) -> String {
        "[" + areas.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
    }

    /// Filing a request is the hot write, so its rows go in through cached statements rather
    /// than GRDB's generic record persistence (a third of the write's time, measured with perf).
    static func insert(_ request: UseRequestRecord, _ revision: RevisionRecord, _ decision: DecisionRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO useRequest (id, studioID, productionID, requesterID, title, state, revision, outcome, areas, createdAt,
                                    updatedAt, review)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [request.id, request.studioID, request.productionID, request.requesterID, request.title,
                                     request.state.rawValue, request.revision, request.outcome.rawValue, areasJSON(request.areas),
                                     request.createdAt, request.updatedAt, request.review])
        try insert(revision, decision, in: db)
    }

    static func insert(_ revision: RevisionRecord, _ decision: DecisionRecord, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO revision (requestID, number, document, requestDigest, authorID, createdAt) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [revision.requestID, revision.number, revision.document, revision.requestDigest,
                                     revision.authorID, revision.createdAt])
        try db.cachedStatement(sql: """
            INSERT INTO decision (requestID, revision, policyNumber, policyDigest, requestDigest, outcome, decisionJSON, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [decision.requestID, decision.revision, decision.policyNumber, decision.policyDigest,
                                     decision.requestDigest, decision.outcome.rawValue, decision.decisionJSON, decision.createdAt])
    }

    // MARK: Users and tokens

    public func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            if try UserRecord.filter(Column("email") == user.email).fetchCount(db) > 0 {
                throw StoreError.conflict("a user with email \(user.email) already exists")
            }
            try user.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await read { db in try UserRecord.fetchOne(db, key: id) }
    }

    public func user(email: String) async throws(StoreError) -> UserRecord? {
        try await read { db in try UserRecord.filter(Column("email") == email).fetchOne(db) }
    }

    public func siteAdminCount() async throws(StoreError) -> Int {
        try await read { db in try UserRecord.filter(Column("isSiteAdmin") == true).fetchCount(db) }
    }

    public func users() async throws(StoreError) -> [UserRecord] {
        try await scan { db in try UserRecord.order(Column("email")).fetchAll(db) }
    }

    public func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard var user = try UserRecord.fetchOne(db, key: id), (user.deactivatedAt == nil) != (at == nil) else { return false }
            user.deactivatedAt = at
            try user.update(db)
            if let at {
                try db.execute(sql: "UPDATE session SET endedAt = ? WHERE userID = ? AND endedAt IS NULL", arguments: [at, id])
                try db.execute(sql: "UPDATE token SET revokedAt = ? WHERE userID = ? AND revokedAt IS NULL", arguments: [at, id])
            }
            try Self.append(audit, in: db)
            return true
        }
    }

    public func setPassword(userID: String, hash: String, at: Date, keepingSession: String?, reset: String?,
                            audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            if let reset {
                try db.execute(sql: "UPDATE passwordReset SET usedAt = ? WHERE id = ? AND userID = ? AND usedAt IS NULL AND expiresAt > ?",
                               arguments: [at, reset, userID, at])
                guard db.changesCount > 0 else { return false }
            }
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE id = ?", arguments: [hash, userID])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE session SET endedAt = ? WHERE userID = ? AND endedAt IS NULL AND id IS NOT ?",
                           arguments: [at, userID, keepingSession])
            try Self.append(audit, in: db)
            return true
        }
    }

    public func endOtherSessions(userID: String, except: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE session SET endedAt = ? WHERE userID = ? AND endedAt IS NULL AND expiresAt > ? AND id <> ?",
                           arguments: [at, userID, at, except])
            let ended = db.changesCount
            if ended > 0 { try Self.append(audit, in: db) }
            return ended
        }
    }

    public func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int {
        try await read { db in
            try SessionRecord.filter(Column("userID") == userID && Column("endedAt") == nil && Column("expiresAt") > at).fetchCount(db)
        }
    }

    public func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try reset.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord? {
        try await read { db in try PasswordResetRecord.filter(Column("secretHash") == secretHash).fetchOne(db) }
    }

    // MARK: Invitations

    public func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try invitation.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        try await read { db in try InvitationRecord.filter(Column("secretHash") == secretHash).fetchOne(db) }
    }

    public func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try await scan { db in
            try InvitationRecord.filter(Column("email") == email && Column("acceptedAt") == nil && Column("expiresAt") > at)
                .order(Column("createdAt").desc, Column("id")).fetchAll(db)
        }
    }

    public func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                                 audit: [AuditDraft]) async throws(StoreError) -> Bool {
        try await write { db in
            guard var invitation = try InvitationRecord.fetchOne(db, key: id), invitation.isOpen(at: at),
                  let membership = invitation.membership(for: userID) else { return false }
            if let newUser {
                if try UserRecord.filter(Column("email") == newUser.email).fetchCount(db) > 0 {
                    throw StoreError.conflict("a user with email \(newUser.email) already exists")
                }
                try newUser.insert(db)
            }
            invitation.acceptedAt = at
            invitation.acceptedBy = userID
            try invitation.update(db)
            switch membership {
            case .studio(let member): try member.upsert(db)
            case .production(let member): try member.upsert(db)
            }
            for draft in audit { try Self.append(draft, in: db) }
            return true
        }
    }

    public func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date] {
        try await write { db in
            try db.execute(sql: "DELETE FROM signInAttempt WHERE at < ?", arguments: [since])
            var full: [Date] = []
            for key in keys {
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) AS n, min(at) AS oldest FROM signInAttempt WHERE key = ?"),
                    arguments: [key.key])
                let count: Int = row?["n"] ?? 0
                if count >= key.limit, let oldest: Date = row?["oldest"] { full.append(oldest) }
            }
            guard full.isEmpty else { return full }
            for key in keys {
                try db.execute(sql: "INSERT INTO signInAttempt (key, at) VALUES (?, ?)", arguments: [key.key, at])
            }
            return []
        }
    }

    public func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError) {
        try await write { db in
            if newestOnly {
                try db.execute(sql: """
                    DELETE FROM signInAttempt WHERE rowid =
                        (SELECT rowid FROM signInAttempt WHERE key = ? ORDER BY at DESC LIMIT 1)
                    """, arguments: [key])
            } else {
                try db.execute(sql: "DELETE FROM signInAttempt WHERE key = ?", arguments: [key])
            }
        }
    }

    public func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try token.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func token(secretHash: String) async throws(StoreError) -> TokenRecord? {
        try await read { db in try TokenRecord.filter(Column("secretHash") == secretHash).fetchOne(db) }
    }

    public func tokens(userID: String) async throws(StoreError) -> [TokenRecord] {
        try await read { db in
            try TokenRecord.filter(Column("userID") == userID).order(Column("createdAt")).fetchAll(db)
        }
    }

    public func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard var token = try TokenRecord.fetchOne(db, key: id), token.userID == userID, token.revokedAt == nil else {
                return false
            }
            token.revokedAt = at
            try token.update(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    public func identity(secretHash: String) async throws(StoreError) -> Identity? {
        try await read { db in
            guard let token = try TokenRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM token WHERE secretHash = ?"), arguments: [secretHash]),
                  let member = try Self.memberships(userID: token.userID, in: db) else { return nil }
            return Identity(token: token, user: member.user, studioRoles: member.studios, productionRoles: member.productions,
                            productionStudios: member.productionStudios)
        }
    }

    /// A user with every studio and production membership, and each production's studio.
    private static func memberships(userID: String, in db: Database) throws
        -> (user: UserRecord, studios: [StudioMember], productions: [ProductionMember], productionStudios: [String: String])? {
        guard let user = try UserRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM user WHERE id = ?"),
                                                 arguments: [userID]) else { return nil }
        let studios = try StudioMember.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM studioMember WHERE userID = ?"), arguments: [user.id])
        var productions: [ProductionMember] = []
        var productionStudios: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT m.productionID, m.userID, m.role, p.studioID
            FROM productionMember m JOIN production p ON p.id = m.productionID
            WHERE m.userID = ?
            """), arguments: [user.id])
        while let row = try rows.next() {
            let role: String = row["role"]
            guard let parsed = ProductionRole(rawValue: role) else { continue }
            let productionID: String = row["productionID"]
            productions.append(ProductionMember(productionID: productionID, userID: user.id, role: parsed))
            productionStudios[productionID] = row["studioID"]
        }
        return (user, studios, productions, productionStudios)
    }

    // MARK: Web sessions

    public func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try session.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func sessionIdentity(secretHash: String, at: Date) async throws(StoreError) -> SessionIdentity? {
        try await read { db in
            guard let session = try SessionRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM session WHERE secretHash = ?"), arguments: [secretHash]),
                  session.isLive(at: at),
                  let member = try Self.memberships(userID: session.userID, in: db) else { return nil }
            return SessionIdentity(session: session, user: member.user, studioRoles: member.studios,
                                   productionRoles: member.productions, productionStudios: member.productionStudios)
        }
    }

    public func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard var session = try SessionRecord.fetchOne(db, key: id), session.endedAt == nil else { return false }
            session.endedAt = at
            try session.update(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    public func productionContext(id: String) async throws(StoreError) -> ProductionContext? {
        try await read { db in
            guard let production = try ProductionRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM production WHERE id = ?"), arguments: [id]) else { return nil }
            guard let stamp = try Self.policyStamp(studioID: production.studioID, in: db) else { return nil }
            let tools = try ToolEntry.fetchAll(db.cachedStatement(sql: "SELECT * FROM tool WHERE studioID = ? ORDER BY id"),
                                               arguments: [production.studioID])
            return ProductionContext(production: production, policy: stamp, tools: tools)
        }
    }

    // MARK: Studios and policies

    public func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            if try StudioRecord.exists(db, key: studio.id) {
                throw StoreError.conflict("a studio with id '\(studio.id)' already exists")
            }
            try studio.insert(db)
            try policy.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        try await read { db in try StudioRecord.fetchOne(db, key: id) }
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        try await read { db in try StudioRecord.order(Column("id")).fetchAll(db) }
    }

    public func renameStudio(id: String, name: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE studio SET name = ? WHERE id = ? AND name <> ?", arguments: [name, id, name])
            guard db.changesCount > 0 else { return false }
            try Self.append(audit, in: db)
            return true
        }
    }

    public func removeStudioMember(studioID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM studioMember WHERE studioID = ? AND userID = ?", arguments: [studioID, userID])
            guard db.changesCount > 0 else { return false }
            try Self.append(audit, in: db)
            return true
        }
    }

    public func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try member.upsert(db)
            try Self.append(audit, in: db)
        }
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        try await read { db in try StudioMember.filter(Column("studioID") == studioID).order(Column("userID")).fetchAll(db) }
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        try await read { db in try StudioMember.filter(Column("userID") == userID).order(Column("studioID")).fetchAll(db) }
    }

    public func publishPolicy(_ version: PolicyVersionRecord, retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await write { db in
            let current = try Int.fetchOne(
                db, sql: "SELECT MAX(number) FROM policyVersion WHERE studioID = ?", arguments: [version.studioID]) ?? 0
            guard version.number == current + 1 else {
                throw StoreError.conflict("policy version \(current + 1) is next, not \(version.number)")
            }
            try version.insert(db)
            if var job = retriage {
                job.total = try UseRequestRecord.filter(Column("studioID") == version.studioID && open.contains(Column("state"))).fetchCount(db)
                try job.insert(db)
            }
            try Self.append(audit, in: db)
        }
    }

    public func currentPolicy(studioID: String) async throws(StoreError) -> PolicyVersionRecord? {
        try await read { db in
            try PolicyVersionRecord.filter(Column("studioID") == studioID).order(Column("number").desc).fetchOne(db)
        }
    }

    public func currentPolicyStamp(studioID: String) async throws(StoreError) -> PolicyVersionStamp? {
        try await read { db in try Self.policyStamp(studioID: studioID, in: db) }
    }

    static func policyStamp(studioID: String, in db: Database) throws -> PolicyVersionStamp? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT number, digest FROM policyVersion WHERE studioID = ? ORDER BY number DESC LIMIT 1
            """), arguments: [studioID])
            .map { PolicyVersionStamp(number: $0["number"], digest: $0["digest"]) }
    }

    public func policyVersion(studioID: String, number: Int) async throws(StoreError) -> PolicyVersionRecord? {
        try await read { db in
            try PolicyVersionRecord.filter(Column("studioID") == studioID && Column("number") == number).fetchOne(db)
        }
    }

    public func policyVersions(studioID: String) async throws(StoreError) -> [PolicyVersionRecord] {
        try await scan { db in
            try PolicyVersionRecord.filter(Column("studioID") == studioID).order(Column("number")).fetchAll(db)
        }
    }

    // MARK: Tools

    public func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            let existed = try ToolEntry.exists(db, key: ["studioID": tool.studioID, "id": tool.id])
            try tool.upsert(db)
            try Self.append(audit, in: db)
            return !existed
        }
    }

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        try await read { db in try ToolEntry.fetchOne(db, key: ["studioID": studioID, "id": id]) }
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        try await read { db in try ToolEntry.filter(Column("studioID") == studioID).order(Column("id")).fetchAll(db) }
    }

    public func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard try ToolEntry.deleteOne(db, key: ["studioID": studioID, "id": id]) else { return false }
            try Self.append(audit, in: db)
            return true
        }
    }

    // MARK: Productions

    public func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            if try ProductionRecord.exists(db, key: production.id) {
                throw StoreError.conflict("the id '\(production.id)' is taken; choose another")
            }
            try production.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func production(id: String) async throws(StoreError) -> ProductionRecord? {
        try await read { db in try ProductionRecord.fetchOne(db, key: id) }
    }

    public func productions(studioID: String) async throws(StoreError) -> [ProductionRecord] {
        try await read { db in try ProductionRecord.filter(Column("studioID") == studioID).order(Column("id")).fetchAll(db) }
    }

    public func updateProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard var stored = try ProductionRecord.fetchOne(db, key: production.id) else { return false }
            stored.title = production.title
            stored.kind = production.kind
            stored.territories = production.territories
            stored.photographyStartsOn = production.photographyStartsOn
            stored.deliveryOn = production.deliveryOn
            stored.archivedAt = production.archivedAt
            try stored.update(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    public func removeProductionMember(productionID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM productionMember WHERE productionID = ? AND userID = ?", arguments: [productionID, userID])
            guard db.changesCount > 0 else { return false }
            try Self.append(audit, in: db)
            return true
        }
    }

    public func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try member.upsert(db)
            try Self.append(audit, in: db)
        }
    }

    public func productionMembers(productionID: String) async throws(StoreError) -> [ProductionMember] {
        try await read { db in
            try ProductionMember.filter(Column("productionID") == productionID).order(Column("userID")).fetchAll(db)
        }
    }

    public func productionMemberships(userID: String) async throws(StoreError) -> [ProductionMember] {
        try await read { db in
            try ProductionMember.filter(Column("userID") == userID).order(Column("productionID")).fetchAll(db)
        }
    }

    // MARK: Use requests

    public func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try Self.requireCurrentPolicy(decision, studioID: request.studioID, in: db)
            try Self.insert(request, revision, decision, in: db)
            try Self.append(audit, in: db)
        }
    }

    public func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try StoreRules.checkRevision(stored: try UseRequestRecord.fetchOne(db, key: request.id), id: request.id,
                                         number: revision.number)
            try Self.requireCurrentPolicy(decision, studioID: request.studioID, in: db)
            try request.update(db)
            try Self.insert(revision, decision, in: db)
            try Self.append(audit, in: db)
        }
    }

    public func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, carried: [VerdictRecord], job: RetriageJob?,
                               audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            let newest = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(policyNumber) FROM decision WHERE requestID = ?"),
                                          arguments: [request.id]) ?? 0
            let state = try StoreRules.stateAfterRetriage(stored: try UseRequestRecord.fetchOne(db, key: request.id), id: request.id,
                                                          decision: decision, newestPolicy: newest, required: request.areas,
                                                          carried: carried)
            try db.execute(sql: "UPDATE useRequest SET state = ?, outcome = ?, areas = ?, updatedAt = ? WHERE id = ?",
                           arguments: [state.rawValue, request.outcome.rawValue, Self.areasJSON(request.areas),
                                       request.updatedAt, request.id])
            try decision.insert(db)
            for verdict in carried { try verdict.insert(db) }
            if let job {
                try db.execute(sql: "UPDATE retriageJob SET retriaged = retriaged + 1 WHERE studioID = ? AND number = ?",
                               arguments: [job.studioID, job.number])
            }
            try Self.append(StoreRules.retriageAudit(audit, state: state), in: db)
        }
    }

    public func openRequests(studioID: String) async throws(StoreError) -> [UseRequestRecord] {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await scan { db in
            try UseRequestRecord.filter(Column("studioID") == studioID && open.contains(Column("state")))
                .order(Column("createdAt"), Column("id")).fetchAll(db)
        }
    }

    public func request(id: String) async throws(StoreError) -> UseRequestRecord? {
        try await read { db in try UseRequestRecord.fetchOne(db, key: id) }
    }

    public func requests(_ query: RequestQuery) async throws(StoreError) -> [UseRequestRecord] {
        try await scan { db in
            var request = Self.filtered(query)
            if let after = query.after {
                request = request.filter(sql: """
                    ("createdAt", "id") < (SELECT "createdAt", "id" FROM "useRequest" WHERE "id" = ?)
                    """, arguments: [after])
            }
            return try request.order(Column("createdAt").desc, Column("id").desc).limit(query.limit).fetchAll(db)
        }
    }

    public func registerPage(productionID: String, state: RequestState?, after: String?,
                             limit: Int) async throws(StoreError) -> [RegisterRow] {
        try await scan { db in
            var page = UseRequestRecord.filter(Column("productionID") == productionID)
            if let state { page = page.filter(Column("state") == state.rawValue) }
            if let after {
                page = page.filter(sql: """
                    ("createdAt", "id") > (SELECT "createdAt", "id" FROM "useRequest" WHERE "id" = ?)
                    """, arguments: [after])
            }
            let requests = try page.order(Column("createdAt"), Column("id")).limit(limit).fetchAll(db)
            guard !requests.isEmpty else { return [] }
            let ids = JSONValue.array(requests.map { .string($0.id) }).rendered
            let decisions = try DecisionRecord.fetchAll(db.cachedStatement(sql: """
                SELECT d.* FROM decision d WHERE d.rowid IN
                    (SELECT MAX(rowid) FROM decision WHERE requestID IN (SELECT value FROM json_each(?)) GROUP BY requestID)
                """), arguments: [ids])
            var documents: [String: String] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r.requestID, r.document FROM revision r
                JOIN (SELECT requestID, MAX(number) AS latest FROM revision WHERE requestID IN (SELECT value FROM json_each(?))
                      GROUP BY requestID) m ON r.requestID = m.requestID AND r.number = m.latest
                """), arguments: [ids]) {
                documents[row["requestID"]] = row["document"]
            }
            let verdicts = try VerdictRecord.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM verdict WHERE requestID IN (SELECT value FROM json_each(?)) ORDER BY rowid
                """), arguments: [ids])
            return RegisterRow.assemble(requests, decisions: decisions, documents: documents, verdicts: verdicts)
        }
    }

    public func dashboardCounts(studioID: String, productionID: String?, since: Date) async throws(StoreError) -> DashboardCounts {
        try await scan { db in
            let scope = #"r."studioID" = ? AND (? IS NULL OR r."productionID" = ?)"#
            let arguments: StatementArguments = [studioID, productionID, productionID]
            var byOutcome: [Outcome: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r."outcome" AS k, count(*) AS n FROM "useRequest" r WHERE \(scope) GROUP BY r."outcome"
                """), arguments: arguments) {
                if let outcome = Outcome(rawValue: row["k"]) { byOutcome[outcome] = row["n"] }
            }
            var byArea: [Area: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.value AS k, count(*) AS n FROM "useRequest" r, json_each(r."areas") a WHERE \(scope) GROUP BY a.value
                """), arguments: arguments) {
                if let area = Area(rawValue: row["k"]) { byArea[area] = row["n"] }
            }
            var byMonth: [String: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT strftime('%Y-%m', r."createdAt") AS k, count(*) AS n FROM "useRequest" r
                WHERE \(scope) AND r."createdAt" >= ? GROUP BY k
                """), arguments: arguments + [since]) {
                byMonth[row["k"]] = row["n"]
            }
            let settledStates = SettledUse.states.map { "'\($0.rawValue)'" }.joined(separator: ",")
            var settled: [String: SettledUse] = [:]
            var order: [String] = []
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r."id" AS id, r."state" AS state, d."createdAt" AS triagedAt, v."verdict" AS verdict, v."createdAt" AS verdictAt
                FROM "useRequest" r
                JOIN "decision" d ON d.rowid = (SELECT MAX(rowid) FROM "decision" WHERE "requestID" = r."id")
                LEFT JOIN "verdict" v ON v."requestID" = r."id" AND v."requestDigest" = d."requestDigest"
                                     AND v."policyDigest" = d."policyDigest"
                WHERE \(scope) AND r."outcome" <> 'socialize' AND r."state" IN (\(settledStates))
                ORDER BY r."createdAt", r."id", v.rowid
                """), arguments: arguments) {
                let id: String = row["id"]
                guard let state = RequestState(rawValue: row["state"]) else { continue }
                if settled[id] == nil {
                    settled[id] = SettledUse(state: state, triagedAt: row["triagedAt"], verdicts: [])
                    order.append(id)
                }
                if let kind = (row["verdict"] as String?).flatMap(VerdictKind.init(rawValue:)), let at: Date = row["verdictAt"] {
                    settled[id]?.verdicts.append(SettledUse.Verdict(kind: kind, at: at))
                }
            }
            return DashboardCounts(byOutcome: byOutcome, byArea: byArea, byMonth: byMonth, settled: order.compactMap { settled[$0] })
        }
    }

    public func countRequests(_ query: RequestQuery) async throws(StoreError) -> Int {
        try await scan { db in try Self.filtered(query).fetchCount(db) }
    }

    /// The query's filters, without its page.
    static func filtered(_ query: RequestQuery) -> QueryInterfaceRequest<UseRequestRecord> {
        var request = UseRequestRecord.all()
        if let production = query.productionID { request = request.filter(Column("productionID") == production) }
        if let studio = query.studioID { request = request.filter(Column("studioID") == studio) }
        if let state = query.state { request = request.filter(Column("state") == state.rawValue) }
        if let outcome = query.outcome { request = request.filter(Column("outcome") == outcome.rawValue) }
        if let area = query.area { request = request.filter(Column("areas").like("%\"\(area.rawValue)\"%")) }
        if let requester = query.requesterID { request = request.filter(Column("requesterID") == requester) }
        if let areas = query.awaitingVerdictFrom {
            // One of these areas is needed and has no verdict for the digests of the latest decision.
            request = request.filter(sql: """
                EXISTS (SELECT 1 FROM json_each("useRequest"."areas") a
                        WHERE a.value IN (SELECT value FROM json_each(?))
                          AND NOT EXISTS (SELECT 1 FROM "verdict" v
                                          WHERE v."requestID" = "useRequest"."id" AND v."area" = a.value
                                            AND (v."requestDigest", v."policyDigest") =
                                                (SELECT d."requestDigest", d."policyDigest" FROM "decision" d
                                                 WHERE d."requestID" = "useRequest"."id" ORDER BY d.rowid DESC LIMIT 1)))
                """, arguments: [areasJSON(areas)])
        }
        if let author = query.notAuthoredBy {
            request = request.filter(sql: """
                "requesterID" <> ? AND NOT EXISTS (SELECT 1 FROM "revision" x WHERE x."requestID" = "useRequest"."id" AND x."authorID" = ?)
                """, arguments: [author, author])
        }
        return request
    }

    public func revisions(requestID: String) async throws(StoreError) -> [RevisionRecord] {
        try await read { db in try RevisionRecord.filter(Column("requestID") == requestID).order(Column("number")).fetchAll(db) }
    }

    public func decisions(requestID: String) async throws(StoreError) -> [DecisionRecord] {
        try await read { db in
            try DecisionRecord.filter(Column("requestID") == requestID).order(Column("rowid")).fetchAll(db)
        }
    }

    // MARK: Workflow

    public func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date,
                           acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await write { db in
            let (request, draft) = try StoreRules.moved(try UseRequestRecord.fetchOne(db, key: requestID), id: requestID,
                                                        expectedRevision: expectedRevision, event: event, at: at, audit: audit)
            try request.update(db)
            try acknowledgement?.insert(db)
            try Self.append(draft, in: db)
            return request
        }
    }

    public func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await write { db in
            let stored = try UseRequestRecord.fetchOne(db, key: verdict.requestID)
            let latest = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT requestDigest, policyDigest FROM decision WHERE requestID = ? ORDER BY rowid DESC LIMIT 1
                """), arguments: [verdict.requestID]).map { (request: $0["requestDigest"] as String, policy: $0["policyDigest"] as String) }
            let current = try VerdictRecord
                .filter(Column("requestID") == verdict.requestID && Column("requestDigest") == verdict.requestDigest
                        && Column("policyDigest") == verdict.policyDigest)
                .fetchAll(db)
            let (request, draft) = try StoreRules.afterVerdict(verdict, stored: stored, latestDigests: latest, given: current, audit: audit)
            try verdict.insert(db)
            try request.update(db)
            try Self.append(draft, in: db)
            return request
        }
    }

    public func flagForReview(requestID: String, reason: String, job: RetriageJob?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE useRequest SET review = ? WHERE id = ? AND review IS NOT ?", arguments: [reason, requestID, reason])
            guard db.changesCount > 0 else { return false }
            if let job, var stored = try RetriageJob.fetchOne(db, key: ["studioID": job.studioID, "number": job.number]),
               !stored.flagged.contains(requestID) {
                stored.flagged.append(requestID)
                try stored.update(db)
            }
            try Self.append(audit, in: db)
            return true
        }
    }

    // MARK: Re-triage jobs

    public func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob? {
        try await read { db in try RetriageJob.fetchOne(db, key: ["studioID": studioID, "number": number]) }
    }

    public func claimRetriageJob(owner: String, at: Date, leaseUntil: Date) async throws(StoreError) -> RetriageJob? {
        try await write { db in
            guard var job = try RetriageJob.filter(Column("state") != RetriageJob.State.done.rawValue
                                                   && (Column("leaseUntil") == nil || Column("leaseUntil") < at))
                .order(Column("createdAt"), Column("studioID"), Column("number")).fetchOne(db) else { return nil }
            job.owner = owner
            job.leaseUntil = leaseUntil
            job.state = .running
            try job.update(db)
            return job
        }
    }

    public func renewRetriageLease(studioID: String, number: Int, owner: String, at: Date, until: Date) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: """
                UPDATE retriageJob SET leaseUntil = ? WHERE studioID = ? AND number = ? AND owner = ? AND state <> 'done'
                """, arguments: [until, studioID, number, owner])
            return db.changesCount > 0
        }
    }

    public func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await scan { db in
            let backlog = UseRequestRecord
                .filter(Column("studioID") == job.studioID && open.contains(Column("state")) && !job.setAside.contains(Column("id")))
                .filter(sql: #"(SELECT MAX(d."policyNumber") FROM "decision" d WHERE d."requestID" = "useRequest"."id") < ?"#,
                        arguments: [job.number])
            return (try backlog.order(Column("createdAt"), Column("id")).limit(limit).fetchAll(db), try backlog.fetchCount(db))
        }
    }

    public func setAsideRetriage(_ job: RetriageJob, requestID: String) async throws(StoreError) {
        try await write { db in
            guard var stored = try RetriageJob.fetchOne(db, key: ["studioID": job.studioID, "number": job.number]),
                  !stored.setAside.contains(requestID) else { return }
            stored.setAside.append(requestID)
            try stored.update(db)
        }
    }

    public func finishRetriageJob(_ job: RetriageJob, owner: String, at: Date) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: """
                UPDATE retriageJob SET state = 'done', finishedAt = ?, leaseUntil = NULL
                WHERE studioID = ? AND number = ? AND owner = ? AND state <> 'done'
                """, arguments: [at, job.studioID, job.number, owner])
            return db.changesCount > 0
        }
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        try await read { db in try VerdictRecord.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db) }
    }

    public func addComment(_ comment: CommentRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try comment.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func comments(requestID: String) async throws(StoreError) -> [CommentRecord] {
        try await read { db in try CommentRecord.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db) }
    }

    public func addCoverageExtension(_ extension: CoverageExtension, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try `extension`.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func decideCoverageExtension(id: String, confirmed: Bool, by userID: String, at: Date,
                                        audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE coverageExtension SET confirmed = ?, decidedBy = ?, decidedAt = ? WHERE id = ? AND confirmed IS NULL",
                           arguments: [confirmed, userID, at, id])
            guard db.changesCount > 0 else { return false }
            try Self.append(audit, in: db)
            return true
        }
    }

    public func coverageExtensions(requestID: String) async throws(StoreError) -> [CoverageExtension] {
        try await read { db in try CoverageExtension.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db) }
    }

    public func acknowledgements(requestID: String) async throws(StoreError) -> [AcknowledgementRecord] {
        try await read { db in
            try AcknowledgementRecord.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db)
        }
    }

    // MARK: Webhooks

    public func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try endpoint.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        try await read { db in try WebhookEndpoint.filter(Column("studioID") == studioID).order(Column("createdAt")).fetchAll(db) }
    }

    public func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard let endpoint = try WebhookEndpoint.fetchOne(db, key: id), endpoint.studioID == studioID else { return false }
            try db.execute(sql: "DELETE FROM webhookDelivery WHERE endpointID = ?", arguments: [id])
            try endpoint.delete(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        try await scan { db in
            try WebhookDelivery.filter(Column("endpointID") == endpointID).order(Column("createdAt").desc, Column("id"))
                .limit(limit).fetchAll(db)
        }
    }

    public func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [(WebhookDelivery, WebhookEndpoint)] {
        try await write { db in
            let due = try WebhookDelivery.filter(Column("status") == DeliveryStatus.pending.rawValue && Column("nextAttemptAt") <= at)
                .order(Column("createdAt"), Column("id")).limit(limit).fetchAll(db)
            var claimed: [(WebhookDelivery, WebhookEndpoint)] = []
            for var delivery in due {
                delivery.nextAttemptAt = leaseUntil
                try delivery.update(db)
                if let endpoint = try WebhookEndpoint.fetchOne(db, key: delivery.endpointID) { claimed.append((delivery, endpoint)) }
            }
            return claimed
        }
    }

    public func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            guard let delivery = try WebhookDelivery.fetchOne(db, key: attempt.deliveryID) else { return }
            try StoreRules.afterAttempt(delivery, attempt).update(db)
            try Self.append(audit, in: db)
        }
    }

    // MARK: Consents

    public func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            if try ConsentRecord.exists(db, key: consent.id) {
                throw StoreError.conflict("the id '\(consent.id)' is taken; choose another")
            }
            try consent.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        try await read { db in try ConsentRecord.fetchOne(db, key: id) }
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        try await scan { db in
            try ConsentRecord.filter(Column("productions").like("%\"\(productionID)\"%"))
                .order(Column("createdAt")).fetchAll(db)
                .filter { $0.productions.contains(productionID) }
        }
    }

    public func correctConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard let stored = try ConsentRecord.fetchOne(db, key: consent.id), stored.revokedAt == nil else { return false }
            try StoreRules.corrected(stored, with: consent).update(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    public func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await write { db in
            guard var consent = try ConsentRecord.fetchOne(db, key: id), consent.revokedAt == nil else { return false }
            consent.revokedAt = at
            consent.revokedReason = reason
            try consent.update(db)
            try Self.append(audit, in: db)
            return true
        }
    }

    // MARK: Deliverable scans

    public func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError) {
        try await write { db in
            try scan.insert(db)
            try Self.append(audit, in: db)
        }
    }

    public func scan(id: String) async throws(StoreError) -> ScanRecord? {
        try await read { db in try ScanRecord.fetchOne(db, key: id) }
    }

    public func scans(productionID: String, after: String?, limit: Int) async throws(StoreError) -> [ScanRecord] {
        try await scan { db in
            // Every column but the report, which a list never shows.
            var request = ScanRecord.select(Self.scanListColumns).filter(Column("productionID") == productionID)
            if let after {
                request = request.filter(sql: """
                    ("createdAt", "id") < (SELECT "createdAt", "id" FROM "scan" WHERE "id" = ?)
                    """, arguments: [after])
            }
            return try request.order(Column("createdAt").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    static var scanListColumns: [any SQLSelectable] {
        ["id", "productionID", "studioID", "uploadedBy", "createdAt", "scanner", "total", "flagged", "unapproved", "byVerdict"]
            .map { Column($0) }
    }

    // MARK: Copying out

    /// Every row, in write order, read in one transaction so the copy is consistent.
    public func snapshot() async throws(StoreError) -> Snapshot {
        try await scan { db in
            var snapshot = Snapshot()
            snapshot.users = try UserRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.tokens = try TokenRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.sessions = try SessionRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.studios = try StudioRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.studioMembers = try StudioMember.order(Column("studioID"), Column("userID")).fetchAll(db)
            snapshot.policyVersions = try PolicyVersionRecord.order(Column("studioID"), Column("number")).fetchAll(db)
            snapshot.tools = try ToolEntry.order(Column("studioID"), Column("id")).fetchAll(db)
            snapshot.productions = try ProductionRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.productionMembers = try ProductionMember.order(Column("productionID"), Column("userID")).fetchAll(db)
            snapshot.requests = try UseRequestRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.revisions = try RevisionRecord.order(Column("requestID"), Column("number")).fetchAll(db)
            snapshot.decisions = try DecisionRecord.order(Column("rowid")).fetchAll(db)
            snapshot.consents = try ConsentRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.verdicts = try VerdictRecord.order(Column.rowID).fetchAll(db)
            snapshot.acknowledgements = try AcknowledgementRecord.order(Column.rowID).fetchAll(db)
            snapshot.comments = try CommentRecord.order(Column.rowID).fetchAll(db)
            snapshot.coverageExtensions = try CoverageExtension.order(Column.rowID).fetchAll(db)
            snapshot.webhookEndpoints = try WebhookEndpoint.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.webhookDeliveries = try WebhookDelivery.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.scans = try ScanRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.invitations = try InvitationRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.retriageJobs = try RetriageJob.order(Column("createdAt"), Column("studioID"), Column("number")).fetchAll(db)
            snapshot.auditEvents = try AuditEvent.order(Column("seq")).fetchAll(db)
            snapshot.auditHeads = try AuditChainHead.order(Column("chain")).fetchAll(db)
            return snapshot
        }
    }

    // MARK: Audit

    public func appendAudit(_ draft: AuditDraft) async throws(StoreError) {
        try await write { db in try Self.append(draft, in: db) }
    }

    public func auditEvents(_ query: AuditQuery) async throws(StoreError) -> [AuditEvent] {
        try await scan { db in
            var request = AuditEvent.filter(Column("seq") > query.afterSeq)
            if let studios = query.studioIDs { request = request.filter(studios.contains(Column("studioID"))) }
            if let studio = query.studioID { request = request.filter(Column("studioID") == studio) }
            if let production = query.productionID { request = request.filter(Column("productionID") == production) }
            return try request.order(Column("seq")).limit(query.limit).fetchAll(db)
        }
    }

    public func auditHeads() async throws(StoreError) -> [AuditChainHead] {
        // A chain with events but no head row (deleted) gets an empty head, so it fails to verify.
        try await scan { db in
            try AuditChainHead.fetchAll(db.cachedStatement(sql: """
                SELECT c.chain AS chain, coalesce(h.position, 0) AS position, coalesce(h.hash, ?1) AS hash,
                       coalesce(h.anchor, ?1) AS anchor
                FROM (SELECT DISTINCT chain FROM auditEvent UNION SELECT chain FROM auditChainHead) c
                LEFT JOIN auditChainHead h ON h.chain = c.chain ORDER BY c.chain
                """), arguments: [AuditChain.zeroHash])
        }
    }

    public func auditChain(_ chain: String) async throws(StoreError) -> (events: [AuditEvent], head: AuditChainHead?) {
        try await scan { db in
            (try AuditEvent.filter(Column("chain") == chain).order(Column("position")).fetchAll(db),
             try AuditChainHead.fetchOne(db, key: chain))
        }
    }

    public func auditChainEvents(_ chain: String, after position: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await scan { db in
            try AuditEvent.filter(Column("chain") == chain && Column("position") > position).order(Column("position")).limit(limit).fetchAll(db)
        }
    }
}
