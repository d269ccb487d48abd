internal import ClearanceService
internal import ClearanceStore
internal import HTTPTypes
internal import Hummingbird
internal import Logging

/// Turns every error into problem+json, once, at the edge. Unexpected errors are logged with the
/// request id and answered as a bare 500: no message, stack or SQL reaches the client.
///
/// A browser asking for a page gets the same problem as an HTML page instead (`PageErrorMiddleware`).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ClearanceContext

    /// Whether an error for this request is shown as a page rather than as problem+json: not
    /// `/api/…` nor a machine's address, and the client accepts HTML (a browser does).
    static func wantsPage(_ request: Request) -> Bool {
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), path != "/healthz", path != "/metrics", path != "/openapi.yaml" else { return false }
        return request.headers[.accept]?.contains("text/html") == true
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try Self.problem(for: error, request, context).response(from: request, context: context)
        }
        response.headers[.requestID] = context.id
        return response
    }

    /// The problem an error stands for; unexpected errors are logged here and answered as a bare 500.
    static func problem(for error: any Error, _ request: Request, _ context: Context) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let error as ServiceError: return Problem(error)
        case StoreError.conflict(let detail): return Problem.conflict(detail)
        case StoreError.database(let message):
            context.logger.error("database error", metadata: ["error": .string(message)])
            return internalError(context)
        case let error as HTTPError:
            return switch error.status {
            case .notFound where wantsPage(request):
                Problem(.notFound, "Page not found", detail: "There is no page at this address. Check the link, or start again from the home page.")
            case .notFound: Problem(.notFound, "Not found", detail: "no route matches \(request.method) \(request.uri.path)")
            case .contentTooLarge: Problem(.contentTooLarge, "Body too large",
                                           detail: "the body is over the \(ServerConfiguration.maxBodySize) byte limit")
            case .methodNotAllowed: Problem(.methodNotAllowed, "Method not allowed",
                                            detail: "\(request.method) is not allowed on \(request.uri.path)")
            default: Problem(error.status, error.status.reasonPhrase, detail: error.body)
            }
        default:
            context.logger.error("unexpected error", metadata: ["error": .string(String(describing: error))])
            return internalError(context)
        }
    }

    static func internalError(_ context: Context) -> Problem {
        Problem(.internalServerError, "Internal error",
                detail: "the server could not complete the request; quote request id \(context.id) when reporting it")
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}

/// Errors on the way to a page, shown as a page: an unknown address, a form's address opened
/// directly, a body too large. Added after authentication, so the page knows who is signed in.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = ClearanceContext
    let views: WebViews

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            guard ProblemMiddleware.wantsPage(request) else { throw error }
            return views.error(ProblemMiddleware.problem(for: error, request, context), context: context)
        }
    }
}
