public import ClearanceCore
public import ClearanceStore
public import Foundation

/// Running a studio: creating it and its productions, publishing its policy, keeping its tool
/// registry and its webhooks. Each change checks who may make it and is written with its audit
/// event; the API and the web pages both come here.
public struct StudioAdministration: UseCases {
    public let store: any Store
    let cache: PolicyCache
    let outbound: OutboundAddressPolicy
    let clock: @Sendable () -> Date

    public init(store: any Store, cache: PolicyCache, outbound: OutboundAddressPolicy, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.cache = cache
        self.outbound = outbound
        self.clock = now
    }

    var now: Date { clock() }

    // MARK: Studios and productions

    /// A site admin creates a studio on the default policy, with its first admin if one is named.
    public func createStudio(id: String, name rawName: String, adminEmail: String?, by caller: Caller) async throws -> StudioRecord {
        try requireSiteAdmin(caller, doing: "creates studios")
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues: [ServiceError.FieldIssue] = []
        if !UseRequest.isSlug(id) || id.count > 100 {
            issues.append(.init("/id", "'\(id)' is not a valid id: use lower-case letters, digits, '-', '_' or '.'"))
        }
        if name.isEmpty || name.count > 200 { issues.append(.init("/name", "a studio's name is 1 to 200 characters")) }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        var admin: UserRecord?
        if let adminEmail {
            guard let user = try await store.user(email: adminEmail.lowercased()) else {
                throw ServiceError.invalid("/admin", "no user has the email '\(adminEmail)'; a site admin creates users first")
            }
            admin = user
        }
        let policy = try Policy.loadDefault()
        let time = now
        let studio = StudioRecord(id: id, name: name, createdAt: time)
        let version = PolicyVersionRecord(studioID: id, number: 1, policyID: policy.id, policyVersion: policy.version,
                                          digest: policy.digest, text: Policy.defaultPolicyText, publishedBy: caller.user.id,
                                          publishedAt: time)
        try await store.createStudio(studio, policy: version, audit: draft(caller, "studio.created", studio: id, subject: id, at: time,
                                                                          details: .object([
                                                                              .init("name", .string(name)),
                                                                              .init("policy-digest", .string(policy.digest)),
                                                                          ])))
        if let admin {
            let member = StudioMember(studioID: id, userID: admin.id, role: .admin)
            try await store.setStudioMember(member, audit: draft(caller, "studio.member.set", studio: id, subject: admin.id, at: time,
                                                                 details: .object([.init("role", .string("admin"))])))
        }
        return studio
    }

    /// Every audit chain checked link by link, for a site admin: the chains span every studio.
    public func verifyAuditChains(by caller: Caller) async throws -> [(head: AuditChainHead, result: AuditVerification)] {
        guard caller.isSiteAdmin else {
            throw ServiceError.forbidden("only site admins verify the audit chain; studio admins read their studio's events")
        }
        return try await store.verifyAuditChains()
    }

    /// A site admin renames a studio.
    public func renameStudio(_ id: String, to rawName: String, by caller: Caller) async throws -> StudioRecord {
        try requireSiteAdmin(caller, doing: "renames studios")
        guard let studio = try await store.studio(id: id) else { throw ServiceError.notFound("studio '\(id)'") }
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw ServiceError.invalid("/name", "a studio's name is 1 to 200 characters") }
        guard name != studio.name else { return studio }
        let time = now
        _ = try await store.renameStudio(id: id, name: name, audit: draft(caller, "studio.renamed", studio: id, subject: id, at: time,
                                                                         details: .object([.init("from", .string(studio.name)),
                                                                                           .init("name", .string(name))])))
        return StudioRecord(id: studio.id, name: name, createdAt: studio.createdAt)
    }

    /// What a studio admin says about a production: everything but its id and studio.
    public struct ProductionDetails: Sendable, Hashable {
        public var title: String
        public var kind: ProductionKind?
        public var territories: [String]
        public var photographyStartsOn: String?
        public var deliveryOn: String?

        public init(title: String, kind: ProductionKind? = nil, territories: [String] = [], photographyStartsOn: String? = nil,
                    deliveryOn: String? = nil) {
            self.title = title
            self.kind = kind
            self.territories = territories
            self.photographyStartsOn = photographyStartsOn
            self.deliveryOn = deliveryOn
        }

        /// What is wrong with the details, each at its field.
        public var issues: [ServiceError.FieldIssue] {
            var issues: [ServiceError.FieldIssue] = []
            let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            if title.isEmpty || title.count > 200 { issues.append(.init("/title", "a production's title is 1 to 200 characters")) }
            for (index, code) in territories.enumerated() where Territory(rawValue: code) == nil {
                issues.append(.init("/territories/\(index)", "'\(code)' is not a territory code; use one of "
                                    + Territory.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            if Set(territories).count != territories.count { issues.append(.init("/territories", "a territory is listed twice")) }
            for (key, day) in [("photography-starts-on", photographyStartsOn), ("delivery-on", deliveryOn)] {
                if let day, !ToolRecord.isISODate(day) {
                    issues.append(.init("/" + key, "'\(day)' is not a date in the form YYYY-MM-DD"))
                }
            }
            if let start = photographyStartsOn, let delivery = deliveryOn, ToolRecord.isISODate(start), ToolRecord.isISODate(delivery),
               delivery < start {
                issues.append(.init("/delivery-on", "delivery (\(delivery)) comes before principal photography starts (\(start))"))
            }
            return issues
        }

        func applied(to production: ProductionRecord) -> ProductionRecord {
            var production = production
            production.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
            production.kind = kind
            production.territories = territories
            production.photographyStartsOn = photographyStartsOn
            production.deliveryOn = deliveryOn
            return production
        }

        var auditDetails: [JSONValue.Member] {
            var members: [JSONValue.Member] = [.init("title", .string(title.trimmingCharacters(in: .whitespacesAndNewlines)))]
            if let kind { members.append(.init("kind", .string(kind.rawValue))) }
            if !territories.isEmpty { members.append(.init("territories", .array(territories.map { .string($0) }))) }
            if let photographyStartsOn { members.append(.init("photography-starts-on", .string(photographyStartsOn))) }
            if let deliveryOn { members.append(.init("delivery-on", .string(deliveryOn))) }
            return members
        }
    }

    /// A studio admin creates a production.
    public func createProduction(id: String, title: String, in studioID: String, by caller: Caller) async throws -> ProductionRecord {
        try await createProduction(id: id, ProductionDetails(title: title), in: studioID, by: caller)
    }

    /// A studio admin creates a production with what is known of it.
    public func createProduction(id: String, _ details: ProductionDetails, in studioID: String, by caller: Caller) async throws -> ProductionRecord {
        let studio = try await administeredStudio(studioID, caller)
        var issues = details.issues
        if !UseRequest.isSlug(id) || id.count > 100 {
            issues.insert(.init("/id", "'\(id)' is not a valid id: use lower-case letters, digits, '-', '_' or '.'"), at: 0)
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let time = now
        let production = details.applied(to: ProductionRecord(id: id, studioID: studio.id, title: details.title, createdAt: time))
        try await store.createProduction(production, audit: draft(caller, "production.created", studio: studio.id, production: id,
                                                                  subject: id, at: time, details: .object(details.auditDetails)))
        return production
    }

    /// A studio admin changes a production's details.
    public func updateProduction(_ id: String, _ details: ProductionDetails, by caller: Caller) async throws -> ProductionRecord {
        let production = try await visibleProduction(id, caller)
        _ = try await administeredStudio(production.studioID, caller)
        let issues = details.issues
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let updated = details.applied(to: production)
        guard updated != production else { return production }
        guard try await store.updateProduction(updated, audit: draft(caller, "production.updated", studio: production.studioID,
                                                                     production: id, subject: id, at: now,
                                                                     details: .object(details.auditDetails))) else {
            throw ServiceError.notFound("production '\(id)'")
        }
        if updated.territories != production.territories {
            try await Rulebooks(store: store, cache: cache, now: clock).territoriesChanged(updated, by: caller)
        }
        return updated
    }

    /// A studio admin archives a production (it then takes no new requests) or brings it back.
    public func setArchived(_ archived: Bool, productionID id: String, by caller: Caller) async throws -> ProductionRecord {
        let production = try await visibleProduction(id, caller)
        _ = try await administeredStudio(production.studioID, caller)
        guard production.isArchived != archived else { return production }
        var updated = production
        let time = now
        updated.archivedAt = archived ? time : nil
        guard try await store.updateProduction(updated, audit: draft(caller, archived ? "production.archived" : "production.restored",
                                                                     studio: production.studioID, production: id, subject: id,
                                                                     at: time)) else {
            throw ServiceError.notFound("production '\(id)'")
        }
        return updated
    }


    // MARK: Policy

    /// What publishing did: a new version (its re-triage runs behind it), or nothing, because
    /// the text decides exactly as the current version does.
    public enum Publication: Sendable {
        case published(PolicyVersionRecord)
        case unchanged(PolicyVersionRecord)
    }

    /// Publishes a new version after it loads cleanly and passes its own embedded tests. The open
    /// requests are re-triaged in the background (`RetriageRunner`).
    public func publishPolicy(_ text: String, in studioID: String, by caller: Caller) async throws -> Publication {
        let studio = try await administeredStudio(studioID, caller)
        let (loaded, diagnostics) = Policy.examine(text, file: "\(studio.id) policy")
        guard let policy = loaded else { throw ServiceError.document(DocumentError(diagnostics)) }
        guard policy.kind == .studio else {
            throw ServiceError.document(DocumentError([Diagnostic(at: nil, path: FieldPath().appending("kind"),
                                                                  "this is an overlay; a studio's policy is a studio rulebook")]))
        }
        let failures = policy.runTests(today: Timestamps.calendarDay(now)).filter { !$0.passed }
        if !failures.isEmpty { throw PolicyTestFailures(results: failures, total: policy.tests.count) }
        guard let current = try await store.currentPolicy(studioID: studio.id) else {
            throw StoreError.database("studio \(studio.id) has no policy")
        }
        if current.digest == policy.digest { return .unchanged(current) }
        let time = now
        let version = PolicyVersionRecord(studioID: studio.id, number: current.number + 1, policyID: policy.id,
                                          policyVersion: policy.version, digest: policy.digest, text: text,
                                          publishedBy: caller.user.id, publishedAt: time)
        let job = RetriageJob(studioID: studio.id, number: version.number, publishedBy: caller.user.id, createdAt: time)
        try await store.publishPolicy(version, retriage: job, audit: draft(caller, "policy.published", studio: studio.id,
                                                                           subject: "\(studio.id)/policy", at: time, details: .object([
                                                                               .init("number", .number(version.number)),
                                                                               .init("digest", .string(policy.digest)),
                                                                               .init("version", .string(policy.version)),
                                                                           ])))
        _ = cache.remember(policy)
        return .published(version)
    }

    /// The studio's current policy version, for whoever may read its policy.
    public func currentPolicy(in studioID: String, by caller: Caller) async throws -> PolicyVersionRecord {
        let studio = try await readableStudio(studioID, caller)
        guard let current = try await store.currentPolicy(studioID: studio.id) else { throw ServiceError.notFound("policy") }
        return current
    }

    /// What publishing a draft would do, before it is published: its lint, its own tests, and for
    /// every open and approved request of the studio, the decision now and under the draft.
    public struct PolicyPreview: Sendable {
        public var diagnostics: [Diagnostic]
        /// The draft, when it loads.
        public var policy: Policy?
        public var testFailures: [PolicyTestResult]
        public var testCount: Int
        /// The draft decides exactly as the current version (the same digest).
        public var sameAsCurrent: Bool
        public var current: PolicyVersionRecord
        public var impacts: [Impact]

        /// Publishing would be refused: the draft does not load or fails its tests.
        public var publishable: Bool { policy != nil && testFailures.isEmpty }

        public struct Impact: Sendable {
            public var request: UseRequestRecord
            public var outcomeNow: Outcome
            public var areasNow: [Area]
            /// Nil when the draft cannot read the request (say, it dropped a principle the request answers).
            public var outcomeDraft: Outcome?
            public var areasDraft: [Area]
            /// The areas whose findings the draft changes (`DecisionChange`).
            public var changedAreas: Set<Area>
            /// The verdicts in force that the draft would set aside.
            public var staleVerdicts: [VerdictRecord]

            public var changes: Bool { outcomeDraft != outcomeNow || areasDraft != areasNow || !changedAreas.isEmpty || outcomeDraft == nil }
        }
    }

    /// Previews a draft policy for a studio admin. Nothing is stored.
    public func previewPolicy(_ text: String, in studioID: String, by caller: Caller) async throws -> PolicyPreview {
        let studio = try await administeredStudio(studioID, caller)
        guard let current = try await store.currentPolicy(studioID: studio.id) else { throw StoreError.database("studio \(studio.id) has no policy") }
        let (loaded, diagnostics) = Policy.examine(text, file: "draft")
        var preview = PolicyPreview(diagnostics: diagnostics, policy: loaded, testFailures: [], testCount: loaded?.tests.count ?? 0,
                                    sameAsCurrent: loaded?.digest == current.digest, current: current, impacts: [])
        guard let policy = loaded else { return preview }
        preview.testFailures = policy.runTests(today: Timestamps.calendarDay(now)).filter { !$0.passed }
        let inputs = try await cache.inputs(stamp: PolicyVersionStamp(number: current.number + 1, digest: policy.digest),
                                            engine: PolicyCache.engine(for: policy),
                                            tools: try await cache.registry(studioID: studio.id, store: store), studioID: studio.id, store: store,
                                            stored: false)
        let principles = Set(policy.principles.map(\.id))
        let today = Timestamps.day(now)
        var requests = try await store.openRequests(studioID: studio.id)
        var after: String?
        repeat {
            let page = try await store.requests(RequestQuery(studioID: studio.id, state: .approved, after: after, limit: 200))
            requests += page
            after = page.count == 200 ? page.last?.id : nil
        } while after != nil
        for request in requests.sorted(by: { $0.createdAt < $1.createdAt }) {
            let previous = try await store.decisions(requestID: request.id).last
            let given = try await store.verdicts(requestID: request.id).filter { !$0.isStale(against: previous) }
            var impact = PolicyPreview.Impact(request: request, outcomeNow: request.outcome, areasNow: request.areas, outcomeDraft: nil,
                                              areasDraft: [], changedAreas: Set(request.areas), staleVerdicts: given)
            if let revision = try await store.revisions(requestID: request.id).last,
               let document = try? UseRequest.parse(revision.document, file: request.id, principles: principles) {
                let decision = try await Triage.decide(document, inputs, production: request.productionID, store: store, today: today)
                let changed = DecisionChange.changedAreas(from: DecisionChange.keys(ofStored: previous.flatMap { JSONValue.parse($0.decisionJSON) }),
                                                          to: DecisionChange.keys(of: decision))
                impact.outcomeDraft = decision.outcome
                impact.areasDraft = decision.areas
                impact.changedAreas = changed
                impact.staleVerdicts = given.filter { changed.contains($0.area) || !decision.areas.contains($0.area) }
            }
            preview.impacts.append(impact)
        }
        return preview
    }

    /// How far the re-triage under a published version has got.
    public struct RetriageProgress: Sendable {
        public var job: RetriageJob
        /// Open requests still to re-triage.
        public var remaining: Int
        /// Set aside as unreadable or left alone, or revised or withdrawn meanwhile.
        public var skipped: Int { job.skipped(remaining: remaining) }
    }

    public func retriageProgress(studioID: String, number: Int) async throws -> RetriageProgress? {
        guard let job = try await store.retriageJob(studioID: studioID, number: number) else { return nil }
        let remaining = job.state == .done ? 0 : try await store.retriageBacklog(job, limit: 0).count
        return RetriageProgress(job: job, remaining: remaining)
    }

    // MARK: Tools

    /// A registry entry as a studio admin gives it.
    public struct ToolInput: Sendable {
        public var record: ToolRecord
        public var approvedFor: [Purpose]
        public var approvedUntil: String?
        public var evidence: String?

        public init(record: ToolRecord, approvedFor: [Purpose], approvedUntil: String?, evidence: String?) {
            self.record = record
            self.approvedFor = approvedFor
            self.approvedUntil = approvedUntil
            self.evidence = evidence
        }
    }

    /// Adds a tool (a conflict if its id is taken, unless `replacing`), or replaces the one named.
    /// True when the tool is new.
    public func saveTool(_ input: ToolInput, in studioID: String, replacing: Bool, by caller: Caller) async throws -> (ToolEntry, created: Bool) {
        let studio = try await administeredStudio(studioID, caller)
        let record = input.record
        if !replacing, try await store.tool(studioID: studio.id, id: record.id) != nil {
            throw ServiceError.conflict("tool '\(record.id)' is already registered; PUT /api/v1/studios/\(studio.id)/tools/\(record.id) replaces it")
        }
        let time = now
        let entry = ToolEntry(studioID: studio.id, id: record.id, record: record.canonicalJSON,
                              approvedFor: input.approvedFor.map(\.rawValue), approvedUntil: input.approvedUntil, evidence: input.evidence,
                              updatedAt: time)
        let created = try await store.putTool(entry, audit: draft(caller, "tool.saved", studio: studio.id, subject: record.id, at: time,
                                                                  details: .object([
                                                                      .init("record", JSONValue.parse(entry.record) ?? .null),
                                                                      .init("approved-for", .array(entry.approvedFor.map { .string($0) })),
                                                                      .init("approved-until", .text(input.approvedUntil)),
                                                                  ])))
        return (entry, created)
    }

    public func deleteTool(_ id: String, in studioID: String, by caller: Caller) async throws {
        let studio = try await administeredStudio(studioID, caller)
        guard try await store.deleteTool(studioID: studio.id, id: id,
                                         audit: draft(caller, "tool.deleted", studio: studio.id, subject: id, at: now)) else {
            throw ServiceError.notFound("tool '\(id)'")
        }
    }

    /// A tool an open request describes because the registry lacks it, with the requests that use it.
    public struct ToolToRegister: Sendable {
        public var record: ToolRecord
        /// Where it is described: request id, title and step (from 1), newest first.
        public var requests: [(id: String, title: String, step: Int)]
    }

    /// How many of the newest open requests are read for tools to register.
    public static let toolSearchDepth = 500

    /// The tools the studio's newest open requests describe inline because the registry lacks
    /// them, for its admins to register; one entry per tool id.
    public func toolsToRegister(in studioID: String, by caller: Caller) async throws -> [ToolToRegister] {
        let studio = try await administeredStudio(studioID, caller)
        let registered = Set(try await store.tools(studioID: studio.id).map(\.id))
        var found: [String: ToolToRegister] = [:]
        var order: [String] = []
        for (request, document) in try await openDocuments(in: studio.id, newest: Self.toolSearchDepth) {
            for (index, step) in document.steps.enumerated() {
                guard case .inline(let record) = step.tool, !registered.contains(record.id) else { continue }
                if found[record.id] == nil {
                    found[record.id] = ToolToRegister(record: record, requests: [])
                    order.append(record.id)
                }
                found[record.id]?.requests.append((request.id, request.title, index + 1))
            }
        }
        return order.compactMap { found[$0] }
    }

    /// The studio's open requests whose current revision uses a registered tool, newest first:
    /// what retiring it or changing its terms would touch.
    public func requests(usingTool id: String, in studioID: String, by caller: Caller) async throws -> [UseRequestRecord] {
        let studio = try await administeredStudio(studioID, caller)
        return try await openDocuments(in: studio.id).filter { _, document in
            document.steps.contains { if case .registered(let tool) = $0.tool { tool == id } else { false } }
        }.map(\.0)
    }

    /// The studio's open requests, newest first (at most `newest`), each with its current
    /// revision's document as the current policy reads it; those it cannot read are left out.
    func openDocuments(in studioID: String, newest: Int = .max) async throws -> [(UseRequestRecord, UseRequest)] {
        let principles = Set(try await cache.current(studioID: studioID, store: store).policy.policy.principles.map(\.id))
        var documents: [(UseRequestRecord, UseRequest)] = []
        for request in try await store.openRequests(studioID: studioID).sorted(by: { $0.createdAt > $1.createdAt }).prefix(newest) {
            guard let revision = try await store.revisions(requestID: request.id).last,
                  let document = try? UseRequest.parse(revision.document, file: request.id, principles: principles) else { continue }
            documents.append((request, document))
        }
        return documents
    }

    // MARK: Webhooks

    /// Registers an endpoint; its signing secret is in the answer, once.
    public func addWebhook(url: String, events: [WebhookEvent], format: WebhookFormat, in studioID: String,
                           by caller: Caller) async throws -> WebhookEndpoint {
        let studio = try await administeredStudio(studioID, caller)
        var issues: [ServiceError.FieldIssue] = []
        if let problem = outbound.problem(withURL: url) { issues.append(.init("/url", problem)) }
        if events.isEmpty { issues.append(.init("/events", "choose at least one event")) }
        if events.contains(.webhookTest) {
            issues.append(.init("/events", "'webhook.test' is sent by the test button, not subscribed to"))
        }
        guard issues.isEmpty else { throw ServiceError.invalid(issues) }
        let time = now
        let endpoint = WebhookEndpoint(id: RandomID.make("wh-"), studioID: studio.id, url: url, events: events, format: format,
                                       secret: RandomID.make("whsec_", words: 4), createdAt: time)
        try await store.addWebhook(endpoint, audit: draft(caller, "webhook.added", studio: studio.id, subject: endpoint.id, at: time,
                                                          details: .object([
                                                              .init("url", .string(url)), .init("events", .array(events.map { .string($0.rawValue) })),
                                                              .init("format", .string(format.rawValue)),
                                                          ])))
        return endpoint
    }

    public func deleteWebhook(_ id: String, in studioID: String, by caller: Caller) async throws {
        let studio = try await administeredStudio(studioID, caller)
        guard try await store.deleteWebhook(studioID: studio.id, id: id,
                                            audit: draft(caller, "webhook.deleted", studio: studio.id, subject: id, at: now)) else {
            throw ServiceError.notFound("webhook '\(id)'")
        }
    }

    public func webhooks(in studioID: String, by caller: Caller) async throws -> [WebhookEndpoint] {
        try await store.webhooks(studioID: try await administeredStudio(studioID, caller).id)
    }

    /// Sends a test event to one endpoint, through the outbox like any other delivery.
    public func testWebhook(_ id: String, in studioID: String, by caller: Caller) async throws {
        guard let endpoint = try await webhooks(in: studioID, by: caller).first(where: { $0.id == id }) else {
            throw ServiceError.notFound("webhook '\(id)'")
        }
        try await store.appendAudit(draft(caller, "webhook.tested", studio: endpoint.studioID, subject: endpoint.id, at: now,
                                          details: .object([.init("url", .string(endpoint.url))])))
    }

    /// An endpoint's latest deliveries, newest first.
    public func deliveries(of id: String, in studioID: String, limit: Int, by caller: Caller) async throws -> [WebhookDelivery] {
        guard try await webhooks(in: studioID, by: caller).contains(where: { $0.id == id }) else {
            throw ServiceError.notFound("webhook '\(id)'")
        }
        return try await store.deliveries(endpointID: id, limit: limit)
    }
}

/// A policy that fails its own embedded tests, which therefore is not published.
public struct PolicyTestFailures: Error, Sendable {
    public var results: [PolicyTestResult]
    public var total: Int
}
