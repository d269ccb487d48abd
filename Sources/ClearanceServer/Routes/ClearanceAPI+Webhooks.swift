internal import ClearanceService
internal import ClearanceCore
internal import ClearanceStore
internal import Foundation
internal import Hummingbird

extension ClearanceAPI {
    func addWebhookRoutes(to api: RouterGroup<ClearanceContext>) {
        api.get("studios/:studio/webhooks") { _, context in
            let hooks = try await studios.webhooks(in: try parameter(context, "studio"), by: try context.requireCaller())
            return try Reply.list(hooks.map { WebhookResponse($0, showingSecret: false) })
        }
        api.post("studios/:studio/webhooks") { request, context in
            let caller = try context.requireCaller()
            let studio = try await administeredStudio(try parameter(context, "studio"), caller)
            let form = try form(try await Body.read(request, context: context), allowed: ["url", "events", "format"],
                                required: ["url", "events"])
            let url = form.text("url", maxLength: 2000)
            let events: [WebhookEvent] = form.choices("events") ?? []
            let format: WebhookFormat = form.choice("format") ?? .json
            try finish(form)
            guard let url else { throw Problem.badRequest("the body is incomplete") }
            let endpoint = try await studios.addWebhook(url: url, events: events, format: format, in: studio.id, by: caller)
            return try Reply.json(WebhookResponse(endpoint, showingSecret: true), status: .created,
                              location: "/api/v1/studios/\(studio.id)/webhooks/\(endpoint.id)")
        }
        api.delete("studios/:studio/webhooks/:id") { _, context in
            try await studios.deleteWebhook(try parameter(context, "id"), in: try parameter(context, "studio"), by: try context.requireCaller())
            return Response(status: .noContent)
        }
        api.post("studios/:studio/webhooks/:id/test") { _, context in
            try await studios.testWebhook(try parameter(context, "id"), in: try parameter(context, "studio"), by: try context.requireCaller())
            return Response(status: .accepted)
        }
        api.get("studios/:studio/webhooks/:id/deliveries") { request, context in
            let caller = try context.requireCaller()
            let studio = try await administeredStudio(try parameter(context, "studio"), caller)
            let id = try parameter(context, "id")
            var limit = 200
            if let text = request.uri.queryParameters["limit"] {
                guard let value = Int(String(text)), (1...1000).contains(value) else {
                    throw Problem.invalid("/limit", "limit must be a whole number from 1 to 1000")
                }
                limit = value
            }
            return try Reply.list(try await studios.deliveries(of: id, in: studio.id, limit: limit, by: caller).map(WebhookDeliveryResponse.init))
        }
    }
}
