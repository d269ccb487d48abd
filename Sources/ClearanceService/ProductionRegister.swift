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
        /// What the current decision obliges, open or met.
        public var obligations: [ObligationLine] = []
        /// Each step's tool: its id, and the name and vendor the registry or the request gives.
        public var tools: [(id: String, name: String?, vendor: String?)] = []
        /// The requester's name (or email), and each counting verdict's approver, by id.
        public var people: [String: String] = [:]

        /// Open obligations due before release or where the audience meets the material, on a
        /// use in the final deliverables: what must be done before delivery.
        public var flaggedObligations: [ObligationLine] { finalDeliverable ? obligations.filter(\.blocksRelease) : [] }

        public init(request: UseRequestRecord, department: String, purpose: String, destination: String, finalDeliverable: Bool,
                    approval: String, verdicts: [VerdictRecord], consents: [(id: String, status: String)], requestDigest: String,
                    policyDigest: String, triagedAt: Date?) {
            self.request = request
            self.department = department
            self.purpose = purpose
            self.destination = destination
            self.finalDeliverable = finalDeliverable
            self.approval = approval
            self.verdicts = verdicts
            self.consents = consents
            self.requestDigest = requestDigest
            self.policyDigest = policyDigest
            self.triagedAt = triagedAt
        }
    }

    /// Builds the register from the store, judging expiry against `today` (`YYYY-MM-DD`); with
    /// `state`, only the uses in that state.
    public static func build(production: ProductionRecord, store: any Store, now: Date,
                             state: RequestState? = nil) async throws -> ProductionRegister {
        var entries: [Entry] = []
        for try await page in pages(production: production, store: store, now: now, state: state) { entries += page }
        return ProductionRegister(production: production, generatedAt: now, entries: entries)
    }

    /// How many uses each read of the register covers.
    public static let pageSize = 500

    /// The register's entries in filing order, a page at a time: each page is a few set-based
    /// reads, so a report can be written out as it is read, whatever the production's size.
    public static func pages(production: ProductionRecord, store: any Store, now: Date, state: RequestState? = nil,
                             pageSize: Int = pageSize) -> AsyncThrowingStream<[Entry], any Error> {
        produced { yield in
            let today = Timestamps.day(now)
            let consents = Dictionary(try await store.consents(productionID: production.id).map { ($0.id, $0) },
                                      uniquingKeysWith: { first, _ in first })
            let met = Dictionary(grouping: try await store.obligationsMet(productionID: production.id), by: \.requestID)
            var tools: [String: ToolRecord] = [:]
            for tool in try await store.tools(studioID: production.studioID) {
                if let record = ToolRecord.stored(tool.record) { tools[tool.id] = record }
            }
            var people: [String: String] = [:]
            var after: String?
            repeat {
                let rows = try await store.registerPage(productionID: production.id, state: state, after: after, limit: pageSize)
                var page = rows.map { entry($0, production: production.id, consents: consents, today: today) }
                for index in page.indices {
                    let row = rows[index]
                    page[index].obligations = Obligations.lines(decisions: [row.decision.flatMap { JSONValue.parse($0.decisionJSON) }],
                                                                met: met[row.request.id] ?? [])
                    page[index].tools = steps(row.document.flatMap(JSONValue.parse)).map { id, inline in
                        let record = inline ?? tools[id]
                        return (id, record?.name, record?.vendor)
                    }
                    for id in [row.request.requesterID] + page[index].verdicts.map(\.approverID) {
                        if people[id] == nil { people[id] = try await store.user(id: id).map { $0.name.isEmpty ? $0.email : $0.name } ?? id }
                        page[index].people[id] = people[id]
                    }
                }
                yield(page)
                after = rows.count == pageSize ? rows.last?.request.id : nil
            } while after != nil && !Task.isCancelled
        }
    }

    /// One use as the register shows it: what counts of its verdicts and consents today.
    static func entry(_ row: RegisterRow, production: String, consents: [String: ConsentRecord], today: String) -> Entry {
        let document = row.document.flatMap(JSONValue.parse)
        let verdicts = row.verdicts.filter { !$0.isStale(against: row.decision) }
        let named = talent(document).map { performer, use, id in
            let entry = UseRequest.TalentEntry(performer: performer, use: TalentUse(rawValue: use) ?? .replica, consent: id)
            let problem = consents[id].map { $0.problem(for: entry, production: production, today: today) } ?? "not recorded for this production"
            return (id: id, status: problem ?? "valid")
        }
        let destination = text(document, "output", "destination") ?? "internal"
        return Entry(request: row.request, department: text(document, "department") ?? "", purpose: text(document, "purpose") ?? "",
                     destination: destination, finalDeliverable: destination == "final",
                     approval: approval(row.request, verdicts: verdicts, today: today), verdicts: verdicts, consents: named,
                     requestDigest: row.decision?.requestDigest ?? "", policyDigest: row.decision?.policyDigest ?? "",
                     triagedAt: row.decision?.createdAt)
    }

    /// What a report counts the request as: an approval past its expiry date counts as expired.
    public static func approval(_ request: UseRequestRecord, verdicts: [VerdictRecord], today: String) -> String {
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

    public static func member(_ value: JSONValue?, _ key: String) -> JSONValue? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    static func text(_ document: JSONValue?, _ keys: String...) -> String? {
        var value = document
        for key in keys { value = member(value, key) }
        if case .string(let text) = value { return text }
        return nil
    }

    /// Each step's tool id, with the record when the request writes it inline.
    static func steps(_ document: JSONValue?) -> [(String, ToolRecord?)] {
        guard case .array(let steps) = member(document, "steps") else { return [] }
        return steps.compactMap { step in
            switch member(step, "tool") {
            case .string(let id): return (id, nil)
            case .some(let inline):
                guard let record = ToolRecord.stored(inline.rendered) else { return nil }
                return (record.id, record)
            case .none: return nil
            }
        }
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
        get throws { try JSONValueEncoder().encode(RegisterResponse(production: production, generatedAt: generatedAt, entries: entries)) }
    }

    static let csvHeader = ["id", "title", "department", "purpose", "destination", "final-deliverable", "state", "outcome",
                            "areas", "approval", "verdicts", "conditions", "assets", "consents", "review", "revision",
                            "request-digest", "policy-digest", "updated-at", "tools", "requester", "approvers", "rejection-reason",
                            "obligations", "open-obligations-flagged"]

    /// The register as CSV (RFC 4180), one use per row; lists are joined with "; ".
    public var csv: String {
        ([Self.csvHeader.joined(separator: ",")] + entries.map(Self.csvRow)).map { $0 + "\r\n" }.joined()
    }

    /// One use as a CSV row, without its line end.
    static func csvRow(_ entry: Entry) -> String {
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
        ] + rulebookFields(entry)
        return fields.map(csvField).joined(separator: ",")
    }

    /// The columns the rulebooks added: tools and vendors, the people, the rejection reason and the obligations.
    static func rulebookFields(_ entry: Entry) -> [String] {
        let tools: [String] = entry.tools.map { tool in
            let named = tool.name ?? tool.id
            guard let vendor = tool.vendor else { return named }
            return named + " (" + vendor + ")"
        }
        let approvers: [String] = entry.verdicts.map { verdict in
            let who = entry.people[verdict.approverID] ?? verdict.approverID
            return verdict.area.rawValue + ": " + who + ", " + Timestamps.day(verdict.createdAt)
        }
        let rejections: [String] = entry.verdicts.filter { $0.verdict == .rejected }.map { $0.note ?? "no reason given" }
        let obligations: [String] = entry.obligations.map { line in
            line.obligation.id + " (" + line.obligation.kind.rawValue + ", " + line.obligation.due.rawValue + "): " + line.state.rawValue
        }
        let flagged: [String] = entry.flaggedObligations.map(\.obligation.id)
        return [tools.joined(separator: "; "), entry.people[entry.request.requesterID] ?? entry.request.requesterID,
                approvers.joined(separator: "; "), rejections.joined(separator: "; "), obligations.joined(separator: "; "),
                flagged.joined(separator: "; ")]
    }

    public enum Format: Sendable {
        /// JSON, ending with a line end.
        case json
        /// CSV (RFC 4180).
        case csv
    }

    /// The register written out a page of uses at a time: the pieces, in order, add up to
    /// `json.rendered` and a line end, or to `csv`, while no more than a page is held at once.
    public static func text(production: ProductionRecord, store: any Store, now: Date, format: Format,
                            pageSize: Int = pageSize) -> AsyncThrowingStream<String, any Error> {
        produced { yield in
            switch format {
            case .json:
                // The heading with an empty list, less the list's closing "]}".
                let encoder = JSONValueEncoder()
                let empty = try encoder.encode(RegisterResponse(production: production, generatedAt: now, entries: [])).rendered
                yield(String(empty.dropLast(2)))
                var first = true
                for try await page in pages(production: production, store: store, now: now, pageSize: pageSize) where !page.isEmpty {
                    yield((first ? "" : ",") + (try page.map { try encoder.encode(RegisterUseResponse($0)).rendered }).joined(separator: ","))
                    first = false
                }
                yield("]}\n")
            case .csv:
                yield(csvHeader.joined(separator: ",") + "\r\n")
                for try await page in pages(production: production, store: store, now: now, pageSize: pageSize) {
                    yield(page.map { csvRow($0) + "\r\n" }.joined())
                }
            }
        }
    }

    /// One CSV cell: quoted when needed, and prefixed with an apostrophe when a spreadsheet would run it as a formula.
    public static func csvField(_ raw: String) -> String {
        // A cell a spreadsheet would run as a formula is prefixed with an apostrophe.
        let text = raw.first.map { "=+-@\t\r".contains($0) } == true ? "'" + raw : raw
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
