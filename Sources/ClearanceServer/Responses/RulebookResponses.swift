internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// One overlay as a studio (or one of its productions) has it: what it is, when it is in force,
/// and whether it is switched on.
struct OverlayResponse: Encodable, Sendable {
    var id: String
    var title: String
    var version: String
    var digest: String
    var source: String?
    var scope: String?
    var builtIn: Bool
    var effectiveFrom: String?
    var effectiveUntil: String?
    /// Why it is not in force today, or nil when it is.
    var notInForce: String?
    /// On for the studio, or for the production asked about (its setting wins).
    var enabled: Bool
    /// Whose setting decides: `studio`, `production`, or `default` (as shipped).
    var setBy: String
    var rules: Int
    /// For a custom overlay, its current published version number.
    var number: Int?

    enum CodingKeys: String, CodingKey {
        case id, title, version, digest, source, scope, builtIn = "built-in", effectiveFrom = "effective-from"
        case effectiveUntil = "effective-until", notInForce = "not-in-force", enabled, setBy = "set-by", rules, number
    }

    init(_ view: Rulebooks.OverlayView, today: Day) {
        id = view.overlay.id
        title = view.overlay.title
        version = view.overlay.version
        digest = view.overlay.digest
        source = view.overlay.source
        scope = view.overlay.scope
        builtIn = view.builtIn
        effectiveFrom = view.overlay.effective.from?.description
        effectiveUntil = view.overlay.effective.until?.description
        notInForce = view.notInForce(on: today)
        enabled = view.enabled
        setBy = view.decidedBy.rawValue
        rules = view.overlay.rules.count
        number = view.published?.number
    }
}

/// A production's disclosure plan: every obligation of every use, with the open ones that must be
/// done before final-cut material goes out flagged.
struct DisclosurePlanResponse: Encodable, Sendable {
    var production: String
    var generatedAt: Date
    var items: [Item]

    struct Item: Encodable, Sendable {
        var request: String
        var title: String
        var finalDeliverable: Bool
        var flagged: Bool
        var obligation: ObligationResponse

        enum CodingKeys: String, CodingKey {
            case request, title, finalDeliverable = "final-deliverable", flagged, obligation
        }
    }

    enum CodingKeys: String, CodingKey {
        case production, generatedAt = "generated-at", items
    }

    init(_ plan: DisclosurePlan) {
        production = plan.production.id
        generatedAt = plan.generatedAt
        items = plan.items.map { item in
            Item(request: item.request.id, title: item.request.title, finalDeliverable: item.finalDeliverable, flagged: item.flagged,
                 obligation: ObligationResponse(item.line))
        }
    }
}
