internal import ClearanceService
internal import ClearanceStore
internal import HTTPTypes
internal import Hummingbird
internal import Logging

/// Turns every error into problem+json, once, at the edge. Unexpected errors are logged with the
/// request id and answered as a bare 500: no message, stack or SQL reaches the client.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ClearanceContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem {
            response = try problem.response(from: request, context: context)
        } catch let error as ServiceError {
            response = try Problem(error).response(from: request, context: context)
        } catch let error as StoreError {
            switch error {
            case .conflict(let detail):
                response = try Problem.conflict(detail).response(from: request, context: context)
            case .database(let message):
                context.logger.error("database error", metadata: ["error": .string(message)])
                response = try Self.internalError(context).response(from: request, context: context)
            }
        } catch let error as HTTPError {
            let problem: Problem = switch error.status {
            case .notFound: Problem(.notFound, "Not found", detail: "no route matches \(request.method) \(request.uri.path)")
            case .contentTooLarge: Problem(.contentTooLarge, "Body too large",
                                           detail: "the body is over the \(ServerConfiguration.maxBodySize) byte limit")
            case .methodNotAllowed: Problem(.methodNotAllowed, "Method not allowed",
                                            detail: "\(request.method) is not allowed on \(request.uri.path)")
            default: Problem(error.status, error.status.reasonPhrase, detail: error.body)
            }
            response = try problem.response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": .string(String(describing: error))])
            response = try Self.internalError(context).response(from: request, context: context)
        }
        response.headers[.requestID] = context.id
        return response
    }

    static func internalError(_ context: Context) -> Problem {
        Problem(.internalServerError, "Internal error",
                detail: "the server could not complete the request; quote request id \(context.id) when reporting it")
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
