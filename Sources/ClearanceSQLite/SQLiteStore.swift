public import ClearanceStore
public import Foundation
public import ClearanceCore
public import GRDB

/// The embedded store: one SQLite file in WAL mode, migrated on open.
///
/// Writes go through GRDB's single writer, so appending to the audit chain never races; reads
/// run concurrently on the pool's readers.
public final class SQLiteStore: TransactionalStore {
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

    /// Every table of the migrated database with its columns, for checking them against `StoreTable`.
    public func tableColumns() async throws(StoreError) -> [String: Set<String>] {
        try await scan { db in
            var tables: [String: Set<String>] = [:]
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                tables[name] = Set(try db.columns(in: name).map(\.name))
            }
            return tables
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

    /// One write transaction of the shared write path (`StoreWrites`), on GRDB's single writer.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.write { db in try body(SQLiteTransaction(db: db)) }
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

    // MARK: Users and tokens

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

    public func liveSessionCount(userID: String, at: Date) async throws(StoreError) -> Int {
        try await read { db in
            try SessionRecord.filter(Column("userID") == userID && Column("endedAt") == nil && Column("expiresAt") > at).fetchCount(db)
        }
    }

    public func passwordReset(secretHash: String) async throws(StoreError) -> PasswordResetRecord? {
        try await read { db in try PasswordResetRecord.filter(Column("secretHash") == secretHash).fetchOne(db) }
    }

    // MARK: Invitations

    public func invitation(secretHash: String) async throws(StoreError) -> InvitationRecord? {
        try await read { db in try InvitationRecord.filter(Column("secretHash") == secretHash).fetchOne(db) }
    }

    public func openInvitations(studioID: String, productionID: String?, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try await scan { db in
            try InvitationRecord.filter(Column("studioID") == studioID && Column("productionID") == productionID
                                        && Column("acceptedAt") == nil && Column("expiresAt") > at)
                .order(Column("createdAt").desc, Column("id")).fetchAll(db)
        }
    }

    public func openInvitations(email: String, at: Date) async throws(StoreError) -> [InvitationRecord] {
        try await scan { db in
            try InvitationRecord.filter(Column("email") == email && Column("acceptedAt") == nil && Column("expiresAt") > at)
                .order(Column("createdAt").desc, Column("id")).fetchAll(db)
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

    public func studio(id: String) async throws(StoreError) -> StudioRecord? {
        try await read { db in try StudioRecord.fetchOne(db, key: id) }
    }

    public func studios() async throws(StoreError) -> [StudioRecord] {
        try await read { db in try StudioRecord.order(Column("id")).fetchAll(db) }
    }

    public func studioMembers(studioID: String) async throws(StoreError) -> [StudioMember] {
        try await read { db in try StudioMember.filter(Column("studioID") == studioID).order(Column("userID")).fetchAll(db) }
    }

    public func studioMemberships(userID: String) async throws(StoreError) -> [StudioMember] {
        try await read { db in try StudioMember.filter(Column("userID") == userID).order(Column("studioID")).fetchAll(db) }
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

    public func tool(studioID: String, id: String) async throws(StoreError) -> ToolEntry? {
        try await read { db in try ToolEntry.fetchOne(db, key: ["studioID": studioID, "id": id]) }
    }

    public func tools(studioID: String) async throws(StoreError) -> [ToolEntry] {
        try await read { db in try ToolEntry.filter(Column("studioID") == studioID).order(Column("id")).fetchAll(db) }
    }

    // MARK: Productions

    public func production(id: String) async throws(StoreError) -> ProductionRecord? {
        try await read { db in try ProductionRecord.fetchOne(db, key: id) }
    }

    public func productions(studioID: String) async throws(StoreError) -> [ProductionRecord] {
        try await read { db in try ProductionRecord.filter(Column("studioID") == studioID).order(Column("id")).fetchAll(db) }
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
            // The tallies the write path keeps: a few rows per production, however many requests.
            var tallies: [DashboardTally] = []
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r."measure" AS m, r."key" AS k, sum(r."count") AS n FROM "dashboardTally" r WHERE \(scope) GROUP BY 1, 2
                """), arguments: arguments) {
                if let measure = DashboardTally.Measure(rawValue: row["m"]) {
                    tallies.append(DashboardTally(studioID: studioID, productionID: productionID ?? "", measure: measure, key: row["k"], count: row["n"]))
                }
            }
            let (byOutcome, byArea, byMonth) = DashboardCounts.from(tallies, since: since)
            let settledStates = SettledUse.states.map { "'\($0.rawValue)'" }.joined(separator: ",")
            var settled: [String: SettledUse] = [:]
            var order: [String] = []
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT r."id" AS id, r."state" AS state, d."createdAt" AS triagedAt, v."verdict" AS verdict, v."createdAt" AS verdictAt
                FROM "useRequest" r INDEXED BY "useRequest_studio_state"
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
                """, arguments: ["[" + areas.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"])
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

    // MARK: Re-triage jobs

    public func retriageJob(studioID: String, number: Int) async throws(StoreError) -> RetriageJob? {
        try await read { db in try RetriageJob.fetchOne(db, key: ["studioID": studioID, "number": number]) }
    }

    public func retriageBacklog(_ job: RetriageJob, limit: Int) async throws(StoreError) -> (page: [UseRequestRecord], count: Int) {
        let open = RequestState.allCases.filter(\.isOpen).map(\.rawValue)
        return try await scan { db in
            var backlog = UseRequestRecord
                .filter(Column("studioID") == job.studioID && open.contains(Column("state")) && !job.setAside.contains(Column("id")))
            // A job for one production's rulebooks (an overlay switched for it) leaves the others alone.
            if let production = job.productionID { backlog = backlog.filter(Column("productionID") == production) }
            backlog = backlog
                .filter(sql: #"(SELECT MAX(d."policyNumber") FROM "decision" d WHERE d."requestID" = "useRequest"."id") < ?"#,
                        arguments: [job.number])
            return (try backlog.order(Column("createdAt"), Column("id")).limit(limit).fetchAll(db), try backlog.fetchCount(db))
        }
    }

    public func verdicts(requestID: String) async throws(StoreError) -> [VerdictRecord] {
        try await read { db in try VerdictRecord.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db) }
    }

    public func comments(requestID: String) async throws(StoreError) -> [CommentRecord] {
        try await read { db in try CommentRecord.filter(Column("requestID") == requestID).order(Column.rowID).fetchAll(db) }
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

    public func webhooks(studioID: String) async throws(StoreError) -> [WebhookEndpoint] {
        try await read { db in try WebhookEndpoint.filter(Column("studioID") == studioID).order(Column("createdAt")).fetchAll(db) }
    }

    public func deliveries(endpointID: String, limit: Int) async throws(StoreError) -> [WebhookDelivery] {
        try await scan { db in
            try WebhookDelivery.filter(Column("endpointID") == endpointID).order(Column("createdAt").desc, Column("id"))
                .limit(limit).fetchAll(db)
        }
    }

    // MARK: Consents

    public func consent(id: String) async throws(StoreError) -> ConsentRecord? {
        try await read { db in try ConsentRecord.fetchOne(db, key: id) }
    }

    public func overlaySettings(studioID: String) async throws(StoreError) -> [OverlaySetting] {
        try await read { db in
            try OverlaySetting.filter(Column("studioID") == studioID).order(Column("productionID"), Column("overlayID")).fetchAll(db)
        }
    }

    public func overlayVersions(studioID: String) async throws(StoreError) -> [OverlayVersionRecord] {
        try await read { db in
            try OverlayVersionRecord.filter(Column("studioID") == studioID).order(Column("overlayID"), Column("number")).fetchAll(db)
        }
    }

    public func obligationsMet(requestID: String) async throws(StoreError) -> [ObligationMet] {
        try await read { db in try ObligationMet.filter(Column("requestID") == requestID).order(Column("metAt")).fetchAll(db) }
    }

    public func obligationsMet(productionID: String) async throws(StoreError) -> [ObligationMet] {
        try await scan { db in try ObligationMet.filter(Column("productionID") == productionID).order(Column("metAt")).fetchAll(db) }
    }

    public func consents(productionID: String) async throws(StoreError) -> [ConsentRecord] {
        try await scan { db in
            try ConsentRecord.filter(Column("productions").like("%\"\(productionID)\"%"))
                .order(Column("createdAt")).fetchAll(db)
                .filter { $0.productions.contains(productionID) }
        }
    }

    // MARK: Deliverable scans

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
            snapshot.passwordResets = try PasswordResetRecord.order(Column("createdAt"), Column("id")).fetchAll(db)
            snapshot.obligationsMet = try ObligationMet.order(Column("metAt"), Column("requestID"), Column("obligationID")).fetchAll(db)
            snapshot.overlaySettings = try OverlaySetting.order(Column("studioID"), Column("productionID"), Column("overlayID")).fetchAll(db)
            snapshot.overlayVersions = try OverlayVersionRecord.order(Column("studioID"), Column("overlayID"), Column("number")).fetchAll(db)
            snapshot.retriageJobs = try RetriageJob.order(Column("createdAt"), Column("studioID"), Column("number")).fetchAll(db)
            snapshot.auditEvents = try AuditEvent.order(Column("seq")).fetchAll(db)
            snapshot.auditHeads = try AuditChainHead.order(Column("chain")).fetchAll(db)
            return snapshot
        }
    }

    // MARK: Audit

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
