public import ClearanceStore
public import Hummingbird
internal import HummingbirdCore
public import Logging
public import Prometheus
public import ServiceLifecycle
internal import ClearanceCore
internal import ClearanceService
internal import NIOCore
internal import Synchronization

/// Builds the router: the API behind authentication, plus `/healthz`, `/metrics` and
/// `/openapi.yaml`. Tests drive it in-process with `app.test(.router)`.
public func buildRouter(store: any Store, configuration: ServerConfiguration,
                        metrics: PrometheusCollectorRegistry? = nil) -> Router<ClearanceContext> {
    let router = Router(context: ClearanceContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: MetricsMiddleware())
    let api = ClearanceAPI(store: store, configuration: configuration)
    router.add(middleware: AuthMiddleware(store: store, passwords: api.passwords, now: configuration.now))
    router.add(middleware: PageErrorMiddleware(views: WebViews(root: configuration.webRoot)))
    router.get("healthz") { _, _ in
        try Reply.json(HealthResponse())
    }
    router.get("metrics") { _, _ in
        guard let metrics else { throw Problem.notFound("metrics") }
        return Reply.text(metrics.emitToString(), contentType: "text/plain; version=0.0.4")
    }
    router.get("openapi.yaml") { _, _ in
        Reply.text(OpenAPIDocument.text, contentType: "application/yaml")
    }
    api.register(on: router)
    WebPages(api: api).register(on: router)
    // Last, so that it sees only the requests no route matched.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}

/// The server application on `configuration.host:port`. `storeServices` (a database's connection
/// pool) run first and stop last; `beforeServing` (the database's migrations) runs as the group
/// starts, before the server takes requests.
public func buildApplication(store: any Store, configuration: ServerConfiguration, logger: Logger,
                             metrics: PrometheusCollectorRegistry? = nil, storeServices: [any Service] = [],
                             beforeServing: (@Sendable () async throws -> Void)? = nil) -> some ApplicationProtocol {
    let router = buildRouter(store: store, configuration: configuration, metrics: metrics)
    let limits = configuration.connections
    var app = Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [
            RequestDeadlines(headerTimeout: .init(limits.headerTimeout), bodyTimeout: .init(limits.bodyTimeout)),
        ])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "clearance",
                             availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
        logger: logger
    )
    // Shutdown runs in reverse: the server stops taking requests, then the workers finish, and the
    // database's pool closes last.
    // The workers start once the database is ready (migrated), as the server does.
    let ready = StartGate()
    app.addServices(storeServices)
    app.beforeServerStarts {
        try await beforeServing?()
        ready.open()
    }
    app.addServices(AfterGate(gate: ready, service: WebhookDispatcher(store: store, now: configuration.now, logger: logger,
                                                                      gate: OutboundGate(policy: configuration.outbound))),
                    AfterGate(gate: ready, service: RetriageRunner(store: store, now: configuration.now, logger: logger)))
    return app
}

/// Opened once the database is ready; services that need it wait here first.
final class StartGate: Sendable {
    private let isOpen = Mutex(false)

    func open() { isOpen.withLock { $0 = true } }

    /// Returns once the gate is open; throws when the waiting task is cancelled (the group shut
    /// down before the database was ready).
    func wait() async throws {
        while !isOpen.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
    }
}

/// A service that starts its work only once `gate` opens.
struct AfterGate<Wrapped: Service>: Service {
    let gate: StartGate
    let service: Wrapped

    func run() async throws {
        do {
            try await gate.wait()
        } catch {
            return
        }
        try await service.run()
    }
}
