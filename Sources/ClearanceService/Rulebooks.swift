public import ClearanceCore
public import ClearanceStore
public import Foundation

/// A studio's overlays: which are on for the studio or one production, the studio's own, and the
/// days built-ins come into force (rulebooks.md §2, §4). Every change is a new policy version that
/// keeps the studio's text and says what changed, so the re-triage job that publishing queues
/// re-decides the open requests the change covers, in the background.
public struct Rulebooks: UseCases {
    public let store: any Store
    let cache: PolicyCache
    let clock: @Sendable () -> Date

    public init(store: any Store, cache: PolicyCache, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.cache = cache
        self.clock = now
    }

    var now: Date { clock() }

    /// One overlay as a studio sees it.
    public struct OverlayView: Sendable {
        public var overlay: Policy
        public var builtIn: Bool
        /// Whether it is on for the studio, and whether an admin said so (nil: as shipped).
        public var studioSetting: OverlaySetting?
        /// The production's own setting, when a production is asked about.
        public var productionSetting: OverlaySetting?
        /// For a custom overlay, its current published version.
        public var published: OverlayVersionRecord?

        /// Whose setting decides whether it is on.
        public enum DecidedBy: String, Sendable {
            case shipped = "default", studio, production
        }

        /// The production's own setting wins over the studio's; without either it is on, as shipped.
        public var decidedBy: DecidedBy { productionSetting != nil ? .production : studioSetting != nil ? .studio : .shipped }

        /// On for the production asked about (or the studio).
        public var enabled: Bool { productionSetting?.enabled ?? studioSetting?.enabled ?? true }

        /// Why it is not in force on `day`, in words, or nil when it is.
        public func notInForce(on day: Day) -> String? {
            switch overlay.effective.outside(on: day) {
            case .before(let from): "not in force yet: it starts on \(from)"
            case .after(let until): "not in force any more: it ended on \(until)"
            case nil: nil
            }
        }

        /// The overlay's file: the built-in text, or the custom overlay's current version.
        public var text: String? { builtIn ? Policy.builtInOverlayTexts[overlay.id + ".yaml"] : published?.text }
    }

    /// Every overlay the studio considers, built-ins first, each with its settings.
    public func overlays(in studioID: String, production productionID: String? = nil, by caller: Caller) async throws -> [OverlayView] {
        let studio = try await readableStudio(studioID, caller)
        let production = try await self.production(productionID, of: studio, caller)
        let own = try await cache.overlays(studioID: studio.id, store: store)
        return try Self.views(own, production: production?.id)
    }

    /// One overlay as the studio (or one of its productions) has it; not found for an unknown id.
    public func overlay(_ overlayID: String, in studioID: String, production productionID: String? = nil,
                        by caller: Caller) async throws -> OverlayView {
        try Self.view(overlayID, in: try await overlays(in: studioID, production: productionID, by: caller))
    }

    static func view(_ overlayID: String, in views: [OverlayView]) throws -> OverlayView {
        guard let view = views.first(where: { $0.overlay.id == overlayID }) else { throw ServiceError.notFound("overlay '\(overlayID)'") }
        return view
    }

    /// A production of the studio that the caller can see; another studio's answers not found.
    private func production(_ productionID: String?, of studio: StudioRecord, _ caller: Caller) async throws -> ProductionRecord? {
        guard let productionID else { return nil }
        let production = try await visibleProduction(productionID, caller)
        guard production.studioID == studio.id else { throw ServiceError.notFound("production '\(productionID)'") }
        return production
    }

    static func views(_ own: StudioOverlays, production: String?) throws -> [OverlayView] {
        let builtIns = try Policy.builtInOverlays().map { ($0, true) }
        return (builtIns + own.custom.map { ($0, false) }).map { overlay, builtIn in
            OverlayView(overlay: overlay, builtIn: builtIn,
                        studioSetting: own.settings.first { $0.overlayID == overlay.id && $0.productionID.isEmpty },
                        productionSetting: production.flatMap { id in own.settings.first { $0.overlayID == overlay.id && $0.productionID == id } },
                        published: builtIn ? nil : own.current(overlay.id))
        }
    }

    /// A studio admin switches an overlay on or off for the studio, or for one production. The
    /// open requests it covers are re-triaged in the background. Nil when nothing changes.
    @discardableResult
    public func setOverlay(_ overlayID: String, enabled: Bool, in studioID: String, production productionID: String? = nil,
                           by caller: Caller) async throws -> PolicyVersionRecord? {
        let studio = try await administeredStudio(studioID, caller)
        let production = try await self.production(productionID, of: studio, caller)
        let own = try await cache.overlays(studioID: studio.id, store: store)
        let view = try Self.view(overlayID, in: try Self.views(own, production: production?.id))
        let existing = production == nil ? view.studioSetting : view.productionSetting
        if (existing?.enabled ?? view.enabled) == enabled { return nil }
        let time = now
        let setting = OverlaySetting(studioID: studio.id, productionID: production?.id ?? "", overlayID: overlayID, enabled: enabled,
                                     changedBy: caller.user.id, changedAt: time)
        let place = production.map { "for \($0.title)" } ?? "for the studio"
        let change = "\(view.overlay.title) switched \(enabled ? "on" : "off") \(place)"
        var details: [JSONValue.Member] = [.init("overlay", .string(overlayID)), .init("enabled", .bool(enabled))]
        if let production { details.append(.init("production", .string(production.id))) }
        return try await republish(studio.id, change: change, production: production?.id, setting: setting, overlay: nil,
                                   actor: caller.user.id, action: enabled ? "overlay.enabled" : "overlay.disabled",
                                   subject: "\(studio.id)/overlays/\(overlayID)", details: details, at: time)
    }

    /// A studio admin publishes a custom overlay, or a new version of one: it must load as an
    /// overlay with the id in the path, take no built-in id, and pass its embedded tests under the
    /// studio's current policy. The studio's open requests are re-triaged in the background.
    public func publishOverlay(_ overlayID: String, text: String, in studioID: String, by caller: Caller) async throws -> OverlayVersionRecord {
        let studio = try await administeredStudio(studioID, caller)
        let (loaded, diagnostics) = Policy.examine(text, file: "overlay \(overlayID)")
        guard let overlay = loaded else { throw ServiceError.document(DocumentError(diagnostics)) }
        var problems: [Diagnostic] = []
        if overlay.kind != .overlay {
            problems.append(Diagnostic(at: nil, path: FieldPath().appending("kind"), "a custom overlay says 'kind: overlay'"))
        }
        if overlay.id != overlayID {
            problems.append(Diagnostic(at: nil, path: FieldPath().appending("id"),
                                       "the overlay's id is '\(overlay.id)', but it is published as '\(overlayID)'"))
        }
        if Policy.builtInOverlayIDs.contains(overlay.id) {
            problems.append(Diagnostic(at: nil, path: FieldPath().appending("id"),
                                       "'\(overlay.id)' is the id of a built-in overlay; give a custom overlay an id of its own"))
        }
        guard problems.isEmpty else { throw ServiceError.document(DocumentError(problems)) }
        let current = try await cache.current(studioID: studio.id, store: store)
        let studioPrinciples = Set(current.policy.policy.principleIDs)
        if let clash = overlay.principleIDs.first(where: studioPrinciples.contains) {
            throw ServiceError.document(DocumentError([Diagnostic(at: nil, path: FieldPath().appending("principles"),
                                                                  "principle id '\(clash)' is the studio policy's; an overlay's principles need ids of their own")]))
        }
        let time = now
        let failures = overlay.runTests(studio: current.policy.policy, today: Timestamps.calendarDay(time)).filter { !$0.passed }
        if !failures.isEmpty { throw PolicyTestFailures(results: failures, total: overlay.tests.count) }
        let own = try await cache.overlays(studioID: studio.id, store: store)
        let previous = own.current(overlayID)
        if previous?.digest == overlay.digest, let previous { return previous }
        let record = OverlayVersionRecord(studioID: studio.id, overlayID: overlayID, number: (previous?.number ?? 0) + 1,
                                          version: overlay.version, digest: overlay.digest, text: text, publishedBy: caller.user.id,
                                          publishedAt: time)
        _ = try await republish(studio.id, change: "\(overlay.title) \(overlay.version) published", production: nil, setting: nil,
                                overlay: record, actor: caller.user.id, action: "overlay.published",
                                subject: "\(studio.id)/overlays/\(overlayID)",
                                details: [.init("overlay", .string(overlayID)), .init("number", .number(record.number)),
                                          .init("version", .string(overlay.version)), .init("digest", .string(overlay.digest))],
                                at: time)
        return record
    }

    /// A production's territories changed: which laws apply to its uses may change too, so its
    /// open requests are re-triaged in the background.
    public func territoriesChanged(_ production: ProductionRecord, by caller: Caller) async throws {
        let names = production.territories.map { Territory(rawValue: $0)?.name ?? $0 }
        let places = names.isEmpty ? "nowhere said" : names.joined(separator: ", ")
        _ = try await republish(production.studioID, change: "\(production.title) is now made or released in: \(places)",
                                production: production.id, setting: nil, overlay: nil, actor: caller.user.id,
                                action: "rulebooks.territories-changed", subject: production.id,
                                details: [.init("territories", .array(production.territories.map { .string($0) }))], at: now)
    }

    /// Re-triages a studio's open requests when an overlay came into force or ended since its
    /// current version was published (requests without a `use-date` are judged on the day they
    /// are decided). Nil when no overlay changed.
    @discardableResult
    public func advance(studioID: String) async throws -> PolicyVersionRecord? {
        guard let current = try await store.currentPolicy(studioID: studioID) else { return nil }
        let time = now
        let today = Timestamps.calendarDay(time)
        // Since the last version that re-triaged the whole studio: one production's change re-triages only its requests.
        var since = Timestamps.calendarDay(current.publishedAt)
        for version in try await store.policyVersions(studioID: studioID).reversed() {
            if try await store.retriageJob(studioID: studioID, number: version.number)?.productionID == nil {
                since = Timestamps.calendarDay(version.publishedAt)
                break
            }
        }
        let own = try await cache.overlays(studioID: studioID, store: store)
        let switchedOff = own.switchedOff(production: nil)
        var changes: [String] = []
        for overlay in try Policy.builtInOverlays() + own.custom where switchedOff[overlay.id] == nil {
            if let from = overlay.effective.from, since < from, from <= today {
                changes.append("\(overlay.title) in force from \(from)")
            }
            if let until = overlay.effective.until, since < until.next, until.next <= today {
                changes.append("\(overlay.title) ended on \(until)")
            }
        }
        guard !changes.isEmpty else { return nil }
        // Caught into a Result: a `catch StoreError.conflict` pattern crashes the 6.3 compiler.
        let result: Result<PolicyVersionRecord, any Error>
        do {
            result = .success(try await republish(studioID, change: changes.joined(separator: "; "), production: nil, setting: nil,
                                                  overlay: nil, actor: "clearance", action: "rulebooks.in-force",
                                                  subject: "\(studioID)/overlays",
                                                  details: [.init("changes", .array(changes.map { .string($0) }))], at: time,
                                                  attempts: 1))
        } catch {
            result = .failure(error)
        }
        switch result {
        case .success(let version): return version
        // Another instance advanced the studio first.
        case .failure(StoreError.conflict): return nil
        case .failure(let error): throw error
        }
    }

    /// A new policy version with the current text, saying what changed, and its re-triage job.
    /// When another version is published at the same moment (a conflict on the version number),
    /// it is tried again on top of that one, up to `attempts` times.
    private func republish(_ studioID: String, change: String, production: String?, setting: OverlaySetting?,
                           overlay: OverlayVersionRecord?, actor: String, action: String, subject: String,
                           details: [JSONValue.Member], at time: Date, attempts: Int = 3) async throws -> PolicyVersionRecord {
        var attempt = 0
        while true {
            attempt += 1
            guard let current = try await store.currentPolicy(studioID: studioID) else {
                throw StoreError.database("studio \(studioID) has no policy")
            }
            var version = PolicyVersionRecord(studioID: studioID, number: current.number + 1, policyID: current.policyID,
                                              policyVersion: current.policyVersion, digest: current.digest, text: current.text,
                                              publishedBy: actor, publishedAt: time)
            version.change = change
            var job = RetriageJob(studioID: studioID, number: version.number, publishedBy: actor, createdAt: time)
            job.productionID = production
            let audit = AuditDraft(at: Timestamps.string(time), actor: actor, action: action, studioID: studioID, productionID: production,
                                   subject: subject, details: .object(details + [.init("policy-version", .number(version.number)),
                                                                                 .init("change", .string(change))]))
            // Caught into a Result: a `catch StoreError.conflict` pattern crashes the 6.3 compiler.
            let result: Result<Void, any Error>
            do {
                try await store.changeRulebooks(setting: setting, overlay: overlay, version: version, retriage: job, audit: audit)
                result = .success(())
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success: return version
            case .failure(StoreError.conflict) where attempt < attempts: continue
            case .failure(let error): throw error
            }
        }
    }
}
