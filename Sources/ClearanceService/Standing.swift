public import ClearanceCore
public import ClearanceStore

/// Where a request stands for the crew now: may they go ahead, on what conditions, or why not.
/// The request page's banner says this; it follows the workflow's state and the verdicts that
/// count, not only the first triage.
public enum Standing: Sendable, Equatable {
    /// Triaged as socialize: go ahead; the studio contact is told and acknowledges.
    case toldContact
    /// The studio contact acknowledged it.
    case acknowledged
    /// Approval is outstanding from these areas: do not start.
    case awaitingApproval(waitingOn: [Area])
    /// Every area approved; the conditions (empty when none) bind the use.
    case goAhead(conditions: [String])
    /// An approval's end date has passed.
    case expired
    /// An approver asked for changes; their notes.
    case changesRequested(notes: [String])
    /// An approver refused; their notes.
    case rejected(notes: [String])
    case withdrawn
    /// Filed, not yet triaged (a moment's state).
    case submitted

    /// May the crew start the work?
    public var mayProceed: Bool {
        switch self {
        case .toldContact, .acknowledged, .goAhead: true
        case .awaitingApproval, .expired, .changesRequested, .rejected, .withdrawn, .submitted: false
        }
    }

    /// The standing of a request from its record and the verdicts that count for its current
    /// revision, as of `today` (YYYY-MM-DD).
    public static func of(_ request: UseRequestRecord, current verdicts: [VerdictRecord], today: String) -> Standing {
        let notes = { (kind: VerdictKind) in verdicts.filter { $0.verdict == kind }.compactMap(\.note) }
        switch request.state {
        case .submitted, .revised: return .submitted
        case .socialized: return .toldContact
        case .acknowledged: return .acknowledged
        case .escalated:
            let answered = Set(verdicts.map(\.area))
            return .awaitingApproval(waitingOn: request.areas.filter { !answered.contains($0) })
        case .approved:
            if verdicts.contains(where: { ($0.expiresOn ?? "9999-12-31") < today }) { return .expired }
            return .goAhead(conditions: verdicts.flatMap(\.conditions))
        case .changesRequested: return .changesRequested(notes: notes(.changesRequested))
        case .rejected: return .rejected(notes: notes(.rejected))
        case .withdrawn: return .withdrawn
        }
    }
}
