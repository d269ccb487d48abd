public import ClearanceCore
public import Foundation

/// Every write the service makes, written once for both stores over `WriteTransaction`: the
/// checks (from `StoreRules`), the rows, the audit event and the webhook outbox rows it raises,
/// in one transaction. A store supplies the transaction and nothing else; it holds no workflow
/// or audit logic of its own.
extension TransactionalStore {
    // MARK: The audit chain

    public func appendAudit(_ draft: AuditDraft) async throws(StoreError) {
        try await transaction { tx in try StoreWrites.append(draft, in: tx) }
    }

    // MARK: Users, passwords and tokens

    public func createUser(_ user: UserRecord, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            try StoreWrites.requireNewEmail(user.email, in: tx)
            try tx.insert(user)
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func setUserDeactivated(id: String, at: Date?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var user = try tx.first(UserRecord.self, where: [.equal("id", id)], lock: .update),
                  (user.deactivatedAt == nil) != (at == nil) else { return false }
            user.deactivatedAt = at
            try tx.write([.update(user)])
            if let at {
                // Deactivating ends the user's sessions and revokes their tokens at once.
                try tx.update(.session, set: [.set("endedAt", .date(at))], where: [.equal("userID", id), .isNull("endedAt")])
                try tx.update(.token, set: [.set("revokedAt", .date(at))], where: [.equal("userID", id), .isNull("revokedAt")])
            }
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func setPassword(userID: String, hash: String, at: Date, keepingSession: String?, reset: String?,
                            audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            if let reset {
                let used = try tx.update(.passwordReset, set: [.set("usedAt", .date(at))], where: [
                    .equal("id", reset), .equal("userID", userID), .isNull("usedAt"), Condition("expiresAt", .greater, .date(at)),
                ])
                guard used > 0 else { return false }
            }
            guard try tx.update(.user, set: [.set("passwordHash", .text(hash))], where: [.equal("id", userID)]) > 0 else { return false }
            // Any other reset link still open for the user dies with the old password.
            try tx.update(.passwordReset, set: [.set("usedAt", .date(at))], where: [.equal("userID", userID), .isNull("usedAt")])
            try tx.update(.session, set: [.set("endedAt", .date(at))], where: [
                .equal("userID", userID), .isNull("endedAt"), Condition("id", .distinct, keepingSession.map(SQLValue.text) ?? .null),
            ])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func endOtherSessions(userID: String, except: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Int {
        try await transaction { tx in
            let ended = try tx.update(.session, set: [.set("endedAt", .date(at))], where: [
                .equal("userID", userID), .isNull("endedAt"), Condition("expiresAt", .greater, .date(at)),
                Condition("id", .notEqual, .text(except)),
            ])
            if ended > 0 { try StoreWrites.append(audit, in: tx) }
            return ended
        }
    }

    public func createPasswordReset(_ reset: PasswordResetRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(reset, audit: audit, in: self)
    }

    public func addToken(_ token: TokenRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(token, audit: audit, in: self)
    }

    public func revokeToken(id: String, userID: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var token = try tx.first(TokenRecord.self, where: [.equal("id", id)], lock: .update),
                  token.userID == userID, token.revokedAt == nil else { return false }
            token.revokedAt = at
            try tx.write([.update(token)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    // MARK: Invitations and sign-in attempts

    public func createInvitation(_ invitation: InvitationRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(invitation, audit: audit, in: self)
    }

    public func acceptInvitation(id: String, userID: String, newUser: UserRecord?, at: Date,
                                 audit: [AuditDraft]) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var invitation = try tx.first(InvitationRecord.self, where: [.equal("id", id)], lock: .update),
                  invitation.isOpen(at: at), let membership = invitation.membership(for: userID) else { return false }
            if let newUser {
                try StoreWrites.requireNewEmail(newUser.email, in: tx)
                try tx.insert(newUser)
            }
            invitation.acceptedAt = at
            invitation.acceptedBy = userID
            switch membership {
            case .studio(let member): try tx.write([.update(invitation), .upsert(member)])
            case .production(let member): try tx.write([.update(invitation), .upsert(member)])
            }
            for draft in audit { try StoreWrites.append(draft, in: tx) }
            return true
        }
    }

    public func admitAttempt(keys: [ThrottleKey], since: Date, at: Date) async throws(StoreError) -> [Date] {
        try await transaction { tx in
            // Concurrent attempts on a key take turns, across instances, without blocking other keys.
            try tx.serialize(on: keys.map(\.key).sorted())
            try tx.delete(.signInAttempt, where: [Condition("at", .less, .date(since))])
            var full: [Date] = []
            for key in keys {
                let window = try tx.fetch(SignInAttempt.self, where: [.equal("key", key.key)], orderBy: [.ascending("at")])
                if window.count >= key.limit, let oldest = window.first?.at { full.append(oldest) }
            }
            guard full.isEmpty else { return full }
            try tx.write(keys.map { .insert(SignInAttempt(key: $0.key, at: at)) })
            return []
        }
    }

    public func forgetAttempts(key: String, newestOnly: Bool) async throws(StoreError) {
        _ = try await transaction { tx in
            try tx.delete(.signInAttempt, where: [.equal("key", key)], first: newestOnly ? [.descending("at")] : nil)
        }
    }

    // MARK: Sessions

    public func startSession(_ session: SessionRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(session, audit: audit, in: self)
    }

    public func endSession(id: String, at: Date, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var session = try tx.first(SessionRecord.self, where: [.equal("id", id)], lock: .update),
                  session.endedAt == nil else { return false }
            session.endedAt = at
            try tx.write([.update(session)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    // MARK: Studios and policies

    public func createStudio(_ studio: StudioRecord, policy: PolicyVersionRecord, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            guard try tx.count(.studio, where: [.equal("id", studio.id)]) == 0 else {
                throw StoreError.conflict("a studio with id '\(studio.id)' already exists")
            }
            try tx.insert(studio, policy)
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func renameStudio(id: String, name: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            let renamed = try tx.update(.studio, set: [.set("name", .text(name))],
                                        where: [.equal("id", id), Condition("name", .notEqual, .text(name))])
            guard renamed > 0 else { return false }
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func setStudioMember(_ member: StudioMember, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.write(.upsert(member), audit: audit, in: self)
    }

    public func removeStudioMember(studioID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await StoreWrites.delete(.studioMember, where: [.equal("studioID", studioID), .equal("userID", userID)], audit: audit, in: self)
    }

    public func publishPolicy(_ version: PolicyVersionRecord, retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        try await changeRulebooks(setting: nil, overlay: nil, version: version, retriage: retriage, audit: audit)
    }

    public func changeRulebooks(setting: OverlaySetting?, overlay: OverlayVersionRecord?, version: PolicyVersionRecord,
                                retriage: RetriageJob?, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            if let overlay {
                let latest = try tx.maximum("number", of: .overlayVersion,
                                            where: [.equal("studioID", overlay.studioID), .equal("overlayID", overlay.overlayID)]) ?? 0
                guard overlay.number == latest + 1 else {
                    throw StoreError.conflict("overlay \(overlay.overlayID) version \(latest + 1) is next, not \(overlay.number)")
                }
            }
            let rows: [RowWrite] = (setting.map { [.upsert($0)] } ?? []) + (overlay.map { [.insert($0)] } ?? [])
            if !rows.isEmpty { try tx.write(rows) }
            let current = try tx.policyNumber(studioID: version.studioID, exclusive: true)
            guard version.number == current + 1 else {
                throw StoreError.conflict("policy version \(current + 1) is next, not \(version.number)")
            }
            var writes: [RowWrite] = [.insert(version)]
            if var job = retriage {
                // The job counts the open requests it starts with, in the same transaction.
                var scope: [Condition] = [.equal("studioID", version.studioID), StoreWrites.isOpen]
                if let production = job.productionID { scope.append(.equal("productionID", production)) }
                job.total = try tx.count(.useRequest, where: scope)
                writes.append(.insert(job))
            }
            try tx.write(writes)
            try StoreWrites.append(audit, in: tx)
        }
    }

    // MARK: Tools

    public func putTool(_ tool: ToolEntry, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            let existed = try tx.count(.tool, where: [.equal("studioID", tool.studioID), .equal("id", tool.id)]) > 0
            try tx.write([.upsert(tool)])
            try StoreWrites.append(audit, in: tx)
            return !existed
        }
    }

    public func deleteTool(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await StoreWrites.delete(.tool, where: [.equal("studioID", studioID), .equal("id", id)], audit: audit, in: self)
    }

    // MARK: Productions

    public func createProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            guard try tx.count(.production, where: [.equal("id", production.id)]) == 0 else {
                throw StoreError.conflict("the id '\(production.id)' is taken; choose another")
            }
            try tx.insert(production)
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func updateProduction(_ production: ProductionRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var stored = try tx.first(ProductionRecord.self, where: [.equal("id", production.id)], lock: .update) else { return false }
            // Never its id, studio or creation.
            stored.title = production.title
            stored.kind = production.kind
            stored.territories = production.territories
            stored.photographyStartsOn = production.photographyStartsOn
            stored.deliveryOn = production.deliveryOn
            stored.archivedAt = production.archivedAt
            try tx.write([.update(stored)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func setProductionMember(_ member: ProductionMember, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.write(.upsert(member), audit: audit, in: self)
    }

    public func removeProductionMember(productionID: String, userID: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await StoreWrites.delete(.productionMember, where: [.equal("productionID", productionID), .equal("userID", userID)],
                                     audit: audit, in: self)
    }

    // MARK: Use requests and their workflow

    public func createRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            try StoreRules.requireCurrentPolicy(decision, current: try tx.policyNumber(studioID: request.studioID, exclusive: false))
            try tx.write([.insert(request), .insert(revision), .insert(decision)] + StoreWrites.retally(from: nil, to: request))
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func reviseRequest(_ request: UseRequestRecord, revision: RevisionRecord, decision: DecisionRecord,
                              audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            let stored = try StoreWrites.lockedRequest(request.id, in: tx)
            try StoreRules.checkRevision(stored: stored, id: request.id, number: revision.number)
            try StoreRules.requireCurrentPolicy(decision, current: try tx.policyNumber(studioID: request.studioID, exclusive: false))
            try tx.write([.update(request), .insert(revision), .insert(decision)] + StoreWrites.retally(from: stored, to: request))
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func recordDecision(_ request: UseRequestRecord, decision: DecisionRecord, carried: [VerdictRecord], job: RetriageJob?,
                               audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            let stored = try StoreWrites.lockedRequest(request.id, in: tx)
            let newest = try tx.maximum("policyNumber", of: .decision, where: [.equal("requestID", request.id)]) ?? 0
            let state = try StoreRules.stateAfterRetriage(stored: stored, id: request.id, decision: decision, newestPolicy: newest,
                                                          required: request.areas, carried: carried)
            guard var updated = stored else { return }
            updated.state = state
            updated.outcome = request.outcome
            updated.areas = request.areas
            updated.updatedAt = request.updatedAt
            try tx.write([.update(updated), .insert(decision)] + carried.map(RowWrite.insert) + StoreWrites.retally(from: stored, to: updated))
            if let job {
                try tx.update(.retriageJob, set: [.increment("retriaged", by: 1)],
                              where: [.equal("studioID", job.studioID), .equal("number", job.number)])
            }
            try StoreWrites.append(StoreRules.retriageAudit(audit, state: state), in: tx)
        }
    }

    public func transition(requestID: String, expectedRevision: Int?, event: WorkflowEvent, at: Date,
                           acknowledgement: AcknowledgementRecord?, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await transaction { tx in
            let (request, draft) = try StoreRules.moved(try StoreWrites.lockedRequest(requestID, in: tx), id: requestID,
                                                        expectedRevision: expectedRevision, event: event, at: at, audit: audit)
            try tx.write([.update(request)] + (acknowledgement.map { [RowWrite.insert($0)] } ?? []))
            try StoreWrites.append(draft, in: tx)
            return request
        }
    }

    public func addVerdict(_ verdict: VerdictRecord, audit: AuditDraft) async throws(StoreError) -> UseRequestRecord {
        try await transaction { tx in
            // The request row's lock makes verdicts on one request take turns, so each sees the others.
            let stored = try StoreWrites.lockedRequest(verdict.requestID, in: tx)
            let latest = try tx.first(DecisionRecord.self, where: [.equal("requestID", verdict.requestID)], orderBy: [.writtenDescending])
                .map { (request: $0.requestDigest, policy: $0.policyDigest) }
            let current = try tx.fetch(VerdictRecord.self, where: [
                .equal("requestID", verdict.requestID), .equal("requestDigest", verdict.requestDigest),
                .equal("policyDigest", verdict.policyDigest),
            ], orderBy: [.written])
            let (request, draft) = try StoreRules.afterVerdict(verdict, stored: stored, latestDigests: latest, given: current, audit: audit)
            try tx.write([.insert(verdict), .update(request)])
            try StoreWrites.append(draft, in: tx)
            return request
        }
    }

    public func flagForReview(requestID: String, reason: String, job: RetriageJob?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            let flagged = try tx.update(.useRequest, set: [.set("review", .text(reason))],
                                        where: [.equal("id", requestID), Condition("review", .distinct, .text(reason))])
            guard flagged > 0 else { return false }
            if let job {
                try StoreWrites.changeJob(job, in: tx) { stored in
                    if !stored.flagged.contains(requestID) { stored.flagged.append(requestID) }
                }
            }
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    // MARK: Re-triage jobs

    public func claimRetriageJob(owner: String, at: Date, leaseUntil: Date) async throws(StoreError) -> RetriageJob? {
        try await transaction { tx in
            // Skipping locked rows: an instance claiming at the same moment takes another job, or none.
            guard var job = try tx.first(RetriageJob.self, where: [
                Condition("state", .notEqual, .text(RetriageJob.State.done.rawValue)), Condition("leaseUntil", .nullOrLess, .date(at)),
            ], orderBy: [.ascending("createdAt"), .ascending("studioID"), .ascending("number")], lock: .skipLocked) else {
                return nil
            }
            job.owner = owner
            job.leaseUntil = leaseUntil
            job.state = .running
            try tx.write([.update(job)])
            return job
        }
    }

    public func renewRetriageLease(studioID: String, number: Int, owner: String, at: Date, until: Date) async throws(StoreError) -> Bool {
        try await transaction { tx in
            try tx.update(.retriageJob, set: [.set("leaseUntil", .date(until))], where: StoreWrites.ownedJob(studioID, number, owner)) > 0
        }
    }

    public func setAsideRetriage(_ job: RetriageJob, requestID: String) async throws(StoreError) {
        try await transaction { tx in
            try StoreWrites.changeJob(job, in: tx) { stored in
                if !stored.setAside.contains(requestID) { stored.setAside.append(requestID) }
            }
        }
    }

    public func finishRetriageJob(_ job: RetriageJob, owner: String, at: Date) async throws(StoreError) -> Bool {
        try await transaction { tx in
            try tx.update(.retriageJob, set: [.set("state", .text(RetriageJob.State.done.rawValue)), .set("finishedAt", .date(at)),
                                              .set("leaseUntil", .null)],
                          where: StoreWrites.ownedJob(job.studioID, job.number, owner)) > 0
        }
    }

    // MARK: Obligations

    public func recordObligationMet(_ met: ObligationMet, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard try tx.count(.obligationMet, where: [.equal("requestID", met.requestID), .equal("obligationID", met.obligationID)]) == 0 else {
                return false
            }
            try tx.write([.insert(met)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    // MARK: Comments and coverage extensions

    public func addComment(_ comment: CommentRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(comment, audit: audit, in: self)
    }

    public func addCoverageExtension(_ extension: CoverageExtension, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(`extension`, audit: audit, in: self)
    }

    public func decideCoverageExtension(id: String, confirmed: Bool, by userID: String, at: Date,
                                        audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            let decided = try tx.update(.coverageExtension, set: [
                .set("confirmed", .bool(confirmed)), .set("decidedBy", .text(userID)), .set("decidedAt", .date(at)),
            ], where: [.equal("id", id), .isNull("confirmed")])
            guard decided > 0 else { return false }
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    // MARK: Webhooks

    public func addWebhook(_ endpoint: WebhookEndpoint, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(endpoint, audit: audit, in: self)
    }

    public func deleteWebhook(studioID: String, id: String, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard try tx.count(.webhookEndpoint, where: [.equal("id", id), .equal("studioID", studioID)]) > 0 else { return false }
            try tx.delete(.webhookDelivery, where: [.equal("endpointID", id)])
            try tx.delete(.webhookEndpoint, where: [.equal("id", id)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func claimDueDeliveries(at: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [(WebhookDelivery, WebhookEndpoint)] {
        let claimed: [Claimed] = try await transaction { tx in
            // Skipping locked rows: those another instance is claiming right now are left to it.
            let due = try tx.fetch(WebhookDelivery.self, where: [
                .equal("status", DeliveryStatus.pending.rawValue), Condition("nextAttemptAt", .lessOrEqual, .date(at)),
            ], orderBy: [.ascending("createdAt"), .ascending("id")], limit: limit, lock: .skipLocked)
            var claimed: [Claimed] = []
            for var delivery in due {
                delivery.nextAttemptAt = leaseUntil
                try tx.write([.update(delivery)])
                if let endpoint = try tx.first(WebhookEndpoint.self, where: [.equal("id", delivery.endpointID)]) {
                    claimed.append(Claimed(delivery: delivery, endpoint: endpoint))
                }
            }
            return claimed
        }
        return claimed.map { ($0.delivery, $0.endpoint) }
    }

    public func recordAttempt(_ attempt: DeliveryAttempt, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            guard let delivery = try tx.first(WebhookDelivery.self, where: [.equal("id", attempt.deliveryID)], lock: .update) else { return }
            try tx.write([.update(StoreRules.afterAttempt(delivery, attempt))])
            try StoreWrites.append(audit, in: tx)
        }
    }

    // MARK: Consents and scans

    public func createConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) {
        try await transaction { tx in
            guard try tx.count(.consent, where: [.equal("id", consent.id)]) == 0 else {
                throw StoreError.conflict("the id '\(consent.id)' is taken; choose another")
            }
            try tx.insert(consent)
            try StoreWrites.append(audit, in: tx)
        }
    }

    public func correctConsent(_ consent: ConsentRecord, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard let stored = try tx.first(ConsentRecord.self, where: [.equal("id", consent.id)], lock: .update),
                  stored.revokedAt == nil else { return false }
            try tx.write([.update(StoreRules.corrected(stored, with: consent))])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func revokeConsent(id: String, at: Date, reason: String?, audit: AuditDraft) async throws(StoreError) -> Bool {
        try await transaction { tx in
            guard var consent = try tx.first(ConsentRecord.self, where: [.equal("id", id)], lock: .update),
                  consent.revokedAt == nil else { return false }
            consent.revokedAt = at
            consent.revokedReason = reason
            try tx.write([.update(consent)])
            try StoreWrites.append(audit, in: tx)
            return true
        }
    }

    public func addScan(_ scan: ScanRecord, audit: AuditDraft) async throws(StoreError) {
        try await StoreWrites.insert(scan, audit: audit, in: self)
    }
}

/// A claimed delivery with its endpoint, as the claim's transaction returns it.
struct Claimed: Sendable {
    var delivery: WebhookDelivery
    var endpoint: WebhookEndpoint
}

/// The steps the writes share.
public enum StoreWrites {
    /// Appends an audit event after its chain's head and queues the webhook deliveries it raises,
    /// in the caller's transaction. The head row's lock puts appends to one chain in line, across
    /// instances; appends to different chains never wait for each other. The endpoints are read
    /// before the lock, so it is held for as little as possible.
    public static func append(_ draft: AuditDraft, in tx: any WriteTransaction) throws {
        var endpoints: [WebhookEndpoint] = []
        if let studio = draft.studioID, !StoreRules.raisedEvents(draft).isEmpty {
            endpoints = try tx.fetch(WebhookEndpoint.self, where: [.equal("studioID", studio)])
        }
        let chain = AuditChain.chain(for: draft.studioID)
        var locked = try tx.lockedChainHead(chain)
        if locked == nil {
            // A chain's first append creates its head, after the old single chain's head.
            let legacy = try tx.first(AuditChainHead.self, where: [.equal("chain", AuditChain.legacy)])?.hash ?? AuditChain.zeroHash
            try tx.write([.insertIfAbsent(AuditChainHead.empty(chain, anchor: legacy))])
            locked = try tx.lockedChainHead(chain)
        }
        guard let (head, seq) = locked else { throw StoreError.database("the audit chain head of \(chain) is missing") }
        let event = AuditChain.seal(draft, after: head, seq: seq)
        var moved = head
        moved.position = event.position
        moved.hash = event.hash
        let deliveries = StoreRules.deliveries(for: draft, event: event, endpoints: endpoints)
        try tx.write([.insert(event), .update(moved)] + deliveries.map(RowWrite.insert))
    }

    /// One new row and its audit event.
    static func insert(_ record: any StoredRecord, audit: AuditDraft, in store: some TransactionalStore) async throws(StoreError) {
        try await write(.insert(record), audit: audit, in: store)
    }

    static func write(_ row: RowWrite, audit: AuditDraft, in store: some TransactionalStore) async throws(StoreError) {
        try await store.transaction { tx in
            try tx.write([row])
            try append(audit, in: tx)
        }
    }

    /// Deletes rows and records it; false, with no event, when there was nothing to delete.
    static func delete(_ table: StoreTable, where conditions: [Condition], audit: AuditDraft,
                       in store: some TransactionalStore) async throws(StoreError) -> Bool {
        try await store.transaction { tx in
            guard try tx.delete(table, where: conditions) > 0 else { return false }
            try append(audit, in: tx)
            return true
        }
    }

    static func requireNewEmail(_ email: String, in tx: any WriteTransaction) throws {
        if try tx.count(.user, where: [.equal("email", email)]) > 0 {
            throw StoreError.conflict("a user with email \(email) already exists")
        }
    }

    /// A request's changes to its production's dashboard tallies.
    static func retally(from old: UseRequestRecord?, to new: UseRequestRecord) -> [RowWrite] {
        DashboardTally.changes(from: old, to: new).map(RowWrite.add)
    }

    /// The request's row, locked until the transaction ends.
    static func lockedRequest(_ id: String, in tx: any WriteTransaction) throws -> UseRequestRecord? {
        try tx.first(UseRequestRecord.self, where: [.equal("id", id)], lock: .update)
    }

    /// A request that is still open (submitted, socialized, escalated, revised).
    static var isOpen: Condition {
        Condition("state", .among, .texts(RequestState.allCases.filter(\.isOpen).map(\.rawValue)))
    }

    static func ownedJob(_ studioID: String, _ number: Int, _ owner: String) -> [Condition] {
        [.equal("studioID", studioID), .equal("number", number), .equal("owner", owner),
         Condition("state", .notEqual, .text(RetriageJob.State.done.rawValue))]
    }

    /// Changes a re-triage job's row under its lock.
    static func changeJob(_ job: RetriageJob, in tx: any WriteTransaction, _ change: (inout RetriageJob) -> Void) throws {
        guard var stored = try tx.first(RetriageJob.self, where: [.equal("studioID", job.studioID), .equal("number", job.number)],
                                        lock: .update) else { return }
        let before = stored
        change(&stored)
        if stored != before { try tx.write([.update(stored)]) }
    }
}
