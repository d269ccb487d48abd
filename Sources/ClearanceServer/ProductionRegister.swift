public import ClearanceStore
public import ClearanceCore
public import Foundation

/// A production's GenAI register (service.md): every use, its current decision, the verdicts and
/// conditions that count, the consents it names and where it stands. Delivery attaches it, so
/// uses that end up in final deliverables are marked.
public struct ProductionRegister: Sendable {
    public var production: ProductionRecord
    public var generatedAt: Date
    public var entries: [Entry]

    /// One use in the register.
    public struct Entry: Sendable {
        public var request: UseRequestRecord
        public var department: String
        public var purpose: String
        public var destination: String
        public var finalDeliverable: Bool
        /// approved, approved-with-conditions, expired, not-required (socialized uses) or the state.
        public var approval: String
        public var verdicts: [VerdictRecord]
        public var consents: [(id: String, status: String)]
        public var requestDigest: String
        public var policyDigest: String
        /// When the current revision was triaged.
        /// The asset references the counting verdicts name, each once, in the order given: what
        /// the approvals cover in the deliverables.
        public var assets: [String] {
            var seen: [String] = []
            for reference in verdicts.flatMap(\.assets) where !seen.contains(reference) { seen.append(reference) }
            return seen
        }

        public var triagedAt: Date?
    }

    /// Builds the register from the store, judging expiry against `today` (`YYYY-MM-DD`); with
    /// `state`, only the uses in that state.
    public static func build(production: ProductionRecord, store: any Store, now: Date,
                             state: RequestState? = nil) async throws -> ProductionRegister {
        let today = Timestamps.day(now)
        var requests: [UseRequestRecord] = []
        var after: String?
        repeat {
            let page = try await store.requests(RequestQuery(productionID: production.id, state: state, after: after, limit: 200))
            requests += page
            after = page.count == 200 ? page.last?.id : nil
        } while after != nil
        var entries: [Entry] = []
        for request in requests.reversed() {
            let decision = try await store.decisions(requestID: request.id).last
            let document = try await store.revisions(requestID: request.id).last.flatMap { JSONValue.parse($0.document) }
            let verdicts = try await store.verdicts(requestID: request.id).filter { !$0.isStale(against: decision) }
            var consents: [(id: String, status: String)] = []
            for (performer, use, id) in Self.talent(document) {
                let entry = UseRequest.TalentEntry(performer: performer, use: TalentUse(rawValue: use) ?? .replica, consent: id)
                let problem = try await store.consent(id: id).map { $0.problem(for: entry, production: production.id, today: today) }
                    ?? "not recorded for this production"
                consents.append((id, problem ?? "valid"))
            }
            let destination = Self.text(document, "output", "destination") ?? "internal"
            entries.append(Entry(
                request: request, department: Self.text(document, "department") ?? "", purpose: Self.text(document, "purpose") ?? "",
                destination: destination, finalDeliverable: destination == "final",
                approval: Self.approval(request, verdicts: verdicts, today: today), verdicts: verdicts, consents: consents,
                requestDigest: decision?.requestDigest ?? "", policyDigest: decision?.policyDigest ?? "",
                triagedAt: decision?.createdAt))
        }
        return ProductionRegister(production: production, generatedAt: now, entries: entries)
    }

    /// What a report counts the request as: an approval past its expiry date counts as expired.
    static func approval(_ request: UseRequestRecord, verdicts: [VerdictRecord], today: String) -> String {
        switch request.state {
        case .approved:
            if verdicts.contains(where: { ($0.expiresOn ?? "9999-12-31") < today }) { return "expired" }
            return verdicts.contains { $0.verdict == .approvedWithConditions } ? "approved-with-conditions" : "approved"
        case .socialized, .acknowledged:
            return "not-required"
        default:
            return request.state.rawValue
        }
    }

    static func member(_ value: JSONValue?, _ key: String) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    static func text(_ document: JSONValue?, _ keys: String...) -> String? {
        var value = document
        for key in keys { value = member(value, key) }
        if case .string(let text) = value { return text }
        return nil
    }

    static func talent(_ document: JSONValue?) -> [(String, String, String)] {
        guard case .array(let entries) = member(document, "talent") else { return [] }
        return entries.compactMap { entry in
            guard case .string(let performer) = member(entry, "performer"), case .string(let use) = member(entry, "use"),
                  case .string(let consent) = member(entry, "consent"), consent != "none" else { return nil }
            return (performer, use, consent)
        }
    }

    // MARK: Formats

    /// The register as JSON.
    public var json: JSONValue {
        .object([
            .init("production", .string(production.id)), .init("studio", .string(production.studioID)),
            .init("title", .string(production.title)), .init("generated-at", .time(generatedAt)),
            .init("uses", .array(entries.map { entry in
                .object([
                    .init("id", .string(entry.request.id)), .init("title", .string(entry.request.title)),
                    .init("department", .string(entry.department)), .init("purpose", .string(entry.purpose)),
                    .init("destination", .string(entry.destination)), .init("final-deliverable", .bool(entry.finalDeliverable)),
                    .init("state", .string(entry.request.state.rawValue)), .init("outcome", .string(entry.request.outcome.rawValue)),
                    .init("areas", .array(entry.request.areas.map { .string($0.rawValue) })),
                    .init("approval", .string(entry.approval)),
                    .init("verdicts", .array(entry.verdicts.map { $0.json(stale: false) })),
                    .init("conditions", .array(entry.verdicts.flatMap(\.conditions).map { .string($0) })),
                    .init("assets", .array(entry.assets.map { .string($0) })),
                    .init("consents", .array(entry.consents.map { .object([.init("id", .string($0.id)), .init("status", .string($0.status))]) })),
                    .init("review", .text(entry.request.review)), .init("revision", .number(entry.request.revision)),
                    .init("request-digest", .string(entry.requestDigest)), .init("policy-digest", .string(entry.policyDigest)),
                    .init("updated-at", .time(entry.request.updatedAt)),
                ])
            })),
        ])
    }

    static let csvHeader = ["id", "title", "department", "purpose", "destination", "final-deliverable", "state", "outcome",
                            "areas", "approval", "verdicts", "conditions", "assets", "consents", "review", "revision",
                            "request-digest", "policy-digest", "updated-at"]

    /// The register as CSV (RFC 4180), one use per row; lists are joined with "; ".
    public var csv: String {
        var lines = [Self.csvHeader.joined(separator: ",")]
        for entry in entries {
            let fields = [
                entry.request.id, entry.request.title, entry.department, entry.purpose, entry.destination,
                entry.finalDeliverable ? "yes" : "no", entry.request.state.rawValue, entry.request.outcome.rawValue,
                entry.request.areas.map(\.rawValue).joined(separator: "; "), entry.approval,
                entry.verdicts.map { "\($0.area.rawValue): \($0.verdict.rawValue)" + ($0.expiresOn.map { " until \($0)" } ?? "") }
                    .joined(separator: "; "),
                entry.verdicts.flatMap(\.conditions).joined(separator: "; "),
                entry.assets.joined(separator: "; "),
                entry.consents.map { "\($0.id): \($0.status)" }.joined(separator: "; "),
                entry.request.review ?? "", String(entry.request.revision), entry.requestDigest, entry.policyDigest,
                Timestamps.string(entry.request.updatedAt),
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV cell: quoted when needed, and prefixed with an apostrophe when a spreadsheet would run it as a formula.
    public static func csvField(_ raw: String) -> String {
        // A cell a spreadsheet would run as a formula is prefixed with an apostrophe.
        let text = raw.first.map { "=+-@\t\r".contains($0) } == true ? "'" + raw : raw
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
