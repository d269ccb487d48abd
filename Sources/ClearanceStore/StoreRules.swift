public import ClearanceCore
public import Foundation

/// The checks and state changes every store makes inside its write transactions, as pure
/// functions: a backend reads the rows, asks these what to write (or which conflict to report),
/// and writes. SQLite and PostgreSQL then cannot disagree about the rules, only about storage.
public enum StoreRules {
    /// A decision made under a policy version that is no longer current would go stale at once;
    /// the caller triages again.
    public static func requireCurrentPolicy(_ decision: DecisionRecord, current: Int) throws(StoreError) {
        guard decision.policyNumber == current else {
            throw .conflict("the studio published policy version \(current) while this request was being triaged; send it again")
        }
    }

    /// A revision must follow the stored one, in a state that takes revisions.
    public static func checkRevision(stored: UseRequestRecord?, id: String, number: Int) throws(StoreError) {
        guard let stored else { throw .conflict("request \(id) does not exist") }
        guard stored.revision == number - 1 else {
            throw .conflict("request \(id) is at revision \(stored.revision), not \(number - 1)")
        }
        do throws(WorkflowError) {
            _ = try Workflow.next(stored.state, on: .revise)
        } catch {
            throw .conflict(error.description)
        }
    }

    /// The state a re-triage moves a request to, or the reason it keeps its decision. `carried`
    /// are the verdicts the new decision keeps (their areas' findings did not change): when they
    /// already settle every area it requires, the request moves on as if they were given now.
    public static func stateAfterRetriage(stored: UseRequestRecord?, id: String, decision: DecisionRecord,
                                          newestPolicy: Int, required: [Area] = [],
                                          carried: [VerdictRecord] = []) throws(StoreError) -> RequestState {
        guard let stored else { throw .conflict("request \(id) does not exist") }
        guard stored.revision == decision.revision else {
            throw .conflict("request \(id) is at revision \(stored.revision), not \(decision.revision)")
        }
        // Only requests still waiting on triage's answer follow it; approved, withdrawn and
        // changes-requested ones keep their decision (approved ones get the review flag instead).
        guard stored.state == .socialized || stored.state == .escalated else {
            throw .conflict("request \(id) is \(stored.state.rawValue) and keeps its decision")
        }
        // One decision per request per version: a re-triage that is run again (say, after a
        // restart) finds the request already decided.
        guard decision.policyNumber > newestPolicy else {
            throw .conflict("request \(id) already has a decision under policy version \(newestPolicy)")
        }
        do throws(WorkflowError) {
            var state = try Workflow.next(stored.state, on: .triaged(decision.outcome))
            if state == .escalated, !carried.isEmpty {
                if let event = approvalEvent(required: required, verdicts: carried, on: decision.createdAt) {
                    state = try Workflow.next(state, on: event)
                }
            }
            return state
        } catch {
            throw .conflict(error.description)
        }
    }

    /// A consent with its terms corrected: what was recorded about its making (id, studio, who
    /// recorded it and when) and its revocation stay as stored.
    public static func corrected(_ stored: ConsentRecord, with terms: ConsentRecord) -> ConsentRecord {
        var consent = terms
        consent.id = stored.id
        consent.studioID = stored.studioID
        consent.createdBy = stored.createdBy
        consent.createdAt = stored.createdAt
        consent.revokedAt = stored.revokedAt
        consent.revokedReason = stored.revokedReason
        return consent
    }

    /// The request after a workflow move, and the audit event that records it (with the new
    /// state, which webhooks read): a store writes both and decides neither.
    public static func moved(_ stored: UseRequestRecord?, id: String, expectedRevision: Int?, event: WorkflowEvent,
                             at: Date, audit: AuditDraft) throws(StoreError) -> (request: UseRequestRecord, audit: AuditDraft) {
        guard var request = stored else { throw .conflict("request \(id) does not exist") }
        if let expectedRevision, request.revision != expectedRevision {
            throw .conflict("the request was revised (now revision \(request.revision)); look at the new revision first")
        }
        do throws(WorkflowError) {
            request.state = try Workflow.next(request.state, on: event)
        } catch {
            throw .conflict(error.description)
        }
        request.updatedAt = at
        return (request, withState(audit, request.state))
    }

    /// The request after a verdict, given the latest decision's digests and the verdicts already
    /// given for them. A rejection or a request for changes acts at once; approval needs every
    /// required area, and an approval past its expiry date no longer counts. With it, the audit
    /// event that records the verdict and the state it left.
    public static func afterVerdict(_ verdict: VerdictRecord, stored: UseRequestRecord?,
                                    latestDigests: (request: String, policy: String)?,
                                    given current: [VerdictRecord],
                                    audit: AuditDraft) throws(StoreError) -> (request: UseRequestRecord, audit: AuditDraft) {
        guard var request = stored else { throw .conflict("request \(verdict.requestID) does not exist") }
        guard request.revision == verdict.revision else {
            throw .conflict("the request was revised (now revision \(request.revision)); review the new revision")
        }
        guard request.state == .escalated else {
            throw .conflict("a request that is \(request.state.rawValue) takes no verdicts; verdicts are for escalated requests")
        }
        // The verdict must be for the decision that stands now, not one a new policy replaced.
        guard let latestDigests, latestDigests.request == verdict.requestDigest, latestDigests.policy == verdict.policyDigest else {
            throw .conflict("the request was triaged again since you loaded it; review its current decision")
        }
        guard request.areas.contains(verdict.area) else {
            throw .conflict("the current decision no longer needs a \(verdict.area.rawValue) verdict")
        }
        if let existing = current.first(where: { $0.area == verdict.area }) {
            throw .conflict("the \(verdict.area.rawValue) area already gave its verdict (\(existing.verdict.rawValue)) on this revision")
        }
        if let event = approvalEvent(required: request.areas, verdicts: current + [verdict], on: verdict.createdAt) {
            do throws(WorkflowError) {
                request.state = try Workflow.next(request.state, on: event)
            } catch {
                throw .conflict(error.description)
            }
        }
        request.updatedAt = verdict.createdAt
        return (request, withState(audit, request.state))
    }

    /// The move the verdicts that count make, as of `time`: an approval past its expiry date no
    /// longer counts. The same tally for a new verdict and for verdicts a re-triage kept.
    static func approvalEvent(required: [Area], verdicts: [VerdictRecord], on time: Date) -> WorkflowEvent? {
        var tally: [Area: VerdictKind] = [:]
        let today = Timestamps.day(time)
        for given in verdicts where !(given.verdict.approves && (given.expiresOn ?? "9999-12-31") < today) {
            tally[given.area] = given.verdict
        }
        return ApprovalTally.event(required: required, verdicts: tally)
    }

    /// A re-triage's audit event: with the new state when kept verdicts settled the request
    /// (approved, rejected or sent back), so webhooks raise that too.
    public static func retriageAudit(_ draft: AuditDraft, state: RequestState) -> AuditDraft {
        state == .approved || state == .rejected || state == .changesRequested ? withState(draft, state) : draft
    }

    /// The audit draft with the request's new state added to its details (webhooks read it).
    public static func withState(_ draft: AuditDraft, _ state: RequestState) -> AuditDraft {
        var draft = draft
        if case .object(var members) = draft.details {
            members.append(.init("state", .string(state.rawValue)))
            draft.details = .object(members)
        }
        return draft
    }

    /// The webhook events an audited change raises (by its action, and the new state it records).
    public static func raisedEvents(_ draft: AuditDraft) -> [WebhookEvent] {
        guard draft.studioID != nil else { return [] }
        var newState: String?
        if case .object(let members) = draft.details, case .string(let state)? = members.first(where: { $0.key == "state" })?.value {
            newState = state
        }
        return WebhookEvent.raised(byAction: draft.action, newState: newState)
    }

    /// The outbox rows an audited change puts in its own transaction: one per endpoint of the
    /// studio subscribed to an event the change raises.
    public static func deliveries(for draft: AuditDraft, event: AuditEvent, endpoints: [WebhookEndpoint],
                                  now: Date = Date()) -> [WebhookDelivery] {
        guard let studio = draft.studioID else { return [] }
        let raised = raisedEvents(draft)
        guard !raised.isEmpty else { return [] }
        var deliveries: [WebhookDelivery] = []
        for endpoint in endpoints where endpoint.studioID == studio {
            // A test goes to the one endpoint it tests (the event's subject), subscribed or not.
            for kind in raised where kind == .webhookTest ? endpoint.id == draft.subject : endpoint.events.contains(kind) {
                let id = RandomID.make("d-")
                let body = Webhook.body(format: endpoint.format, deliveryID: id, event: kind, at: event.at, actor: event.actor,
                                        studio: studio, production: event.productionID, subject: event.subject,
                                        details: draft.details, auditSeq: Int(event.seq))
                deliveries.append(WebhookDelivery(
                    id: id, endpointID: endpoint.id, studioID: studio, event: kind, body: body, status: .pending, attempts: 0,
                    nextAttemptAt: Date(timeIntervalSince1970: 0), lastStatusCode: nil, lastError: nil, createdAt: now, deliveredAt: nil))
            }
        }
        return deliveries
    }

    /// A delivery after one attempt: delivered, pending until its retry, or failed.
    public static func afterAttempt(_ delivery: WebhookDelivery, _ attempt: DeliveryAttempt) -> WebhookDelivery {
        var delivery = delivery
        delivery.attempts += 1
        delivery.lastStatusCode = attempt.statusCode
        delivery.lastError = attempt.error
        if attempt.delivered {
            delivery.status = .delivered
            delivery.deliveredAt = attempt.at
        } else if let retryAt = attempt.retryAt {
            delivery.nextAttemptAt = retryAt
        } else {
            delivery.status = .failed
        }
        return delivery
    }
}
