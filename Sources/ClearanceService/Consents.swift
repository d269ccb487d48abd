public import ClearanceCore
public import ClearanceStore
public import Foundation

/// Performers' consent records: what a production's coordinator keeps, and what a request's
/// talent entries name.
public struct Consents: UseCases {
    public let store: any Store
    let clock: @Sendable () -> Date

    public init(store: any Store, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = now
    }

    var now: Date { clock() }

    /// A consent as the coordinator records it.
    public struct Input: Sendable {
        public var id: String?
        public var performer: String
        public var kind: ConsentKind
        public var permittedUse: String
        /// Other productions of the same studio it covers.
        public var productions: [String]
        public var signedOn: String
        public var noticeOn: String?
        public var expiresOn: String?
        public var signedSeparately: Bool
        public var documentRef: String?
        /// Whether it describes the intended uses reasonably specifically; nil when not known.
        public var specificDescription: Bool? = nil
        /// Who negotiated it for the performer; nil when not known.
        public var represented: Representation? = nil

        public init(id: String?, performer: String, kind: ConsentKind, permittedUse: String, productions: [String], signedOn: String,
                    noticeOn: String?, expiresOn: String?, signedSeparately: Bool, documentRef: String?) {
            self.id = id
            self.performer = performer
            self.kind = kind
            self.permittedUse = permittedUse
            self.productions = productions
            self.signedOn = signedOn
            self.noticeOn = noticeOn
            self.expiresOn = expiresOn
            self.signedSeparately = signedSeparately
            self.documentRef = documentRef
        }
    }

    /// A production whose consents the caller records: its coordinator's. Not found if they cannot
    /// see it, forbidden if they only see it.
    public func recordingProduction(_ id: String, _ caller: Caller) async throws -> ProductionRecord {
        let production = try await visibleProduction(id, caller)
        guard caller.canManageConsents(in: production.id) else {
            throw ServiceError.forbidden("only the production's coordinator records consents")
        }
        return production
    }

    /// A consent the caller may correct, with the production it was recorded under: that
    /// production's coordinator corrects it.
    public func correctable(_ id: String, _ caller: Caller) async throws -> (ConsentRecord, ProductionRecord) {
        let consent = try await visibleConsent(id, caller)
        guard let first = consent.productions.first, caller.canManageConsents(in: first),
              let production = try await store.production(id: first) else {
            throw ServiceError.forbidden("only the coordinator of the production it was recorded under corrects a consent")
        }
        return (consent, production)
    }

    /// The production's coordinator records a consent, for this production and any other of the
    /// studio's they also coordinate.
    public func record(_ input: Input, in productionID: String, by caller: Caller) async throws -> ConsentRecord {
        let production = try await recordingProduction(productionID, caller)
        let productions = try Self.checked(input, in: production, by: caller)
        let time = now
        let id = input.id ?? RandomID.make("consent-")
        var consent = ConsentRecord(id: id, studioID: production.studioID, productions: productions, performer: input.performer,
                                    kind: input.kind, permittedUse: input.permittedUse, signedOn: input.signedOn, noticeOn: input.noticeOn,
                                    expiresOn: input.expiresOn, signedSeparately: input.signedSeparately, documentRef: input.documentRef,
                                    createdBy: caller.user.id, createdAt: time)
        consent.specificDescription = input.specificDescription
        consent.represented = input.represented
        try await store.createConsent(consent, audit: draft(caller, "consent.recorded", studio: production.studioID,
                                                            production: production.id, subject: id, at: time, details: .object([
                                                                .init("performer", .string(input.performer)),
                                                                .init("kind", .string(input.kind.rawValue)),
                                                                .init("productions", .array(productions.map { .string($0) })),
                                                                .init("expires-on", .text(input.expiresOn)),
                                                            ])))
        return consent
    }

    /// The productions a consent will name, once its terms are checked: the one it is recorded
    /// under first, then others of the studio the caller coordinates.
    static func checked(_ input: Input, in production: ProductionRecord, by caller: Caller,
                        alreadyNamed: Set<String> = []) throws(ServiceError) -> [String] {
        var issues: [ServiceError.FieldIssue] = []
        let performer = input.performer.trimmingCharacters(in: .whitespaces)
        if performer.isEmpty || performer.count > 200 { issues.append(.init("/performer", "name the performer (up to 200 characters)")) }
        if input.permittedUse.split(separator: " ").count < 4 {
            issues.append(.init("/permitted-use", "describe the permitted use in a reasonably specific sentence"))
        }
        for (key, day) in [("signed-on", Optional(input.signedOn)), ("notice-on", input.noticeOn), ("expires-on", input.expiresOn)] {
            if let day, !ToolRecord.isISODate(day) { issues.append(.init("/" + key, "'\(day)' is not a date in the form YYYY-MM-DD")) }
        }
        if let expiresOn = input.expiresOn, ToolRecord.isISODate(expiresOn), ToolRecord.isISODate(input.signedOn), expiresOn < input.signedOn {
            issues.append(.init("/expires-on", "expires before it was signed (\(input.signedOn))"))
        }
        if let id = input.id, !UseRequest.isSlug(id) || id.count > 100 {
            issues.append(.init("/id", "'\(id)' is not a valid id: use lower-case letters, digits, '-', '_' or '.'"))
        }
        for other in input.productions where other != production.id && !alreadyNamed.contains(other) {
            if caller.productionRole(other) != .coordinator || caller.productionStudios[other] != production.studioID {
                issues.append(.init("/productions", "'\(other)' is not a production of this studio that you coordinate"))
            }
        }
        guard issues.isEmpty else { throw .invalid(issues) }
        var productions = [production.id]
        for other in input.productions where !productions.contains(other) { productions.append(other) }
        return productions
    }

    /// A coordinator of the consent's first production corrects its terms (a typo in a date, the
    /// document's reference): the same checks as recording it. A revoked consent stays as it was.
    public func correct(_ id: String, _ input: Input, by caller: Caller) async throws -> ConsentRecord {
        let (stored, production) = try await correctable(id, caller)
        guard stored.revokedAt == nil else { throw ServiceError.conflict("consent '\(id)' is revoked; record a new one instead") }
        // Productions already named that the corrector does not coordinate stay named: nobody
        // loses a consent through someone else's correction.
        var productions = try Self.checked(input, in: production, by: caller, alreadyNamed: Set(stored.productions))
        for kept in stored.productions where !productions.contains(kept) && !caller.canManageConsents(in: kept) {
            productions.append(kept)
        }
        var corrected = stored
        corrected.productions = productions
        corrected.performer = input.performer.trimmingCharacters(in: .whitespaces)
        corrected.kind = input.kind
        corrected.permittedUse = input.permittedUse
        corrected.signedOn = input.signedOn
        corrected.noticeOn = input.noticeOn
        corrected.expiresOn = input.expiresOn
        corrected.signedSeparately = input.signedSeparately
        corrected.documentRef = input.documentRef
        corrected.specificDescription = input.specificDescription
        corrected.represented = input.represented
        guard corrected != stored else { return stored }
        let changed = Self.changedFields(stored, corrected)
        guard try await store.correctConsent(corrected, audit: draft(caller, "consent.corrected", studio: stored.studioID, production: production.id,
                                                                     subject: id, at: now,
                                                                     details: .object([.init("changed", .array(changed.map { .string($0) }))]))) else {
            throw ServiceError.conflict("consent '\(id)' was revoked meanwhile")
        }
        return corrected
    }

    /// The fields a correction changed, by their API names.
    static func changedFields(_ old: ConsentRecord, _ new: ConsentRecord) -> [String] {
        var fields: [String] = []
        if old.productions != new.productions { fields.append("productions") }
        if old.performer != new.performer { fields.append("performer") }
        if old.kind != new.kind { fields.append("kind") }
        if old.permittedUse != new.permittedUse { fields.append("permitted-use") }
        if old.signedOn != new.signedOn { fields.append("signed-on") }
        if old.noticeOn != new.noticeOn { fields.append("notice-on") }
        if old.expiresOn != new.expiresOn { fields.append("expires-on") }
        if old.signedSeparately != new.signedSeparately { fields.append("signed-separately") }
        if old.documentRef != new.documentRef { fields.append("document-ref") }
        if old.specificDescription != new.specificDescription { fields.append("specific-description") }
        if old.represented != new.represented { fields.append("represented") }
        return fields
    }

    /// A request whose current revision names a consent in one of its talent entries.
    public struct NamingRequest: Sendable {
        public var request: UseRequestRecord
        /// The performers of the entries that name it.
        public var performers: [String]
        /// Whether the consent covers those entries today.
        public var coveredNow: Bool
        /// Whether it would cover them today were it not revoked: for a revoked consent, the
        /// requests its revocation left without consent.
        public var coveredUnlessRevoked: Bool

        /// The consent covers (or, revoked, covered) this request, which is still in play (not
        /// withdrawn or rejected): revoking it leaves (or left) the use without consent.
        public var uncoveredByRevocation: Bool {
            coveredUnlessRevoked && ![RequestState.withdrawn, .rejected].contains(request.state)
        }
    }

    /// The requests of the consent's productions the caller can see whose current revision names it, oldest first.
    public func requests(naming id: String, by caller: Caller) async throws -> [NamingRequest] {
        let consent = try await visibleConsent(id, caller)
        return try await requests(naming: consent) { caller.canSeeProduction(studioID: consent.studioID, productionID: $0) }
    }

    /// The consent as the caller may see it: only the productions they can see are named.
    public func view(_ id: String, by caller: Caller) async throws -> ConsentRecord {
        Self.seen(try await visibleConsent(id, caller), by: caller)
    }

    /// A consent naming only the productions the caller can see.
    public static func seen(_ consent: ConsentRecord, by caller: Caller) -> ConsentRecord {
        var seen = consent
        seen.productions = consent.productions.filter { caller.canSeeProduction(studioID: consent.studioID, productionID: $0) }
        return seen
    }

    /// The requests of those of the consent's productions that `include` admits.
    func requests(naming consent: ConsentRecord, in include: (String) -> Bool) async throws -> [NamingRequest] {
        let today = Timestamps.day(now)
        // The same consent had it not been revoked: what a revocation takes away.
        var unrevoked = consent
        unrevoked.revokedAt = nil
        var found: [NamingRequest] = []
        for production in consent.productions where include(production) {
            var after: String?
            repeat {
                let page = try await store.registerPage(productionID: production, state: nil, after: after, limit: 500)
                for row in page {
                    let entries = Self.talent(in: row.document).filter { $0.consent == consent.id }
                    guard !entries.isEmpty else { continue }
                    let covered = entries.allSatisfy { consent.problem(for: $0, production: production, today: today) == nil }
                    let coveredUnrevoked = entries.allSatisfy { unrevoked.problem(for: $0, production: production, today: today) == nil }
                    found.append(NamingRequest(request: row.request, performers: entries.map(\.performer), coveredNow: covered,
                                               coveredUnlessRevoked: coveredUnrevoked))
                }
                after = page.count == 500 ? page.last?.request.id : nil
            } while after != nil
        }
        return found
    }

    /// The talent entries of a stored revision's document (canonical JSON), as far as they read.
    static func talent(in document: String?) -> [UseRequest.TalentEntry] {
        guard let document, case .array(let items)? = JSONValue.parse(document)?["talent"] else { return [] }
        return items.compactMap { item in
            guard case .string(let performer)? = item["performer"], case .string(let raw)? = item["use"],
                  let use = TalentUse(rawValue: raw) else { return nil }
            let consent: String? = if case .string(let id)? = item["consent"], id != "none" { id } else { nil }
            return UseRequest.TalentEntry(performer: performer, use: use, consent: consent)
        }
    }

    /// A coordinator of one of the consent's productions revokes it.
    public func revoke(_ id: String, reason: String?, by caller: Caller) async throws -> ConsentRecord {
        let consent = try await visibleConsent(id, caller)
        guard consent.productions.contains(where: caller.canManageConsents(in:)) else {
            throw ServiceError.forbidden("only a coordinator of the consent's productions revokes it")
        }
        // Every production's requests, whoever revokes: the record must be whole.
        let uncovered = try await requests(naming: consent) { _ in true }.filter(\.uncoveredByRevocation).map(\.request.id)
        let time = now
        guard try await store.revokeConsent(id: consent.id, at: time, reason: reason,
                                            audit: draft(caller, "consent.revoked", studio: consent.studioID,
                                                         production: consent.productions.first, subject: consent.id, at: time,
                                                         details: .object([.init("reason", .text(reason)),
                                                                           .init("uncovered", .array(uncovered.map { .string($0) }))]))) else {
            throw ServiceError.conflict("consent '\(consent.id)' is already revoked")
        }
        var revoked = consent
        revoked.revokedAt = time
        revoked.revokedReason = reason
        return revoked
    }
}
