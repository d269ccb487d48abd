public import ClearanceStore
public import Foundation

/// A production's disclosure plan (rulebooks.md §4): every obligation of every use, where it
/// stands and when it is due, with the open ones that must be done before final-cut material
/// goes out flagged. Read from the register, so it covers exactly the uses the register does.
public struct DisclosurePlan: Sendable {
    public var production: ProductionRecord
    public var generatedAt: Date
    public var items: [Item]

    /// One obligation of one use.
    public struct Item: Sendable {
        public var request: UseRequestRecord
        public var finalDeliverable: Bool
        public var line: ObligationLine
        /// Open, due before release or where the audience meets it, on final-cut material.
        public var flagged: Bool { finalDeliverable && line.blocksRelease }
    }

    public var flagged: [Item] { items.filter(\.flagged) }
    public var open: [Item] { items.filter { $0.line.state == .open } }

    public static func build(production: ProductionRecord, store: any Store, now: Date) async throws -> DisclosurePlan {
        var items: [Item] = []
        for try await page in ProductionRegister.pages(production: production, store: store, now: now) {
            for entry in page {
                items += entry.obligations.map { Item(request: entry.request, finalDeliverable: entry.finalDeliverable, line: $0) }
            }
        }
        return DisclosurePlan(production: production, generatedAt: now, items: items)
    }

    static let csvHeader = ["request", "title", "final-deliverable", "obligation", "rulebook", "kind", "due", "what", "cite", "status",
                            "flagged", "met-at", "met-by", "note", "link", "document-ref"]

    /// The plan as CSV (RFC 4180), one obligation per row.
    public var csv: String {
        let rows = items.map { item -> String in
            let met = item.line.met
            let fields = [
                item.request.id, item.request.title, item.finalDeliverable ? "yes" : "no", item.line.obligation.id,
                item.line.obligation.rulebook, item.line.obligation.kind.rawValue, item.line.obligation.due.rawValue,
                item.line.obligation.text, item.line.obligation.cite, item.line.state.rawValue, item.flagged ? "yes" : "no",
                met.map { Timestamps.string($0.metAt) } ?? "", met?.metBy ?? "", met?.note ?? "", met?.link ?? "", met?.documentRef ?? "",
            ]
            return fields.map(ProductionRegister.csvField).joined(separator: ",")
        }
        return ([Self.csvHeader.joined(separator: ",")] + rows).map { $0 + "\r\n" }.joined()
    }
}
