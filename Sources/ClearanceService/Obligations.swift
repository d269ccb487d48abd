public import ClearanceCore
public import ClearanceStore
public import Foundation

/// Where an obligation of a use stands (rulebooks.md §4).
public enum ObligationState: String, Sendable, Hashable, Codable {
    /// The current decision lists it and nobody has shown it done.
    case open
    /// The coordinator recorded it as done, with evidence.
    case met
    /// An earlier decision listed it and the current one does not: kept in history.
    case notOwed = "not-owed"
}

/// One obligation of a request, where it stands, and its evidence once met.
public struct ObligationLine: Sendable, Hashable {
    public var obligation: Decision.Obligation
    public var state: ObligationState
    public var met: ObligationMet?

    /// Open and due where the audience meets the material or before release: what must be done
    /// before final-cut material goes out.
    public var blocksRelease: Bool { state == .open && obligation.due != .beforeUse }
}

/// What the fired rules of a request's decisions oblige, and recording them as met.
public struct Obligations: UseCases {
    public let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = now
    }

    var now: Date { clock() }

    /// Evidence that an obligation was met: a note or a link is required.
    public struct Evidence: Sendable {
        public var note: String?
        public var link: String?
        public var documentRef: String?

        public init(note: String?, link: String?, documentRef: String?) {
            self.note = note
            self.link = link
            self.documentRef = documentRef
        }
    }

    /// A request's obligations: the current decision's in its order, open or met, then those an
    /// earlier decision listed and the current one no longer does.
    /// `decisions` are the request's stored decisions, oldest first, when the caller has read them already.
    public func lines(of request: UseRequestRecord, decisions known: [DecisionRecord]? = nil) async throws -> [ObligationLine] {
        var decisions = known ?? []
        if known == nil { decisions = try await store.decisions(requestID: request.id) }
        let met = try await store.obligationsMet(requestID: request.id)
        return Self.lines(decisions: decisions.map { JSONValue.parse($0.decisionJSON) }, met: met)
    }

    /// The rule, given the stored decisions oldest first and the obligations recorded as met.
    public static func lines(decisions: [JSONValue?], met: [ObligationMet]) -> [ObligationLine] {
        let current = Decision.Obligation.listed(in: decisions.last ?? nil)
        let metByID = Dictionary(met.map { ($0.obligationID, $0) }, uniquingKeysWith: { first, _ in first })
        var lines = current.map { obligation in
            ObligationLine(obligation: obligation, state: metByID[obligation.id] == nil ? .open : .met, met: metByID[obligation.id])
        }
        var seen = Set(current.map(\.id))
        for decision in decisions.dropLast().reversed() {
            for obligation in Decision.Obligation.listed(in: decision) where seen.insert(obligation.id).inserted {
                lines.append(ObligationLine(obligation: obligation, state: .notOwed, met: metByID[obligation.id]))
            }
        }
        return lines
    }

    /// The production's disclosure plan, for anyone who can see the production.
    public func disclosurePlan(productionID: String, by caller: Caller) async throws -> DisclosurePlan {
        let production = try await visibleProduction(productionID, caller)
        return try await DisclosurePlan.build(production: production, store: store, now: now)
    }

    /// The production's coordinator records an obligation of a request as met. Audited; raises
    /// the webhook `obligation.met`. Only an obligation the current decision lists can be met.
    public func recordMet(requestID: String, obligationID: String, evidence: Evidence, by caller: Caller) async throws -> ObligationLine {
        let (request, production) = try await visibleRequest(requestID, caller)
        guard caller.canRecordObligations(in: production.id) else {
            throw ServiceError.forbidden("only the production's coordinator records an obligation as met")
        }
        let note = evidence.note?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        let link = evidence.link?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        let documentRef = evidence.documentRef?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        var issues: [ServiceError.FieldIssue] = []
        if note == nil && link == nil { issues.append(.init("/evidence", "say what was done: a note or a link is required")) }
        if let note, note.count > 4000 { issues.append(.init("/evidence/note", "the note is over 4000 characters")) }
        if let link {
            let lowered = link.lowercased()
            if !(lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) || link.count > 2000 || link.contains(" ") {
                issues.append(.init("/evidence/link", "'\(link.prefix(80))' is not a web link (https://…)"))
            }
        }
        if let documentRef, documentRef.count > 200 { issues.append(.init("/evidence/document-ref", "the document reference is over 200 characters")) }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }

        let lines = try await self.lines(of: request)
        guard let line = lines.first(where: { $0.obligation.id == obligationID }) else {
            throw ServiceError.invalid("/obligation", "request \(request.id) has no obligation '\(obligationID)'")
        }
        guard line.state == .open else {
            throw ServiceError.conflict(line.state == .met ? "obligation '\(obligationID)' is already recorded as met"
                                                           : "obligation '\(obligationID)' is no longer owed: the current decision does not list it")
        }
        let time = now
        let met = ObligationMet(requestID: request.id, obligationID: obligationID, studioID: request.studioID, productionID: production.id,
                                note: note, link: link, documentRef: documentRef, metBy: caller.user.id, metAt: time)
        var details: [JSONValue.Member] = [
            .init("obligation", .string(obligationID)), .init("kind", .string(line.obligation.kind.rawValue)),
            .init("due", .string(line.obligation.due.rawValue)),
        ]
        if let note { details.append(.init("note", .string(note))) }
        if let link { details.append(.init("link", .string(link))) }
        if let documentRef { details.append(.init("document-ref", .string(documentRef))) }
        let audit = AuditDraft(at: Timestamps.string(time), actor: caller.user.id, action: "obligation.met", studioID: request.studioID,
                               productionID: production.id, subject: request.id, details: .object(details))
        guard try await store.recordObligationMet(met, audit: audit) else {
            throw ServiceError.conflict("obligation '\(obligationID)' is already recorded as met")
        }
        return ObligationLine(obligation: line.obligation, state: .met, met: met)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
