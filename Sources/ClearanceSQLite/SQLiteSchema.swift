public import ClearanceStore
public import GRDB

/// The tables, as versioned migrations run on every open. Column names follow the record
/// types' property names, so records encode and decode without mapping.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-service") { db in
            try db.create(table: "user") { t in
                t.primaryKey("id", .text)
                t.column("email", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("passwordHash", .text)
                t.column("isSiteAdmin", .boolean).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "token") { t in
                t.primaryKey("id", .text)
                t.column("userID", .text).notNull().references("user").indexed()
                t.column("secretHash", .text).notNull().unique()
                t.column("label", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("revokedAt", .datetime)
            }
            try db.create(table: "studio") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "studioMember") { t in
                t.column("studioID", .text).notNull().references("studio")
                t.column("userID", .text).notNull().references("user").indexed()
                t.column("role", .text).notNull()
                t.column("areas", .text).notNull()
                t.primaryKey(["studioID", "userID"])
            }
            try db.create(table: "policyVersion") { t in
                t.column("studioID", .text).notNull().references("studio")
                t.column("number", .integer).notNull()
                t.column("policyID", .text).notNull()
                t.column("policyVersion", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("text", .text).notNull()
                t.column("publishedBy", .text).notNull()
                t.column("publishedAt", .datetime).notNull()
                t.primaryKey(["studioID", "number"])
            }
            try db.create(table: "tool") { t in
                t.column("studioID", .text).notNull().references("studio")
                t.column("id", .text).notNull()
                t.column("record", .text).notNull()
                t.column("approvedFor", .text).notNull()
                t.column("approvedUntil", .text)
                t.column("evidence", .text)
                t.column("updatedAt", .datetime).notNull()
                t.primaryKey(["studioID", "id"])
            }
            try db.create(table: "production") { t in
                t.primaryKey("id", .text)
                t.column("studioID", .text).notNull().references("studio").indexed()
                t.column("title", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "productionMember") { t in
                t.column("productionID", .text).notNull().references("production")
                t.column("userID", .text).notNull().references("user").indexed()
                t.column("role", .text).notNull()
                t.primaryKey(["productionID", "userID"])
            }
            try db.create(table: "useRequest") { t in
                t.primaryKey("id", .text)
                t.column("studioID", .text).notNull().references("studio")
                t.column("productionID", .text).notNull().references("production")
                t.column("requesterID", .text).notNull().references("user")
                t.column("title", .text).notNull()
                t.column("state", .text).notNull()
                t.column("revision", .integer).notNull()
                t.column("outcome", .text).notNull()
                t.column("areas", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "useRequest_production_created", on: "useRequest", columns: ["productionID", "createdAt", "id"])
            try db.create(table: "revision") { t in
                t.column("requestID", .text).notNull().references("useRequest")
                t.column("number", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("requestDigest", .text).notNull()
                t.column("authorID", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.primaryKey(["requestID", "number"])
            }
            try db.create(table: "decision") { t in
                t.autoIncrementedPrimaryKey("rowid")
                t.column("requestID", .text).notNull().references("useRequest").indexed()
                t.column("revision", .integer).notNull()
                t.column("policyNumber", .integer).notNull()
                t.column("policyDigest", .text).notNull()
                t.column("requestDigest", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("decisionJSON", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "consent") { t in
                t.primaryKey("id", .text)
                t.column("studioID", .text).notNull().references("studio")
                t.column("productions", .text).notNull()
                t.column("performer", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("permittedUse", .text).notNull()
                t.column("signedOn", .text).notNull()
                t.column("noticeOn", .text)
                t.column("expiresOn", .text)
                t.column("signedSeparately", .boolean).notNull()
                t.column("documentRef", .text)
                t.column("revokedAt", .datetime)
                t.column("revokedReason", .text)
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "auditEvent") { t in
                t.primaryKey("seq", .integer)
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("studioID", .text).indexed()
                t.column("productionID", .text).indexed()
                t.column("subject", .text).notNull()
                t.column("details", .text).notNull()
                t.column("previousHash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            try db.create(table: "auditHead") { t in
                t.primaryKey("id", .integer)
                t.column("seq", .integer).notNull()
                t.column("hash", .text).notNull()
            }
        }
        migrator.registerMigration("v2-workflow") { db in
            try db.create(table: "verdict") { t in
                t.primaryKey("id", .text)
                t.column("requestID", .text).notNull().references("useRequest").indexed()
                t.column("revision", .integer).notNull()
                t.column("area", .text).notNull()
                t.column("approverID", .text).notNull().references("user")
                t.column("verdict", .text).notNull()
                t.column("conditions", .text).notNull()
                t.column("note", .text)
                t.column("requestDigest", .text).notNull()
                t.column("policyDigest", .text).notNull()
                t.column("expiresOn", .text)
                t.column("createdAt", .datetime).notNull()
            }
            // One verdict per area for the same request and policy digests, whoever writes first.
            try db.create(index: "verdict_once_per_area", on: "verdict",
                          columns: ["requestID", "area", "requestDigest", "policyDigest"], unique: true)
            try db.create(table: "acknowledgement") { t in
                t.column("requestID", .text).notNull().references("useRequest").indexed()
                t.column("revision", .integer).notNull()
                t.column("userID", .text).notNull().references("user")
                t.column("note", .text)
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-review-flag") { db in
            try db.alter(table: "useRequest") { t in t.add(column: "review", .text) }
        }
        migrator.registerMigration("v4-webhooks") { db in
            try db.create(table: "webhookEndpoint") { t in
                t.primaryKey("id", .text)
                t.column("studioID", .text).notNull().references("studio").indexed()
                t.column("url", .text).notNull()
                t.column("events", .text).notNull()
                t.column("format", .text).notNull()
                t.column("secret", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "webhookDelivery") { t in
                t.primaryKey("id", .text)
                t.column("endpointID", .text).notNull().references("webhookEndpoint").indexed()
                t.column("studioID", .text).notNull()
                t.column("event", .text).notNull()
                t.column("body", .text).notNull()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull()
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("lastStatusCode", .integer)
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("deliveredAt", .datetime)
            }
            try db.create(index: "webhookDelivery_due", on: "webhookDelivery", columns: ["status", "nextAttemptAt"])
        }
        migrator.registerMigration("v5-sessions") { db in
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)
                t.column("userID", .text).notNull().references("user").indexed()
                t.column("secretHash", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("endedAt", .datetime)
            }
        }
        migrator.registerMigration("v6-scans") { db in
            // Verdicts name the deliverables they cover; earlier verdicts cover none.
            try db.alter(table: "verdict") { t in t.add(column: "assets", .text).notNull().defaults(to: "[]") }
            try db.create(table: "scan") { t in
                t.primaryKey("id", .text)
                t.column("productionID", .text).notNull().references("production")
                t.column("studioID", .text).notNull().references("studio")
                t.column("uploadedBy", .text).notNull().references("user")
                t.column("createdAt", .datetime).notNull()
                t.column("scanner", .text).notNull()
                t.column("total", .integer).notNull()
                t.column("flagged", .integer).notNull()
                t.column("unapproved", .integer).notNull()
                t.column("byVerdict", .text).notNull()
                t.column("report", .text).notNull()
            }
            try db.create(index: "scan_production_created", on: "scan", columns: ["productionID", "createdAt", "id"])
        }
        migrator.registerMigration("v7-credentials") { db in
            // Tokens expire; those made before get 90 days from now rather than stopping at once.
            try db.alter(table: "token") { t in t.add(column: "expiresAt", .datetime) }
            try db.execute(sql: "UPDATE token SET expiresAt = strftime('%Y-%m-%d %H:%M:%f', 'now', '+90 days') WHERE expiresAt IS NULL")
            try db.alter(table: "user") { t in t.add(column: "deactivatedAt", .datetime) }
            // Failed password checks, shared by every server process on the database.
            try db.create(table: "signInAttempt") { t in
                t.column("key", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.create(index: "signInAttempt_key_at", on: "signInAttempt", columns: ["key", "at"])
            try db.create(index: "signInAttempt_at", on: "signInAttempt", columns: ["at"])
        }
        migrator.registerMigration("v8-invitations") { db in
            try db.create(table: "invitation") { t in
                t.primaryKey("id", .text)
                t.column("secretHash", .text).notNull().unique()
                t.column("studioID", .text).notNull().references("studio")
                t.column("productionID", .text).references("production")
                t.column("email", .text).notNull()
                t.column("role", .text).notNull()
                t.column("areas", .text).notNull()
                t.column("invitedBy", .text).notNull().references("user")
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("acceptedAt", .datetime)
                t.column("acceptedBy", .text).references("user")
            }
            try db.create(index: "invitation_email", on: "invitation", columns: ["email"])
        }
        migrator.registerMigration("v9-studio-lists") { db in
            // Studio-wide lists and approvers' queues page by (studioID, createdAt, id), as PostgreSQL's index does.
            try db.create(index: "useRequest_studio_created", on: "useRequest", columns: ["studioID", "createdAt", "id"])
        }
        migrator.registerMigration("v10-retriage-jobs") { db in
            try db.create(table: "retriageJob") { t in
                t.column("studioID", .text).notNull().references("studio")
                t.column("number", .integer).notNull()
                t.column("publishedBy", .text).notNull()
                t.column("total", .integer).notNull()
                t.column("retriaged", .integer).notNull()
                t.column("setAside", .text).notNull()
                t.column("flagged", .text).notNull()
                t.column("state", .text).notNull()
                t.column("owner", .text)
                t.column("leaseUntil", .datetime)
                t.column("createdAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.primaryKey(["studioID", "number"])
            }
        }
        migrator.registerMigration("v11-audit-chains") { db in
            // One chain per studio and one for the site. The events written before stay as they
            // were, as the `legacy` chain (their place in it is their old number); each new chain's
            // first event names that chain's head.
            try db.alter(table: "auditEvent") { t in
                t.add(column: "chain", .text).notNull().defaults(to: AuditChain.legacy)
                t.add(column: "position", .integer).notNull().defaults(to: 0)
            }
            try db.execute(sql: "UPDATE auditEvent SET position = seq")
            try db.create(index: "auditEvent_chain_position", on: "auditEvent", columns: ["chain", "position"], unique: true)
            try db.create(table: "auditChainHead") { t in
                t.primaryKey("chain", .text)
                t.column("position", .integer).notNull()
                t.column("hash", .text).notNull()
                t.column("anchor", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO auditChainHead (chain, position, hash, anchor) SELECT ?, seq, hash, ? FROM auditHead WHERE id = 1 AND seq > 0",
                           arguments: [AuditChain.legacy, AuditChain.zeroHash])
        }
        migrator.registerMigration("v12-contacts-kept-verdicts") { db in
            // Which approvers act as the studio's contacts (nil: the default by area).
            try db.alter(table: "studioMember") { t in t.add(column: "contact", .boolean) }
            try db.alter(table: "invitation") { t in t.add(column: "contact", .boolean) }
            // A verdict a re-triage kept names the verdict it carries.
            try db.alter(table: "verdict") { t in t.add(column: "carriedFrom", .text) }
            // Each request's comment thread.
            try db.create(table: "comment") { t in
                t.primaryKey("id", .text)
                t.column("requestID", .text).notNull().references("useRequest").indexed()
                t.column("revision", .integer).notNull()
                t.column("authorID", .text).notNull().references("user")
                t.column("body", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            // Files added to an approved use's assets from a deliverable scan.
            try db.create(table: "coverageExtension") { t in
                t.primaryKey("id", .text)
                t.column("requestID", .text).notNull().references("useRequest").indexed()
                t.column("revision", .integer).notNull()
                t.column("scanID", .text).notNull()
                t.column("reference", .text).notNull()
                t.column("area", .text).notNull()
                t.column("requestedBy", .text).notNull()
                t.column("requestedAt", .datetime).notNull()
                t.column("confirmed", .boolean)
                t.column("decidedBy", .text)
                t.column("decidedAt", .datetime)
            }
        }
        migrator.registerMigration("v13-accounts-productions") { db in
            // What a production is, where and when: the rulebooks read the territories.
            try db.alter(table: "production") { t in
                t.add(column: "kind", .text)
                t.add(column: "territories", .text).notNull().defaults(to: "[]")
                t.add(column: "photographyStartsOn", .text)
                t.add(column: "deliveryOn", .text)
                t.add(column: "archivedAt", .datetime)
            }
            // One-time links to set a new password.
            try db.create(table: "passwordReset") { t in
                t.primaryKey("id", .text)
                t.column("userID", .text).notNull().references("user").indexed()
                t.column("secretHash", .text).notNull().unique()
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("usedAt", .datetime)
            }
        }
        migrator.registerMigration("v14-dashboard-tallies") { db in
            // What the dashboards draw, kept by the write path and counted here once from the rows.
            try db.execute(sql: """
                CREATE TABLE "dashboardTally" ("studioID" TEXT NOT NULL, "productionID" TEXT NOT NULL, "measure" TEXT NOT NULL,
                                               "key" TEXT NOT NULL, "count" INTEGER NOT NULL,
                                               PRIMARY KEY ("studioID", "productionID", "measure", "key"));
                INSERT INTO "dashboardTally" SELECT "studioID", "productionID", 'outcome', "outcome", count(*) FROM "useRequest" GROUP BY 1, 2, 4;
                INSERT INTO "dashboardTally" SELECT r."studioID", r."productionID", 'area', a.value, count(*)
                    FROM "useRequest" r, json_each(r."areas") a GROUP BY 1, 2, 4;
                INSERT INTO "dashboardTally" SELECT "studioID", "productionID", 'month', substr("createdAt", 1, 7), count(*)
                    FROM "useRequest" GROUP BY 1, 2, 4;
                CREATE INDEX "useRequest_studio_state" ON "useRequest" ("studioID", "state");
                """)
        }
        migrator.registerMigration("v15-rulebooks") { db in
            // What a consent record says of its terms, which the rulebooks read.
            try db.alter(table: "consent") { t in
                t.add(column: "specificDescription", .boolean)
                t.add(column: "represented", .text)
            }
            // A version that changes the rulebooks but not the studio's text says what changed,
            // and its re-triage may cover one production only.
            try db.alter(table: "policyVersion") { t in t.add(column: "change", .text) }
            try db.alter(table: "retriageJob") { t in t.add(column: "productionID", .text) }
            // Obligations shown as met, overlays switched on or off, and custom overlays.
            try db.execute(sql: """
                CREATE TABLE "obligationMet" ("requestID" TEXT NOT NULL REFERENCES "useRequest", "obligationID" TEXT NOT NULL,
                    "studioID" TEXT NOT NULL, "productionID" TEXT NOT NULL, "note" TEXT, "link" TEXT, "documentRef" TEXT,
                    "metBy" TEXT NOT NULL, "metAt" DATETIME NOT NULL, PRIMARY KEY ("requestID", "obligationID"));
                CREATE INDEX "obligationMet_production" ON "obligationMet" ("productionID");
                CREATE TABLE "overlaySetting" ("studioID" TEXT NOT NULL REFERENCES "studio", "productionID" TEXT NOT NULL,
                    "overlayID" TEXT NOT NULL, "enabled" BOOLEAN NOT NULL, "changedBy" TEXT NOT NULL, "changedAt" DATETIME NOT NULL,
                    PRIMARY KEY ("studioID", "productionID", "overlayID"));
                CREATE TABLE "overlayVersion" ("studioID" TEXT NOT NULL REFERENCES "studio", "overlayID" TEXT NOT NULL,
                    "number" INTEGER NOT NULL, "version" TEXT NOT NULL, "digest" TEXT NOT NULL, "text" TEXT NOT NULL,
                    "publishedBy" TEXT NOT NULL, "publishedAt" DATETIME NOT NULL, PRIMARY KEY ("studioID", "overlayID", "number"));
                """)
        }
        return migrator
    }
}

/// Each record's table is the one `StoreTable` declares for it.
extension TableRecord where Self: StoredRecord {
    public static var databaseTableName: String { table.name }
}

extension UserRecord: FetchableRecord, PersistableRecord {}
extension TokenRecord: FetchableRecord, PersistableRecord {}
extension AuditChainHead: FetchableRecord, PersistableRecord {}
extension RetriageJob: FetchableRecord, PersistableRecord {}
extension InvitationRecord: FetchableRecord, PersistableRecord {}
extension SessionRecord: FetchableRecord, PersistableRecord {}
extension StudioRecord: FetchableRecord, PersistableRecord {}
extension CoverageExtension: FetchableRecord, PersistableRecord {}
extension CommentRecord: FetchableRecord, PersistableRecord {}
extension StudioMember: FetchableRecord, PersistableRecord {}
extension PolicyVersionRecord: FetchableRecord, PersistableRecord {}
extension ToolEntry: FetchableRecord, PersistableRecord {}
extension ProductionRecord: FetchableRecord, PersistableRecord {}
extension PasswordResetRecord: FetchableRecord, PersistableRecord {}
extension ProductionMember: FetchableRecord, PersistableRecord {}
extension UseRequestRecord: FetchableRecord, PersistableRecord {}
extension RevisionRecord: FetchableRecord, PersistableRecord {}
extension DecisionRecord: FetchableRecord, PersistableRecord {}
extension ConsentRecord: FetchableRecord, PersistableRecord {}
extension AuditEvent: FetchableRecord, PersistableRecord {}
extension VerdictRecord: FetchableRecord, PersistableRecord {}
extension AcknowledgementRecord: FetchableRecord, PersistableRecord {}
extension WebhookEndpoint: FetchableRecord, PersistableRecord {}
extension WebhookDelivery: FetchableRecord, PersistableRecord {}
extension ScanRecord: FetchableRecord, PersistableRecord {}
extension SignInAttempt: FetchableRecord, PersistableRecord {}
extension DashboardTally: FetchableRecord, PersistableRecord {}
extension ObligationMet: FetchableRecord, PersistableRecord {}
extension OverlaySetting: FetchableRecord, PersistableRecord {}
extension OverlayVersionRecord: FetchableRecord, PersistableRecord {}
