public import ClearanceStore
public import Hummingbird
internal import Logging
internal import ClearanceCore
internal import ClearanceService
internal import Foundation
internal import Metrics

/// The `/api/v1` routes. Handlers check access with `Caller`, run the pure core, and hand every
/// change to the store together with its audit event.
public struct ClearanceAPI: Sendable {
    let store: any Store
    let configuration: ServerConfiguration
    let cache = PolicyCache()
    let passwords: PasswordCheck
    /// The use cases, which the web pages call too.
    let requests: RequestWorkflow
    let people: People

    public init(store: any Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        passwords = PasswordCheck(store: store, cost: configuration.passwordCost)
        requests = RequestWorkflow(store: store, cache: cache, now: configuration.now)
        people = People(store: store, passwords: BcryptPasswords(cost: configuration.passwordCost), publicURL: configuration.publicURL,
                        now: configuration.now)
    }

    /// Adds every API route to the router.
    public func register(on router: Router<ClearanceContext>) {
        let api = router.group("api/v1")
        addUserRoutes(to: api)
        addInvitationRoutes(to: api)
        addStudioRoutes(to: api)
        addToolRoutes(to: api)
        addProductionRoutes(to: api)
        addRequestRoutes(to: api)
        addWorkflowRoutes(to: api)
        addRegisterRoutes(to: api)
        addWebhookRoutes(to: api)
        addConsentRoutes(to: api)
        addScanRoutes(to: api)
        addAuditRoutes(to: api)
    }

    // MARK: Shared steps

    var now: Date { configuration.now() }

    func audit(_ caller: Caller, _ action: String, studio: String? = nil, production: String? = nil,
               subject: String, details: JSONValue = .object([])) -> AuditDraft {
        AuditDraft(at: Timestamps.string(now), actor: caller.user.id, action: action, studioID: studio,
                   productionID: production, subject: subject, details: details)
    }

    /// A studio the caller can see, or 404 exactly as if it did not exist.
    func visibleStudio(_ id: String, _ caller: Caller) async throws -> StudioRecord {
        try await requests.visibleStudio(id, caller)
    }

    func visibleProduction(_ id: String, _ caller: Caller) async throws -> ProductionRecord {
        try await requests.visibleProduction(id, caller)
    }

    func visibleRequest(_ id: String, _ caller: Caller) async throws -> (UseRequestRecord, ProductionRecord) {
        try await requests.visibleRequest(id, caller)
    }

    /// A page cursor (`after`) must be an item of the listing it pages: an id from another
    /// production or studio answers exactly as an unknown one does.
    static func checkCursor(_ inScope: Bool) throws {
        guard inScope else { throw Problem.invalid("/after", "after must be the id of the last item of the previous page of this list") }
    }

    func user(email: String, field: String = "/email") async throws -> UserRecord {
        guard let user = try await store.user(email: email.lowercased()) else {
            throw Problem.invalid(field, "no user has the email '\(email)'; a site admin creates users first")
        }
        return user
    }

    /// A new random id: the prefix and 16 hex digits.
    static func newID(_ prefix: String) -> String { RandomID.make(prefix) }

    /// A new token secret: 256 random bits.
    static func newSecret() -> String { RandomID.make("clr_", words: 4) }

    func parameter(_ context: ClearanceContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name) else { throw Problem.badRequest("missing path parameter \(name)") }
        return value
    }

    func form(_ body: Body, allowed: Set<String>, required: [String] = []) throws -> Form {
        do {
            return try Form(body.text, file: body.file, allowed: allowed, required: required)
        } catch {
            throw Problem.document(error)
        }
    }

    /// One optional text field of an optional body: actions such as revoking or withdrawing
    /// may be posted with no body at all, or with, say, `{"reason": "..."}`. A `blankable` field
    /// (a note) may also be sent blank, which reads as none.
    func optionalText(_ request: Request, _ context: ClearanceContext, field: String, maxLength: Int,
                      blankable: Bool = false) async throws -> String? {
        guard request.headers[.contentType] != nil else { return nil }
        let form = try form(try await Body.read(request, context: context), allowed: [field])
        let value = blankable ? form.blankableText(field, maxLength: maxLength) : form.text(field, maxLength: maxLength)
        try finish(form)
        return value
    }

    func finish(_ form: Form) throws {
        do {
            try form.finish()
        } catch {
            throw Problem.document(error)
        }
    }
}
