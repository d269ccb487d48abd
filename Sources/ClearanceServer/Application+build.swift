public import ClearanceStore
public import Hummingbird
internal import HummingbirdCore
public import Logging
public import Prometheus
internal import ClearanceCore
internal import ClearanceService
internal import NIOCore

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
    router.get("healthz") { _, _ in
        Reply.json(.object([.init("status", .string("ok"))]))
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

/// The server application on `configuration.host:port`.
public func buildApplication(store: any Store, configuration: ServerConfiguration, logger: Logger,
                             metrics: PrometheusCollectorRegistry? = nil) -> some ApplicationProtocol {
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
    app.addServices(WebhookDispatcher(store: store, now: configuration.now, logger: logger,
                                      gate: OutboundGate(policy: configuration.outbound)),
                    RetriageRunner(store: store, now: configuration.now, logger: logger))
    return app
}
