/// Where a use request stands (service.md, "How a request moves").
public enum RequestState: String, Sendable, Hashable, Codable, CaseIterable {
    case submitted, socialized, acknowledged, escalated, approved, rejected
    case changesRequested = "changes-requested"
    case revised, withdrawn

    /// Open requests can still be revised or withdrawn.
    public var isOpen: Bool { Workflow.moves[self]?[.withdraw] != nil }
}

/// Something that moves a request from one state to another.
public enum WorkflowEvent: String, Sendable, Hashable, CaseIterable {
    /// The engine decided `socialize`.
    case triagedSocialize = "triage-socialize"
    /// The engine decided `escalate` or `approval-required`: approvers must act.
    case triagedEscalate = "triage-escalate"
    case acknowledge
    /// Every required area has approved.
    case approve
    /// An area rejected.
    case reject
    /// An area asked for changes.
    case requestChanges = "request-changes"
    case revise
    case withdraw

    /// The triage event for a decision's outcome.
    public static func triaged(_ outcome: Outcome) -> WorkflowEvent {
        outcome == .socialize ? .triagedSocialize : .triagedEscalate
    }
}

/// The request workflow as one table: every legal move, and nothing else.
public enum Workflow {
    /// From each state, the events it accepts and where each leads. Triage also runs again on
    /// socialized and escalated requests when a new policy version is published.
    public static let moves: [RequestState: [WorkflowEvent: RequestState]] = [
        .submitted: [.triagedSocialize: .socialized, .triagedEscalate: .escalated, .withdraw: .withdrawn],
        .revised: [.triagedSocialize: .socialized, .triagedEscalate: .escalated, .withdraw: .withdrawn],
        .socialized: [.triagedSocialize: .socialized, .triagedEscalate: .escalated, .acknowledge: .acknowledged,
                      .revise: .revised, .withdraw: .withdrawn],
        .escalated: [.triagedSocialize: .socialized, .triagedEscalate: .escalated, .approve: .approved, .reject: .rejected,
                     .requestChanges: .changesRequested, .revise: .revised, .withdraw: .withdrawn],
        .changesRequested: [.revise: .revised, .withdraw: .withdrawn],
        .acknowledged: [:],
        .approved: [:],
        .rejected: [:],
        .withdrawn: [:],
    ]

    /// The state an event leads to, or why it is not allowed.
    public static func next(_ state: RequestState, on event: WorkflowEvent) throws(WorkflowError) -> RequestState {
        guard let next = moves[state]?[event] else { throw WorkflowError(state: state, event: event) }
        return next
    }

    /// The events a state accepts, in a stable order.
    public static func allowed(from state: RequestState) -> [WorkflowEvent] {
        WorkflowEvent.allCases.filter { moves[state]?[$0] != nil }
    }
}

/// An event the current state does not accept.
public struct WorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    public var state: RequestState
    public var event: WorkflowEvent

    public init(state: RequestState, event: WorkflowEvent) {
        self.state = state
        self.event = event
    }

    public var description: String {
        let allowed = Workflow.allowed(from: state).map(\.rawValue)
        return "a request that is \(state.rawValue) cannot \(event.rawValue); "
            + (allowed.isEmpty ? "nothing more can happen to it" : "allowed from here: " + allowed.joined(separator: ", "))
    }
}

/// An approver's verdict for one area.
public enum VerdictKind: String, Sendable, Hashable, Codable, CaseIterable {
    case approved
    case approvedWithConditions = "approved-with-conditions"
    case changesRequested = "changes-requested"
    case rejected

    public var approves: Bool { self == .approved || self == .approvedWithConditions }
}

/// What the verdicts given so far mean for an escalated request.
public enum ApprovalTally {
    /// The event the current verdicts (one per area, for the current digests) call for, if any:
    /// a rejection or a request for changes acts at once; approval needs every required area.
    public static func event(required: [Area], verdicts: [Area: VerdictKind]) -> WorkflowEvent? {
        if verdicts.values.contains(.rejected) { return .reject }
        if verdicts.values.contains(.changesRequested) { return .requestChanges }
        if !required.isEmpty, required.allSatisfy({ verdicts[$0]?.approves == true }) { return .approve }
        return nil
    }
}
