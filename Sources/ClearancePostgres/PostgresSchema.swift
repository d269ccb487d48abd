internal import Foundation

/// The tables, as the SQLite store's migrations with the same versions, expressed for PostgreSQL.
///
/// Columns carry the record types' coding keys (quoted, since they are camel case), so a record
/// goes in and out as JSON (`json_populate_record`, `row_to_json`) without a mapping per field.
/// Lists are `jsonb`, times `timestamptz`. Rows that SQLite orders by its implicit rowid get an
/// explicit `seq` identity column here. The audit head row exists from the start (at the genesis
/// head), so appends can lock it: that row lock is what puts every instance's appends in one line.
enum PostgresSchema {
    struct Migration {
        var version: String
        var sql: String

        /// The statements, split at the semicolons that end lines (none appears inside one).
        var statements: [String] {
            sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }
        }
    }

    static let migrations: [Migration] = [
        Migration(version: "v1-service", sql: """
            CREATE TABLE "user" ("id" text PRIMARY KEY, "email" text NOT NULL UNIQUE, "name" text NOT NULL,
                "passwordHash" text, "isSiteAdmin" boolean NOT NULL, "createdAt" timestamptz NOT NULL);
            CREATE TABLE "token" ("id" text PRIMARY KEY, "userID" text NOT NULL REFERENCES "user",
                "secretHash" text NOT NULL UNIQUE, "label" text NOT NULL, "createdAt" timestamptz NOT NULL, "revokedAt" timestamptz);
            CREATE INDEX "token_userID" ON "token" ("userID");
            CREATE TABLE "studio" ("id" text PRIMARY KEY, "name" text NOT NULL, "createdAt" timestamptz NOT NULL);
            CREATE TABLE "studioMember" ("studioID" text NOT NULL REFERENCES "studio", "userID" text NOT NULL REFERENCES "user",
                "role" text NOT NULL, "areas" jsonb NOT NULL, PRIMARY KEY ("studioID", "userID"));
            CREATE INDEX "studioMember_userID" ON "studioMember" ("userID");
            CREATE TABLE "policyVersion" ("studioID" text NOT NULL REFERENCES "studio", "number" integer NOT NULL,
                "policyID" text NOT NULL, "policyVersion" text NOT NULL, "digest" text NOT NULL, "text" text NOT NULL,
                "publishedBy" text NOT NULL, "publishedAt" timestamptz NOT NULL, PRIMARY KEY ("studioID", "number"));
            CREATE TABLE "tool" ("studioID" text NOT NULL REFERENCES "studio", "id" text NOT NULL, "record" text NOT NULL,
                "approvedFor" jsonb NOT NULL, "approvedUntil" text, "evidence" text, "updatedAt" timestamptz NOT NULL,
                PRIMARY KEY ("studioID", "id"));
            CREATE TABLE "production" ("id" text PRIMARY KEY, "studioID" text NOT NULL REFERENCES "studio",
                "title" text NOT NULL, "createdAt" timestamptz NOT NULL);
            CREATE INDEX "production_studioID" ON "production" ("studioID");
            CREATE TABLE "productionMember" ("productionID" text NOT NULL REFERENCES "production",
                "userID" text NOT NULL REFERENCES "user", "role" text NOT NULL, PRIMARY KEY ("productionID", "userID"));
            CREATE INDEX "productionMember_userID" ON "productionMember" ("userID");
            CREATE TABLE "useRequest" ("id" text PRIMARY KEY, "studioID" text NOT NULL REFERENCES "studio",
                "productionID" text NOT NULL REFERENCES "production", "requesterID" text NOT NULL REFERENCES "user",
                "title" text NOT NULL, "state" text NOT NULL, "revision" integer NOT NULL, "outcome" text NOT NULL,
                "areas" jsonb NOT NULL, "createdAt" timestamptz NOT NULL, "updatedAt" timestamptz NOT NULL);
            CREATE INDEX "useRequest_production_created" ON "useRequest" ("productionID", "createdAt", "id");
            CREATE INDEX "useRequest_studio_created" ON "useRequest" ("studioID", "createdAt", "id");
            CREATE TABLE "revision" ("requestID" text NOT NULL REFERENCES "useRequest", "number" integer NOT NULL,
                "document" text NOT NULL, "requestDigest" text NOT NULL, "authorID" text NOT NULL,
                "createdAt" timestamptz NOT NULL, PRIMARY KEY ("requestID", "number"));
            CREATE TABLE "decision" ("seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                "requestID" text NOT NULL REFERENCES "useRequest", "revision" integer NOT NULL, "policyNumber" integer NOT NULL,
                "policyDigest" text NOT NULL, "requestDigest" text NOT NULL, "outcome" text NOT NULL,
                "decisionJSON" text NOT NULL, "createdAt" timestamptz NOT NULL);
            CREATE INDEX "decision_requestID" ON "decision" ("requestID");
            CREATE TABLE "consent" ("id" text PRIMARY KEY, "studioID" text NOT NULL REFERENCES "studio",
                "productions" jsonb NOT NULL, "performer" text NOT NULL, "kind" text NOT NULL, "permittedUse" text NOT NULL,
                "signedOn" text NOT NULL, "noticeOn" text, "expiresOn" text, "signedSeparately" boolean NOT NULL,
                "documentRef" text, "revokedAt" timestamptz, "revokedReason" text, "createdBy" text NOT NULL,
                "createdAt" timestamptz NOT NULL);
            CREATE TABLE "auditEvent" ("seq" bigint PRIMARY KEY, "at" text NOT NULL, "actor" text NOT NULL,
                "action" text NOT NULL, "studioID" text, "productionID" text, "subject" text NOT NULL, "details" text NOT NULL,
                "previousHash" text NOT NULL, "hash" text NOT NULL);
            CREATE INDEX "auditEvent_studioID" ON "auditEvent" ("studioID");
            CREATE INDEX "auditEvent_productionID" ON "auditEvent" ("productionID");
            CREATE TABLE "auditHead" ("id" integer PRIMARY KEY, "seq" bigint NOT NULL, "hash" text NOT NULL);
            INSERT INTO "auditHead" ("id", "seq", "hash") VALUES (1, 0, 'sha256:0000000000000000000000000000000000000000000000000000000000000000');
            """),
        Migration(version: "v2-workflow", sql: """
            CREATE TABLE "verdict" ("seq" bigint GENERATED ALWAYS AS IDENTITY, "id" text PRIMARY KEY,
                "requestID" text NOT NULL REFERENCES "useRequest", "revision" integer NOT NULL, "area" text NOT NULL,
                "approverID" text NOT NULL REFERENCES "user", "verdict" text NOT NULL, "conditions" jsonb NOT NULL, "note" text,
                "requestDigest" text NOT NULL, "policyDigest" text NOT NULL, "expiresOn" text, "createdAt" timestamptz NOT NULL);
            CREATE INDEX "verdict_requestID" ON "verdict" ("requestID");
            CREATE UNIQUE INDEX "verdict_once_per_area" ON "verdict" ("requestID", "area", "requestDigest", "policyDigest");
            CREATE TABLE "acknowledgement" ("seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                "requestID" text NOT NULL REFERENCES "useRequest", "revision" integer NOT NULL,
                "userID" text NOT NULL REFERENCES "user", "note" text, "createdAt" timestamptz NOT NULL);
            CREATE INDEX "acknowledgement_requestID" ON "acknowledgement" ("requestID");
            """),
        Migration(version: "v3-review-flag", sql: """
            ALTER TABLE "useRequest" ADD COLUMN "review" text;
            """),
        Migration(version: "v4-webhooks", sql: """
            CREATE TABLE "webhookEndpoint" ("id" text PRIMARY KEY, "studioID" text NOT NULL REFERENCES "studio",
                "url" text NOT NULL, "events" jsonb NOT NULL, "format" text NOT NULL, "secret" text NOT NULL,
                "createdAt" timestamptz NOT NULL);
            CREATE INDEX "webhookEndpoint_studioID" ON "webhookEndpoint" ("studioID");
            CREATE TABLE "webhookDelivery" ("id" text PRIMARY KEY, "endpointID" text NOT NULL REFERENCES "webhookEndpoint",
                "studioID" text NOT NULL, "event" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL,
                "attempts" integer NOT NULL, "nextAttemptAt" timestamptz NOT NULL, "lastStatusCode" integer, "lastError" text,
                "createdAt" timestamptz NOT NULL, "deliveredAt" timestamptz);
            CREATE INDEX "webhookDelivery_endpointID" ON "webhookDelivery" ("endpointID");
            CREATE INDEX "webhookDelivery_due" ON "webhookDelivery" ("status", "nextAttemptAt");
            """),
        Migration(version: "v5-sessions", sql: """
            CREATE TABLE "session" ("id" text PRIMARY KEY, "userID" text NOT NULL REFERENCES "user",
                "secretHash" text NOT NULL UNIQUE, "createdAt" timestamptz NOT NULL, "expiresAt" timestamptz NOT NULL,
                "endedAt" timestamptz);
            CREATE INDEX "session_userID" ON "session" ("userID");
            """),
        Migration(version: "v6-scans", sql: """
            ALTER TABLE "verdict" ADD COLUMN "assets" jsonb NOT NULL DEFAULT '[]';
            CREATE TABLE "scan" ("id" text PRIMARY KEY, "productionID" text NOT NULL REFERENCES "production",
                "studioID" text NOT NULL REFERENCES "studio", "uploadedBy" text NOT NULL REFERENCES "user",
                "createdAt" timestamptz NOT NULL, "scanner" text NOT NULL, "total" integer NOT NULL, "flagged" integer NOT NULL,
                "unapproved" integer NOT NULL, "byVerdict" jsonb NOT NULL, "report" text NOT NULL);
            CREATE INDEX "scan_production_created" ON "scan" ("productionID", "createdAt", "id");
            """),
        Migration(version: "v7-credentials", sql: """
            ALTER TABLE "token" ADD COLUMN "expiresAt" timestamptz;
            UPDATE "token" SET "expiresAt" = now() + interval '90 days' WHERE "expiresAt" IS NULL;
            ALTER TABLE "user" ADD COLUMN "deactivatedAt" timestamptz;
            CREATE TABLE "signInAttempt" ("key" text NOT NULL, "at" timestamptz NOT NULL);
            CREATE INDEX "signInAttempt_key_at" ON "signInAttempt" ("key", "at");
            CREATE INDEX "signInAttempt_at" ON "signInAttempt" ("at");
            """),
        Migration(version: "v8-invitations", sql: """
            CREATE TABLE "invitation" ("id" text PRIMARY KEY, "secretHash" text NOT NULL UNIQUE,
                "studioID" text NOT NULL REFERENCES "studio", "productionID" text REFERENCES "production",
                "email" text NOT NULL, "role" text NOT NULL, "areas" jsonb NOT NULL, "invitedBy" text NOT NULL REFERENCES "user",
                "createdAt" timestamptz NOT NULL, "expiresAt" timestamptz NOT NULL, "acceptedAt" timestamptz,
                "acceptedBy" text REFERENCES "user");
            CREATE INDEX "invitation_email" ON "invitation" ("email");
            """),
        Migration(version: "v10-retriage-jobs", sql: """
            CREATE TABLE "retriageJob" ("studioID" text NOT NULL REFERENCES "studio", "number" integer NOT NULL,
                "publishedBy" text NOT NULL, "total" integer NOT NULL, "retriaged" integer NOT NULL, "setAside" jsonb NOT NULL,
                "flagged" jsonb NOT NULL, "state" text NOT NULL, "owner" text, "leaseUntil" timestamptz,
                "createdAt" timestamptz NOT NULL, "finishedAt" timestamptz, PRIMARY KEY ("studioID", "number"));
            """),
        // One chain per studio and one for the site; the events written before stay as they were,
        // as the `legacy` chain, and each new chain's first event names its head.
        Migration(version: "v11-audit-chains", sql: """
            ALTER TABLE "auditEvent" ADD COLUMN "chain" text NOT NULL DEFAULT 'legacy';
            ALTER TABLE "auditEvent" ADD COLUMN "position" bigint NOT NULL DEFAULT 0;
            UPDATE "auditEvent" SET "position" = "seq";
            CREATE UNIQUE INDEX "auditEvent_chain_position" ON "auditEvent" ("chain", "position");
            CREATE TABLE "auditChainHead" ("chain" text PRIMARY KEY, "position" bigint NOT NULL, "hash" text NOT NULL,
                "anchor" text NOT NULL);
            INSERT INTO "auditChainHead" ("chain", "position", "hash", "anchor")
                SELECT 'legacy', "seq", "hash", 'sha256:0000000000000000000000000000000000000000000000000000000000000000'
                FROM "auditHead" WHERE "id" = 1 AND "seq" > 0;
            CREATE SEQUENCE "auditEvent_seq";
            SELECT setval('"auditEvent_seq"', (SELECT coalesce(max("seq"), 0) + 1 FROM "auditEvent"), false);
            """),
        Migration(version: "v12-contacts-kept-verdicts", sql: """
            ALTER TABLE "studioMember" ADD COLUMN "contact" boolean;
            ALTER TABLE "invitation" ADD COLUMN "contact" boolean;
            ALTER TABLE "verdict" ADD COLUMN "carriedFrom" text;
            CREATE TABLE "comment" ("seq" bigint GENERATED ALWAYS AS IDENTITY, "id" text PRIMARY KEY, "requestID" text NOT NULL REFERENCES "useRequest",
                "revision" integer NOT NULL, "authorID" text NOT NULL REFERENCES "user", "body" text NOT NULL,
                "createdAt" timestamptz NOT NULL);
            CREATE INDEX "comment_requestID" ON "comment" ("requestID");
            CREATE TABLE "coverageExtension" ("seq" bigint GENERATED ALWAYS AS IDENTITY, "id" text PRIMARY KEY,
                "requestID" text NOT NULL REFERENCES "useRequest", "revision" integer NOT NULL, "scanID" text NOT NULL,
                "reference" text NOT NULL, "area" text NOT NULL, "requestedBy" text NOT NULL, "requestedAt" timestamptz NOT NULL,
                "confirmed" boolean, "decidedBy" text, "decidedAt" timestamptz);
            CREATE INDEX "coverageExtension_requestID" ON "coverageExtension" ("requestID");
            """),
        Migration(version: "v13-accounts-productions", sql: """
            ALTER TABLE "production" ADD COLUMN "kind" text;
            ALTER TABLE "production" ADD COLUMN "territories" jsonb NOT NULL DEFAULT '[]';
            ALTER TABLE "production" ADD COLUMN "photographyStartsOn" text;
            ALTER TABLE "production" ADD COLUMN "deliveryOn" text;
            ALTER TABLE "production" ADD COLUMN "archivedAt" timestamptz;
            CREATE TABLE "passwordReset" ("id" text PRIMARY KEY, "userID" text NOT NULL REFERENCES "user",
                "secretHash" text NOT NULL UNIQUE, "createdBy" text NOT NULL, "createdAt" timestamptz NOT NULL,
                "expiresAt" timestamptz NOT NULL, "usedAt" timestamptz);
            CREATE INDEX "passwordReset_userID" ON "passwordReset" ("userID");
            """),
        Migration(version: "v14-dashboard-tallies", sql: """
            CREATE TABLE "dashboardTally" ("studioID" text NOT NULL, "productionID" text NOT NULL, "measure" text NOT NULL,
                "key" text NOT NULL, "count" bigint NOT NULL, PRIMARY KEY ("studioID", "productionID", "measure", "key"));
            \(tallyBackfill);
            CREATE INDEX "useRequest_studio_state" ON "useRequest" ("studioID", "state");
            """),
        Migration(version: "v15-rulebooks", sql: """
            ALTER TABLE "consent" ADD COLUMN "specificDescription" boolean;
            ALTER TABLE "consent" ADD COLUMN "represented" text;
            ALTER TABLE "policyVersion" ADD COLUMN "change" text;
            ALTER TABLE "retriageJob" ADD COLUMN "productionID" text;
            CREATE TABLE "obligationMet" ("requestID" text NOT NULL REFERENCES "useRequest", "obligationID" text NOT NULL,
                "studioID" text NOT NULL, "productionID" text NOT NULL, "note" text, "link" text, "documentRef" text,
                "metBy" text NOT NULL, "metAt" timestamptz NOT NULL, PRIMARY KEY ("requestID", "obligationID"));
            CREATE INDEX "obligationMet_production" ON "obligationMet" ("productionID");
            CREATE TABLE "overlaySetting" ("studioID" text NOT NULL REFERENCES "studio", "productionID" text NOT NULL,
                "overlayID" text NOT NULL, "enabled" boolean NOT NULL, "changedBy" text NOT NULL, "changedAt" timestamptz NOT NULL,
                PRIMARY KEY ("studioID", "productionID", "overlayID"));
            CREATE TABLE "overlayVersion" ("studioID" text NOT NULL REFERENCES "studio", "overlayID" text NOT NULL,
                "number" integer NOT NULL, "version" text NOT NULL, "digest" text NOT NULL, "text" text NOT NULL,
                "publishedBy" text NOT NULL, "publishedAt" timestamptz NOT NULL, PRIMARY KEY ("studioID", "overlayID", "number"));
            """),
    ]

    /// The dashboard tallies counted from the requests: what the migration that adds them, and
    /// loading a copy, write once (from then on the write path keeps them).
    static let tallyBackfill = """
        INSERT INTO "dashboardTally"
        SELECT "studioID", "productionID", 'outcome', "outcome", count(*) FROM "useRequest" GROUP BY 1, 2, 4
        UNION ALL SELECT r."studioID", r."productionID", 'area', a.area, count(*)
                  FROM "useRequest" r, jsonb_array_elements_text(r."areas") a(area) GROUP BY 1, 2, 4
        UNION ALL SELECT "studioID", "productionID", 'month', to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM'), count(*)
                  FROM "useRequest" GROUP BY 1, 2, 4
        """
}
