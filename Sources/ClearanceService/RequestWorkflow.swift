public import ClearanceCore
public import ClearanceStore
public import Foundation
internal import ClearanceProvenance

/// A request document as an edge received it: the API's body (JSON or YAML text), or the
/// intake form's fields already shaped into the request format.
public enum RequestDocument: Sendable {
    case text(String, file: String)
    case json(JSONValue)
}

/// One verdict as the approver gave it: the types are read, the rules are not yet checked.
public struct VerdictInput: Sendable {
    public var area: Area
    public var verdict: VerdictKind
    public var conditions: [String]
    public var note: String?
    /// YYYY-MM-DD.
    public var expiresOn: String?
    /// Asset references as written (path globs or `id:ASSET-ID`).
    public var assets: [String]

    public init(area: Area, verdict: VerdictKind, conditions: [String] = [], note: String? = nil, expiresOn: String? = nil,
                assets: [String] = []) {
        self.area = area
        self.verdict = verdict
        self.conditions = conditions
        self.note = note
        self.expiresOn = expiresOn
        self.assets = assets
    }

    /// Reads a verdict from a form's text fields (the web page's), naming each field that does not read.
    public static func read(area: String?, verdict: String?, conditions: [String], note: String?, expiresOn: String?,
                            assets: [String]) throws(ServiceError) -> VerdictInput {
        var issues: [ServiceError.FieldIssue] = []
        let chosenArea = area.flatMap(Area.init(rawValue:))
        if chosenArea == nil { issues.append(.init("/area", "choose the area this verdict is for")) }
        let chosen = verdict.flatMap(VerdictKind.init(rawValue:))
        if chosen == nil { issues.append(.init("/verdict", "choose a verdict")) }
        let expiry = expiresOn.flatMap { $0.isEmpty ? nil : $0 }
        if let expiry, !ToolRecord.isISODate(expiry) {
            issues.append(.init("/expires-on", "'\(expiry)' is not a date in the form YYYY-MM-DD"))
        }
        guard issues.isEmpty, let chosenArea, let chosen else { throw .invalid(issues) }
        return VerdictInput(area: chosenArea, verdict: chosen, conditions: conditions, note: note.flatMap { $0.isEmpty ? nil : $0 },
                            expiresOn: expiry, assets: assets)
    }
}

/// A request as its page and the API's `GET /requests/{id}` show it now.
public struct RequestView: Sendable {
    public var record: UseRequestRecord
    public var production: ProductionRecord
    public var revisions: [RevisionRecord]
    public var decisions: [DecisionRecord]
    public var verdicts: [VerdictRecord]
    public var acknowledgements: [AcknowledgementRecord]
    public var comments: [CommentRecord] = []

    /// The decision of the current revision under the policy it was last triaged with.
    public var decision: DecisionRecord? { decisions.last }
    public var revision: RevisionRecord? { revisions.last }
    /// The verdicts that count: those given for the current decision's digests.
    public var current: [VerdictRecord] { verdicts.filter { !$0.isStale(against: decision) } }
    /// Whether the caller filed the request or wrote any of its revisions.
    public func isAuthored(by caller: Caller) -> Bool {
        record.requesterID == caller.user.id || revisions.contains { $0.authorID == caller.user.id }
    }

    /// The moves the request's state allows.
    public var allowed: [WorkflowEvent] { Workflow.allowed(from: record.state) }
}

/// Filing, revising, withdrawing and acknowledging requests, and approvers' verdicts: every rule
/// of a request's workflow, written once for the API, the web pages and the CLI.
public struct RequestWorkflow: UseCases {
    public let store: any Store
    public let cache: PolicyCache
    let clock: @Sendable () -> Date

    public init(store: any Store, cache: PolicyCache, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.cache = cache
        self.clock = now
    }

    /// The longest note a withdrawal, acknowledgement or verdict may carry.
    public static let maximumNote = 4000
    /// The most asset references one approval may carry.
    public static let maximumAssets = 100

    var now: Date { clock() }

    // MARK: What the caller may see

    /// Everything on record about a request the caller can see.
    public func view(_ id: String, by caller: Caller) async throws -> RequestView {
        let (record, production) = try await visibleRequest(id, caller)
        return RequestView(record: record, production: production,
                           revisions: try await store.revisions(requestID: record.id),
                           decisions: try await store.decisions(requestID: record.id),
                           verdicts: try await store.verdicts(requestID: record.id),
                           acknowledgements: try await store.acknowledgements(requestID: record.id),
                           comments: try await store.comments(requestID: record.id))
    }


    /// Who may acknowledge a socialized request: the studio's contacts and admins, never its authors.
    public func mayAcknowledge(_ request: UseRequestRecord, by caller: Caller, authored: Bool) -> Bool {
        caller.canAcknowledge(in: request.studioID) && !authored
    }

    /// The areas a caller may give a verdict for on this request now: escalated, one of the
    /// request's areas, one of the approver's, and not yet answered for the current decision.
    public func openVerdictAreas(_ view: RequestView, by caller: Caller, authored: Bool) -> [Area] {
        guard let member = caller.studioRoles[view.record.studioID], member.role == .approver, !authored,
              view.record.state == .escalated else { return [] }
        let answered = Set(view.current.map(\.area))
        return view.record.areas.filter { member.areas.contains($0) && !answered.contains($0) }
    }

    // MARK: Triage

    /// What a triage reads about a studio: its current policy version and tools.
    public func triageInputs(studioID: String) async throws -> TriageInputs {
        let (stamp, engine) = try await cache.current(studioID: studioID, store: store)
        return try await cache.inputs(stamp: stamp, engine: engine, tools: try await cache.registry(studioID: studioID, store: store),
                                      studioID: studioID, store: store)
    }

    func parse(_ document: RequestDocument, policy: Policy, production: String?) throws -> UseRequest {
        let parsed: UseRequest
        let principles = Set(policy.principles.map(\.id))
        do {
            switch document {
            case .text(let text, let file): parsed = try UseRequest.parse(text, file: file, principles: principles)
            case .json(let value): parsed = try UseRequest.parse(value.rendered, file: "<form>", principles: principles)
            }
        } catch {
            throw ServiceError.document(error)
        }
        if let production, let named = parsed.production, named != production {
            throw ServiceError.invalid("/production", "the request names production '\(named)' but is filed under '\(production)'")
        }
        return parsed
    }

    func decide(_ document: UseRequest, _ inputs: TriageInputs, production: String?, record: ProductionRecord? = nil) async throws -> Decision {
        try await Triage.decide(document, inputs, production: production, store: store, today: Timestamps.day(now), record: record)
    }

    /// A decision with nothing stored: under a production's studio policy, or the default policy.
    public func preview(_ document: RequestDocument, production id: String?, by caller: Caller) async throws -> Decision {
        let inputs: TriageInputs
        if let id {
            inputs = try await triageInputs(studioID: try await visibleProduction(id, caller).studioID)
        } else {
            let engine = try cache.defaultPolicy()
            inputs = TriageInputs(stamp: PolicyVersionStamp(number: 0, digest: engine.policy.digest), engine: engine, tools: .empty)
        }
        return try await decide(try parse(document, policy: inputs.policy, production: id), inputs, production: id)
    }

    /// Reads a request document and decides it under the production's studio policy.
    func triage(_ document: RequestDocument, in production: ProductionContext) async throws -> (UseRequest, Decision, TriageInputs) {
        let studioID = production.production.studioID
        let inputs = try await cache.inputs(stamp: production.policy,
                                            engine: try await cache.policy(production.policy, studioID: studioID, store: store),
                                            tools: try cache.registry(production.tools, studioID: studioID), studioID: studioID, store: store)
        let parsed = try parse(document, policy: inputs.policy, production: production.production.id)
        // A described tool may not take a registered tool's id: its answers would stand in for the registry's.
        let shadowing = parsed.steps.enumerated().compactMap { index, step -> ServiceError.FieldIssue? in
            guard case .inline(let record) = step.tool, inputs.tools[record.id] != nil else { return nil }
            return .init("/steps/\(index)/tool/id", "'\(record.id)' is a registered tool; choose it from the list, or give the described tool another id")
        }
        guard shadowing.isEmpty else { throw ServiceError.invalid(shadowing) }
        return (parsed, try await decide(parsed, inputs, production: production.production.id, record: production.production), inputs)
    }

    // MARK: Filing and revising

    /// Files a request under a production: triage, then the request, its first revision and
    /// decision, and the audit event, in one write.
    public func file(_ document: RequestDocument, in id: String, by caller: Caller) async throws -> (UseRequestRecord, Decision) {
        // One read for the production, its studio's current policy version and its tools.
        guard let production = try await store.productionContext(id: id), caller.canSeeProduction(production.production) else {
            throw ServiceError.notFound("production '\(id)'")
        }
        guard caller.canFileRequests(in: id) else {
            throw ServiceError.forbidden("only the production's requesters and coordinator file requests")
        }
        guard !production.production.isArchived else {
            throw ServiceError.conflict("\(production.production.title) is archived and takes no new requests; ask a studio admin to restore it")
        }
        let (parsed, decision, inputs) = try await triage(document, in: production)
        let time = now
        let requestID = RandomID.make("r-")
        let record = UseRequestRecord(id: requestID, studioID: production.production.studioID, productionID: id,
                                      requesterID: caller.user.id, title: parsed.title, state: Triage.state(after: decision),
                                      revision: 1, outcome: decision.outcome, areas: decision.areas, createdAt: time, updatedAt: time)
        let (revision, stored) = Triage.records(id: requestID, number: 1, document: parsed, decision: decision,
                                              policy: inputs.stamp, author: caller.user.id, at: time)
        try await store.createRequest(record, revision: revision, decision: stored,
                                      audit: audit(caller, "request.submitted", record, at: time,
                                                   details: Triage.auditDetails(revision, decision, inputs.stamp)))
        return (record, decision)
    }

    /// Whether the caller may revise (and withdraw) this request now: its author or the
    /// production's coordinator, while the workflow allows it.
    public func mayRevise(_ request: UseRequestRecord, by caller: Caller) -> Bool {
        caller.canRevise(request) && Workflow.allowed(from: request.state).contains(.revise)
    }

    public func mayWithdraw(_ request: UseRequestRecord, by caller: Caller) -> Bool {
        caller.canRevise(request) && Workflow.allowed(from: request.state).contains(.withdraw)
    }

    /// A new revision: triaged afresh; every verdict given for the old one goes stale.
    public func revise(_ id: String, with document: RequestDocument, by caller: Caller) async throws -> (UseRequestRecord, Decision) {
        let (current, production) = try await visibleRequest(id, caller)
        guard caller.canRevise(current) else {
            throw ServiceError.forbidden("only the requester who filed it and the production's coordinator revise a request")
        }
        do {
            _ = try Workflow.next(current.state, on: .revise)
        } catch {
            throw ServiceError.conflict(error.description)
        }
        guard let context = try await store.productionContext(id: production.id) else {
            throw ServiceError.notFound("production '\(production.id)'")
        }
        let (parsed, decision, inputs) = try await triage(document, in: context)
        var record = current
        record.revision += 1
        record.title = parsed.title
        record.state = Triage.state(after: decision)
        record.outcome = decision.outcome
        record.areas = decision.areas
        record.updatedAt = now
        let (revision, stored) = Triage.records(id: record.id, number: record.revision, document: parsed, decision: decision,
                                              policy: inputs.stamp, author: caller.user.id, at: record.updatedAt)
        try await store.reviseRequest(record, revision: revision, decision: stored,
                                      audit: audit(caller, "request.revised", record, at: record.updatedAt,
                                                   details: Triage.auditDetails(revision, decision, inputs.stamp)))
        return (record, decision)
    }

    // MARK: The comment thread

    /// Who takes part in a request's comment thread: whoever filed or revised it, the
    /// production's coordinator, and the studio's approvers of the areas it needs.
    public func mayComment(_ view: RequestView, by caller: Caller) -> Bool {
        let request = view.record
        if view.isAuthored(by: caller) { return true }
        if caller.productionRole(request.productionID) == .coordinator { return true }
        guard let member = caller.studioRoles[request.studioID], member.role == .approver else { return false }
        return !Set(member.areas).isDisjoint(with: request.areas)
    }

    /// Adds a comment to the thread, kept with the request's history and in the audit chain.
    public func comment(on id: String, body: String, by caller: Caller) async throws -> CommentRecord {
        let view = try await view(id, by: caller)
        guard mayComment(view, by: caller) else {
            throw ServiceError.forbidden("the requester, the production's coordinator and the approvers of the request's areas comment on it")
        }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ServiceError.invalid("/body", "write something to post") }
        guard text.count <= Self.maximumNote else { throw ServiceError.invalid("/body", "a comment is at most \(Self.maximumNote) characters") }
        let time = now
        let comment = CommentRecord(id: RandomID.make("c-"), requestID: view.record.id, revision: view.record.revision,
                                    authorID: caller.user.id, body: text, createdAt: time)
        try await store.addComment(comment, audit: audit(caller, "request.commented", view.record, at: time, details: .object([
            .init("comment", .string(comment.id)), .init("revision", .number(comment.revision)), .init("body", .string(text)),
        ])))
        return comment
    }

    // MARK: Moves

    /// The requester or the production's coordinator withdraws an open request.
    public func withdraw(_ id: String, note: String?, by caller: Caller) async throws -> UseRequestRecord {
        let (current, _) = try await visibleRequest(id, caller)
        guard caller.canRevise(current) else {
            throw ServiceError.forbidden("only the requester who filed it and the production's coordinator withdraw a request")
        }
        let note = try Self.note(note)
        let time = now
        return try await store.transition(
            requestID: current.id, expectedRevision: nil, event: .withdraw, at: time, acknowledgement: nil,
            audit: audit(caller, "request.withdrawn", current, at: time,
                         details: .object([.init("from", .string(current.state.rawValue)), .init("note", .text(note))])))
    }

    /// A studio contact or admin acknowledges a socialized use.
    public func acknowledge(_ id: String, note: String?, by caller: Caller) async throws -> UseRequestRecord {
        let (current, _) = try await visibleRequest(id, caller)
        guard caller.canAcknowledge(in: current.studioID) else {
            throw ServiceError.forbidden("the studio's contacts (approvers marked as contacts; unless the studio chooses, those for legal and creative) and its admins acknowledge socialized uses")
        }
        guard try await !authored(current, by: caller) else {
            throw ServiceError.forbidden("no one acknowledges a request they filed or revised")
        }
        let note = try Self.note(note)
        let time = now
        let acknowledgement = AcknowledgementRecord(requestID: current.id, revision: current.revision, userID: caller.user.id,
                                                    note: note, createdAt: time)
        return try await store.transition(
            requestID: current.id, expectedRevision: current.revision, event: .acknowledge, at: time, acknowledgement: acknowledgement,
            audit: audit(caller, "request.acknowledged", current, at: time,
                         details: .object([.init("revision", .number(current.revision)), .init("note", .text(note))])))
    }

    /// An approver's verdict for one of their areas, bound to the current revision's digests.
    public func giveVerdict(on id: String, _ input: VerdictInput, by caller: Caller) async throws -> (UseRequestRecord, VerdictRecord) {
        let (current, _) = try await visibleRequest(id, caller)
        guard let member = caller.studioRoles[current.studioID], member.role == .approver else {
            throw ServiceError.forbidden("only the studio's approvers give verdicts")
        }
        guard try await !authored(current, by: caller) else {
            throw ServiceError.forbidden("no one approves their own request, nor one they revised")
        }
        var issues: [ServiceError.FieldIssue] = []
        if !member.areas.contains(input.area) {
            issues.append(.init("/area", "you approve for \(member.areas.map(\.rawValue).joined(separator: ", ")), not \(input.area.rawValue)"))
        }
        if !current.areas.contains(input.area) {
            issues.append(.init("/area", "this request needs verdicts from \(current.areas.map(\.rawValue).joined(separator: ", ")) only"))
        }
        if let expiresOn = input.expiresOn, expiresOn < Timestamps.day(now) {
            issues.append(.init("/expires-on", "\(expiresOn) is in the past"))
        }
        let approves = input.verdict == .approved || input.verdict == .approvedWithConditions
        if input.verdict == .approvedWithConditions && input.conditions.isEmpty {
            issues.append(.init("/conditions", "an approval with conditions lists at least one condition"))
        }
        if input.verdict != .approvedWithConditions, !input.conditions.isEmpty {
            issues.append(.init("/conditions", "only approved-with-conditions carries conditions"))
        }
        if !approves, !input.assets.isEmpty {
            issues.append(.init("/assets", "only an approval names the assets it covers"))
        }
        let (assets, assetIssues) = Self.assetReferences(input.assets)
        issues += assetIssues
        if let note = input.note, note.count > Self.maximumNote {
            issues.append(.init("/note", "a note is at most \(Self.maximumNote) characters"))
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        guard let decision = try await store.decisions(requestID: current.id).last else {
            throw StoreError.database("request \(current.id) has no decision")
        }
        let time = now
        let record = VerdictRecord(id: RandomID.make("v-"), requestID: current.id, revision: current.revision, area: input.area,
                                   approverID: caller.user.id, verdict: input.verdict, conditions: input.conditions, note: input.note,
                                   requestDigest: decision.requestDigest, policyDigest: decision.policyDigest,
                                   expiresOn: input.expiresOn, createdAt: time, assets: assets)
        let moved = try await store.addVerdict(record, audit: audit(
            caller, "request.verdict", current, at: time,
            details: .object([
                .init("area", .string(input.area.rawValue)), .init("verdict", .string(input.verdict.rawValue)),
                .init("conditions", .array(input.conditions.map { .string($0) })), .init("revision", .number(current.revision)),
                .init("request-digest", .string(record.requestDigest)), .init("policy-digest", .string(record.policyDigest)),
                .init("assets", .array(assets.map { .string($0) })),
            ])))
        return (moved, record)
    }

    /// The `assets` of a verdict, each in its normal form, duplicates dropped, and the problems,
    /// each naming the offending item. A nil item is one the edge could not read and has reported
    /// (the API reads the body's types first, and reports these with them in one answer).
    public static func assetReferences(_ texts: [String?]) -> (references: [String], issues: [ServiceError.FieldIssue]) {
        guard texts.count <= maximumAssets else {
            return ([], [.init("/assets", "an approval covers at most \(maximumAssets) asset references; this one lists \(texts.count)")])
        }
        var references: [String] = []
        var issues: [ServiceError.FieldIssue] = []
        for (index, text) in texts.enumerated() {
            guard let text else { continue }
            do throws(AssetReference.Problem) {
                let reference = try AssetReference(parsing: text).description
                if !references.contains(reference) { references.append(reference) }
            } catch {
                issues.append(.init("/assets/\(index)", error.description))
            }
        }
        return (references, issues)
    }

    static func note(_ text: String?) throws(ServiceError) -> String? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        guard text.count <= maximumNote else { throw .invalid("/note", "a note is at most \(maximumNote) characters") }
        return text
    }

    func audit(_ caller: Caller, _ action: String, _ request: UseRequestRecord, at time: Date, details: JSONValue) -> AuditDraft {
        AuditDraft(at: Timestamps.string(time), actor: caller.user.id, action: action, studioID: request.studioID,
                   productionID: request.productionID, subject: request.id, details: details)
    }
}
