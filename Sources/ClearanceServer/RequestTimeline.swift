internal import ClearanceStore
internal import Foundation

/// A request's history, oldest first, as the API's `…/history` and the request page show it.
/// Within the same instant, a revision comes before the decision made for it, and both before
/// the verdicts given on it; verdicts for older digests are marked stale.
enum TimelineEntry {
    case revision(RevisionRecord)
    case decision(DecisionRecord)
    case verdict(VerdictRecord, stale: Bool)
    case acknowledgement(AcknowledgementRecord)
    case comment(CommentRecord)

    static func ordered(revisions: [RevisionRecord], decisions: [DecisionRecord], verdicts: [VerdictRecord],
                        acknowledgements: [AcknowledgementRecord], comments: [CommentRecord] = []) -> [TimelineEntry] {
        var entries: [(at: Date, revision: Int, order: Int, entry: TimelineEntry)] = []
        entries += revisions.map { ($0.createdAt, $0.number, 0, .revision($0)) }
        entries += decisions.map { ($0.createdAt, $0.revision, 1, .decision($0)) }
        entries += verdicts.map { ($0.createdAt, $0.revision, 2, .verdict($0, stale: $0.isStale(against: decisions.last))) }
        entries += acknowledgements.map { ($0.createdAt, $0.revision, 3, .acknowledgement($0)) }
        entries += comments.map { ($0.createdAt, $0.revision, 4, .comment($0)) }
        return entries.enumerated().sorted { lhs, rhs in
            (lhs.element.at, lhs.element.revision, lhs.element.order, lhs.offset)
                < (rhs.element.at, rhs.element.revision, rhs.element.order, rhs.offset)
        }.map(\.element.entry)
    }
}
