public import ClearanceCore
public import ClearanceStore
public import Foundation
internal import Metrics

/// What a triage decides with: a studio's policy version, its engine and its tool registry.
public struct TriageInputs: Sendable {
    public var stamp: PolicyVersionStamp
    /// The studio rulebook with every overlay considered: the built-ins and the studio's own.
    public var engine: PolicyEngine
    public var tools: ToolRegistry
    /// Which overlays the studio or a production switched off.
    public var overlays: StudioOverlays

    public var policy: Policy { engine.policy }

    public init(stamp: PolicyVersionStamp, engine: PolicyEngine, tools: ToolRegistry, overlays: StudioOverlays = .none) {
        self.stamp = stamp
        self.engine = engine
        self.tools = tools
        self.overlays = overlays
    }
}

/// Triage as the service runs it, for filing, revising and re-triaging alike: a request decided
/// under a studio's policy version, the records that keep the decision, and the review of
/// approved requests a new version would decide differently.
public enum Triage {
    /// Decides a request, checking the consents it names against the production's records as of `today`.
    /// `record` is the production when the caller has it already read (it saves a read per filing).
    public static func decide(_ document: UseRequest, _ inputs: TriageInputs, production: String?, store: any Store,
                              today: String, record: ProductionRecord? = nil) async throws -> Decision {
        var consents: [String: ConsentRecord] = [:]
        var territories: [Territory]?
        if let production, let found = try await (record?.id == production ? record : store.production(id: production)) {
            territories = found.territories.compactMap(Territory.init(rawValue:))
        }
        if production != nil {
            for id in Set(document.talent.compactMap(\.consent)) {
                if let consent = try await store.consent(id: id) { consents[id] = consent }
            }
        }
        let check: ConsentCheck = { [consents] entry in
            guard let id = entry.consent else { return nil }
            guard let production else { return "consent '\(id)' cannot be checked without a production" }
            guard let consent = consents[id] else { return "consent '\(id)' is not recorded for this production" }
            return consent.problem(for: entry, production: production, today: today)
        }
        // Only a record of this production's register speaks for a use's consent terms; a consent of
        // another production (or studio) is not this request's to read, and counts as not in the register.
        let terms: ConsentTerms = { [consents] entry in
            guard let production, let id = entry.consent, let consent = consents[id], consent.productions.contains(production) else {
                return nil
            }
            return consent.terms(today: today)
        }
        let context = RulebookContext(today: Day(today) ?? Timestamps.calendarDay(Date()), territories: territories,
                                      territoriesFrom: .production, disabled: inputs.overlays.switchedOff(production: production))
        let decision = inputs.engine.decide(document, tools: inputs.tools, consentCheck: check, consentTerms: terms, context: context)
        Counter(label: "clearance_decisions_total", dimensions: [("outcome", decision.outcome.rawValue)]).increment()
        return decision
    }

    /// A new or revised request moves to socialized when every answer is a confident yes, else to escalated.
    public static func state(after decision: Decision) -> RequestState {
        (try? Workflow.next(.submitted, on: .triaged(decision.outcome))) ?? .submitted
    }

    public static func records(id: String, number: Int, document: UseRequest, decision: Decision, policy: PolicyVersionStamp,
                               author: String, at time: Date) -> (RevisionRecord, DecisionRecord) {
        let revision = RevisionRecord(requestID: id, number: number, document: document.canonicalJSON,
                                      requestDigest: decision.requestDigest, authorID: author, createdAt: time)
        let stored = DecisionRecord(requestID: id, revision: number, policyNumber: policy.number, policyDigest: decision.policy.digest,
                                    requestDigest: decision.requestDigest, outcome: decision.outcome,
                                    decisionJSON: decision.json.rendered, createdAt: time)
        return (revision, stored)
    }

    public static func auditDetails(_ revision: RevisionRecord, _ decision: Decision, _ policy: PolicyVersionStamp) -> JSONValue {
        .object([
            .init("revision", .number(revision.number)), .init("request-digest", .string(revision.requestDigest)),
            .init("policy-version", .number(policy.number)), .init("policy-digest", .string(decision.policy.digest)),
            .init("outcome", .string(decision.outcome.rawValue)),
        ])
    }

    /// Re-triages one open request under a new version, as `actor`: its current revision gets a new
    /// decision, and the job (if any) counts it in the same transaction. The verdicts given for the
    /// decision it replaces stay in force for each area whose findings the new decision leaves as
    /// they were (`DecisionChange`), carried to the new decision; the others go stale. False when
    /// the request keeps its decision: its document no longer reads under the new policy (say, an
    /// answer for a principle the policy dropped), it was revised or decided meanwhile, or its
    /// state is one a re-triage leaves alone.
    public static func retriage(_ current: UseRequestRecord, under inputs: TriageInputs, job: RetriageJob?, actor: String,
                                store: any Store, at time: Date) async throws -> Bool {
        let principles = Set(inputs.policy.principles.map(\.id))
        guard let revision = try await store.revisions(requestID: current.id).last,
              let document = try? UseRequest.parse(revision.document, file: current.id, principles: principles) else {
            return false
        }
        let decision = try await decide(document, inputs, production: current.productionID, store: store, today: Timestamps.day(time))
        var record = current
        record.state = state(after: decision)
        record.outcome = decision.outcome
        record.areas = decision.areas
        record.updatedAt = time
        let (_, stored) = records(id: record.id, number: record.revision, document: document, decision: decision,
                                  policy: inputs.stamp, author: actor, at: time)
        let previous = try await store.decisions(requestID: current.id).last
        let given = try await store.verdicts(requestID: current.id).filter { !$0.isStale(against: previous) }
        let changed = DecisionChange.changedAreas(from: DecisionChange.keys(ofStored: previous.flatMap { JSONValue.parse($0.decisionJSON) }),
                                                  to: DecisionChange.keys(of: decision))
        let carried = given.filter { !changed.contains($0.area) && decision.areas.contains($0.area) }
            .map { $0.carried(to: stored, id: RandomID.make("v-"), at: time) }
        let stale = given.filter { verdict in !carried.contains { $0.carriedFrom == (verdict.carriedFrom ?? verdict.id) } }
        var details = auditDetails(revision, decision, inputs.stamp)
        if case .object(var members) = details, !given.isEmpty {
            members.append(.init("kept-verdicts", .array(carried.map { .string($0.area.rawValue) })))
            members.append(.init("stale-verdicts", .array(stale.map { .string($0.area.rawValue) })))
            details = .object(members)
        }
        let draft = AuditDraft(at: Timestamps.string(time), actor: actor, action: "request.retriaged", studioID: current.studioID,
                               productionID: current.productionID, subject: current.id, details: details)
        // Caught into a Result: a `catch StoreError.conflict` pattern here crashes the 6.3 compiler.
        let result: Result<Void, StoreError>
        do {
            try await store.recordDecision(record, decision: stored, carried: carried, job: job, audit: draft)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success: return true
        case .failure(.conflict): return false
        case .failure(let error): throw error
        }
    }

    /// Why an approved request needs another look under new inputs, or nil when the new version
    /// decides it as before (same outcome, same rules fired).
    public static func reviewReason(_ approved: UseRequestRecord, under inputs: TriageInputs, store: any Store,
                                    today: String) async throws -> String? {
        let principles = Set(inputs.policy.principles.map(\.id))
        guard let revision = try await store.revisions(requestID: approved.id).last,
              let previous = try await store.decisions(requestID: approved.id).last else { return nil }
        let number = inputs.stamp.number
        guard let document = try? UseRequest.parse(revision.document, file: approved.id, principles: principles) else {
            return "review: policy changed (version \(number) cannot read this request)"
        }
        let decision = try await decide(document, inputs, production: approved.productionID, store: store, today: today)
        let changed = DecisionChange.changedAreas(from: DecisionChange.keys(ofStored: JSONValue.parse(previous.decisionJSON)),
                                                  to: DecisionChange.keys(of: decision))
        guard decision.outcome != previous.outcome || !changed.isEmpty else { return nil }
        return "review: policy changed (version \(number) decides \(decision.outcome.rawValue)"
            + (decision.areas.isEmpty ? "" : " for \(decision.areas.map(\.rawValue).joined(separator: ", "))") + ")"
    }
}
