public import ClearanceStore
public import Hummingbird
internal import Logging
internal import ClearanceCore
internal import ClearanceService
internal import Foundation
internal import Metrics

/// The `/api/v1` routes. Handlers read the body's types and call the application layer
/// (`RequestWorkflow`, `People`, `StudioAdministration`, `Consents`, `Deliveries`, `Rulebooks`, `Obligations`), which checks
/// access and the rules and writes each change with its audit event; they then shape the answer.
public struct ClearanceAPI: Sendable {
    let store: any Store
    let configuration: ServerConfiguration
    let cache = PolicyCache()
    let passwords: PasswordCheck
    /// The use cases, which the web pages call too.
    let requests: RequestWorkflow
    let people: People
    let studios: StudioAdministration
    let deliveries: Deliveries
    let consents: Consents
    let rulebooks: Rulebooks
    let obligations: Obligations

    public init(store: any Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        passwords = PasswordCheck(store: store, cost: configuration.passwordCost)
        requests = RequestWorkflow(store: store, cache: cache, now: configuration.now)
        deliveries = Deliveries(store: store, now: configuration.now)
        consents = Consents(store: store, now: configuration.now)
        rulebooks = Rulebooks(store: store, cache: cache, now: configuration.now)
        obligations = Obligations(store: store, now: configuration.now)
        studios = StudioAdministration(store: store, cache: cache, outbound: configuration.outbound, now: configuration.now)
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
        addRulebookRoutes(to: api)
        addScanRoutes(to: api)
        addAuditRoutes(to: api)
    }

    // MARK: Shared steps

    var now: Date { configuration.now() }

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
