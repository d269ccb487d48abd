public import ClearanceService
internal import ClearanceStore
public import Hummingbird
internal import Logging
internal import NIOCore

/// The per-request context: Hummingbird's own storage plus who is calling.
public struct ClearanceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/api/` route.
    public var caller: Caller?
    /// The browser session, when the caller signed in through the web pages.
    var session: BrowserSession?
    /// The peer's IP address, for throttling sign-in attempts.
    var remoteIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteIP = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies larger than this are refused with 413 before they are read whole.
    public var maxUploadSize: Int { ServerConfiguration.maxBodySize }

    /// The authenticated caller; route handlers run behind `AuthMiddleware`, so a missing caller
    /// is answered as unauthorized rather than trusted.
    func requireCaller() throws(Problem) -> Caller {
        guard let caller else { throw Problem.unauthorized }
        return caller
    }
}
