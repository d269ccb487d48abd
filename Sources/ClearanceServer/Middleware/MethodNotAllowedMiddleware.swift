internal import HTTPTypes
internal import Hummingbird

/// Answers 405 with an `Allow` header when the router serves the request's path but not with its
/// method (RFC 9110 §15.5.6); a path it does not serve at all stays 404.
///
/// The router applies a middleware only to the routes added after it, and to requests no route
/// matches, so `buildRouter` adds this one last, with the routes as they then stand: it sees only
/// the requests that would otherwise be 404.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ClearanceContext

    /// One route path and the methods it is served with.
    struct Endpoint: Sendable {
        var path: RouterPath
        var methods: Set<HTTPRequest.Method>
    }

    let endpoints: [Endpoint]

    init(routes: [Router<ClearanceContext>.RouteDescription]) {
        var endpoints: [Endpoint] = []
        for route in routes {
            if let index = endpoints.firstIndex(where: { $0.path == route.path }) {
                endpoints[index].methods.insert(route.method)
            } else {
                endpoints.append(Endpoint(path: route.path, methods: [route.method]))
            }
        }
        self.endpoints = endpoints
    }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(path: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let list = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            let problem = Problem(.methodNotAllowed, "Method not allowed",
                                  detail: "\(request.method) is not allowed on \(request.uri.path); it allows \(list)")
            // A browser that opens a form's address (a bookmark, a reload) gets a page saying so.
            if ProblemMiddleware.wantsPage(request) {
                throw Problem(.methodNotAllowed, "Nothing to show here",
                              detail: "This address receives a form; it is not a page of its own. Go back to the page the form was on.")
            }
            var response = try problem.response(from: request, context: context)
            response.headers[.allow] = list
            return response
        }
    }

    /// Every method served on a route path that matches `path`; empty when none matches.
    func allowedMethods(path: String) -> Set<HTTPRequest.Method> {
        let segments = path.split(separator: "/")
        return endpoints.filter { Self.matches($0.path, segments) }.reduce(into: []) { $0.formUnion($1.methods) }
    }

    static func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        var remaining = segments[...]
        for element in path.components {
            if element == RouterPath.Element.recursiveWildcard { return true }
            guard let segment = remaining.popFirst(), element ~= segment else { return false }
        }
        return remaining.isEmpty
    }
}
